// Package markdown is the parse stage: it turns one note's markdown into a syntax tree with every Lectern
// extension applied, extracts what later stages need (title, headings, sections for search, tip boxes,
// links for the link check), and later renders the tree to HTML.
//
// This file is the one place that lists every goldmark extension in use. A Converter is built once per
// build and shared by all goroutines: goldmark parsers and renderers are stateless, and everything about
// one document lives in its parser.Context.
//
// The pipeline parses each note once (pass 1): Parse, then Prerender renders the note's HTML while the
// tree is at hand, and the tree is released. Some links can only be decided once every page has been
// parsed (a service mention links to the section that is its home, wherever that is): Prerender writes
// those as markers, which pass 2 turns into links (crosslink.PageLinks.Apply) without the tree.
package markdown

import (
	"bytes"
	"hash/maphash"
	"io"
	"strings"
	"sync"
	"unsafe"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure the converter for a build.
type Options struct {
	// RawHTML keeps HTML written in notes; false escapes it.
	RawHTML bool
	// TipBoxes configures callouts, quotes and key points.
	TipBoxes tipbox.Options
	// Services links service mentions; nil leaves them as text.
	Services *crosslink.Matcher
}

// Converter parses and renders notes.
type Converter struct {
	md goldmark.Markdown
	// fast is md without GFM's linkify parser, which goldmark asks at every space of every paragraph
	// (about a fifth of pass 1 on the da corpus): Parse tries it first and falls back to md for a note
	// where that parser may link a bare URL or e-mail address, or cut a line's text otherwise (a line
	// ending in two or more spaces or tabs): see linkifyScan.
	fast goldmark.Markdown
	// fullOnly parses every note with md, for tests that compare the two ways.
	fullOnly bool
	opts     Options
	// buffers are Prerender's scratch space, one per goroutine at a time.
	buffers sync.Pool
	// states are Parse's (*docState), one per goroutine at a time.
	states sync.Pool
}

// priorityNote is the priority of Lectern's own transformer (heading ids, links, raw HTML); goldmark runs
// lower numbers first. Extensions registered through Options pick theirs relative to it (tip boxes at 100,
// cross-links at 200).
const priorityNote = 50

// New builds the converter: GFM (tables, strikethrough, autolinks, task lists), footnotes, definition
// lists, `{#id}` heading attributes, heading IDs, relative-link rewriting, chroma highlighting, tip boxes
// and key points (priority 100), and service mentions (priority 200, after tip boxes so that key points
// are plain text by then).
func New(opts Options) *Converter {
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(codeRenderer{}, 100), util.Prioritized(headingRenderer{}, 100),
			util.Prioritized(rawOutRenderer{unsafe: opts.RawHTML}, 100)),
	}
	if opts.RawHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	// GFM (extension.GFM) is linkify, tables, strikethrough and task lists; linkify's parser is put in
	// behind a filter below, and left out of the fast parser.
	build := func(linkify bool) goldmark.Markdown {
		exts := []goldmark.Extender{extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote,
			extension.DefinitionList, tipbox.New(opts.TipBoxes)}
		if opts.Services != nil {
			exts = append(exts, crosslink.New(opts.Services))
		}
		inline := []util.PrioritizedValue{util.Prioritized(rawTagParser{}, priorityRawTag)}
		if linkify {
			inline = append(inline, util.Prioritized(newLinkifyFilter(), priorityLinkify))
		}
		return goldmark.New(
			goldmark.WithExtensions(exts...),
			goldmark.WithParserOptions(
				parser.WithHeadingAttribute(),
				parser.WithASTTransformers(util.Prioritized(noteTransformer{linkifyCheck: !linkify}, priorityNote)),
				parser.WithInlineParsers(inline...),
			),
			goldmark.WithRendererOptions(rendererOpts...),
		)
	}
	return &Converter{md: build(true), fast: build(false), opts: opts}
}

// Heading is one heading of a note.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int
}

