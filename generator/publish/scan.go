package publish

import (
	"bytes"
	"html"
	"strings"

	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
)

// Ref is one URL an HTML page uses: a link, an asset, a form target, a search index script.
type Ref struct {
	Tag  string // element name, lower-case ("a", "img", "meta")
	Attr string // attribute the URL was in ("href", "src", "srcset", "content")
	// URL is the reference as written in the attribute, entities decoded.
	URL string
	// RootRelative marks URLs that are relative to the site root rather than to the page (the entries of
	// <meta name="lectern-search">).
	RootRelative bool
}

// Scan is what one HTML page defines and uses.
type Scan struct {
	IDs     map[string]bool // id attributes, and name attributes of <a> (old-style anchors)
	Refs    []Ref           // in document order
	NoIndex bool            // <meta name="robots" content="noindex">: left out of the sitemap
}

// urlAttrs lists, per element, the attributes holding one URL. Attributes of every element that may hold
// a URL a reader follows or a browser loads are included; ping and cite are not, since nothing breaks
// visibly when they are wrong.
var urlAttrs = map[string][]string{
	"a":      {"href"},
	"area":   {"href"},
	"link":   {"href"},
	"script": {"src"},
	"img":    {"src"},
	"iframe": {"src"},
	"embed":  {"src"},
	"source": {"src"},
	"track":  {"src"},
	"audio":  {"src"},
	"video":  {"src", "poster"},
	"input":  {"src", "formaction"},
	"button": {"formaction"},
	"form":   {"action"},
	"object": {"data"},
}

// srcsetTags are the elements whose srcset lists candidate images.
var srcsetTags = map[string]bool{"img": true, "source": true}

// urlMeta lists the <meta> names and properties whose content is one absolute URL.
var urlMeta = map[string]bool{"og:url": true, "og:image": true, "twitter:image": true}

// SearchMeta is the <meta> name whose content lists the search index scripts, root-relative and
// separated by spaces.
const SearchMeta = "lectern-search"

// attr is one attribute, its bytes still in the page (the lexer reads from the page's bytes, which stay
// put), so that only the attributes a check needs become strings.
type attr struct{ key, val []byte }

// ScanHTML lexes one HTML page and returns the ids it defines and the URLs it uses. It never fails: what
// the lexer cannot read is skipped, as a browser would.
func ScanHTML(data []byte) *Scan {
	s := &Scan{IDs: map[string]bool{}}
	lx := htmllex.NewLexer(parse.NewInputBytes(data))
	var tag string
	var attrs []attr
	for {
		tt, _ := lx.Next()
		switch tt {
		case htmllex.ErrorToken:
			return s
		case htmllex.StartTagToken:
			tag = tagName(lx.Text())
			attrs = attrs[:0]
		case htmllex.AttributeToken:
			if tag != "" {
				attrs = append(attrs, attr{lx.AttrKey(), lx.AttrVal()})
			}
		case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
			s.element(tag, attrs)
			tag = ""
		}
	}
}

// tagName returns the lower-case name of an element that can define an id or use a URL, interned so
// that most tags cost no allocation; "" for the rest.
func tagName(b []byte) string {
	var buf [16]byte
	if len(b) > len(buf) {
		return "*"
	}
	n := copy(buf[:], b)
	for i := 0; i < n; i++ {
		if 'A' <= buf[i] && buf[i] <= 'Z' {
			buf[i] += 'a' - 'A'
		}
	}
	if t, ok := knownTags[string(buf[:n])]; ok {
		return t
	}
	return "*" // any other element: only its id matters
}

// knownTags interns the names of elements with URL attributes.
var knownTags = func() map[string]string {
	m := map[string]string{"meta": "meta"}
	for t := range urlAttrs {
		m[t] = t
	}
	for t := range srcsetTags {
		m[t] = t
	}
	return m
}()

// attrValue strips the quotes of a raw attribute value and decodes its character references.
func attrValue(v []byte) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return html.UnescapeString(string(v))
}

// element records what one start tag defines and uses.
func (s *Scan) element(tag string, attrs []attr) {
	get := func(key string) (string, bool) {
		for _, a := range attrs {
			if string(a.key) == key {
				return attrValue(a.val), true
			}
		}
		return "", false
	}
	if id, ok := get("id"); ok && id != "" {
		s.IDs[id] = true
	}
	if tag == "a" {
		if name, ok := get("name"); ok && name != "" {
			s.IDs[name] = true
		}
	}
	if tag == "meta" {
		s.meta(get)
		return
	}
	for _, key := range urlAttrs[tag] {
		if v, ok := get(key); ok {
			s.Refs = append(s.Refs, Ref{Tag: tag, Attr: key, URL: strings.TrimSpace(v)})
		}
	}
	if srcsetTags[tag] {
		if v, ok := get("srcset"); ok {
			for _, u := range srcsetURLs(v) {
				s.Refs = append(s.Refs, Ref{Tag: tag, Attr: "srcset", URL: u})
			}
		}
	}
}

func (s *Scan) meta(get func(string) (string, bool)) {
	name, _ := get("name")
	if name == "" {
		name, _ = get("property")
	}
	content, _ := get("content")
	name = strings.ToLower(name)
	switch {
	case name == SearchMeta:
		for _, u := range strings.Fields(content) {
			s.Refs = append(s.Refs, Ref{Tag: "meta", Attr: "content", URL: u, RootRelative: true})
		}
	case name == "robots":
		for _, w := range strings.FieldsFunc(strings.ToLower(content), func(r rune) bool { return r == ',' || r == ' ' }) {
			if w == "noindex" || w == "none" {
				s.NoIndex = true
			}
		}
	case urlMeta[name] && content != "":
		s.Refs = append(s.Refs, Ref{Tag: "meta", Attr: "content", URL: strings.TrimSpace(content)})
	}
}

// srcsetURLs splits a srcset attribute ("a.png 1x, b.png 2x") into its URLs.
func srcsetURLs(v string) []string {
	var out []string
	for _, cand := range strings.Split(v, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}
