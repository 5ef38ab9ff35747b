package publish

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestLookupTagWords checks that lookupTag finds the names it tells apart, in every case of their
// letters, and that names which only come close are other elements.
func TestLookupTagWords(t *testing.T) {
	special := map[string]int{
		"script": rawTextTag, "style": rawTextTag, "textarea": rawTextTag, "title": rawTextTag,
		"xmp": rawTextTag, "iframe": rawTextTag, "svg": xmlTag, "math": xmlTag, "xml": xmlTag,
	}
	for name, want := range special {
		for _, n := range []string{name, strings.ToUpper(name), strings.ToUpper(name[:1]) + name[1:]} {
			kind, _, got := lookupTag(tagWord([]byte(n)))
			if kind != want || got != name {
				t.Errorf("lookupTag(%q) = %d, %q; want %d, %q", n, kind, got, want, name)
			}
		}
	}
	for name, info := range knownTags {
		if _, got, _ := lookupTag(tagWord([]byte(strings.ToUpper(name)))); got != info {
			t.Errorf("lookupTag(%q) = %p; want %p", strings.ToUpper(name), got, info)
		}
	}
	// Near names: a letter more or less, a byte that ORed with 0x20 is a letter's but is none. (A name
	// longer than eight bytes whose tail is a known name, <xtextarea>, is startTag's to refuse: it looks
	// up names of up to eight bytes only; scanFragments holds such tags.)
	for _, n := range []string{"", "b", "ab", "aa", "a1", "scrip", "scripts", "xscript", "textare", "svgx",
		"meta-", "i\x06rame", "\x01", "a\x00", "A\x41", "l\x09nk", "styl\x05", "@", "[", "`"} {
		if kind, got, name := lookupTag(tagWord([]byte(n))); kind != normalTag || got != nil || name != "" {
			t.Errorf("lookupTag(%q) = %d, %p, %q; want an element of no interest", n, kind, got, name)
		}
	}
}

// scanFragments are the pieces TestScanHTMLRandom makes pages of: start tags of every sort the scan
// tells apart, spelled in the ways its fast paths (the plain link, a name looked up by its word, the
// bytes between tags) must get right or leave to the general reading, with the text, end tags and
// markup between them.
var scanFragments = []string{
	// links as the theme writes them, and near misses of that form
	`<a href="../glue/">`, `<a href="#intro">`, `<a href="">`, `<a href="./">`, `<a href="?q">`,
	`<a href="x" >`, `<a href="x"/>`, `<a href="x" id="y">`, `<a href="x"id=y>`, `<a href="x">`,
	`<a href='x'>`, `<a href=x>`, `<a  href="x">`, `<a	href="x">`, `<a HREF="x">`, `<A href="x">`,
	`<a href ="x">`, `<a href= "x">`, `<a href="x" href="z">`, `<a id=i href="x">`, `<a name=n href="x">`,
	`<a href="&amp;x">`, `<a href=" x ">`, "<a href=\"\u00a0x\">", "<a href=\"x\u00a0\">", "<a href=\"\tx\">",
	`<a href="x`, `<a href="x"`, `<a href="`, `<a href=`, `<a href`, `<a `, `<a`, `<a href="x>y">`,
	`<a href="#top">`, `<a href="#caf%C3%A9">`, `<a href="#:~:text=x">`, `<a href="#a">`, `<a href="#nope">`,
	// names near those of elements that matter, in any case, and longer than eight bytes
	`<li>`, `<li class="current">`, `<LI id=l>`, `<ab href=x>`, `<aa href=x>`, `<a1 href=x>`, `<a/b href=x>`,
	`<a/ href=x>`, `<a/>`, `<img src=i.png>`, `<IMG SRC="i.png" srcset="a.png 1x, b.png 2x">`,
	`<imgx src=x>`, `<link rel=stylesheet href=s.css>`, `<linkx href=x>`, `<meta name=robots content=noindex>`,
	`<meta property="og:image" content="o.png">`, `<meta name="lectern-search" content="search/a.js #a">`,
	`<metas name=robots content=none>`, `<source srcset=s.png>`, `<video poster=p.png src=v.mp4>`,
	`<input formaction=f src=s>`, `<button formaction=b>`, `<form action=f>`, `<object data=d>`,
	`<area href=ar>`, `<embed src=e>`, `<track src=t>`, `<audio src=au>`, `<iframe src=if>`, `<p id="p1">`,
	`<h2 id=h&amp;2>`, `<div ID=D>`, `<span data-id=x id=s2>`, `<textareax>`, `<plaintex>`, `<plaintextx>`,
	`<longelementname id=long>`, `<eightbyt id=e8>`, `<ninebytes id=n9>`, `<xtextarea id=x9>`,
	`<TEXTAREA>`, `<xxxxxxxxscript>`,
	// raw text and whole elements
	`<script>x<a href=in-script></script>`, `<SCRIPT src=s.js></script>`, `<style>a{}</style>`,
	`<title>t</title>`, `<textarea><a href=in-ta></textarea>`, `<xmp>x</xmp>`, `<svg><a href="in-svg"/></svg>`,
	`<math id=m></math>`, `<xml>x</xml>`, `<iframe src=f></iframe>`, `<script><!-- <script> --></script>`,
	// text, end tags and other markup
	"text", " ", "\n", "&amp;", "<", "< a", "</a>", "</li>", "</A >", "</>", "</", "</longendtagname>",
	"</a title='>'>", "<!-- c -->", "<!--", "<![CDATA[x]]>", "<!doctype html>", "<?x?>", ">", `"`, "'", "\x00",
}

// TestScanHTMLRandom compares ScanHTML with the lexer-based reference on pages pieced together at
// random from scanFragments, and Add with ScanHTML: the same ids, and the same references but those to
// the page itself that Add leaves out.
func TestScanHTMLRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(6, 2))
	rounds := 20000
	if testing.Short() {
		rounds = 2000
	}
	for round := range rounds {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(scanFragments[rng.IntN(len(scanFragments))])
		}
		page := b.String()
		data := []byte(page)
		got, want := ValuesOf(ScanHTML(data)), ValuesOf(ScanHTMLReference(data))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: ScanHTML(%q)\n  %+v\nthe reference\n  %+v", round, page, got, want)
		}
		var c Checker
		c.Add("d/index.html", data)
		added := c.pages["d/index.html"]
		whole := ScanHTML(data)
		if a, w := added.IDs(), whole.IDs(); !reflect.DeepEqual(a, w) {
			t.Fatalf("round %d: Add's ids of %q: %q; ScanHTML's %q", round, page, a, w)
		}
		var search [][]byte
		for i := range whole.refs {
			if r := whole.ref(i); r.RootRelative {
				search = append(search, []byte(r.URL))
			}
		}
		var kept []Ref
		for i := range whole.refs {
			r := whole.ref(i)
			kind := refKind(whole.refs[i] >> urlBits)
			if !leavesOut(whole, pendingRef{kind, []byte(r.URL)}, search) {
				kept = append(kept, r)
			}
		}
		if a := added.Refs(); !reflect.DeepEqual(a, kept) {
			t.Fatalf("round %d: Add's references of %q\n  %+v\nScanHTML's but those left out\n  %+v", round, page, a, kept)
		}
		if string(data) != page {
			t.Fatalf("round %d: the scan modified the page %q", round, page)
		}
	}
}
