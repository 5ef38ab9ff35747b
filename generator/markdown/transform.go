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
	w := noteWalk{s: s, st: st, pc: pc, src: src, links: links, check: check}
	w.walk(doc)
	if w.giveUp {
		// Parse parses the note again with the linkify parser. The tree is transformed to the end all
		// the same, since the later transformers expect what the parser left (footnotes, say).
		st.linkify = true
	}
	s.ids.finish(src)
	st.fixRaw(pc, s.raw, src)
}

// noteWalk is one Transform's walk of the tree.
type noteWalk struct {
	s      *transformScratch
	st     *docState
	pc     parser.Context
	src    []byte
	links  bool // rewrite and record links (st has targets)
	check  bool // look for what the linkify parser could change (the fast parser's tree)
	giveUp bool // the check found something: Parse gives the tree up
	// inHeading says whether the walk is in a heading, whose raw HTML heading ids leave alone; inLink
	// and inCode count the links and images, and code spans, it is in.
	inHeading      bool
	inLink, inCode int
}

// walk does Transform's work on n and what is under it, in document order. It is ast.Walk written out:
// a closure called on the way into and out of every node cost more than the work.
func (w *noteWalk) walk(n ast.Node) {
	switch t := n.(type) {
	case *ast.Text:
		if w.check && !w.giveUp && w.s.scan.differs(t, w.src, w.inLink > 0, w.inCode > 0) {
			w.giveUp = true
		}
		return // text has no children
	case *ast.CodeSpan:
		w.inCode++
		w.children(n)
		w.inCode--
		return
	case *ast.Heading: // headings do not nest
		w.s.ids.heading(t, w.src)
		w.inHeading = true
		w.children(n)
		w.inHeading = false
		return
	case *ast.RawHTML:
		if !w.inHeading {
			w.s.ids.rawHTML(t, w.src)
		}
		w.s.raw = append(w.s.raw, t)
		return
	case *ast.HTMLBlock:
		w.s.raw = append(w.s.raw, t)
		return
	case *ast.Link:
		w.link(t, &t.Destination, false)
		return
	case *ast.Image:
		w.link(t, &t.Destination, true)
		return
	}
	w.children(n)
}

// link records and rewrites the link or image n, whose destination is dest, and walks its label.
func (w *noteWalk) link(n ast.Node, dest *[]byte, image bool) {
	if w.links {
		w.st.link(w.pc, n, dest, image, w.src)
	}
	w.inLink++
	w.children(n)
	w.inLink--
}

// children walks the children of n.
func (w *noteWalk) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.walk(c)
	}
}
