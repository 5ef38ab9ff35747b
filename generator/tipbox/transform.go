package tipbox

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// config is the immutable configuration shared by the parsers, the transformer and the renderer of
// one extension instance; nothing in it changes per document, so one goldmark instance serves many
// goroutines.
type config struct {
	kinds      *kinds
	quote      *kindDef // kind of plain blockquotes; nil leaves them alone
	quoteType  string
	quoteTitle string
	keyPoints  bool
	minWords   int
}

// labelKinds are the AWS documentation labels that open a label paragraph.
var labelKinds = map[string]string{"note": "note", "tip": "tip", "important": "important", "warning": "warning", "caution": "caution"}

// transformer turns plain blockquotes, label paragraphs and key sentences into TipBox and KeyPoint
// nodes, then gives every box and key point its id.
type transformer struct{ cfg *config }

// Transform implements parser.ASTTransformer.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	// Boxes come from the block parsers or from walk, which meets both; a note with neither has nothing
	// to give ids to, and is not walked again (most notes of a large site have no box).
	if t.walk(doc, source) {
		assignIDs(doc, source, pc)
	}
}

// walk converts the blockquotes, label paragraphs and key sentences under parent, and reports whether
// there is any box or key point under it, made here or by a block parser.
func (t *transformer) walk(parent ast.Node, source []byte) (made bool) {
	for c := parent.FirstChild(); c != nil; {
		switch v := c.(type) {
		case *TipBox:
			made = true
		case *ast.Blockquote:
			if box := t.convertQuote(v, source); box != nil {
				c, made = box, true
			}
		case *ast.Paragraph, *ast.TextBlock:
			splitAtLabel(v, source)
			if box := convertLabel(t.cfg, v, source); box != nil {
				c, made = box, true
			} else if kp := t.keyPoint(v, source, v.Kind() == ast.KindTextBlock); kp != nil {
				c, made = kp, true
			}
		}
		if fc := c.FirstChild(); fc != nil && fc.Type() == ast.TypeBlock {
			if t.walk(c, source) {
				made = true
			}
		}
		c = c.NextSibling()
	}
	return made
}

// replace puts repl where old was, keeping its position and blank-line flag.
func replace(old, repl ast.Node) {
	if old.Pos() >= 0 {
		repl.SetPos(old.Pos())
	}
	repl.SetBlankPreviousLines(old.HasBlankPreviousLines())
	old.Parent().ReplaceChild(old.Parent(), old, repl)
}

