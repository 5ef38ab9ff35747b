package crosslink

import (
	"bytes"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// MentionInfo is one mention found in pass 1, for the service pages and "Services in this note".
type MentionInfo struct {
	Slug      string
	SectionID string // id of the latest heading before the mention, "" before the first heading
	// Open are the ids of the headings open above the mention, outermost first (SectionID's heading
	// last): with SectionID, what deciding its link needs (see PageLinks). Mentions of one section
	// share the slice.
	Open     []string
	Text     string // the words as written, e.g. "Lambda's"
	Sentence string // plain-text sentence around the mention, trimmed to about maxSentence bytes
}

// maxSentence bounds a quoted sentence; longer ones are cut around the mention with an ellipsis.
const maxSentence = 280

// Mentions lists the mentions the transformer marked in doc, in document order, and numbers them
// (Mention.Index), which is what the renderer's markers name. Run it after parsing (pass 1); it does not
// depend on Resolve.
func Mentions(doc ast.Node, source []byte) []MentionInfo {
	x := mentionScratches.Get().(*mentionScratch)
	defer x.put()
	section := ""
	var levels []int
	var open []string // ids of the open headings; copied into MentionInfo.Open once per section
	var shared []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			for len(levels) > 0 && levels[len(levels)-1] >= n.Level {
				levels, open = levels[:len(levels)-1], open[:len(open)-1]
			}
			section = headingID(n)
			levels, open = append(levels, n.Level), append(open, section)
			shared = nil
			return ast.WalkSkipChildren, nil
		case *Mention:
			block := enclosingBlock(n)
			bt, ok := x.blocks[block]
			if !ok {
				bt = x.readBlock(block, source)
				x.blocks[block] = bt
			}
			if shared == nil && len(open) > 0 {
				shared = append([]string(nil), open...)
			}
			at := x.mentions[n]
			n.Index = len(x.out)
			x.out = append(x.out, MentionInfo{
				Slug:      n.Slug,
				SectionID: section,
				Open:      shared,
				Text:      string(x.text[at.start:at.end]),
				Sentence:  sentenceAround(x.text[bt.start:bt.end], at.start-bt.start, at.end-bt.start),
			})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(x.out) == 0 {
		return nil
	}
	return append(make([]MentionInfo, 0, len(x.out)), x.out...)
}

func enclosingBlock(n ast.Node) ast.Node {
	p := n.Parent()
	for p != nil && p.Type() != ast.TypeBlock {
		p = p.Parent()
	}
	if p == nil {
		return n
	}
	return p
}

// mentionScratch is one Mentions call's space, reused from note to note: the plain text of the blocks
// holding mentions, one after another, where each block's text and each mention stand in it, and the
// mentions listed. A MentionInfo's Text and Sentence are strings of their own, so that no block's text
// is kept with the note.
type mentionScratch struct {
	text     []byte
	blocks   map[ast.Node]span
	mentions map[*Mention]span
	out      []MentionInfo
}

// span is a part of mentionScratch.text.
type span struct{ start, end int }

var mentionScratches = sync.Pool{New: func() any {
	return &mentionScratch{blocks: map[ast.Node]span{}, mentions: map[*Mention]span{}}
}}

func (x *mentionScratch) put() {
	clear(x.blocks)
	clear(x.mentions)
	clear(x.out)
	x.text, x.out = x.text[:0], x.out[:0]
	mentionScratches.Put(x)
}

// readBlock appends the plain text of a block's inline content to x.text, noting where each mention in
// it starts and ends, and returns where the block's text stands.
func (x *mentionScratch) readBlock(block ast.Node, source []byte) span {
	bt := span{start: len(x.text)}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				x.text = append(x.text, util.UnescapePunctuations(c.Segment.Value(source))...)
				if c.SoftLineBreak() || c.HardLineBreak() {
					x.text = append(x.text, ' ')
				}
			case *ast.String:
				x.text = append(x.text, c.Value...)
			case *ast.RawHTML:
			case *Mention:
				start := len(x.text)
				walk(c)
				x.mentions[c] = span{start, len(x.text)}
			default:
				if c.Type() == ast.TypeBlock {
					continue // a nested list or quote is its own block
				}
				walk(c)
			}
		}
	}
	walk(block)
	bt.end = len(x.text)
	return bt
}

// sentenceAround returns the sentence of text that holds [start, end), cut to maxSentence bytes around
// the mention when longer.
func sentenceAround(text []byte, start, end int) string {
	// Scan at most 2*maxSentence bytes each way, so a huge paragraph with many mentions stays linear.
	from := max(0, start-2*maxSentence)
	for i := start - 1; i > from; i-- {
		if isSentenceEnd(text, i) {
			from = i + 1
			break
		}
	}
	for from > 0 && from < len(text) && !utf8.RuneStart(text[from]) {
		from++
	}
	to := min(len(text), end+2*maxSentence)
	for i := end; i < to; i++ {
		if isSentenceEnd(text, i) {
			to = i + 1
			break
		}
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to--
	}
	s := bytes.TrimSpace(text[from:to])
	start -= from + (len(text[from:to]) - len(bytes.TrimLeftFunc(text[from:to], unicode.IsSpace)))
	if len(s) <= maxSentence {
		return string(s)
	}
	lo := start - maxSentence/2
	prefix, suffix := "…", "…"
	if lo <= 0 {
		lo, prefix = 0, ""
	}
	hi := lo + maxSentence
	if hi >= len(s) {
		hi, suffix = len(s), ""
	}
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo++
	}
	for hi < len(s) && !utf8.RuneStart(s[hi]) {
		hi--
	}
	var b [maxSentence + 2*len("…")]byte
	return string(append(append(append(b[:0], prefix...), bytes.TrimSpace(s[lo:hi])...), suffix...))
}

// abbreviations end with a '.' that does not end a sentence ("e.g.").
var abbreviations = []string{"e.g", "i.e", "etc", "vs", "approx", "incl"}

// isSentenceEnd reports whether text[i] ends a sentence: . ! or ? followed by a space and not part of
// a common abbreviation such as "e.g.".
func isSentenceEnd(text []byte, i int) bool {
	switch text[i] {
	case '.', '!', '?':
	default:
		return false
	}
	if i+1 < len(text) && text[i+1] != ' ' {
		return false
	}
	if text[i] == '.' {
		// The runes of the six bytes before the '.', lower-cased as strings.ToLower would have them (a
		// byte cut from its rune reads as utf8.RuneError): an abbreviation, all ASCII, must be their end.
		var tail [6]rune
		n := 0
		for _, r := range string(text[max(0, i-6):i]) {
			tail[n] = unicode.ToLower(r)
			n++
		}
		for _, abbr := range abbreviations {
			if endsWithASCII(tail[:n], abbr) {
				return false
			}
		}
	}
	return true
}

// endsWithASCII reports whether the runes rs end with the ASCII string s.
func endsWithASCII(rs []rune, s string) bool {
	if len(rs) < len(s) {
		return false
	}
	rs = rs[len(rs)-len(s):]
	for i := 0; i < len(s); i++ {
		if rs[i] != rune(s[i]) {
			return false
		}
	}
	return true
}
