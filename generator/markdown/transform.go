package markdown

import (
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// noteTransformer is Lectern's own transformer, run before the extensions' (tip boxes, cross-links). One
// walk of the tree does three jobs, each in its own file:
//
//   - heading ids (headingIDs, ids.go);
//   - relative links between notes (`glue.md#job-bookmarks`, `../emr/index.md`) rewritten to the target's
//     URL, relative to the current page, and every internal link recorded for the link check (links.go);
//   - raw HTML corrected: the tag filter, and href and src attributes resolved like links (rawhtml.go).
//
// They were three transformers, each walking the whole tree; their results are unchanged, and so is the
// order of what they record: raw HTML is corrected after the walk, so its links and diagnostics still
// follow those of markdown links, and heading slugs are still made before any raw HTML is replaced.
//
// In the fast parser (linkifyCheck), the walk also looks at every text node for what GFM's linkify
// parser, which that parser lacks, could have made a difference to (see linkifyScan); no other
// transformer has run yet. At the first, it marks the tree to be given up (docState.linkify).
type noteTransformer struct{ linkifyCheck bool }

// transformScratch holds the maps and lists of one Transform, reused from note to note.
type transformScratch struct {
	ids  headingIDs
	raw  []ast.Node
	scan linkifyScan
}

var transformScratches = sync.Pool{New: func() any {
	return &transformScratch{ids: headingIDs{used: map[string]bool{}, headings: map[string]bool{}}}
}}

// Transform implements parser.ASTTransformer.
func (nt noteTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	st, _ := pc.Get(stateKey).(*docState)
	links := st != nil && st.targets != nil
	s := transformScratches.Get().(*transformScratch)
	check := nt.linkifyCheck && st != nil
	if check {
		s.scan.reset(src)
	}
	giveUp := false
	defer func() {
		s.scan.reset(nil)
		clear(s.ids.used)
		clear(s.ids.headings)
		clear(s.ids.auto)
		s.ids.auto = s.ids.auto[:0]
		clear(s.raw)
		s.raw = s.raw[:0]
		transformScratches.Put(s)
	}()
	var heading ast.Node   // the heading being walked, whose raw HTML heading ids leave alone
	inLink, inCode := 0, 0 // links and images, and code spans, the walk is in (counted for the check only)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n == heading {
				heading = nil
			}
			if check {
				switch n.(type) {
				case *ast.Link, *ast.Image:
					inLink--
				case *ast.CodeSpan:
					inCode--
				}
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			if check && !giveUp && s.scan.differs(t, src, inLink > 0, inCode > 0) {
				giveUp = true
			}
		case *ast.CodeSpan:
			inCode++
		case *ast.Heading:
			heading = t
			s.ids.heading(t, src)
		case *ast.RawHTML:
			if heading == nil {
				s.ids.rawHTML(t, src)
			}
			s.raw = append(s.raw, t)
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			s.raw = append(s.raw, t)
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			inLink++
			if links {
				st.link(pc, t, &t.Destination, false, src)
			}
		case *ast.Image:
			inLink++
			if links {
				st.link(pc, t, &t.Destination, true, src)
			}
		}
		return ast.WalkContinue, nil
	})
	if giveUp {
		// Parse parses the note again with the linkify parser. The tree is transformed to the end all
		// the same, since the later transformers expect what the parser left (footnotes, say).
		st.linkify = true
	}
	s.ids.finish(src)
	st.fixRaw(pc, s.raw, src)
}
