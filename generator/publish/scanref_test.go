package publish

import (
	"bytes"
	"html"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
)

// ScanHTMLReference is the scan ScanHTML replaced, kept as the reference it must agree with: it reads the
// page with tdewolff's HTML5 lexer, token by token, and records what each start tag defines and uses. It
// is exported (from a test file) for the corpus comparison in package publish_test.
//
// The lexer lower-cases tag and attribute names in the bytes it reads and writes a NUL past their end
// when the slice has room, so the reference works on a copy of data.
func ScanHTMLReference(data []byte) *Scan {
	data = slices.Clip(bytes.Clone(data))
	s := &refScan{ids: map[string]bool{}}
	lx := htmllex.NewLexer(parse.NewInputBytes(data))
	var tag string
	var attrs []refAttr
	for {
		tt, _ := lx.Next()
		switch tt {
		case htmllex.ErrorToken:
			return s.scan()
		case htmllex.StartTagToken:
			tag = refTagName(lx.Text())
			attrs = attrs[:0]
		case htmllex.AttributeToken:
			if tag != "" {
				attrs = append(attrs, refAttr{lx.AttrKey(), lx.AttrVal()})
			}
		case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
			refElement(s, tag, attrs)
			tag = ""
		}
	}
}

// refScan is what the reference gathers of a page, made a Scan at the end.
type refScan struct {
	ids     map[string]bool
	refs    []Ref
	noIndex bool
}

// scan is the Scan ScanHTML makes of a page with the ids and references of r.
func (r *refScan) scan() *Scan {
	ids := make([][]byte, 0, len(r.ids))
	for _, id := range slices.Sorted(maps.Keys(r.ids)) {
		ids = append(ids, []byte(id))
	}
	s := &Scan{NoIndex: r.noIndex, urls: &urlTable{}}
	if len(ids) > 0 {
		s.ids, s.idEnd = joinIDs(ids)
	}
	for _, ref := range r.refs {
		kind := metaKind
		switch {
		case ref.RootRelative:
			kind = searchKind
		case ref.Tag != "meta":
			kind = refKindOf(ref.Tag, ref.Attr)
		}
		s.refs = append(s.refs, uint32(kind)<<urlBits|s.urls.add([]byte(ref.URL)))
	}
	return s
}

// ScanValues is a Scan as plain values, to compare and show in tests.
type ScanValues struct {
	IDs     []string
	Refs    []Ref
	NoIndex bool
}

// ValuesOf is what s holds, as plain values.
func ValuesOf(s *Scan) ScanValues {
	return ScanValues{s.IDs(), s.Refs(), s.NoIndex}
}

// refAttr is one attribute as the lexer returns it: the key lower-cased, the value with its quotes.
type refAttr struct{ key, val []byte }

func refTagName(b []byte) string {
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
	if t, ok := refKnownTags[string(buf[:n])]; ok {
		return t
	}
	return "*"
}

var refKnownTags = func() map[string]string {
	m := map[string]string{"meta": "meta"}
	for t := range urlAttrs {
		m[t] = t
	}
	for t := range srcsetTags {
		m[t] = t
	}
	return m
}()

func refAttrValue(v []byte) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return html.UnescapeString(string(v))
}

func refElement(s *refScan, tag string, attrs []refAttr) {
	get := func(key string) (string, bool) {
		for _, a := range attrs {
			if string(a.key) == key {
				return refAttrValue(a.val), true
			}
		}
		return "", false
	}
	if id, ok := get("id"); ok && id != "" {
		s.ids[id] = true
	}
	if tag == "a" {
		if name, ok := get("name"); ok && name != "" {
			s.ids[name] = true
		}
	}
	if tag == "meta" {
		refMeta(s, get)
		return
	}
	for _, key := range urlAttrs[tag] {
		if v, ok := get(key); ok {
			s.refs = append(s.refs, Ref{Tag: tag, Attr: key, URL: strings.TrimSpace(v)})
		}
	}
	if srcsetTags[tag] {
		if v, ok := get("srcset"); ok {
			for _, u := range refSrcsetURLs(v) {
				s.refs = append(s.refs, Ref{Tag: tag, Attr: "srcset", URL: u})
			}
		}
	}
}

func refMeta(s *refScan, get func(string) (string, bool)) {
	name, _ := get("name")
	if name == "" {
		name, _ = get("property")
	}
	content, _ := get("content")
	name = strings.ToLower(name)
	switch {
	case name == SearchMeta:
		for _, u := range strings.Fields(content) {
			s.refs = append(s.refs, Ref{Tag: "meta", Attr: "content", URL: u, RootRelative: true})
		}
	case name == "robots":
		for _, w := range strings.FieldsFunc(strings.ToLower(content), func(r rune) bool { return r == ',' || r == ' ' }) {
			if w == "noindex" || w == "none" {
				s.noIndex = true
			}
		}
	case urlMeta[name] && content != "":
		s.refs = append(s.refs, Ref{Tag: "meta", Attr: "content", URL: strings.TrimSpace(content)})
	}
}