// Section is the text under one heading (or before the first, with Anchor ""), for search.
type Section struct {
	Anchor   string
	Level    int
	Heading  string
	Path     []string // headings above this one, outermost first
	Body     string
	Emphasis string // text of tip boxes and key points in this section
	Line     int
}

// Document is a parsed note: its tree, ready to render, and what was extracted from it.
type Document struct {
	Page     *content.Page
	Title    string // front matter title, else first heading, else file name
	Headings []Heading
	// Anchors holds every id a link may point at in this page: headings, `<a name>` anchors, tip boxes.
	Anchors  map[string]bool
	Links    []Link
	Sections []Section
	// Tips are the page's tip boxes and key points, in order.
	Tips []Tip
	// Mentions are the service mentions found in running text.
	Mentions    []crosslink.MentionInfo
	Diagnostics []diag.Diagnostic
	// StartsWithH1 says whether the note's first block is a level-1 heading, which then serves as the
	// page's title heading.
	StartsWithH1 bool
	// HTML is the note's content as Prerender rendered it, service mentions as markers.
	HTML string

	AST ast.Node
	// Source is the note's markdown (Page.Body) until DropSource.
	Source []byte
	Ctx    parser.Context
	// lines finds the lines of offsets while Parse runs (see LineOf).
	lines *lineCursor
	// sourceLen and sourceSum identify the markdown DropSource let go of (see SameSource).
	sourceLen int
	sourceSum uint64
}

// docState is what one Parse needs besides the tree: the link rewriter's inputs and the links it
// records, and the line cursor. Parse takes one from Converter.states and puts it back, emptied, for the
// next note.
type docState struct {
	page    *content.Page
	targets *Targets
	links   []Link
	lines   lineCursor
	// out is the destination resolveLink made; dirKnown and dirClean say whether the folder of the
	// note is clean (see join).
	out      []byte
	dirKnown string
	dirClean bool
	// linkify is set by the fast parser's noteTransformer when the linkify parser may read the note
	// differently (see linkifyScan): Parse then parses it again with that parser.
	linkify bool
}

var stateKey = parser.NewContextKey()

// Parse parses one note. targets may be nil (no link rewriting, as in unit tests of other stages).
func (c *Converter) Parse(p *content.Page, targets *Targets) *Document {
	st, _ := c.states.Get().(*docState)
	if st == nil {
		st = new(docState)
	}
	defer func() {
		clear(st.links)
		st.links = st.links[:0]
		st.page, st.targets, st.linkify = nil, nil, false
		st.lines.reset(nil)
		c.states.Put(st)
	}()
	st.page, st.targets = p, targets
	st.lines.reset(p.Body)
	pc := parser.NewContext()
	pc.Set(stateKey, st)
	md := c.fast
	if c.fullOnly {
		md = c.md
	}
	root := md.Parser().Parse(text.NewReader(p.Body), parser.WithContext(pc))
	if st.linkify {
		// The fast tree is given up, and what its transformers recorded (links, diagnostics and ids in
		// pc) with it.
		st.linkify = false
		clear(st.links)
		st.links = st.links[:0]
		pc = parser.NewContext()
		pc.Set(stateKey, st)
		root = c.md.Parser().Parse(text.NewReader(p.Body), parser.WithContext(pc))
	}
	pc.Set(stateKey, nil) // st goes back to c.states
	d := &Document{Page: p, AST: root, Source: p.Body, Ctx: pc, Anchors: map[string]bool{}, lines: &st.lines}
	d.extract()
	if c.opts.Services != nil {
		d.Mentions = crosslink.Mentions(root, p.Body)
	}
	if len(st.links) > 0 {
		d.Links = make([]Link, len(st.links))
		for i, l := range st.links {
			l.Line = d.LineOf(l.offset)
			d.Links[i] = l
		}
	}
	for _, dg := range diag.Collect(pc) {
		if dg.File == "" {
			dg.File = p.File
		}
		if dg.Line == 0 && dg.Offset >= 0 {
			dg.Line = d.LineOf(dg.Offset)
			dg.Col = st.lines.column(dg.Offset)
		}
		d.Diagnostics = append(d.Diagnostics, dg)
	}
	d.lines = nil
	d.StartsWithH1 = len(d.Headings) > 0 && d.Headings[0].Level == 1 && root.FirstChild() != nil &&
		root.FirstChild().Kind() == ast.KindHeading
	d.Title = p.Title
	if d.Title == "" && len(d.Headings) > 0 {
		d.Title = d.Headings[0].Text
	}
	if d.Title == "" {
		d.Title = content.FallbackTitle(p)
	}
	return d
}

