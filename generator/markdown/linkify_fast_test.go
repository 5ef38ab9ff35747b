package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/corpora"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// fastCases are notes on the edges of linkifyScan: links and addresses the fast parser must give up on,
// the same text where it need not, and the line endings whose trimmed white space tells the two
// parsers apart.
var fastCases = []string{
	"plain words (in brackets) *and* _emphasis_ ~strike~ here\nand a second line\n",
	"see http://example.com/x now\n",
	"see https://example.com/x\n",
	"(https://example.com/x) and *www.example.com*\n",
	"mail me@example.com or x_y@example.com.\n",
	"a`b@example.com` c\n",
	"`http://example.com` in code, `www.example.com` too, `me@example.com` also\n",
	"[http://example.com](http://example.com) [me@example.com](mailto:me@example.com) ![www.x.com](x.png)\n",
	"http://x.com/[https://y.com](z) and [a](b)http://c.com\n",
	"[unclosed](https://example.com\n",
	"<http://example.com> <me@example.com> <a href=\"http://x.com\">x</a>\n",
	"ftp://files.example.com and www.example.com.\n",
	"trailing one \nspace\n",
	"trailing two  \nhard break\n",
	"trailing three   \nhard break\n",
	"trailing four    \nhard break\n",
	"trailing tab\t\nline\n",
	"trailing space tab \t\nline\n",
	"trailing tab space\t \nline\n",
	"crlf \r\nline two  \r\nline three   \r\nfour \t\r\nend\n",
	"`code` \t\nafter code\n",
	"*em*  \t \nafter em\n",
	"visible \t\\\nbreak\n",
	"- item \t \n  more\n- [ ] task  \t\n\n> quote \t \n> more\n",
	"| a | b |\n|---|---|\n| x  \t | y@z.com |\n| http://q.com | `r` |\n",
	"# Heading  \t  \n\nSetext \t \nheading\n---\n",
	"Term \t \n: definition \t \n  more\n\n[^1]: note \t \n  more\n\ntext[^1]\n",
	"!!! note \"Title \t \"\n    body \t \n    more\n\n::: tip\ntext  \t\nmore\n:::\n",
	"**Note:** \t \nlabelled\n\n`Kinesis keeps records for a day by default.`\n",
	"**Note**  :x\n\n**Tip**  \t:y\n\n**Warning**  (z)\n\n**Important**  \n  : w\n",
	"\ttabbed paragraph \t\n\tline\n",
	"- a\n\n\tb \t \n\tc\n",
	"escaped \\@ and http\\://x.com and www\\.x.com\n",
	"no newline at the end \t ",
}

// fastPair returns a converter that parses as a build does (fast first) and one that always uses the
// linkify parser.
func fastPair(services bool) (fast, full *Converter) {
	var m *crosslink.Matcher
	if services {
		m = fuzzMatcher
	}
	opts := Options{RawHTML: true, TipBoxes: tipbox.Options{QuoteKind: "tip", KeyPoints: true, KeyPointMinWords: 4}, Services: m}
	fast, full = New(opts), New(opts)
	full.fullOnly = true
	return fast, full
}

var fuzzMatcher *crosslink.Matcher

// passOne is what pass 1 leaves of a note, as TestCorpusDigest writes it.
func passOne(t testing.TB, c *Converter, p *content.Page, targets *Targets) []byte {
	t.Helper()
	d := c.Parse(p, targets)
	if err := c.Prerender(d); err != nil {
		t.Fatal(err)
	}
	d.Release()
	var b textHash
	writeDoc(&b, d)
	return b.Bytes()
}

// textHash is a hash.Hash that keeps what is written, so that a difference can be shown.
type textHash struct{ bytes.Buffer }

func (*textHash) Sum(b []byte) []byte { return b }
func (*textHash) Size() int           { return 0 }
func (*textHash) BlockSize() int      { return 1 }

// fastKeeps reports whether the fast parser keeps its tree of body (linkifyScan finds nothing).
func fastKeeps(c *Converter, body []byte) bool {
	st := &docState{}
	pc := parser.NewContext()
	pc.Set(stateKey, st)
	c.fast.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	return !st.linkify
}

