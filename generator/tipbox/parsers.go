package tipbox

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// openBox resolves a type as written, reports an unknown one at its byte offset and returns the box.
func openBox(cfg *config, pc parser.Context, typ string, typOffset int, syntax Syntax) *TipBox {
	def, title, known := cfg.kinds.resolve(typ)
	if !known {
		diag.Reportf(pc, typOffset, "%s", cfg.kinds.unknownMessage(typ))
	}
	return newTipBox(def, typ, title, syntax, known)
}

// appendTitle gives the box an explicit title parsed as inline markdown from source[start:stop],
// trimmed of spaces; nothing happens for an empty title.
func appendTitle(box *TipBox, source []byte, start, stop int) {
	for start < stop && util.IsSpace(source[start]) {
		start++
	}
	for stop > start && util.IsSpace(source[stop-1]) {
		stop--
	}
	if start >= stop {
		return
	}
	t := &TipTitle{}
	t.Lines().Append(text.NewSegment(start, stop))
	box.AppendChild(box, t)
}

// lineOffset converts an index into a line returned by PeekLine to a byte offset in the source.
func lineOffset(seg text.Segment, i int) int {
	return seg.Start + i - seg.Padding
}

// lineEnd is the index of the end of line content, before "\n" or "\r\n".
func lineEnd(line []byte) int {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return n
}

// alertParser parses GitHub alerts and Obsidian callouts: a blockquote whose first line is
// `[!type]`, optionally followed by `+` or `-` (foldable) and a title. It runs just before goldmark's
// blockquote parser and continues like it, so nesting and lazy continuation lines behave as in a
// blockquote.
type alertParser struct{ cfg *config }

func (p *alertParser) Trigger() []byte { return []byte{'>'} }

// quotePrefix reports where the content after `>` and one optional space starts, or -1.
func quotePrefix(line []byte, lineOffset int) int {
	w, pos := util.IndentWidth(line, lineOffset)
	if w > 3 || pos >= len(line) || line[pos] != '>' {
		return -1
	}
	pos++
	if pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') {
		pos++
	}
	return pos
}

// parseAlertMarker reads `[!type]` with an optional fold sign at the start of s (after up to three
// spaces); it returns the type's index, the type, the fold sign (0, '+' or '-') and the index after.
func parseAlertMarker(s []byte) (typStart int, typ string, fold byte, end int, ok bool) {
	i := 0
	for i < len(s) && i < 3 && s[i] == ' ' {
		i++
	}
	if i+2 >= len(s) || s[i] != '[' || s[i+1] != '!' {
		return 0, "", 0, 0, false
	}
	typStart = i + 2
	j := typStart
	for j < len(s) && s[j] != ']' && s[j] != '\n' {
		j++
	}
	if j >= len(s) || s[j] != ']' || !validTypeName(string(s[typStart:j])) {
		return 0, "", 0, 0, false
	}
	typ = string(s[typStart:j])
	j++
	if j < len(s) && (s[j] == '+' || s[j] == '-') {
		fold = s[j]
		j++
	}
	if j < len(s) && !util.IsSpace(s[j]) {
		return 0, "", 0, 0, false
	}
	return typStart, typ, fold, j, true
}

func (p *alertParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	start := quotePrefix(line, reader.LineOffset())
	if start < 0 {
		return nil, parser.NoChildren
	}
	typStart, typ, fold, end, ok := parseAlertMarker(line[start:])
	if !ok {
		return nil, parser.NoChildren
	}
	box := openBox(p.cfg, pc, typ, lineOffset(seg, start+typStart), SyntaxAlert)
	box.Foldable = fold != 0
	box.Open = fold == '+'
	appendTitle(box, reader.Source(), lineOffset(seg, start+end), lineOffset(seg, lineEnd(line)))
	reader.AdvanceToEOL()
	return box, parser.HasChildren
}

// Continue continues like a blockquote. A line without `>` right after the marker line is also taken
// in, as the first line of the body: on GitHub the marker is the first line of a paragraph, which a
// lazy continuation line continues, so `> [!NOTE]` followed by `text` is a note saying "text".
func (p *alertParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	st := parser.NewBlockquoteParser().Continue(node, reader, pc)
	if st != parser.Close || hasBody(node.(*TipBox)) {
		return st
	}
	if line, _ := reader.PeekLine(); lazyBodyLine(line) {
		return parser.Continue | parser.HasChildren
	}
	return parser.Close
}

