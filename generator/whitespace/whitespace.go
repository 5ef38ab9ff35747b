// Package whitespace holds the one whitespace collapse the stages share: the markdown stage's section text,
// the tip boxes' text and ids, and the search index's excerpts all reduce white space the way
// strings.Fields does, and must agree byte for byte.
package whitespace

import (
	"unicode"
	"unicode/utf8"
)

// Collapse moves the words of b (split as strings.Fields splits them: at ASCII and Unicode white
// space) to its start, one space apart, and returns their length: strings.Join(strings.Fields(b), " ")
// without a copy. ASCII is told apart by a table, and only other bytes are decoded. A stretch of ASCII
// words one space apart, as most of a section's text is, stays as it is: it is read once to find its
// end and moved in one copy, or not at all while nothing before it was dropped.
func Collapse(b []byte) int {
	w := 0         // bytes kept so far; never ahead of i, since each separator written stands for a byte skipped
	space := false // a separator is owed before the next word
	for i := 0; i < len(b); {
		c := b[i]
		switch byteClass[c] {
		case wordByte:
			if space {
				b[w] = ' '
				w++
				space = false
			}
			j := i + 1
			for j < len(b) {
				if byteClass[b[j]] == wordByte {
					j++
				} else if b[j] == ' ' && j+1 < len(b) && byteClass[b[j+1]] == wordByte {
					j += 2
				} else {
					break
				}
			}
			if w != i {
				copy(b[w:], b[i:j])
			}
			w += j - i
			i = j
			continue
		case spaceByte:
			space = w > 0
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if unicode.IsSpace(r) {
			space = w > 0
			i += size
			continue
		}
		if space {
			b[w] = ' '
			w++
			space = false
		}
		w += copy(b[w:], b[i:i+size])
		i += size
	}
	return w
}

// Byte classes for Collapse.
const (
	wordByte  = iota // ASCII, not white space
	spaceByte        // ASCII white space, as bytes.Fields has it: \t \n \v \f \r and ' '
	otherByte        // not ASCII: decode the rune
)

var byteClass = func() (t [256]uint8) {
	for c := range t {
		switch c {
		case '\t', '\n', '\v', '\f', '\r', ' ':
			t[c] = spaceByte
		default:
			if c >= utf8.RuneSelf {
				t[c] = otherByte
			}
		}
	}
	return t
}()

// CollapseString is Collapse for a string.
func CollapseString(s string) string {
	b := []byte(s)
	return string(b[:Collapse(b)])
}
