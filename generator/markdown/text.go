package markdown

import (
	"bytes"

	"github.com/lectern/lectern/generator/whitespace"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// appendUnescaped appends the text of t (v, its value) as the reader sees it: backslash escapes and entities
// resolved ("UTF\-8" → "UTF-8", "&amp;" → "&"), except in code spans and raw text, which show what was
// written. Text with backslashes and no '&' (the AWS guides escape every '-' and '_') is unescaped straight
// into dst, as util.UnescapePunctuations would, instead of through goldmark's three copying passes.
func appendUnescaped(dst, v []byte, t *ast.Text) []byte {
	if t.IsRaw() {
		return append(dst, v...)
	}
	bs := bytes.IndexByte(v, '\\')
	amp := bytes.IndexByte(v, '&') >= 0
	if bs < 0 && !amp {
		return append(dst, v...)
	}
	if _, inCode := t.Parent().(*ast.CodeSpan); inCode {
		return append(dst, v...)
	}
	if amp {
		return append(dst, util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))...)
	}
	n := 0 // v[n:] is not yet appended
	for i := bs; i < len(v)-1; i++ {
		if v[i] == '\\' && util.IsPunct(v[i+1]) {
			dst = append(append(dst, v[n:i]...), v[i+1])
			i++
			n = i + 1
		}
	}
	return append(dst, v[n:]...)
}

// plainText is the text a reader sees in n: markup, raw HTML and link destinations left out, whitespace
// collapsed.
func plainText(n ast.Node, src []byte) string {
	var scratch [256]byte
	return string(appendPlainText(scratch[:0], n, src))
}

// appendPlainText appends plainText(n, src) to dst, for callers that need only its bytes.
func appendPlainText(dst []byte, n ast.Node, src []byte) []byte {
	start := len(dst)
	dst = writeText(dst, n, src)
	return dst[:start+whitespace.Collapse(dst[start:])]
}

func writeText(b []byte, n ast.Node, src []byte) []byte {
	switch t := n.(type) {
	case *ast.Text:
		b = appendUnescaped(b, t.Value(src), t)
		if t.SoftLineBreak() || t.HardLineBreak() {
			b = append(b, ' ')
		}
		return b
	case *ast.String:
		return append(b, t.Value...)
	case *ast.RawHTML, *ast.HTMLBlock:
		return b
	case *ast.AutoLink:
		return append(b, t.Label(src)...)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b = append(b, seg.Value(src)...)
		}
		return append(b, ' ')
	case *east.FootnoteBacklink, *east.FootnoteLink:
		return b
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		b = writeText(b, c, src)
	}
	if n.Type() == ast.TypeBlock {
		b = append(b, ' ')
	}
	return b
}

// collapse returns the words of b (split as bytes.Fields splits them: at ASCII and Unicode white space)
// joined by single spaces. It works in place, overwriting b, so that the text of a section or heading
// costs one allocation, the string itself: the sections of a large site are tens of megabytes of text.
func collapse(b []byte) string { return string(b[:whitespace.Collapse(b)]) }
