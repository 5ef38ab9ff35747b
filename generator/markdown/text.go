package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// plainText is the text a reader sees in n: markup, raw HTML and link destinations left out.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	writeText(&b, n, src)
	return strings.Join(strings.Fields(b.String()), " ")
}

func writeText(b *strings.Builder, n ast.Node, src []byte) {
	switch t := n.(type) {
	case *ast.Text:
		b.Write(t.Value(src))
		if t.SoftLineBreak() || t.HardLineBreak() {
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		b.Write(t.Value)
		return
	case *ast.RawHTML, *ast.HTMLBlock:
		return
	case *ast.AutoLink:
		b.Write(t.Label(src))
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		b.WriteByte(' ')
		return
	case *east.FootnoteBacklink, *east.FootnoteLink:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writeText(b, c, src)
	}
	if n.Type() == ast.TypeBlock {
		b.WriteByte(' ')
	}
}
