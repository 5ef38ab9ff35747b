package search

import (
	"encoding/binary"
	"slices"
	"sort"
	"unicode/utf8"
	"unsafe"
)

//go:generate node gen/fold.js

// MaxTokenLen caps a token's length in code points; longer runs are truncated, so a hash or a base64
// blob in the notes cannot bloat the dictionary.
const MaxTokenLen = 32

// Tokenize splits text into search terms exactly as search.js's tokenize does (the shared fixture in
// testdata/tokenize.json proves it): each character is folded (NFKD, combining marks dropped,
// lower-cased, from the same Unicode data as the browser engine), a possessive 's is dropped, runs of
// letters, digits and underscores become terms, each Han/Hiragana/Katakana character is a term of its
// own, and an identifier (camelCase, snake_case) yields itself followed by its parts.
func Tokenize(text string) []string {
	var out []string
	tokenizeWords(text, func(whole string, parts []string) {
		out = append(out, whole)
		out = append(out, parts...)
	})
	return out
}

// tokenizeWords calls emit for every word with its identifier parts (nil unless the word splits): pieces
// of the folded text, so that a plain lower-case word costs no allocation, or of a lower-cased copy of
// the word when it has capitals.
func tokenizeWords(text string, emit func(whole string, parts []string)) {
	s := foldString(text)
	var buf [64]span
	spans := appendSpans(buf[:0], s)
	for i := 0; i < len(spans); {
		w := spans[i]
		j := i + 1
		end := w.to
		for ; j < len(spans) && spans[j].part; j++ {
			end = max(end, spans[j].to)
		}
		src, off := s, int32(0)
		if w.upper {
			src, off = string(appendLower(nil, s[w.from:end])), w.from
		}
		var parts []string
		for _, p := range spans[i+1 : j] {
			parts = append(parts, src[p.from-off:p.to-off])
		}
		emit(src[w.from-off:w.to-off], parts)
		i = j
	}
}

// termScan finds the terms of texts for one goroutine, with no allocation per term (see terms).
type termScan struct {
	spans []span
	low   []byte
	fold  []byte // the folded text, when it is not the text (foldString without a string each time)
}

// terms returns the terms of text (those of Tokenize, in order) as spans of low: its folded text with
// ASCII capitals lower-cased. Both hold until the next call.
func (t *termScan) terms(text string) (low []byte, spans []span) {
	s := text
	if i := asciiPrefix(text); i < len(text) {
		t.fold = appendFold(t.fold[:0], text, i)
		s = unsafe.String(unsafe.SliceData(t.fold), len(t.fold))
	}
	t.spans = appendSpans(t.spans[:0], s)
	t.low = appendLower(t.low[:0], s)
	return t.low, t.spans
}

// span is one term of a folded text: its bytes [from, to), ASCII lower-cased (lower-casing keeps every
// byte where it is). A word whose identifier parts are more than itself is followed by its parts.
type span struct {
	from, to int32
	part     bool // an identifier part of the word before
	upper    bool // of a word: it has capitals
}

// Kinds of characters in a word, as byteKind tells them: ASCII ones, and kindOther for any byte above
// ASCII (the character is decoded to know); 0 for ASCII that is not in a word.
const (
	kindLower uint8 = 1 << iota
	kindDigit
	kindUpper
	kindUnderscore
	kindOther
)

var byteKind = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = kindOther
		case isLower(rune(c)):
			t[c] = kindLower
		case isDigit(rune(c)):
			t[c] = kindDigit
		case isUpper(rune(c)):
			t[c] = kindUpper
		case c == '_':
			t[c] = kindUnderscore
		}
	}
	return t
}()

