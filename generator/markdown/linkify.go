package markdown

import (
	"bytes"

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