func moveChildren(from, to ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

// convertQuote turns a blockquote into a box of the configured quote kind; a blockquote that opens
// with an AWS label becomes a box of the label's kind even when plain quotes are left alone.
func (t *transformer) convertQuote(q *ast.Blockquote, source []byte) *TipBox {
	var box *TipBox
	if p := q.FirstChild(); p != nil && (p.Kind() == ast.KindParagraph) {
		if kind, ok := stripLabel(p, source); ok {
			def, title, _ := t.cfg.kinds.resolve(kind)
			box = newTipBox(def, kind, title, SyntaxQuote, true)
			if p.FirstChild() == nil {
				q.RemoveChild(q, p)
			}
		}
	}
	if box == nil {
		if t.cfg.quote == nil {
			return nil
		}
		box = newTipBox(t.cfg.quote, t.cfg.quoteType, t.cfg.quoteTitle, SyntaxQuote, true)
	}
	moveChildren(q, box)
	replace(q, box)
	return box
}

// labelKind reports the AWS label a paragraph opens with: bold **Note**, **Tip**, **Important** or
// **Warning** (or **Caution**) alone on its first line, or followed by a colon inside or after the bold.
func labelKind(p ast.Node, source []byte) (kind string, colonInside bool, ok bool) {
	return labelAt(p.FirstChild(), source)
}

// labelAt is labelKind for the inline node n, which starts a line.
func labelAt(n ast.Node, source []byte) (kind string, colonInside bool, ok bool) {
	em, isEm := n.(*ast.Emphasis)
	if !isEm || em.Level != 2 || em.ChildCount() != 1 {
		return "", false, false
	}
	inner, isText := em.FirstChild().(*ast.Text)
	if !isText {
		return "", false, false
	}
	word := strings.TrimSpace(string(inner.Segment.Value(source)))
	if strings.HasSuffix(word, ":") {
		colonInside = true
		word = strings.TrimSpace(strings.TrimSuffix(word, ":"))
	}
	kind, known := labelKinds[strings.ToLower(word)]
	if !known {
		return "", false, false
	}
	if colonInside || inner.SoftLineBreak() || inner.HardLineBreak() {
		return kind, colonInside, true
	}
	next := em.NextSibling()
	if next == nil {
		return kind, false, true
	}
	// The text after the label may come in more than one node: where goldmark cuts a line's text into
	// nodes depends on which inline parsers it has (see markdown.linkifyScan), so white space is looked
	// past whichever node it is in.
	for ; next != nil; next = next.NextSibling() {
		nt, isText := next.(*ast.Text)
		if !isText {
			break
		}
		v := bytes.TrimLeft(nt.Segment.Value(source), " \t")
		if len(v) > 0 {
			if v[0] == ':' {
				return kind, false, true
			}
			break
		}
		if nt.SoftLineBreak() || nt.HardLineBreak() {
			return kind, false, true
		}
	}
	return "", false, false
}

// splitAtLabel handles AWS pages that lost the blank line before a label: when a later line of p
// starts with a label, the lines from there on move to a new paragraph right after p.
func splitAtLabel(p ast.Node, source []byte) {
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if em, ok := c.(*ast.Emphasis); !ok || em.Level != 2 {
			continue // not a label (see labelAt): the common case, told without looking back
		}
		prev, ok := c.PreviousSibling().(*ast.Text)
		if !ok || !(prev.SoftLineBreak() || prev.HardLineBreak()) {
			continue
		}
		if _, _, isLabel := labelAt(c, source); !isLabel {
			continue
		}
		prev.SetSoftLineBreak(false)
		prev.SetHardLineBreak(false)
		var tail ast.Node = ast.NewParagraph()
		if p.Kind() == ast.KindTextBlock {
			tail = ast.NewTextBlock()
		}
		if i := bytes.IndexByte(source[prev.Segment.Stop:], '\n'); i >= 0 {
			start := prev.Segment.Stop + i + 1
			lines := p.Lines()
			for j := 0; j < lines.Len(); j++ {
				if lines.At(j).Start >= start {
					for k := j; k < lines.Len(); k++ {
						tail.Lines().Append(lines.At(k))
					}
					lines.SetSliced(0, j)
					break
				}
			}
		}
		for n := c; n != nil; {
			next := n.NextSibling()
			tail.AppendChild(tail, n)
			n = next
		}
		p.Parent().InsertAfter(p.Parent(), p, tail)
		return
	}
}

// stripLabel removes the label (and its colon and the spaces or line break after it) from p.
func stripLabel(p ast.Node, source []byte) (string, bool) {
	kind, colonInside, ok := labelKind(p, source)
	if !ok {
		return "", false
	}
	p.RemoveChild(p, p.FirstChild())
	colon := !colonInside
	for c := p.FirstChild(); c != nil; {
		nt, isText := c.(*ast.Text)
		if !isText {
			break
		}
		v := nt.Segment.Value(source)
		i := 0
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if colon && i < len(v) && v[i] == ':' {
			colon = false
			i++
			for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
				i++
			}
		}
		if i < len(v) {
			nt.Segment = nt.Segment.WithStart(nt.Segment.Start + i)
			break
		}
		next := c.NextSibling()
		p.RemoveChild(p, c)
		if nt.SoftLineBreak() || nt.HardLineBreak() {
			break
		}
		c = next
	}
	return kind, true
}

// convertLabel turns an AWS label paragraph into a box holding the rest of the paragraph; a label
// alone in its paragraph takes the following paragraph as its body.
func convertLabel(cfg *config, p ast.Node, source []byte) *TipBox {
	if _, _, ok := labelKind(p, source); !ok {
		return nil
	}
	kind, _ := stripLabel(p, source)
	def, title, _ := cfg.kinds.resolve(kind)
	box := newTipBox(def, kind, title, SyntaxLabel, true)
	parent := p.Parent()
	next := p.NextSibling()
	replace(p, box)
	if p.FirstChild() != nil {
		if p.Kind() == ast.KindTextBlock { // a box body is a paragraph, even in a tight list
			para := ast.NewParagraph()
			para.SetLines(p.Lines())
			moveChildren(p, para)
			p = para
		}
		box.AppendChild(box, p)
	} else if np, ok := next.(*ast.Paragraph); ok {
		if _, _, isLabel := labelKind(np, source); !isLabel {
			parent.RemoveChild(parent, np)
			box.AppendChild(box, np)
		}
	}
	return box
}

