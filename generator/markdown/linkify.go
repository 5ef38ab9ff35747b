package markdown

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// linkifyFilter stands in front of GFM's linkify parser (bare URLs and e-mail addresses become links),
// which goldmark calls at every space of every paragraph: it hands the parser only the places where a
// link can start, a text starting "http:", "https:", "ftp:" or "www.", or with an '@' near enough to
// end an e-mail address's local part (at most 64 bytes), and answers nil for the rest, as the parser
// would, without its scans.
type linkifyFilter struct{ inner parser.InlineParser }

// priorityLinkify is the priority GFM gives the linkify parser.
const priorityLinkify = 999

func newLinkifyFilter() linkifyFilter { return linkifyFilter{extension.NewLinkifyParser()} }

var _ parser.InlineParser = linkifyFilter{}

// Trigger implements parser.InlineParser.
func (f linkifyFilter) Trigger() []byte { return f.inner.Trigger() }

// Parse implements parser.InlineParser.
func (f linkifyFilter) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if mayLinkify(line) {
		return f.inner.Parse(parent, block, pc)
	}
	return nil
}

// mayLinkify reports whether the linkify parser can find a link at the start of line: it skips the
// character that triggered it, then wants a URL's scheme or "www.", or an '@' within 65 bytes.
func mayLinkify(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case ' ', '*', '_', '~', '(':
		line = line[1:]
	}
	if len(line) > 0 {
		switch line[0] {
		case 'h':
			if bytes.HasPrefix(line, []byte("http:")) || bytes.HasPrefix(line, []byte("https:")) {
				return true
			}
		case 'f':
			if bytes.HasPrefix(line, []byte("ftp:")) {
				return true
			}
		case 'w':
			if bytes.HasPrefix(line, []byte("www.")) {
				return true
			}
		}
	}
	return bytes.IndexByte(line[:min(len(line), 65)], '@') >= 0
}

// linkifyScan tells whether a note that the fast parser (Converter.fast, without GFM's linkify parser)
// read may come out differently with that parser. goldmark asks the linkify parser at every space, tab,
// '(', '*', '_' and '~' of inline text, at the start of each line and after each inline node. Where it
// links nothing, its only trace is where the text of a line is cut into nodes, which no stage depends
// on, with one exception (below). Where it links something, at the first such place both parsers have
// read the note alike so far, and the link begins with a URL's scheme and "://", "www." or an e-mail
// address's local part and '@'. None of those bytes sets off another inline parser, so they are text in
// the fast tree, unless a construct begun before them swallowed them: one begun before the link would
// have swallowed its start too, in both parsers, and the only one that can begin inside the link is a
// code span, from a '`' of a local part. Nor is the text inside a link's label: the linkify parser
// links nothing there, and no label can begin inside a link. So a note none of whose text nodes holds
// a candidate (below) outside links, and outside code spans unless it is an '@' with a '`' in its
// local part, gets no link.
//
// The exception: goldmark trims the white space at the end of a line off the text node that ends the
// line, and with the linkify parser's triggers that node starts at the line's last space or tab, so
// white space before that stays, in the node before. A line ending in two or more spaces or tabs
// (besides the two of a hard line break) after its last word therefore reads differently.
type linkifyScan struct {
	at []candidate // the places in the note where a link may begin, by start
	// next is the first candidate that does not start before the last text node looked at: text nodes
	// come mostly in the order of the note.
	next int
}

// candidate is a place where the linkify parser may find a link: "http://", "https://" or "ftp://",
// "www.", or an '@' with a local part before it and a domain with a dot after it, at src[start:end].
// code says whether it may be in a code span's text (an '@' whose local part may hold a '`').
type candidate struct {
	start, end int
	code       bool
}

