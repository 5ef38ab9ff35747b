package markdown

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

var linkifySeeds = []string{
	"See https://example.com/a?b=c. and www.example.com, ftp://x.org (http://y.io/z) *http://e.m* _www.u.v_",
	"Mail ops@example.com or first.last+tag@sub.example.co.uk. Not: @handle, a@b, x@y_z.com, foo@bar.-",
	"~www.strike.com~ and\nhttp://next.line at a line head, https:no-slashes, HTTP://UPPER.CASE",
	"a-very-long-local-part-that-is-longer-than-sixty-four-bytes-of-text-before@example.com",
	"tab\thttp://after.tab and [a link www.inside.label](x.md) and `code www.x.com`",
}

// FuzzLinkifyFilter: GFM with the linkify parser behind linkifyFilter renders any text as GFM does,
// with and without a docState (whose atCache answers the search for an '@').
func FuzzLinkifyFilter(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	filtered := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithParserOptions(parser.WithInlineParsers(util.Prioritized(newLinkifyFilter(), priorityLinkify))),
		goldmark.WithRendererOptions(html.WithUnsafe()))
	f.Fuzz(func(t *testing.T, s string) {
		var want, got bytes.Buffer
		if err := gfm.Convert([]byte(s), &want); err != nil {
			t.Skip()
		}
		if err := filtered.Convert([]byte(s), &got); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%q\nwith the filter:\n%s\nGFM:\n%s", s, got.String(), want.String())
		}
		pc := parser.NewContext()
		st := new(docState)
		st.at.reset()
		pc.Set(stateKey, st)
		got.Reset()
		if err := filtered.Convert([]byte(s), &got, parser.WithContext(pc)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%q\nwith the filter and its '@' cache:\n%s\nGFM:\n%s", s, got.String(), want.String())
		}
	})
}

// TestAtCache compares atCache.before with a search of the span, over random texts and spans asked
// about in random order, as goldmark's inline parsers may ask.
func TestAtCache(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 5))
	for range 2000 {
		src := make([]byte, r.IntN(200))
		for i := range src {
			src[i] = "ab @\n"[r.IntN(5)]
		}
		var c atCache
		c.reset()
		start := 0
		for range 50 {
			if r.IntN(4) == 0 {
				start = r.IntN(len(src) + 1) // anywhere, back or forth
			} else {
				start = min(len(src), start+r.IntN(10))
			}
			end := start + r.IntN(len(src)-start+1)
			want := bytes.IndexByte(src[start:end], '@') >= 0
			if got := c.before(src, start, end); got != want {
				t.Fatalf("%q [%d:%d]: %v, want %v", src, start, end, got, want)
			}
		}
	}
}
