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
	line, seg := block.PeekLine()
	scheme, end := linkifyScheme(line)
	if !scheme && end > 0 {
		// Is there an '@' in line[:end]? A line without padding is the source from seg.Start on, and
		// Parse's docState knows where the next '@' of the source is.
		if st, _ := pc.Get(stateKey).(*docState); st != nil && seg.Padding == 0 {
			scheme = st.at.before(block.Source(), seg.Start, seg.Start+end)
		} else {
			scheme = bytes.IndexByte(line[:end], '@') >= 0
		}
	}
	if scheme {
		return f.inner.Parse(parent, block, pc)
	}
	return nil
}

// mayLinkify reports whether the linkify parser can find a link at the start of line: it skips the
// character that triggered it, then wants a URL's scheme or "www.", or an '@' within 65 bytes.
func mayLinkify(line []byte) bool {
	ok, end := linkifyScheme(line)
	return ok || bytes.IndexByte(line[:end], '@') >= 0
}

// linkifyScheme is mayLinkify without the search for an '@': it reports whether line starts a URL's
// scheme or "www." (after the character that triggered the parser), and else how much of line to look
// for an '@' in. The character skipped is never an '@', so the search may start at line[0].
func linkifyScheme(line []byte) (ok bool, end int) {
	if len(line) == 0 {
		return false, 0
	}
	skip := 0
	switch line[0] {
	case ' ', '*', '_', '~', '(':
		skip = 1
	}
	if rest := line[skip:]; len(rest) > 0 {
		switch rest[0] {
		case 'h':
			if bytes.HasPrefix(rest, []byte("http:")) || bytes.HasPrefix(rest, []byte("https:")) {
				return true, 0
			}
		case 'f':
			if bytes.HasPrefix(rest, []byte("ftp:")) {
				return true, 0
			}
		case 'w':
			if bytes.HasPrefix(rest, []byte("www.")) {
				return true, 0
			}
		}
	}
	return false, min(len(line), skip+65)
}

// atCache remembers where the next '@' of a note's markdown is, for linkifyFilter: goldmark asks at
// every space of every paragraph whether a link starts there, and looking 65 bytes ahead each time
// reads most of the text many times over; with the cache the text is searched about once.
type atCache struct {
	from, next int // no '@' in src[from:next]; src[next] is one, or next is len(src)
}

// reset forgets the cache, for a new note.
func (c *atCache) reset() { c.from, c.next = 1, 0 }

// before reports whether src[start:end] holds an '@'.
func (c *atCache) before(src []byte, start, end int) bool {
	if start < c.from || start > c.next {
		c.from, c.next = start, len(src)
		if i := bytes.IndexByte(src[start:], '@'); i >= 0 {
			c.next = start + i
		}
	}
	return c.next < end
}