// Prerender renders the note's content into d.HTML, in pass 1: service mentions are written as markers
// (see crosslink.PageLinks.Apply), since where they link is known only once every note is parsed. Call it
// before anything else renders parts of the tree (the cheat sheet does): goldmark's table renderer adds
// to a cell's attributes each time it renders it, so the page must be rendered first, as it always was.
//
// d.HTML is held from pass 1 to pass 2 for every note, so it is copied out of a reused buffer at its
// exact size: a buffer grown while rendering is up to twice as large.
func (c *Converter) Prerender(d *Document) error {
	b, _ := c.buffers.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	defer c.buffers.Put(b)
	if err := c.PrerenderInto(b, d); err != nil {
		return err
	}
	d.HTML = strings.Clone(d.HTML)
	return nil
}

// PrerenderInto is Prerender for a caller that copies the HTML elsewhere at once (the site's spill): it
// renders into buf (reset first), and d.HTML shares buf's bytes until buf's next use, instead of being
// a copy of its own (25 MB on the 3,335-page AWS corpus).
func (c *Converter) PrerenderInto(buf *bytes.Buffer, d *Document) error {
	buf.Reset()
	if err := c.Render(bufWriter{buf}, d); err != nil {
		return err
	}
	d.HTML = unsafe.String(unsafe.SliceData(buf.Bytes()), buf.Len())
	return nil
}

// bufWriter is a bytes.Buffer that goldmark's renderer takes as its util.BufWriter: handed a plain
// io.Writer, the renderer would put a bufio.Writer of its own in front of it for every note, and copy
// every byte twice.
type bufWriter struct{ *bytes.Buffer }

var _ util.BufWriter = bufWriter{}

// Buffered implements util.BufWriter.
func (b bufWriter) Buffered() int { return b.Len() }

// Flush implements util.BufWriter: the bytes are in the buffer already.
func (bufWriter) Flush() error { return nil }

// Render writes the document's HTML.
func (c *Converter) Render(w io.Writer, d *Document) error {
	return c.md.Renderer().Render(w, d.Source, d.AST)
}

// RenderNode writes the HTML of one node of a document (a tip box for the cheat sheet, say).
func (c *Converter) RenderNode(d *Document, n ast.Node) ([]byte, error) {
	var b bytes.Buffer
	err := c.RenderNodeTo(&b, d, n)
	return b.Bytes(), err
}

// RenderNodeTo is RenderNode appending to b, for a caller that gathers the HTML of many nodes (the cheat
// sheet) and need not have each in a buffer of its own first.
func (c *Converter) RenderNodeTo(b *bytes.Buffer, d *Document, n ast.Node) error {
	return c.md.Renderer().Render(bufWriter{b}, d.Source, n)
}

// Release drops the syntax tree once pass 1 is done with it (Prerender, the cheat sheet), so that a
// build never holds every tree: trees take about ten times the memory of their markdown. A tip box's
// node would hold on to the whole tree (every node links to its parent and siblings), so the Tips let
// go of theirs too.
func (d *Document) Release() {
	d.AST, d.Ctx = nil, nil
	for i := range d.Tips {
		d.Tips[i].Node = nil
	}
}