// appendSpans appends the terms of the folded text s to dst, in order: runs of letters, digits and
// underscores, each Han/Hiragana/Katakana character alone, a possessive 's dropped, and an identifier
// followed by its parts. It looks at each byte once, telling ASCII apart by a table, and a run again
// only when it holds capitals or underscores.
func appendSpans(dst []span, s string) []span {
	start := -1     // start of the current run of word characters
	var kinds uint8 // of the run's characters
	for i := 0; i < len(s); {
		c := s[i]
		if k := byteKind[c]; k != kindOther {
			if k != 0 { // the ASCII word characters from here on
				if start < 0 {
					start, kinds = i, 0
				}
				for {
					kinds |= k
					if i++; i == len(s) {
						break
					}
					if k = byteKind[s[i]]; k == 0 || k == kindOther {
						break
					}
				}
				continue
			}
			if start >= 0 {
				dst = appendWord(dst, s, start, i, kinds)
				if c == '\'' && possessiveAt(s, i+1) {
					i++ // skip the s as well
				}
				start = -1
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			if start >= 0 {
				dst = appendWord(dst, s, start, i, kinds)
				start = -1
			}
			dst = append(dst, span{from: int32(i), to: int32(i + n)})
		case isWord(r):
			if start < 0 {
				start, kinds = i, 0
			}
			kinds |= kindOther
		default:
			if start >= 0 {
				dst = appendWord(dst, s, start, i, kinds)
				if r == '\u2019' && possessiveAt(s, i+n) {
					n++ // skip the s as well
				}
				start = -1
			}
		}
		i += n
	}
	if start >= 0 {
		dst = appendWord(dst, s, start, len(s), kinds)
	}
	return dst
}

// possessiveAt reports whether s[i:] starts with an s or S that ends a word.
func possessiveAt(s string, i int) bool {
	if i >= len(s) || (s[i] != 's' && s[i] != 'S') {
		return false
	}
	if i+1 == len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i+1:])
	return !isWord(r) || isCJK(r)
}

// appendWord appends the run s[from:to] of word characters, of the given kinds, and its parts: it
// splits at underscores and ASCII camelCase boundaries (fooBar, HTTPServer, s3Bucket; a plural acronym
// such as DPUs stays whole). Every boundary is next to an ASCII character, so the run is split by bytes.
func appendWord(dst []span, s string, from, to int, kinds uint8) []span {
	if kinds < kindUpper && to-from <= MaxTokenLen { // only lower case and digits: most words, inlined
		return append(dst, span{from: int32(from), to: int32(to)})
	}
	return appendSplit(dst, s, from, to, kinds)
}

// appendSplit is appendWord for a word that may have parts or need truncating.
func appendSplit(dst []span, s string, from, to int, kinds uint8) []span {
	if kinds == kindUnderscore {
		return dst
	}
	upper := kinds&kindUpper != 0
	whole := span{from: int32(from), to: int32(capEnd(s, from, to)), upper: upper}
	dst = append(dst, whole)
	if kinds&kindUnderscore == 0 {
		// No underscores, and no capitals but the first letter ("Amazon", "S3", most words with
		// capitals): the word is its only part, which is not kept.
		i := from + 1
		for i < to && !isUpper(rune(s[i])) {
			i++
		}
		if i == to {
			return dst
		}
	}
	first := len(dst)
	part := func(from, to int) span { return span{from: int32(from), to: int32(capEnd(s, from, to)), part: true} }
	start := -1
	for i := from; i < to; i++ {
		c := s[i]
		if c == '_' {
			if start >= 0 {
				dst = append(dst, part(start, i))
				start = -1
			}
			continue
		}
		if start >= 0 && isUpper(rune(c)) && i > start {
			p := s[i-1]
			if isLower(rune(p)) || isDigit(rune(p)) || (isUpper(rune(p)) && i+2 < to && isLower(rune(s[i+1])) && isLower(rune(s[i+2]))) {
				dst = append(dst, part(start, i))
				start = i
			}
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, part(start, to))
	}
	if p := dst[first:]; len(p) == 1 && s[p[0].from:p[0].to] == s[whole.from:whole.to] {
		dst = dst[:first]
	}
	return dst
}

