package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// rawTagParser reads inline raw HTML tags of the common shape, an opening or closing tag that ends on
// its line (`<a name="x">`, `</a>`, `<br/>`), by hand. goldmark's own parser of raw HTML matches them
// with regular expressions run over a rune reader, which cost a tenth of pass 1 on the AWS guides (every
// heading carries `<a name>`). Anything else, a tag running onto the next line, a comment, a
// declaration, or text that is no tag, it leaves to goldmark's parser, which runs next: so it reads
// exactly the tags that parser would, as the same node.
type rawTagParser struct{}

// priorityRawTag runs rawTagParser just before goldmark's raw HTML parser (400), after autolinks (300).
const priorityRawTag = 399

var _ parser.InlineParser = rawTagParser{}

// Trigger implements parser.InlineParser.
func (rawTagParser) Trigger() []byte { return []byte{'<'} }

// Parse implements parser.InlineParser.
func (rawTagParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if seg.Padding != 0 {
		return nil
	}
	n := tagLength(line)
	if n == 0 {
		return nil
	}
	node := ast.NewRawHTML()
	node.Segments.Append(text.NewSegment(seg.Start, seg.Start+n))
	block.Advance(n)
	return node
}

// tagLength returns the length of the opening or closing tag b starts with, as goldmark's expressions
// for them match it (CommonMark's raw HTML), or 0 when b does not start with one that ends within b:
//
//	open tag:    <name (ws+ attr (ws* = ws* value)?)* (space|newline)* /? >
//	closing tag: </name (space|newline)* >
//
// where name is [A-Za-z][A-Za-z0-9-]*, attr [a-zA-Z_:][a-zA-Z0-9:._-]*, ws [\r\n \t], a value unquoted
// ([^"'=<>`\x00-\x20]+) or in single or double quotes, and (space|newline) a space, a tab, \n or \r\n.
// Every part is matched greedily: the grammar leaves no choice that a shorter match could take.
func tagLength(b []byte) int {
	if len(b) < 3 || b[0] != '<' {
		return 0
	}
	i := 1
	closing := b[i] == '/'
	if closing {
		i++
	}
	if i >= len(b) || !isASCIILetter(b[i]) {
		return 0
	}
	for i++; i < len(b) && (isASCIILetter(b[i]) || isDigit(b[i]) || b[i] == '-'); i++ {
	}
	for !closing {
		j := skipTagSpace(b, i)
		if j == i || j >= len(b) || !(isASCIILetter(b[j]) || b[j] == '_' || b[j] == ':') {
			break // what follows is for the end of the tag
		}
		for j++; j < len(b) && isAttrNameByte(b[j]); j++ {
		}
		i = j
		if k := skipTagSpace(b, j); k < len(b) && b[k] == '=' {
			k = skipTagSpace(b, k+1)
			v := attrValueLength(b[k:])
			if v == 0 {
				return 0 // "name =" without a value: no tag (or one whose value runs onto the next line)
			}
			i = k + v
		}
	}
	for i < len(b) {
		if c := b[i]; c == ' ' || c == '\t' || c == '\n' {
			i++
		} else if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i += 2
		} else {
			break
		}
	}
	if !closing && i < len(b) && b[i] == '/' {
		i++
	}
	if i < len(b) && b[i] == '>' {
		return i + 1
	}
	return 0
}

// skipTagSpace skips [\r\n \t]*.
func skipTagSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAttrNameByte(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || c == ':' || c == '.' || c == '_' || c == '-'
}

// attrValueLength returns the length of the attribute value b starts with, 0 when there is none that
// ends within b.
func attrValueLength(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	if q := b[0]; q == '\'' || q == '"' {
		for i := 1; i < len(b); i++ {
			if b[i] == q {
				return i + 1
			}
		}
		return 0
	}
	i := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"', '\'', '=', '<', '>', '`':
			return i
		default:
			if c <= 0x20 {
				return i
			}
		}
		i++
	}
	return i
}
