package markdown

import (
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark/ast"
)

// Tip is a tip box or key point of a page, with where it stands, for the cheat sheet and search. Its
// Node is nil once the Document is released.
type Tip struct {
	tipbox.Item
	Line        int
	HeadingID   string   // the section it is in ("" before the first heading)
	HeadingPath []string // headings above it, outermost first
}

// isEmphasis says which nodes hold text search weighs above body text.
func isEmphasis(n ast.Node) bool {
	k := n.Kind()
	return k == tipbox.KindTipBox || k == tipbox.KindKeyPoint
}

// topHeading is a heading at the top level of a note, where it starts (placeTips places tips by it).
type topHeading struct {
	offset int
	h      Heading
}

// placeTips sets d.Tips: the tip boxes and key points of the note, in document order, each with the
// section it is in, which is the last top-level heading that starts before it.
func (d *Document) placeTips(items []tipbox.Item, hs []topHeading) {
	if len(items) == 0 {
		return
	}
	// Walk the headings and the items in document order together: both are sorted by offset.
	var path []Heading
	var names []string
	d.Tips = make([]Tip, 0, len(items))
	j := 0
	for _, it := range items {
		for j < len(hs) && it.Offset >= 0 && hs[j].offset <= it.Offset {
			h := hs[j].h
			for len(path) > 0 && path[len(path)-1].Level >= h.Level {
				path = path[:len(path)-1]
			}
			path = append(path, h)
			j++
		}
		names = pathNames(names, path)
		t := Tip{Item: it, Line: d.LineOf(it.Offset), HeadingPath: names}
		if len(path) > 0 {
			t.HeadingID = path[len(path)-1].ID
		}
		d.Tips = append(d.Tips, t)
	}
}