// reset finds the candidates of src (nil: lets go of them).
func (s *linkifyScan) reset(src []byte) {
	s.at, s.next = s.at[:0], 0
	if src == nil {
		return
	}
	sorted := true
	add := func(c candidate) {
		if n := len(s.at); n > 0 && s.at[n-1].start > c.start {
			sorted = false
		}
		s.at = append(s.at, c)
	}
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("://"))
		if j < 0 {
			break
		}
		j += i
		for _, scheme := range [...]string{"http", "https", "ftp"} {
			if j >= len(scheme) && string(src[j-len(scheme):j]) == scheme {
				add(candidate{start: j - len(scheme), end: j + 3})
				break
			}
		}
		i = j + 1
	}
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("www."))
		if j < 0 {
			break
		}
		add(candidate{start: i + j, end: i + j + 4})
		i += j + 1
	}
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '@')
		if j < 0 {
			break
		}
		at := i + j
		if at > 0 && emailLocal(src[at-1]) && emailDomain(src[at+1:]) {
			// A local part starts with a letter or digit: a code span can begin inside it only at a
			// '`' after one.
			code, tick := false, false
			for k := at - 1; k >= 0 && emailLocal(src[k]) && !code; k-- {
				tick = tick || src[k] == '`'
				code = tick && (isASCIILetter(src[k]) || isDigit(src[k]))
			}
			add(candidate{start: at, end: at + 1, code: code})
		}
		i = at + 1
	}
	if !sorted {
		slices.SortFunc(s.at, func(a, b candidate) int { return cmp.Compare(a.start, b.start) })
	}
}

// emailLocal says which bytes may be part of an e-mail address's local part (as util.FindEmailIndex has
// it).
func emailLocal(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-./=?^_`{|}~", c) >= 0
}

// emailDomain reports whether b may start the domain of an e-mail address that the linkify parser links:
// a letter or digit, then letters, digits, hyphens and dots, among them a dot followed by a letter or digit.
func emailDomain(b []byte) bool {
	if len(b) == 0 || !isASCIILetter(b[0]) && !isDigit(b[0]) {
		return false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '.':
			if i+1 < len(b) && (isASCIILetter(b[i+1]) || isDigit(b[i+1])) {
				return true
			}
		case isASCIILetter(c), isDigit(c), c == '-':
		default:
			return false
		}
	}
	return false
}

// differs reports whether the text node t may read differently with the linkify parser; inLink and
// inCode say whether it is inside a link or image, or a code span.
func (s *linkifyScan) differs(t *ast.Text, src []byte, inLink, inCode bool) bool {
	if (t.SoftLineBreak() || t.HardLineBreak()) && trailingSpaceDiffers(t, src) {
		return true
	}
	if len(s.at) == 0 || inLink {
		return false
	}
	seg := t.Segment
	i := s.next
	if i > 0 && s.at[i-1].start >= seg.Start {
		i, _ = slices.BinarySearchFunc(s.at, seg.Start, func(c candidate, start int) int { return cmp.Compare(c.start, start) })
	}
	for i < len(s.at) && s.at[i].start < seg.Start {
		i++
	}
	s.next = i
	for ; i < len(s.at) && s.at[i].start < seg.Stop; i++ {
		if c := s.at[i]; c.end <= seg.Stop && (!inCode || c.code) {
			return true
		}
	}
	return false
}

// trailingSpaceDiffers reports whether the white space goldmark trimmed off the end of t, a text node
// ending a line, holds a space or tab after its first byte: with the linkify parser, the node that ends
// the line would start there, and the white space before it would stay.
func trailingSpaceDiffers(t *ast.Text, src []byte) bool {
	i := t.Segment.Stop
	if i >= len(src) || !isTrimmedSpace(src[i]) {
		return false // the common case: the line ends right after the text, or the text goes on
	}
	j := i + 1
	for j < len(src) && isTrimmedSpace(src[j]) {
		j++
	}
	end := j // the line as goldmark's inline parser reads it ends here
	if t.HardLineBreak() && j < len(src) && src[j] == '\n' {
		// A line ending in two spaces and a newline is read without them.
		end = j - 2
		if src[j-1] == '\r' {
			end = j - 3
		}
	}
	for k := i + 1; k < end; k++ {
		if src[k] == ' ' || src[k] == '\t' {
			return true
		}
	}
	return false
}

// isTrimmedSpace says which bytes goldmark trims off the end of a line's text besides the newline
// (util.IsSpace).
func isTrimmedSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }
