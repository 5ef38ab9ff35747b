package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// goldmark's expressions for opening and closing tags (parser/raw_html.go), which tagLength must agree
// with.
var (
	refTagName        = `([A-Za-z][A-Za-z0-9-]*)`
	refSpaceOrNewline = `(?:[ \t]|(?:\r\n|\n){0,1})`
	refAttribute      = `(?:[\r\n \t]+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:[\r\n \t]*=[\r\n \t]*(?:[^\"'=<>` + "`" + `\x00-\x20]+|'[^']*'|"[^"]*"))?)`
	refOpenTag        = regexp.MustCompile("^<" + refTagName + refAttribute + `*` + refSpaceOrNewline + `*/?>`)
	refCloseTag       = regexp.MustCompile("^</" + refTagName + refSpaceOrNewline + `*>`)
)

func refTagLength(b []byte) int {
	for _, re := range []*regexp.Regexp{refOpenTag, refCloseTag} {
		if m := re.FindIndex(b); m != nil {
			return m[1]
		}
	}
	return 0
}

var tagSeeds = []string{
	`<a name="x">`, `</a>`, `<br/>`, `<br />`, `<a name="x"></a>`, `<img src='a b.png' alt=x>`, `<a href=foo/>`,
	"<a\r\nb>", "<a \r>", "<a\rb>", "<a \n\n>", "</a \r\n>", "</a\r>", `<a b= >`, `<a b =c>`, `<a b c>`, `<a 1>`,
	`<1a>`, `<a-b:c d.e_f-g=1>`, `<a b="x>y">`, `<a b='it"s'>`, "<a b=`x`>", `<a b=x=y>`, `<a/b>`, `</a/>`,
	`<a b="unclosed`, "<a\n", `<a b=c`, `<>`, `</>`, `<!-- c -->`, `<?p ?>`, `<![CDATA[x]]>`, `<a b=é>`,
}

func TestTagLength(t *testing.T) {
	t.Parallel()
	for _, s := range tagSeeds {
		for _, tail := range []string{"", " after", "\nnext line"} {
			b := []byte(s + tail)
			if got, want := tagLength(b), refTagLength(b); got != want {
				t.Errorf("tagLength(%q) = %d, want %d", b, got, want)
			}
		}
	}
}

// FuzzTagLength: on any line, tagLength finds the tag goldmark's expressions find, of the same length.
func FuzzTagLength(f *testing.F) {
	for _, s := range tagSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '<' {
			b = append([]byte("<"), b...)
		}
		if got, want := tagLength(b), refTagLength(b); got != want {
			t.Errorf("tagLength(%q) = %d, want %d", b, got, want)
		}
	})
}

// TestRawTagsAsGoldmark renders raw HTML the hand-written parser reads, and some it leaves to goldmark,
// with and without it: the output must not change.
func TestRawTagsAsGoldmark(t *testing.T) {
	t.Parallel()
	md := []byte(strings.Join([]string{
		`Text <a name="x"></a> and <b>bold</b> <br/> end.`,
		"A tag <a\nhref=\"x\">across lines</a> and <span title='two\nlines'>x</span>.",
		"\tTabbed <i>start</i> and <!-- a comment --> <?pi ?> <!DOCTYPE x> <![CDATA[c]]>.",
		"Not tags: <1a> <a b= > a < b > c <a href=\"unclosed>. <http://example.com> <x@example.com>",
		"- item <kbd>Ctrl</kbd>\n\n  <code>x</code> in a list\n\n  > quoted <b>x</b>\n  > <i\n  > >y</i>",
		"| a | <b>b</b> |\n|---|---|\n| <i>c</i> | d |",
		"Emphasis *around <b>tags</b>* and `<code>` spans, \\<escaped> and &lt;b&gt;.",
	}, "\n\n"))
	render := func(opts ...parser.Option) string {
		md2 := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(opts...),
			goldmark.WithRendererOptions(html.WithUnsafe()))
		var b bytes.Buffer
		if err := md2.Convert(md, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	got := render(parser.WithInlineParsers(util.Prioritized(rawTagParser{}, priorityRawTag)))
	want := render()
	if got != want {
		t.Errorf("with the hand-written tag parser\n%s\nwith goldmark's alone\n%s", got, want)
	}
	if !strings.Contains(got, `<a name="x"></a>`) {
		t.Errorf("raw HTML missing from the output:\n%s", got)
	}
}
