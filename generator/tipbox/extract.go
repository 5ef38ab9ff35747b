package tipbox

import (
	"bytes"
	"github.com/lectern/lectern/generator/whitespace"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Item is one extracted tip box or key point, in document order.
type Item struct {
	ID, Kind, Title string   // Kind "keypoint" for key points; Title is plain text, "" for key points
	Text            string   // plain text of the body, whitespace collapsed (for search and the cheat sheet)
	Node            ast.Node // the *TipBox or *KeyPoint node (render its HTML with the shared renderer)
	Offset          int      // byte offset in source of its start (for line numbers), -1 if unknown
	Foldable, Open  bool
}

// KindKeyPointItem is the Item.Kind of key points.
const KindKeyPointItem = "keypoint"

// Extract lists the tip boxes and key points of a parsed document in document order. A box's Text
// leaves out boxes nested in it, which are items of their own; key points inside a box are both part
// of its text and items.
func Extract(doc ast.Node, source []byte) []Item {
	var items []Item
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if it, ok := ItemOf(n, source); ok {
			items = append(items, it)
			if it.Kind == KindKeyPointItem {
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	return items
}

// ItemOf is the item of n when it is a *TipBox or a *KeyPoint: what Extract lists for it, for a caller
// that walks the tree anyway (the markdown stage's extraction) and need not walk it again.
func ItemOf(n ast.Node, source []byte) (Item, bool) {
	switch v := n.(type) {
	case *TipBox:
		title := v.Title
		if title == "" {
			if tt := v.TitleNode(); tt != nil {
				title = plainText(tt, source, false)
			} else {
				title = v.DefaultTitle
			}
		}
		return Item{
			ID: v.ID, Kind: v.TipKind, Title: title, Text: plainText(v, source, true),
			Node: v, Offset: v.Pos(), Foldable: v.Foldable, Open: v.Open,
		}, true
	case *KeyPoint:
		return Item{ID: v.ID, Kind: KindKeyPointItem, Text: plainText(v, source, false), Node: v, Offset: v.Pos()}, true
	}
	return Item{}, false
}

// plainText is the text a reader sees in n, whitespace collapsed. With body set, n is a TipBox whose
// title and nested boxes are left out.
func plainText(n ast.Node, source []byte, body bool) string {
	b := plainScratch.Get().(*[]byte)
	*b = appendPlainText((*b)[:0], n, source, body)
	s := string(*b)
	plainScratch.Put(b)
	return s
}

// plainScratch holds plainText's buffers: only the text, collapsed, is kept, as a string of its own.
var plainScratch = sync.Pool{New: func() any { return new([]byte) }}

// appendPlainText appends plainText(n, source, body) to dst, for a caller that needs only its bytes.
func appendPlainText(dst []byte, n ast.Node, source []byte, body bool) []byte {
	start := len(dst)
	dst = appendPlain(dst, n, source, body)
	return dst[:start+whitespace.Collapse(dst[start:])]
}

// appendPlain appends the text of n's children, not yet collapsed.
func appendPlain(b []byte, n ast.Node, source []byte, body bool) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch v := c.(type) {
		case *TipTitle:
			if !body {
				b = appendPlain(b, v, source, false)
			}
			continue
		case *TipBox:
			if body {
				continue
			}
		case *ast.Text:
			val := v.Segment.Value(source)
			if !v.IsRaw() && (bytes.IndexByte(val, '\\') >= 0 || bytes.IndexByte(val, '&') >= 0) {
				val = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(val)))
			}
			b = append(b, val...)
			if v.SoftLineBreak() || v.HardLineBreak() {
				b = append(b, ' ')
			}
			continue
		case *ast.String:
			b = append(b, v.Value...)
			continue
		case *ast.AutoLink:
			b = append(b, v.Label(source)...)
			continue
		case *ast.RawHTML, *ast.HTMLBlock:
			continue
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := v.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b = append(b, seg.Value(source)...)
			}
			b = append(b, ' ')
			continue
		}
		if c.Type() == ast.TypeBlock {
			b = append(b, ' ')
		}
		b = appendPlain(b, c, source, body)
		if c.Type() == ast.TypeBlock {
			b = append(b, ' ')
		}
	}
	return b
}