// DropSource lets go of the note's markdown, Source and Page.Body, once pass 1 is done with it (after
// Release). A build without a Cache holds every note between the passes, and after pass 1 only a note
// with a broken link needs its text again, to find the line that wrote the link: it is read again from
// the note's file then, and SameSource says whether it is still the text the note was built from.
// A Cache compares a note's Page.Body with the next build's, so a build with one keeps it.
func (d *Document) DropSource() {
	if d.Source == nil && d.Page.Body == nil {
		return
	}
	d.sourceLen, d.sourceSum = len(d.Source), maphash.Bytes(sourceSeed, d.Source)
	d.Source, d.Page.Body = nil, nil
}

// SameSource reports whether body is the markdown the note was parsed from. Before DropSource it
// compares the bytes; after, their length and hash.
func (d *Document) SameSource(body []byte) bool {
	if d.Source != nil {
		return bytes.Equal(d.Source, body)
	}
	return len(body) == d.sourceLen && maphash.Bytes(sourceSeed, body) == d.sourceSum
}

// sourceSeed seeds the hashes of dropped markdown; they are only compared within one process.
var sourceSeed = maphash.MakeSeed()

// LineOf turns a byte offset of the body into a line of the file (front matter included); 0 if unknown.
// It needs Source: after DropSource every offset is on the first line.
func (d *Document) LineOf(offset int) int {
	if offset < 0 {
		return 0
	}
	if d.lines != nil {
		return d.lines.index(offset) + d.Page.BodyLine
	}
	return bytes.Count(d.Source[:min(offset, len(d.Source))], newline) + d.Page.BodyLine
}

// extractScratch is extract's reusable space: the text of the section being read, the tip boxes and
// top-level headings met on the way, and the headings and sections found. Sections copy their text out
// (collapse), and the Document gets headings and sections copied at their exact size (every note holds
// them until the end of the build), so the buffers go back to extractScratches for the next note.
type extractScratch struct {
	body, emph []byte
	items      []tipbox.Item
	top        []topHeading
	headings   []Heading
	sections   []Section
	path       []Heading // the headings above the section being read
}

var extractScratches = sync.Pool{New: func() any { return new(extractScratch) }}

// extract walks the tree once, collecting headings, anchors, section text, and tip boxes and key points
// (placed in their sections by placeTips).
func (d *Document) extract() {
	src := d.Source
	x := extractScratches.Get().(*extractScratch)
	defer func() {
		x.body, x.emph = x.body[:0], x.emph[:0]
		clear(x.items)
		clear(x.top)
		clear(x.headings)
		clear(x.sections)
		clear(x.path[:cap(x.path)]) // headings popped off the path too: they hold the last note's text
		x.items, x.top, x.headings, x.sections = x.items[:0], x.top[:0], x.headings[:0], x.sections[:0]
		x.path = x.path[:0]
		extractScratches.Put(x)
	}()
	e := extractor{d: d, src: src, x: x, cur: Section{Line: d.Page.BodyLine}, path: x.path}
	e.walk(d.AST)
	e.flush()
	x.path = e.path // grown, for the next note
	d.Headings = exactCopy(x.headings)
	d.Sections = exactCopy(x.sections)
	d.placeTips(x.items, x.top)
}

// appendSeparator appends the space that parts a block or line from the next, unless b is empty or ends
// in one: collapse drops it then, and text with single spaces already is what collapse reads fastest.
func appendSeparator(b []byte) []byte {
	if len(b) == 0 || b[len(b)-1] == ' ' {
		return b
	}
	return append(b, ' ')
}

// extractor is one extract's walk: the section being read and where it stands.
type extractor struct {
	d         *Document
	src       []byte
	x         *extractScratch
	cur       Section
	path      []Heading // the headings above the section being read
	names     []string  // the Path of the latest section, which its siblings share
	emphDepth int       // tip boxes and key points the walk is in
}