// keyPoint replaces a paragraph or text block whose whole content is one code span of prose.
func (t *transformer) keyPoint(n ast.Node, source []byte, tight bool) *KeyPoint {
	if !t.cfg.keyPoints {
		return nil
	}
	var span *ast.CodeSpan
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch v := c.(type) {
		case *ast.CodeSpan:
			if span != nil {
				return nil
			}
			span = v
		case *ast.Text:
			if len(bytes.TrimSpace(v.Segment.Value(source))) != 0 {
				return nil
			}
		default:
			return nil
		}
	}
	if span == nil {
		return nil
	}
	var content strings.Builder
	for c := span.FirstChild(); c != nil; c = c.NextSibling() {
		if tx, ok := c.(*ast.Text); ok {
			content.Write(tx.Segment.Value(source))
		}
	}
	if !isProse(strings.ReplaceAll(content.String(), "\n", " "), t.cfg.minWords) {
		return nil
	}
	kp := &KeyPoint{Tight: tight}
	for c := span.FirstChild(); c != nil; c = c.NextSibling() {
		tx, ok := c.(*ast.Text)
		if !ok {
			continue
		}
		seg := tx.Segment
		v := seg.Value(source)
		nl := false
		for len(v) > 0 && (v[len(v)-1] == '\n' || v[len(v)-1] == '\r') {
			v = v[:len(v)-1]
			seg = seg.WithStop(seg.Stop - 1)
			nl = true
		}
		nt := ast.NewTextSegment(seg)
		nt.SetSoftLineBreak(nl && c.NextSibling() != nil)
		nt.SetRaw(needsRaw(v))
		kp.AppendChild(kp, nt)
	}
	replace(n, kp)
	return kp
}

// assignIDs gives each box and key point, in document order, an id from its kind and first words.
// The id is unique among the ids already in the document (headings' id attributes, whoever set them)
// and is registered in the document's parser.Context ids, so nothing generated later collides either.
func assignIDs(doc ast.Node, source []byte, pc parser.Context) {
	// One walk gathers the ids in use and the boxes and key points, which are then given theirs in order:
	// giving an id sets only the node's own fields, so it changes nothing the walk looked at.
	taken := map[string]bool{}
	var boxes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Attributes() != nil {
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					taken[string(b)] = true
				}
			}
		}
		if k := n.Kind(); k == KindTipBox || k == KindKeyPoint {
			boxes = append(boxes, n)
		}
		if fc := n.FirstChild(); fc != nil && fc.Type() == ast.TypeInline {
			// Inline nodes hold no box and no id: goldmark gives attributes to blocks only (here, the
			// headings' ids, written or generated). Most of a tree's nodes are inline.
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	unique := func(base string, kind ast.NodeKind) string {
		for {
			id := string(pc.IDs().Generate([]byte(base), kind))
			if !taken[id] {
				taken[id] = true
				return id
			}
		}
	}
	var words []byte // the text an id is made from, when only the id needs it
	for _, n := range boxes {
		switch v := n.(type) {
		case *TipBox:
			var id string
			if tt := v.TitleNode(); tt != nil {
				v.Title = plainText(tt, source, false)
				id = slug(v.Title, 6)
			} else {
				v.Title = v.DefaultTitle
				words = appendPlainText(words[:0], v, source, true)
				id = slug(words, 6)
			}
			base := "tip-"
			if v.TipKind != "tip" {
				base += v.TipKind + "-"
			}
			v.ID = unique(strings.TrimSuffix(base+id, "-"), KindTipBox)
		case *KeyPoint:
			words = appendPlainText(words[:0], v, source, false)
			v.ID = unique(strings.TrimSuffix("key-"+slug(words, 6), "-"), KindKeyPoint)
		}
	}
}

// slug makes an id fragment of the first n words of s: lower-case letters and digits joined by '-'.
func slug[T string | []byte](s T, n int) string {
	var b strings.Builder
	words := 0
	sep := false
	for _, r := range string(s) {
		r = unicode.ToLower(r) // as strings.ToLower(s) would have it
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if sep && b.Len() > 0 {
				if words++; words >= n {
					break
				}
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		} else if r != '\'' && r != '’' {
			sep = true
		}
	}
	return b.String()
}

// needsRaw reports whether text taken from a code span must stay raw to render as written: only a
// backslash before punctuation or an entity-like "&name;" would be changed by goldmark's text writer.
// Everything else becomes ordinary text, which the cross-link transformer (skipping raw text) links.
func needsRaw(v []byte) bool {
	for i := 0; i < len(v)-1; i++ {
		switch v[i] {
		case '\\':
			if util.IsPunct(v[i+1]) {
				return true
			}
		case '&':
			j := i + 1
			if v[j] == '#' {
				j++
			}
			k := j
			for k < len(v) && (v[k] >= 'a' && v[k] <= 'z' || v[k] >= 'A' && v[k] <= 'Z' || v[k] >= '0' && v[k] <= '9') {
				k++
			}
			if k > j && k < len(v) && v[k] == ';' {
				return true
			}
		}
	}
	return false
}
