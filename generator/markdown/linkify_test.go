package markdown

import (
	"bytes"
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

// FuzzLinkifyFilter: GFM with the linkify parser behind linkifyFilter renders any text as GFM does.
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
	})
}
