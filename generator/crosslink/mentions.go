package crosslink

import (
	"strings"
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
	var out []MentionInfo
	section := ""
	var levels []int
	var open []string // ids of the open headings; copied into MentionInfo.Open once per section
	var shared []string
	blocks := map[ast.Node]*blockText{}
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
			bt := blocks[block]
			if bt == nil {
				bt = newBlockText(block, source)
				blocks[block] = bt
			}
			if shared == nil && len(open) > 0 {
				shared = append([]string(nil), open...)
			}
			pos := bt.starts[n]
			n.Index = len(out)
			out = append(out, MentionInfo{
				Slug:      n.Slug,
				SectionID: section,
				Open:      shared,
				Text:      bt.text[pos:bt.ends[n]],
				Sentence:  sentenceAround(bt.text, pos, bt.ends[n]),
			})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
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

// blockText is the plain text of a block's inline content, with where each mention starts and ends.
type blockText struct {
	text   string
	starts map[*Mention]int
	ends   map[*Mention]int
}

func newBlockText(block ast.Node, source []byte) *blockText {
	bt := &blockText{starts: map[*Mention]int{}, ends: map[*Mention]int{}}
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				b.Write(util.UnescapePunctuations(c.Segment.Value(source)))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(c.Value)
			case *ast.RawHTML:
			case *Mention:
				bt.starts[c] = b.Len()
				walk(c)
				bt.ends[c] = b.Len()
			default:
				if c.Type() == ast.TypeBlock {
					continue // a nested list or quote is its own block
				}
				walk(c)
			}
		}
	}
	walk(block)
	bt.text = b.String()
	return bt
}

// sentenceAround returns the sentence of text that holds [start, end), cut to maxSentence bytes around
// the mention when longer.
func sentenceAround(text string, start, end int) string {
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
	s := strings.TrimSpace(text[from:to])
	start -= from + (len(text[from:to]) - len(strings.TrimLeftFunc(text[from:to], unicode.IsSpace)))
	if len(s) <= maxSentence {
		return s
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
	return prefix + strings.TrimSpace(s[lo:hi]) + suffix
}

// isSentenceEnd reports whether text[i] ends a sentence: . ! or ? followed by a space and not part of
// a common abbreviation such as "e.g.".
func isSentenceEnd(text string, i int) bool {
	switch text[i] {
	case '.', '!', '?':
	default:
		return false
	}
	if i+1 < len(text) && text[i+1] != ' ' {
		return false
	}
	if text[i] == '.' {
		tail := strings.ToLower(text[max(0, i-6):i])
		for _, abbr := range []string{"e.g", "i.e", "etc", "vs", "approx", "incl"} {
			if strings.HasSuffix(tail, abbr) {
				return false
			}
		}
	}
	return true
}