// lazyBodyLine reports whether a line would continue a paragraph rather than start a block of its
// own: it starts with a letter, a digit that does not open an ordered list at 1, or punctuation that
// starts no block (headings, quotes, lists, fences, tables, HTML and breaks are left out).
func lazyBodyLine(line []byte) bool {
	s := bytes.TrimLeft(line, " \t")
	if len(s) == 0 || s[0] == '\n' || s[0] == '\r' {
		return false
	}
	r, _ := utf8.DecodeRune(s)
	switch {
	case unicode.IsLetter(r):
		return true
	case r == '1':
		return !(len(s) > 1 && (s[1] == '.' || s[1] == ')') && (len(s) == 2 || util.IsSpace(s[2])))
	case unicode.IsDigit(r):
		return true
	case r == '!':
		return !bytes.HasPrefix(s, []byte("!!!"))
	case r == '(' || r == '"' || r == '\'' || r == '[' || r == '\\':
		return true
	case r == '*' || r == '_':
		if len(s) < 2 || util.IsSpace(s[1]) {
			return false // a list item
		}
		return len(bytes.Trim(s, string(r)+" \t\r\n")) > 0 // not a thematic break
	case r == '`':
		return !bytes.HasPrefix(s, []byte("```"))
	}
	return false
}

func (p *alertParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

func (p *alertParser) CanInterruptParagraph() bool { return true }

func (p *alertParser) CanAcceptIndentedLine() bool { return false }

// admonitionParser parses MkDocs admonitions: `!!! type "Title"`, collapsible `??? type` (closed) and
// `???+ type` (open), with a body indented by four spaces. Extra words after the type (MkDocs CSS
// classes such as `inline end`) are ignored; `""` as title means no title row.
type admonitionParser struct{ cfg *config }

func (p *admonitionParser) Trigger() []byte { return []byte{'!', '?'} }

// parseAdmonition reads the marker line s (from the marker on, line ending removed).
func parseAdmonition(s []byte) (marker string, typStart int, typ string, titleStart, titleStop int, hasTitle, ok bool) {
	switch {
	case strings.HasPrefix(string(s), "???+"):
		marker = "???+"
	case strings.HasPrefix(string(s), "???"):
		marker = "???"
	case strings.HasPrefix(string(s), "!!!"):
		marker = "!!!"
	default:
		return
	}
	i := len(marker)
	for i < len(s) && s[i] == ' ' {
		i++
	}
	typStart = i
	for i < len(s) && isTypeByte(s[i]) {
		i++
	}
	if i == typStart {
		return
	}
	typ = string(s[typStart:i])
	for { // further class words
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		k := j
		for k < len(s) && isTypeByte(s[k]) {
			k++
		}
		if j == i || k == j {
			break
		}
		i = k
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	if i < len(s) && s[i] == '"' {
		close := strings.LastIndexByte(string(s[i+1:]), '"')
		if close < 0 {
			return
		}
		titleStart, titleStop = i+1, i+1+close
		hasTitle = true
		i = titleStop + 1
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	if i != len(s) {
		return
	}
	return marker, typStart, typ, titleStart, titleStop, hasTitle, true
}

func isTypeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func (p *admonitionParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w > 3 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	body := line[pos:lineEnd(line)]
	for len(body) > 0 && (body[len(body)-1] == ' ' || body[len(body)-1] == '\t') {
		body = body[:len(body)-1]
	}
	marker, typStart, typ, ts, te, hasTitle, ok := parseAdmonition(body)
	if !ok {
		return nil, parser.NoChildren
	}
	box := openBox(p.cfg, pc, typ, lineOffset(seg, pos+typStart), SyntaxAdmonition)
	box.Foldable = marker != "!!!"
	box.Open = marker == "???+"
	if hasTitle {
		if ts == te {
			box.NoTitle = true
		}
		appendTitle(box, reader.Source(), lineOffset(seg, pos+ts), lineOffset(seg, pos+te))
	}
	reader.AdvanceToEOL()
	return box, parser.HasChildren
}

func (p *admonitionParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if util.IsBlank(line) {
		reader.AdvanceToEOL()
		return parser.Continue | parser.HasChildren
	}
	if w, _ := util.IndentWidth(line, reader.LineOffset()); w < 4 {
		return parser.Close
	}
	pos, padding := util.IndentPosition(line, reader.LineOffset(), 4)
	reader.AdvanceAndSetPadding(pos, padding)
	return parser.Continue | parser.HasChildren
}

func (p *admonitionParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}

func (p *admonitionParser) CanInterruptParagraph() bool { return true }

func (p *admonitionParser) CanAcceptIndentedLine() bool { return false }

// containerParser parses Docusaurus and VitePress containers: `:::type`, `:::type[Title]`,
// `::: type Title`, closed by a line of at least as many colons. An outer container uses a longer
// fence to hold an inner one; an inner container with an equally long fence also works, because a
// closing line belongs to the innermost open container. `::: details` is a closed foldable box.
type containerParser struct{ cfg *config }

// containerState is what the container parser remembers about an open container.
type containerState struct {
	fence  int
	closed bool
}

var containerKey = parser.NewContextKey()

func containerStates(pc parser.Context) map[ast.Node]*containerState {
	m, _ := pc.Get(containerKey).(map[ast.Node]*containerState)
	if m == nil {
		m = map[ast.Node]*containerState{}
		pc.Set(containerKey, m)
	}
	return m
}

func (p *containerParser) Trigger() []byte { return []byte{':'} }

// parseContainer reads an opening line s (from the first colon, line ending removed).
func parseContainer(s []byte) (fence, typStart int, typ string, titleStart, titleStop int, ok bool) {
	for fence < len(s) && s[fence] == ':' {
		fence++
	}
	if fence < 3 {
		return
	}
	i := fence
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	typStart = i
	for i < len(s) && isTypeByte(s[i]) {
		i++
	}
	if i == typStart || !(s[typStart] >= 'a' && s[typStart] <= 'z' || s[typStart] >= 'A' && s[typStart] <= 'Z') {
		return
	}
	typ = string(s[typStart:i])
	switch {
	case i < len(s) && s[i] == '[':
		close := strings.LastIndexByte(string(s[i:]), ']')
		if close < 0 {
			return
		}
		titleStart, titleStop = i+1, i+close
	case i < len(s) && s[i] == '{':
		titleStart, titleStop = i, i // attributes such as {open}: ignored
	case i < len(s) && s[i] != ' ' && s[i] != '\t':
		return
	default:
		titleStart, titleStop = i, len(s)
		if j := strings.IndexByte(string(s[i:]), '{'); j >= 0 {
			titleStop = i + j
		}
	}
	return fence, typStart, typ, titleStart, titleStop, true
}

func (p *containerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w > 3 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	fence, typStart, typ, ts, te, ok := parseContainer(line[pos:lineEnd(line)])
	if !ok {
		return nil, parser.NoChildren
	}
	box := openBox(p.cfg, pc, typ, lineOffset(seg, pos+typStart), SyntaxContainer)
	if strings.EqualFold(typ, "details") {
		box.Foldable = true
	}
	appendTitle(box, reader.Source(), lineOffset(seg, pos+ts), lineOffset(seg, pos+te))
	containerStates(pc)[box] = &containerState{fence: fence}
	reader.AdvanceToEOL()
	return box, parser.HasChildren
}

// closingFence returns the length of a closing line (only colons, at most three spaces of indent).
func closingFence(line []byte, lineOffset int) int {
	w, pos := util.IndentWidth(line, lineOffset)
	if w > 3 {
		return 0
	}
	n := 0
	for pos+n < len(line) && line[pos+n] == ':' {
		n++
	}
	if n < 3 || !util.IsBlank(line[pos+n:]) {
		return 0
	}
	return n
}

func (p *containerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	states := containerStates(pc)
	st := states[node]
	n := closingFence(line, reader.LineOffset())
	if st == nil || n < st.fence {
		return parser.Continue | parser.HasChildren
	}
	opened := pc.OpenedBlocks()
	mine := -1
	for i, b := range opened {
		if b.Node == node {
			mine = i
			break
		}
	}
	for _, b := range opened[mine+1:] {
		switch b.Node.(type) {
		case *ast.FencedCodeBlock, *ast.HTMLBlock:
			return parser.Continue | parser.HasChildren
		}
		if inner := states[b.Node]; inner != nil && !inner.closed && inner.fence <= n {
			return parser.Continue | parser.HasChildren
		}
	}
	st.closed = true
	reader.AdvanceToEOL()
	return parser.Close
}

func (p *containerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	states := containerStates(pc)
	st := states[node]
	if st == nil {
		return
	}
	if !st.closed {
		st.closed = true
		diag.Reportf(pc, node.Pos(), "%q container is never closed: end it with a line of %d colons",
			node.(*TipBox).RawType, st.fence)
	}
}

func (p *containerParser) CanInterruptParagraph() bool { return true }

func (p *containerParser) CanAcceptIndentedLine() bool { return false }
