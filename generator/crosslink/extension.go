package crosslink

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/lectern/lectern/generator/catalog"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindMention is the node kind of a service mention.
var KindMention = ast.NewNodeKind("ServiceMention")

// Mention is an inline node around the text of one service mention (its single child is the *ast.Text,
// so plain-text extraction still sees the words). The transformer sets Slug and Mentions sets Index.
//
// The renderer writes a mention as markers around its text (see PageLinks.Apply), which pass 2 turns
// into a link or plain text once every service's home is known. After Resolve, which decides on the
// tree instead and sets Href, Linked and RelHref, it writes the link itself, or the plain text.
type Mention struct {
	ast.BaseInline
	Slug string // catalog slug of the service
	// Index is the mention's place in the page's mentions (Mentions' result); -1 until Mentions ran,
	// and then the renderer writes plain text.
	Index  int
	Href   string // root-relative target ("glue/#job-bookmarks", "services/s3/"), set by Resolve
	Linked bool   // whether this mention renders as a link, set by Resolve
	// RelHref is Href written relative to the page being rendered, set by Resolve.
	RelHref  string
	resolved bool // Resolve ran: render the decision, not markers
}

// Kind implements ast.Node.
func (n *Mention) Kind() ast.NodeKind { return KindMention }

// Dump implements ast.Node.
func (n *Mention) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"Slug": n.Slug, "Href": n.Href, "Linked": fmt.Sprint(n.Linked),
	}, nil)
}

// NewMention returns a mention of the service with the given slug; the caller appends its text child.
func NewMention(slug string) *Mention { return &Mention{Slug: slug, Index: -1} }

// Priority is the transformer's priority: after the tip-box transformer (100), so key points are plain
// text by the time mentions are found.
const Priority = 200

type extender struct{ m *Matcher }

// New returns the goldmark extension that marks service mentions with m. The same extension (and the
// goldmark instance using it) serves many goroutines.
func New(m *Matcher) goldmark.Extender { return &extender{m: m} }

// Extend implements goldmark.Extender.
func (e *extender) Extend(md goldmark.Markdown) {
	md.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&transformer{m: e.m}, Priority)))
	md.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(&mentionRenderer{m: e.m}, 500)))
}

type transformer struct{ m *Matcher }

// skipKinds are never searched for mentions: code, links, headings and HTML.
var skipKinds = map[ast.NodeKind]bool{
	ast.KindCodeSpan:        true,
	ast.KindCodeBlock:       true,
	ast.KindFencedCodeBlock: true,
	ast.KindLink:            true,
	ast.KindAutoLink:        true,
	ast.KindImage:           true,
	ast.KindHeading:         true,
	ast.KindRawHTML:         true,
	ast.KindHTMLBlock:       true,
	KindMention:             true,
}

// transformScratch is one Transform's space, reused from note to note: the text nodes of every run, one
// run after another, where each run ends, and link's buffers.
type transformScratch struct {
	nodes   []*ast.Text
	ends    []int
	buf     []byte
	starts  []int
	matches []Match
	out     []ast.Node
}

var transformScratches = sync.Pool{New: func() any { return new(transformScratch) }}

// Transform implements parser.ASTTransformer.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if t.m == nil {
		return
	}
	source := reader.Source()
	x := transformScratches.Get().(*transformScratch)
	defer func() {
		clear(x.nodes)
		clear(x.matches)
		x.nodes, x.ends, x.matches = x.nodes[:0], x.ends[:0], x.matches[:0]
		transformScratches.Put(x)
	}()
	x.collectRuns(doc, source)
	from := 0
	for _, end := range x.ends {
		t.link(x, x.nodes[from:end], source)
		from = end
	}
}

// collectRuns gathers runs of adjacent text nodes that may hold mentions, skipping code, links, headings
// and HTML, including text between raw inline HTML tags such as <a href>...</a> or <code>...</code>.
// goldmark may split one line into several text nodes ("CloudWatch", " Events") and a paragraph's lines
// are separate nodes, so a run is matched as a whole: names can span node and line boundaries. The runs
// go into x.nodes one after another, and where each ends into x.ends.
func (x *transformScratch) collectRuns(n ast.Node, source []byte) {
	depth := 0
	start := len(x.nodes) // where the run being gathered starts
	flush := func() {
		if len(x.nodes) > start {
			x.ends = append(x.ends, len(x.nodes))
		}
		start = len(x.nodes)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if tn, ok := c.(*ast.Text); ok && depth == 0 && !tn.IsRaw() {
			x.nodes = append(x.nodes, tn)
			if tn.HardLineBreak() {
				flush()
			}
			continue
		}
		flush()
		if raw, ok := c.(*ast.RawHTML); ok {
			depth += htmlDepthChange(raw, source)
			if depth < 0 {
				depth = 0
			}
			continue
		}
		if depth > 0 || skipKinds[c.Kind()] {
			continue
		}
		x.collectRuns(c, source)
		start = len(x.nodes)
	}
	flush()
}

// opaqueTags are inline HTML elements whose content is never linked.
var opaqueTags = []string{"a", "code", "kbd", "samp", "pre", "script", "style", "var"}

