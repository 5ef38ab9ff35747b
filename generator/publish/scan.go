package publish

import (
	"bytes"
	"html"
	"slices"
	"strings"
	"sync"
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

// ScanHTML reads one HTML page and returns the ids it defines and the URLs it uses. It never fails: what it
// cannot read is skipped, as a browser would.
//
// It reads the page the way tdewolff's HTML5 lexer (which minifies the pages) does, but looks only for
// what the check needs: start tags and their attributes. Text is skipped to the next '<'; comments, CDATA
// sections, doctypes, end tags and the raw text of <script>, <style>, <textarea>, <title>, <xmp> and
// <iframe> are skipped whole, and so are <svg>, <math> and <xml> elements with everything inside them, as
// the lexer returns each as one token. Where the lexer gives up (a start tag cut off by the end of the
// page, a NUL byte inside an <svg>), the scan stops too. ScanHTMLReference, in the tests, is the lexer-based
// scan this one must agree with; a fuzz target and every page of a real build compare the two.
//
// data is only read, never modified.
func ScanHTML(data []byte) *Scan {
	z := newScanner(data)
	z.run()
	return z.done(func(b []byte) string { return string(b) }, nil)
}

// scanner is the state of one ScanHTML.
type scanner struct {
	data  []byte
	s     *Scan
	attrs []attr // the current start tag's, reused from tag to tag
	// refs gathers the page's references, copied to an exact-size Scan.Refs at the end (most pages hold
	// a hundred or more: growing the slice as it goes was a good part of the scan's allocations). A
	// reference whose URL is written plainly in the page (no character reference, the common case) has
	// it in urls until done, so that the Checker can intern it without making a string first.
	refs []Ref
	urls []plainURL
}

// attr is one attribute of a start tag, its name and value still in the page, so that only the attributes
// a check needs become strings. val is the value as written, quotes included; nil when there is none.
type attr struct{ key, val []byte }

// plainURL is the URL of refs[i] as the page writes it.
type plainURL struct {
	i int
	b []byte
}

// scanners keeps the scratch slices of finished scans.
var scanners = sync.Pool{New: func() any { return new(scanner) }}

func newScanner(data []byte) *scanner {
	z := scanners.Get().(*scanner)
	z.data, z.s = data, &Scan{IDs: map[string]bool{}}
	return z
}

// done finishes the scan and hands the scanner back to the pool. It makes the plain URLs strings with
// str, which may return an earlier copy of the same string; when intern is set, the other URLs are
// replaced by intern's copy too.
func (z *scanner) done(str func([]byte) string, intern func(string) string) *Scan {
	if intern != nil {
		for i := range z.refs {
			if z.refs[i].URL != "" {
				z.refs[i].URL = intern(z.refs[i].URL)
			}
		}
	}
	for _, u := range z.urls {
		z.refs[u.i].URL = str(u.b)
	}
	s := z.s
	if len(z.refs) > 0 {
		s.Refs = slices.Clone(z.refs)
	}
	clear(z.refs) // let go of the strings
	clear(z.urls) // and of the page
	clear(z.attrs)
	*z = scanner{attrs: z.attrs[:0], refs: z.refs[:0], urls: z.urls[:0]}
	scanners.Put(z)
	return s
}

// at is the byte at i, or 0 past the end of the page (where the lexer reads the NUL it appends).
func (z *scanner) at(i int) byte {
	if i < len(z.data) {
		return z.data[i]
	}
	return 0
}

// kinds of start tag, by how the lexer reads what follows them.
const (
	normalTag    = iota
	rawTextTag   // its content up to the matching end tag is text: <script>, <style>, ...
	plainTextTag // <plaintext>: the rest of the page is text
	xmlTag       // <svg>, <math>, <xml>: the element is read whole, attributes and all, as one token
)

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// run scans the whole page. Each step starts at a '<' and returns where the scan goes on, or -1 when the
// page ends (or the lexer would stop) within what it reads.
func (z *scanner) run() {
	d := z.data
	i := 0
	for {
		j := bytes.IndexByte(d[i:], '<')
		if j < 0 {
			return
		}
		i += j
		switch c := z.at(i + 1); {
		case isLetter(c):
			i = z.startTag(i)
		case c == '/':
			if i+2 >= len(d) || d[i+2] == '>' {
				i++ // "</>", and "</" at the end of the page, are text
				continue
			}
			i = z.skipPast(i+2, '>') // an end tag, or a bogus comment when no letter follows "</"
		case c == '!':
			i = z.markup(i + 2)
		case c == '?':
			i = z.skipPast(i+1, '>') // a bogus comment
		default:
			i++ // a '<' that starts no tag is text
		}
		if i < 0 {
			return
		}
	}
}

// skipPast returns the position after the first c at or after i, or -1.
func (z *scanner) skipPast(i int, c byte) int {
	if j := bytes.IndexByte(z.data[i:], c); j >= 0 {
		return i + j + 1
	}
	return -1
}

// markup skips what starts with "<!" (i is after it): a comment, ending at the first "-->" or "--!>"
// after its "<!--", a CDATA section, or a doctype or bogus comment, ending at the first '>'.
func (z *scanner) markup(i int) int {
	d := z.data
	switch {
	case bytes.HasPrefix(d[i:], []byte("--")):
		for i += 2; ; i++ {
			j := bytes.Index(d[i:], []byte("--"))
			if j < 0 {
				return -1
			}
			i += j
			if z.at(i+2) == '>' {
				return i + 3
			}
			if z.at(i+2) == '!' && z.at(i+3) == '>' {
				return i + 4
			}
		}
	case bytes.HasPrefix(d[i:], []byte("[CDATA[")):
		if j := bytes.Index(d[i+7:], []byte("]]>")); j >= 0 {
			return i + 7 + j + 3
		}
		return -1
	}
	return z.skipPast(i, '>')
}

// startTag reads the start tag at i, records what it defines and uses, and skips the raw text or the
// whole element that follows tags read so.
func (z *scanner) startTag(i int) int {
	d := z.data
	p := i + 1
	for p < len(d) {
		if c := d[p]; isSpace(c) || c == '>' || c == '/' && z.at(p+1) == '>' {
			break
		}
		p++
	}
	var lower [16]byte // the name, lower-case; names longer than any tag that matters are left out
	name := lower[:0]
	if p-i-1 <= len(lower) {
		name = lower[:copy(lower[:], d[i+1:p])]
		for k, c := range name {
			if 'A' <= c && c <= 'Z' {
				name[k] = c + 'a' - 'A'
			}
		}
	}
	kind := tagKind(name)
	if kind == xmlTag {
		return z.xml(p, string(name))
	}
	z.attrs = z.attrs[:0]
	for {
		for p < len(d) && isSpace(d[p]) {
			p++
		}
		if p >= len(d) {
			return -1 // the page ends inside the tag, which the lexer never closes
		}
		if c := d[p]; c == '>' {
			p++
			break
		} else if c == '/' && z.at(p+1) == '>' {
			p += 2
			break
		}
		p = z.attribute(p)
	}
	z.element(knownTag(name), z.attrs)
	switch kind {
	case rawTextTag:
		return z.rawText(p, string(name))
	case plainTextTag:
		return -1
	}
	return p
}

// attribute reads the attribute at p, which starts with neither a space nor the end of the tag, adds it
// to z.attrs and returns the position after it.
func (z *scanner) attribute(p int) int {
	d := z.data
	start := p
	for p < len(d) {
		if c := d[p]; isSpace(c) || c == '=' || c == '>' || c == '/' && z.at(p+1) == '>' {
			break
		}
		p++
	}
	a := attr{key: d[start:p]}
	q := p
	for q < len(d) && isSpace(d[q]) {
		q++
	}
	if q < len(d) && d[q] == '=' {
		q++
		for q < len(d) && isSpace(d[q]) {
			q++
		}
		v := q
		if q < len(d) && (d[q] == '"' || d[q] == '\'') {
			if j := bytes.IndexByte(d[q+1:], d[q]); j >= 0 {
				q += j + 2
			} else {
				q = len(d)
			}
		} else {
			for q < len(d) && !isSpace(d[q]) && d[q] != '>' {
				q++
			}
		}
		a.val, p = d[v:q], q
	}
	z.attrs = append(z.attrs, a)
	return p
}

// rawText skips the text of the element name (lower-case) from p to its end tag: the first "</" followed
// by letters that spell name, in any case. In a <script>, an end tag inside "<!--" and "-->" ends the text
// only when it does not close a "<script" opened there, as the HTML5 lexer reads script data.
func (z *scanner) rawText(p int, name string) int {
	d := z.data
	script := name == "script"
	for {
		j := bytes.IndexByte(d[p:], '<')
		if j < 0 {
			return -1
		}
		p += j
		switch {
		case z.at(p+1) == '/':
			q := z.letters(p + 2)
			if equalLower(d[p+2:q], name) {
				return p
			}
			p = q
		case script && z.at(p+1) == '!' && z.at(p+2) == '-' && z.at(p+3) == '-':
			end := false
			if p, end = z.scriptComment(p + 4); end {
				return p
			}
		default:
			p++
		}
	}
}

// scriptComment skips script text from p, after a "<!--", to the "-->" that ends it, returning the
// position after it; or, with end set, the position of the "</script" that ends the script, or -1.
func (z *scanner) scriptComment(p int) (int, bool) {
	d := z.data
	inScript := false
	for {
		switch c := z.at(p); {
		case c == '-' && z.at(p+1) == '-' && z.at(p+2) == '>':
			return p + 3, false
		case c == '<':
			isEnd := z.at(p+1) == '/'
			if isEnd {
				p++
			}
			p++
			mark := p
			p = z.letters(p)
			if equalLower(d[mark:p], "script") {
				switch {
				case !isEnd:
					inScript = true
				case !inScript:
					return mark - 2, true
				default:
					inScript = false
				}
			}
		case p >= len(d):
			return -1, true
		default:
			p++
		}
	}
}

// xml skips an <svg>, <math> or <xml> element from p, after its name, to the end of its matching end tag,
// as the lexer reads it: elements of the same name nest, a tag of that name directly followed by '/' is
// left out, and no '<' counts between double quotes, in text too. A NUL byte makes the lexer stop.
func (z *scanner) xml(p int, name string) int {
	d := z.data
	nested, inQuote := 0, false
	for {
		if p >= len(d) {
			return -1
		}
		switch c := d[p]; {
		case c == '"':
			inQuote = !inQuote
			p++
		case c == '<' && !inQuote:
			isEnd := z.at(p+1) == '/'
			if isEnd {
				p++
			}
			p++
			start := p
			p = z.letters(p)
			if (isEnd || z.at(p) != '/') && equalLower(d[start:p], name) {
				if isEnd {
					if nested == 0 {
						for ; p < len(d) && d[p] != 0; p++ {
							if d[p] == '>' {
								return p + 1
							}
						}
						return -1
					}
					nested--
				} else {
					nested++
				}
			}
		case c == 0:
			return -1
		default:
			p++
		}
	}
}

// letters returns the position after the ASCII letters from p.
func (z *scanner) letters(p int) int {
	for p < len(z.data) && isLetter(z.data[p]) {
		p++
	}
	return p
}

// equalLower reports whether b is lower, ignoring the case of ASCII letters; lower is lower-case.
func equalLower(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// tagKind says how the lexer reads what follows a start tag of the lower-case name.
func tagKind(name []byte) int {
	switch string(name) {
	case "script", "style", "textarea", "title", "xmp", "iframe":
		return rawTextTag
	case "plaintext":
		return plainTextTag
	case "svg", "math", "xml":
		return xmlTag
	}
	return normalTag
}

// tagInfo is what the scan needs of an element with URL attributes, or of <meta>.
type tagInfo struct {
	name   string   // lower-case
	attrs  []string // urlAttrs[name]
	srcset bool     // srcsetTags[name]
}

// knownTag returns the tagInfo of the lower-case name; nil for any other element, of which only the id
// matters.
func knownTag(name []byte) *tagInfo {
	if k, ok := tagKey(name); ok {
		return knownTags[k]
	}
	return nil
}

// tagKey packs a name of up to 8 bytes into a number, which is quicker to look up than a string.
func tagKey(name []byte) (uint64, bool) {
	if len(name) == 0 || len(name) > 8 {
		return 0, false
	}
	var k uint64
	for _, c := range name {
		k = k<<8 | uint64(c)
	}
	return k, true
}

// knownTags holds the tagInfo of every element of urlAttrs and srcsetTags, and of <meta>, by tagKey.
var knownTags = func() map[uint64]*tagInfo {
	m := map[uint64]*tagInfo{}
	add := func(name string) *tagInfo {
		k, ok := tagKey([]byte(name))
		if !ok {
			panic("publish: element name " + name + " is longer than tagKey packs")
		}
		if m[k] == nil {
			m[k] = &tagInfo{name: name}
		}
		return m[k]
	}
	add("meta")
	for t, attrs := range urlAttrs {
		add(t).attrs = attrs
	}
	for t := range srcsetTags {
		add(t).srcset = true
	}
	return m
}()

// get returns the value of the first attribute named key (lower-case), as written but without its quotes.
func get(attrs []attr, key string) ([]byte, bool) {
	for _, a := range attrs {
		if len(a.key) == len(key) && equalLower(a.key, key) {
			v := a.val
			if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
				v = v[1 : len(v)-1]
			}
			return v, true
		}
	}
	return nil, false
}

// value is the value of the first attribute named key (lower-case), quotes stripped and character
// references decoded; "" when there is none.
func value(attrs []attr, key string) (string, bool) {
	v, ok := get(attrs, key)
	if !ok {
		return "", false
	}
	if bytes.IndexByte(v, '&') < 0 {
		return string(v), true
	}
	return html.UnescapeString(string(v)), true
}

// element records what one start tag defines and uses.
func (z *scanner) element(tag *tagInfo, attrs []attr) {
	if id, _ := value(attrs, "id"); id != "" {
		z.s.IDs[id] = true
	}
	if tag == nil {
		return
	}
	if tag.name == "a" {
		if name, _ := value(attrs, "name"); name != "" {
			z.s.IDs[name] = true
		}
	}
	if tag.name == "meta" {
		z.refs = z.s.meta(attrs, z.refs)
		return
	}
	for _, key := range tag.attrs {
		v, ok := get(attrs, key)
		if !ok {
			continue
		}
		if bytes.IndexByte(v, '&') < 0 {
			// TrimSpace before making the string gives the same URL as after: nothing was decoded.
			z.urls = append(z.urls, plainURL{len(z.refs), bytes.TrimSpace(v)})
			z.refs = append(z.refs, Ref{Tag: tag.name, Attr: key})
		} else {
			z.refs = append(z.refs, Ref{Tag: tag.name, Attr: key, URL: strings.TrimSpace(html.UnescapeString(string(v)))})
		}
	}
	if tag.srcset {
		if v, ok := value(attrs, "srcset"); ok {
			for _, u := range srcsetURLs(v) {
				z.refs = append(z.refs, Ref{Tag: tag.name, Attr: "srcset", URL: u})
			}
		}
	}
}

// meta records what a <meta> defines, appending its references to refs.
func (s *Scan) meta(attrs []attr, refs []Ref) []Ref {
	name, _ := value(attrs, "name")
	if name == "" {
		name, _ = value(attrs, "property")
	}
	content, _ := value(attrs, "content")
	name = strings.ToLower(name)
	switch {
	case name == SearchMeta:
		for _, u := range strings.Fields(content) {
			refs = append(refs, Ref{Tag: "meta", Attr: "content", URL: u, RootRelative: true})
		}
	case name == "robots":
		for _, w := range strings.FieldsFunc(strings.ToLower(content), func(r rune) bool { return r == ',' || r == ' ' }) {
			if w == "noindex" || w == "none" {
				s.NoIndex = true
			}
		}
	case urlMeta[name] && content != "":
		refs = append(refs, Ref{Tag: "meta", Attr: "content", URL: strings.TrimSpace(content)})
	}
	return refs
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
