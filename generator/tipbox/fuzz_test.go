package tipbox_test

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// FuzzTipbox runs goldmark with GFM and this extension over arbitrary markdown: it must not panic,
// valid UTF-8 in must give valid UTF-8 out, ids must be unique and every diagnostic offset must lie
// inside the source.
func FuzzTipbox(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "cases", "*.md"))
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"> [!tip]", "> [!", ":::", "::::tip[\n:::", "!!! note \"", "???+", "**Note**", "`a b c d`",
		"- > [!note]+ t\n  > x\nlazy", "> [!tip]\r\n> \t`x y z w`\r\n", ":::a\n::::b\n:::\n::::\n:::",
		"\t> [!note]\n\t> body", "**Note**\n**Tip**\n**Warning:**", "1. x\n**Note**  \ny",
	} {
		f.Add([]byte(s))
	}
	mdDefault := newMarkdown(defaults)
	mdNone := newMarkdown(tipbox.Options{QuoteKind: "none", KeyPointMinWords: 1, KeyPoints: true})
	f.Fuzz(func(t *testing.T, src []byte) {
		for i, md := range []goldmark.Markdown{mdDefault, mdNone} {
			r := convert(t, md, src)
			if utf8.Valid(src) && !utf8.ValidString(r.html) {
				t.Fatalf("invalid UTF-8 output for %q", src)
			}
			checkUniqueIDs(t, r.doc)
			for _, d := range r.diags {
				if d.Offset < 0 || d.Offset > len(src) {
					t.Fatalf("diagnostic offset %d outside source of %d bytes: %s", d.Offset, len(src), d.Msg)
				}
			}
			for _, it := range r.items {
				if it.Offset > len(src) {
					t.Fatalf("item %s offset %d outside source", it.ID, it.Offset)
				}
				if it.Node == nil || (it.Node.Kind() != tipbox.KindTipBox && it.Node.Kind() != tipbox.KindKeyPoint) {
					t.Fatalf("item %s has node %v", it.ID, it.Node)
				}
			}
			_ = ast.Walk(r.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if kp, ok := n.(*tipbox.KeyPoint); ok && entering {
					for c := kp.FirstChild(); c != nil; c = c.NextSibling() {
						if c.Kind() != ast.KindText {
							t.Fatalf("key point child %s is not text", c.Kind())
						}
					}
				}
				if _, ok := n.(*ast.Blockquote); ok && i == 0 {
					t.Fatalf("a blockquote survived with QuoteKind tip: %q", src)
				}
				return ast.WalkContinue, nil
			})
		}
	})
}
