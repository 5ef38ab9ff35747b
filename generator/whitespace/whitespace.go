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
// without a copy. It looks at each byte once, writing it where it goes: ASCII is told apart by a table,
// and only other bytes are decoded. Text whose words are one space apart already, as most of a
// section's is, is only read, up to the first place where something must move.
func Collapse(b []byte) int {
	i := 0
	for i < len(b) {
		if byteClass[b[i]] == wordByte {
			i++
		} else if b[i] == ' ' && i > 0 && i+1 < len(b) && byteClass[b[i+1]] == wordByte {
			i += 2 // one space between two ASCII words stays
		} else {
			break
		}
	}
	w := i         // bytes kept so far, ending in a word if any; never ahead of i, since each separator written stands for a byte skipped
	space := false // a separator is owed before the next word
	for i < len(b) {
		c := b[i]
		switch byteClass[c] {
		case wordByte:
			if space {
				b[w] = ' '
				w++
				space = false
			}
			for { // the rest of the ASCII run, without looking at space again
				b[w] = c
				w++
				i++
				if i == len(b) {
					return w
				}
				if c = b[i]; byteClass[c] != wordByte {
					break
				}
			}
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