// htmlDepthChange returns +1 for an opening opaque tag, -1 for its closing tag, 0 otherwise.
func htmlDepthChange(raw *ast.RawHTML, source []byte) int {
	var b []byte
	for i := 0; i < raw.Segments.Len(); i++ {
		s := raw.Segments.At(i)
		b = append(b, s.Value(source)...)
	}
	if len(b) < 3 || b[0] != '<' || bytes.HasSuffix(b, []byte("/>")) {
		return 0
	}
	closing := b[1] == '/'
	name := b[1:]
	if closing {
		name = b[2:]
	}
	end := 0
	for end < len(name) && (name[end] >= 'a' && name[end] <= 'z' || name[end] >= 'A' && name[end] <= 'Z') {
		end++
	}
	name = bytes.ToLower(name[:end])
	for _, tag := range opaqueTags {
		if string(name) == tag {
			if closing {
				return -1
			}
			return 1
		}
	}
	return 0
}

// link finds the mentions in a run of text nodes and rebuilds the run as text and mention nodes. A
// text node's line break stays on its last piece, outside any mention that ends with the node. It works
// in x's buffers.
func (t *transformer) link(x *transformScratch, run []*ast.Text, source []byte) {
	buf, starts := x.buf[:0], x.starts[:0] // the run's text, and the offset of each node in it
	for _, tn := range run {
		starts = append(starts, len(buf))
		buf = append(buf, tn.Segment.Value(source)...)
		if tn.SoftLineBreak() {
			buf = append(buf, '\n')
		}
	}
	x.buf, x.starts = buf, starts
	matches := x.matches[:0]
	t.m.Scan(buf, func(mt Match) { matches = append(matches, mt) })
	x.matches = matches
	if len(matches) == 0 {
		return
	}
	parent := run[0].Parent()
	out := x.out[:0]
	defer func() {
		clear(out)
		x.out = out[:0]
	}()
	var mention *Mention
	mi := 0
	emit := func(seg text.Segment, soft bool, inMention bool) {
		if seg.IsEmpty() && !soft {
			return
		}
		tn := ast.NewTextSegment(seg)
		tn.SetSoftLineBreak(soft)
		if inMention {
			mention.AppendChild(mention, tn)
		} else {
			out = append(out, tn)
		}
	}
	for i, tn := range run {
		seg := tn.Segment
		pos := starts[i] // buffer offset of seg.Start
		end := pos + seg.Len()
		for pos < end {
			inside := mi < len(matches) && matches[mi].Start <= pos
			var stop int
			switch {
			case inside:
				if mention == nil {
					mention = NewMention(matches[mi].Service.Slug)
					out = append(out, mention)
				}
				stop = min(end, matches[mi].End)
			case mi < len(matches):
				stop = min(end, matches[mi].Start)
			default:
				stop = end
			}
			piece := text.NewSegment(seg.Start+pos-starts[i], seg.Start+stop-starts[i])
			last := stop == end
			matchEnds := inside && stop == matches[mi].End
			emit(piece, last && tn.SoftLineBreak() && !(inside && matchEnds), inside)
			if matchEnds {
				mention = nil
				mi++
				if last && tn.SoftLineBreak() {
					emit(text.NewSegment(seg.Stop, seg.Stop), true, false)
				}
			}
			pos = stop
		}
		if seg.Len() == 0 && (tn.SoftLineBreak() || tn.HardLineBreak()) {
			emit(seg, tn.SoftLineBreak(), mention != nil)
		}
	}
	if hard := run[len(run)-1]; hard.HardLineBreak() {
		if tn, ok := out[len(out)-1].(*ast.Text); ok {
			tn.SetHardLineBreak(true)
		} else {
			br := ast.NewTextSegment(text.NewSegment(hard.Segment.Stop, hard.Segment.Stop))
			br.SetHardLineBreak(true)
			out = append(out, br)
		}
	}
	for _, n := range out {
		parent.InsertBefore(parent, run[0], n)
	}
	for _, tn := range run {
		parent.RemoveChild(parent, tn)
	}
}

type mentionRenderer struct{ m *Matcher }

// RegisterFuncs implements renderer.NodeRenderer.
func (r *mentionRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMention, r.render)
}

func (r *mentionRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Mention)
	switch {
	case !n.resolved:
		if n.Index >= 0 {
			writeMarker(w, n.Index, entering)
		}
	case !n.Linked:
	case !entering:
		_, _ = w.WriteString("</a>")
	default:
		href := n.RelHref
		if href == "" {
			href = n.Href
		}
		writeLinkOpen(w, href, n.Slug, r.m.cat.Lookup(n.Slug))
	}
	return ast.WalkContinue, nil
}

// htmlWriter is what link and marker writing needs of a writer: goldmark's util.BufWriter and
// strings.Builder both are.
type htmlWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// writeLinkOpen writes the opening tag of a service link to href (as it appears in the page) for the
// service slug, s its catalog entry (nil when unknown). Resolve's renderer and PageLinks.Apply both
// write links through it.
func writeLinkOpen(w htmlWriter, href, slug string, s *catalog.Service) {
	_, _ = w.WriteString(`<a class="service-link" href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(href), false)))
	_, _ = w.WriteString(`" data-service="`)
	_, _ = w.Write(util.EscapeHTML([]byte(slug)))
	_ = w.WriteByte('"')
	if s != nil {
		if s.Summary != "" {
			_, _ = w.WriteString(` title="`)
			_, _ = w.Write(util.EscapeHTML([]byte(s.Summary)))
			_ = w.WriteByte('"')
		}
		_, _ = w.WriteString(` data-name="`)
		_, _ = w.Write(util.EscapeHTML([]byte(s.Name)))
		_ = w.WriteByte('"')
		if s.Docs != "" {
			_, _ = w.WriteString(` data-docs="`)
			_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(s.Docs), false)))
			_ = w.WriteByte('"')
		}
	}
	_ = w.WriteByte('>')
}