// compareFast parses body both ways and fails on any difference in what pass 1 produces.
func compareFast(t testing.TB, fast, full *Converter, name string, body []byte) {
	t.Helper()
	page := &content.Page{Rel: "f.md", Dir: ".", URL: "f/", File: "content/f.md", BodyLine: 3, Body: body}
	site := &content.Site{Pages: []*content.Page{page}, Sections: []*content.Section{{Dir: ".", URL: ""}}}
	targets := NewTargets(site)
	got, want := passOne(t, fast, page, targets), passOne(t, full, page, targets)
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: the fast parser's pass 1 differs from the linkify parser's:\nnote %q\n got %s\nwant %s", name, body, got, want)
	}
}

// TestFastParseAsFull checks that parsing without the linkify parser first (falling back to it where
// linkifyScan says so) gives what the linkify parser alone gives, on the edge cases above, the golden
// note, the sample notes and the kananinirav notes (when ../shared is there), with and without a
// catalog. TestCorpusDigest covers the da corpus, FuzzFastParseAsFull the rest.
func TestFastParseAsFull(t *testing.T) {
	fuzzMatcher = sampleMatcher(t)
	notes := map[string][]byte{}
	for i, s := range fastCases {
		notes["case "+string(rune('A'+i))] = []byte(s)
	}
	files, _ := filepath.Glob("testdata/*.md")
	samples, _ := filepath.Glob(filepath.Join("..", "..", "content", "*.md"))
	for _, f := range append(append(files, samples...), corpora.NotesFiles()...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		notes[f] = b
	}
	if len(samples) == 0 {
		t.Log("no sample notes found")
	}
	for _, services := range []bool{false, true} {
		fast, full := fastPair(services)
		for name, body := range notes {
			compareFast(t, fast, full, name, body)
		}
	}
}

// TestLinkifyScan checks which notes the fast parser keeps and which it gives up on.
func TestLinkifyScan(t *testing.T) {
	for _, tc := range []struct {
		note string
		keep bool
	}{
		{"plain words (in brackets) *and* text\nmore\n", true},
		{"see http://example.com\n", false},
		{"see www.example.com\n", false},
		{"mail me@example.com\n", false},
		{"[http://example.com](http://example.com)\n", true},
		{"[me@example.com](mailto:me@example.com)\n", true},
		{"`http://example.com` and `www.example.com`\n", true},
		{"a`b@example.com` c\n", false},
		{"`root@example.com` and `x a@b.c` in code\n", true},
		{"s3://bucket/key, jdbc:mysql://host and file://x\n", true},
		{"Lambda@Edge, user@host, @mention, a@-x.com, a@b.\n", true},
		{"xhttp://example.com\n", false},
		{"ftp://example.com\n", false},
		{"<http://example.com>\n", true},
		{"trailing one \nline\n", true},
		{"trailing two  \nline\n", true},
		{"trailing three   \nline\n", true},
		{"trailing four    \nline\n", false},
		{"trailing space tab \t\nline\n", false},
		{"last line of a paragraph    \n\nnext\n", true},
		{"```\ncode http://x.com me@x.com    \n```\n", true},
	} {
		fast, _ := fastPair(false)
		if kept := fastKeeps(fast, []byte(tc.note)); kept != tc.keep {
			t.Errorf("%q: fast parser kept %v, want %v", tc.note, kept, tc.keep)
		}
	}
}

// FuzzFastParseAsFull is TestFastParseAsFull on any note.
//
//	go test -run '^$' -fuzz FuzzFastParseAsFull ./generator/markdown
func FuzzFastParseAsFull(f *testing.F) {
	for _, s := range fastCases {
		f.Add([]byte(s))
	}
	for _, s := range fuzzCorpusSeeds(f) {
		f.Add(s)
	}
	fuzzMatcher = sampleMatcher(f)
	plainFast, plainFull := fastPair(false)
	servicesFast, servicesFull := fastPair(true)
	f.Fuzz(func(t *testing.T, body []byte) {
		compareFast(t, plainFast, plainFull, "plain", body)
		compareFast(t, servicesFast, servicesFull, "services", body)
	})
}