func refSrcsetURLs(v string) []string {
	var out []string
	for _, cand := range strings.Split(v, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

// FuzzScanHTMLMatchesReference compares ScanHTML with the lexer-based reference on any input, and checks
// that ScanHTML leaves the page as it was. Seeds: the pages of the checker's tests, the HTML test files
// of the other stages, and the corners of the lexer the scanner follows.
func FuzzScanHTMLMatchesReference(f *testing.F) {
	for _, s := range site {
		f.Add(s)
	}
	files, _ := filepath.Glob(filepath.Join("..", "*", "testdata", "*.html"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range scanCorners {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, page string) {
		data := []byte(page)
		got, want := ValuesOf(ScanHTML(data)), ValuesOf(ScanHTMLReference(data))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ScanHTML(%q)\n  %+v\nthe reference\n  %+v", page, got, want)
		}
		if string(data) != page {
			t.Fatalf("ScanHTML modified the page: %q became %q", page, data)
		}
	})
}

// scanCorners are inputs where a scanner that reads HTML less carefully than the lexer would differ.
var scanCorners = []string{
	// raw text, and how it ends
	`<script>var s = "</scriptx>"; </script ><a href=a>`,
	`<script>x</script1><a href=a1>`,
	`<SCRIPT>x</ScRiPt><a href=b>`,
	`<script><!-- <script> </script> --> </script><a href=c>`,
	`<script><!-- </script> <a href=d>`,
	`<script><!-- <script></script><a href=e>`,
	`<script><!--><a href=f></script><a href=g>`,
	`<script src=s.js/><a href=h></script><a href=i>`,
	`<style>a{}</style1><a href=j></style><a href=k>`,
	`<textarea><a href=l></textarea><title><a href=m></TITLE><xmp><a href=n></xmp>`,
	`<iframe src="f.html"><a href=o></iframe><a href=p>`,
	`<plaintext><a href=q></plaintext><a href=r>`,
	`<scriptx><a href=s>`,
	"<script>\x00</script><a href=t>",
	`<script></`, `<style>`, `<script><!--`, `<script><!-- <script`,
	// svg, math and xml are one token each
	`<svg><a href="u"/><svg></svg></svg><a href=v>`,
	`<svg title="</svg>"><a href=w></svg><a href=x>`,
	`<svg/><a href=y></svg><a href=z>`,
	"<svg>\x00</svg><a href=a2>",
	"<svg></svg \x00><a href=a3>",
	`<svg></svg`, `<svg><svg/></svg><a href=a4>`, `<SVG></svG ><a href=a5>`,
	`<math id=m></math ><a href=a6><xml><a href=a7></xml><a href=a8>`,
	`<svg:x id=sv><a href=a9>`,
	// comments, CDATA, doctypes, bogus comments, end tags
	`<!--><a href=b1>--><a href=b2>`,
	`<!---><a href=b3>--><a href=b4>`,
	`<!-- --!><a href=b5>`,
	`<!-- -- ---><a href=b6>`,
	`<!--`, `<!`, `<!-`, `<![CDATA[`, `<?`, `</`, `<`, `</a`,
	`<![CDATA[<a href=b7>]]><a href=b8>`,
	`<![cdata[<a href=b9>]]><a href=c1>`,
	`<!DOCTYPE html><a href=c2>`, `<!doctype "><a href=c3>`,
	`<?xml version="1.0"?><a href=c4>`,
	`</ a href=c5><a href=c6>`, `</><a href=c7>`, `</a title=">"><a href=c8>`,
	"</\x00><a href=c9>",
	`<</a href=d1>`, `< a href=d2>`, `<1 href=d3>`,
	// attributes as the minifier writes them, and as people do
	`<a href = "d4" / ><a href='d5'/><a href=d6/>`,
	`<a href=><a href= ><a href>`,
	`<a =x href=d7><a / href=d8><a/href=d9>`,
	`<a hReF="&amp;&#x41;&notanentity;&amp">x</a><A HREF=E1>`,
	`<a href="unterminated`, `<a href=e2`, `<a href='e3' `, `<a href`,
	"<a\fhref=e4\fid=f>", "<a\x00href=e5>", "<a href=\"\x00\">",
	`<a href="e6"id="e7"name="e8">`,
	`<a id=1 id=2 name=3 NAME=4>`, `<p id=""><div ID=x><div id="&#32;">`,
	`<verylongtagnamethatisover16 id=q>`, `<a-b id=r href=e9>`,
	`<img srcset=" a.png 1x ,b.png 2x, ,c.png" src=" f1 ">`,
	`<source srcset=""><video poster=p src=v><input formaction=g src=h><object data=d>`,
	`<meta NAME="Robots" CONTENT="NONE"><meta property=og:image content=" i.png ">`,
	`<meta name=lectern-search content=" a.js  b.js "><meta name="LECTERN-SEARCH" content=c.js>`,
	`<meta name="" property="og:url" content="u"><meta name=x property=og:url content=v>`,
	"<a href='\u00a0x\u00a0'>", `<a href="&#xa0;y">`,
	// only the first id of an element whose other attributes do not matter is kept; a <meta> name is
	// lower-cased as strings.ToLower does
	`<p class=x id=y ID=z><div ID='"q"' id=w><li id><li id=""><li data-id=1 id=&amp;>`,
	`<a ID='"r"' id=s href=t>`,
	// the plain link startTag reads at once, and names looked up by their last eight bytes
	`<a href="f1"id=f2><a href="f3"/><a href="f4" ><a href="f5>"><a href=" f6"><a href="f7`,
	`<xtextarea><a href=f8></textarea><TeXtArEa><a href=f9></textarea><a href=g1>`,
	"<meta property=\"og:\u0130mage\" content=x><meta name=\"\u212aey\" content=y><meta name=ROBOTS content=noindex>",
	`<meta name="&#x72;obots" content="noindex"><meta name="og:url&#x20;" content="z">`,
}