// walk reads n and what is under it. It is ast.Walk written out for extract, whose calls of a closure
// on the way into and out of every node cost more than the rest of the walk.
func (e *extractor) walk(n ast.Node) {
	x := e.x
	emph := isEmphasis(n)
	if emph {
		e.emphDepth++
		if it, ok := tipbox.ItemOf(n, e.src); ok {
			x.items = append(x.items, it)
		}
	}
	if e.enter(n) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			e.walk(c)
		}
	}
	if emph {
		e.emphDepth--
	}
	if n.Type() == ast.TypeBlock {
		x.body = appendSeparator(x.body)
		x.emph = appendSeparator(x.emph)
	}
}

// enter reads n itself and reports whether to read its children.
func (e *extractor) enter(n ast.Node) bool {
	x, d, src := e.x, e.d, e.src
	out := &x.body
	if e.emphDepth > 0 {
		out = &x.emph
	}
	switch t := n.(type) {
	case *ast.Text:
		*out = appendUnescaped(*out, t.Value(src), t)
		if t.SoftLineBreak() || t.HardLineBreak() {
			*out = appendSeparator(*out)
		}
		return true // text has no attributes: nothing sets any
	case *ast.String:
		*out = append(*out, t.Value...)
		return true
	case *ast.Heading:
		h := Heading{Level: t.Level, Text: plainText(t, src)}
		if id, ok := t.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				h.ID = string(b)
			}
		}
		if t.Lines().Len() > 0 {
			h.Line = d.LineOf(t.Lines().At(0).Start)
			if t.Parent() == d.AST {
				x.top = append(x.top, topHeading{t.Lines().At(0).Start, h})
			}
		}
		x.headings = append(x.headings, h)
		d.Anchors[h.ID] = true
		if e.emphDepth > 0 {
			return false // a heading inside a tip box does not start a section
		}
		e.flush()
		path := e.path
		for len(path) > 0 && path[len(path)-1].Level >= h.Level {
			path = path[:len(path)-1]
		}
		e.names = pathNames(e.names, path)
		e.cur = Section{Anchor: h.ID, Level: h.Level, Heading: h.Text, Path: e.names, Line: h.Line}
		e.path = append(path, h)
		return false
	case *ast.RawHTML:
		for i := 0; i < t.Segments.Len(); i++ {
			seg := t.Segments.At(i)
			d.addAnchors(seg.Value(src))
		}
		return false
	case *RawOut:
		d.addAnchors(t.HTML)
		return false
	case *ast.HTMLBlock:
		for i := 0; i < t.Lines().Len(); i++ {
			seg := t.Lines().At(i)
			d.addAnchors(seg.Value(src))
		}
		return false
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			*out = append(*out, seg.Value(src)...)
		}
		return false
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			d.Anchors[string(b)] = true
		}
	}
	return true
}

// flush ends the section being read: its text is collapsed, and it is kept unless it is empty.
func (e *extractor) flush() {
	x := e.x
	e.cur.Body = collapse(x.body)
	e.cur.Emphasis = collapse(x.emph)
	if e.cur.Anchor != "" || e.cur.Body != "" || e.cur.Emphasis != "" {
		x.sections = append(x.sections, e.cur)
	}
	x.body, x.emph = x.body[:0], x.emph[:0]
}

// pathNames returns the texts of the headings in path: prev when it holds them already (sections under
// one heading share their Path, as tips in one section share their HeadingPath), else a new slice.
func pathNames(prev []string, path []Heading) []string {
	if len(prev) == len(path) {
		same := true
		for i, h := range path {
			if prev[i] != h.Text {
				same = false
				break
			}
		}
		if same {
			return prev
		}
	}
	if len(path) == 0 {
		return nil
	}
	names := make([]string, len(path))
	for i, h := range path {
		names[i] = h.Text
	}
	return names
}

// exactCopy copies s into a slice of its length, nil when it is empty.
func exactCopy[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// addAnchors records the ids and names raw HTML defines (`<a name="x">`), which links may point at.
func (d *Document) addAnchors(html []byte) {
	for name, end := nextAnchorName(html, 0); end >= 0; name, end = nextAnchorName(html, end) {
		d.Anchors[string(name)] = true
	}
}