// capEnd is where s[from:to] ends when truncated to MaxTokenLen code points.
func capEnd(s string, from, to int) int {
	if to-from <= MaxTokenLen {
		return to
	}
	n := 0
	for i := range s[from:to] {
		if n == MaxTokenLen {
			return from + i
		}
		n++
	}
	return to
}

// appendLower appends s to b with ASCII capitals lower-cased, eight bytes at a time: the read pass
// lower-cases all of a site's text.
func appendLower(b []byte, s string) []byte {
	const ones = 0x0101010101010101
	n := len(b)
	b = append(b, s...)
	l := b[n:]
	i := 0
	for ; i+8 <= len(l); i += 8 {
		x := binary.LittleEndian.Uint64(l[i:])
		h := x & (0x7f * ones) // each byte below 0x80: adding to it carries into no other
		// the high bit of each byte of h that is 'A' or above, but not above 'Z', and of x below 0x80
		up := ((h + (0x80-'A')*ones) ^ (h + (0x7f-'Z')*ones)) &^ x & (0x80 * ones)
		if up != 0 {
			binary.LittleEndian.PutUint64(l[i:], x|up>>2) // 0x20 onto each capital
		}
	}
	for ; i < len(l); i++ {
		if c := l[i]; isUpper(rune(c)) {
			l[i] = c + 'a' - 'A'
		}
	}
	return b
}

func isUpper(r rune) bool { return r >= 'A' && r <= 'Z' }
func isLower(r rune) bool { return r >= 'a' && r <= 'z' }
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isWord(r rune) bool {
	if r < 0x80 {
		return isUpper(r) || isLower(r) || isDigit(r) || r == '_'
	}
	return inRanges(wordRanges[:], uint32(r))
}

func isCJK(r rune) bool { return r >= 0x2e80 && inRanges(cjkRanges[:], uint32(r)) }

// inRanges reports whether c lies in one of the inclusive [lo, hi] pairs of the sorted flat list.
func inRanges(flat []uint32, c uint32) bool {
	n := len(flat) / 2
	i := sort.Search(n, func(i int) bool { return flat[2*i+1] >= c })
	return i < n && flat[2*i] <= c
}

// asciiPrefix is the length of the longest prefix of s that is ASCII. It looks at eight bytes at a
// time: the notes' text is mostly ASCII, and foldString looks through all of it.
func asciiPrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if x&0x8080808080808080 != 0 {
			break
		}
	}
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// foldString maps every character to its folded form, keeping ASCII (and its case, needed for camelCase
// splitting) as it is. Runs of ASCII are copied whole.
func foldString(s string) string {
	i := asciiPrefix(s)
	if i == len(s) {
		return s
	}
	return string(appendFold(make([]byte, 0, len(s)+len(s)/8), s, i))
}

// appendFold appends foldString(s) to b, s[:i] being ASCII.
func appendFold(b []byte, s string, i int) []byte {
	b = append(b, s[:i]...)
	for i < len(s) {
		j := i + asciiPrefix(s[i:])
		b = append(b, s[i:j]...)
		if j == len(s) {
			break
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		i = j + n
		switch {
		case r == utf8.RuneError:
			b = append(b, ' ')
		case r >= 0xac00 && r <= 0xd7a3: // Hangul syllable: canonical decomposition into jamo
			si := r - 0xac00
			b = utf8.AppendRune(b, 0x1100+si/588)
			b = utf8.AppendRune(b, 0x1161+(si%588)/28)
			if t := si % 28; t != 0 {
				b = utf8.AppendRune(b, 0x11a7+t)
			}
		default:
			if k, ok := slices.BinarySearch(foldKeys[:], uint32(r)); ok {
				b = append(b, foldData[foldOffs[k]:foldOffs[k+1]]...)
			} else {
				b = append(b, s[j:i]...)
			}
		}
	}
	return b
}
