package markdown

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// unescape resolves backslash escapes and entities in text as the reader sees it ("UTF\-8" → "UTF-8",
// "&amp;" → "&"), except in code spans and raw text, which show what was written.
func unescape(v []byte, t *ast.Text) []byte {
	if t.IsRaw() || bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	if _, inCode := t.Parent().(*ast.CodeSpan); inCode {
		return v
	}
	return util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
}

// plainText is the text a reader sees in n: markup, raw HTML and link destinations left out, whitespace
// collapsed.
func plainText(n ast.Node, src []byte) string {
	var scratch [256]byte
	return collapse(writeText(scratch[:0], n, src))
}

func writeText(b []byte, n ast.Node, src []byte) []byte {
	switch t := n.(type) {
	case *ast.Text:
		b = append(b, unescape(t.Value(src), t)...)
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
func collapse(b []byte) string {
	w := 0       // bytes kept so far; never ahead of i, since every separator written stands for one skipped
	sep := false // a space is owed before the next word
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				sep = w > 0
				i++
				continue
			}
			if sep {
				b[w] = ' '
				w++
				sep = false
			}
			b[w] = c
			w++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if unicode.IsSpace(r) {
			sep = w > 0
			i += size
			continue
		}
		if sep {
			b[w] = ' '
			w++
			sep = false
		}
		w += copy(b[w:], b[i:i+size])
		i += size
	}
	return string(b[:w])
}

// asciiSpace is bytes.Fields' set of ASCII white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
