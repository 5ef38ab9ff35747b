package search

import (
	"sort"
	"strings"
	"unicode/utf8"
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

// tokenizeWords calls emit for every word with its identifier parts (nil unless the word splits).
// It walks the folded text by byte offsets so that a plain lower-case word costs no allocation.
func tokenizeWords(text string, emit func(whole string, parts []string)) {
	s := foldString(text)
	start := -1 // start of the current run of word characters
	flush := func(end int) {
		if start >= 0 {
			emitRun(s[start:end], emit)
			start = -1
		}
	}
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= 0x80 {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r >= 0x80 && isCJK(r):
			flush(i)
			emit(s[i:i+n], nil)
		case isWord(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '\u2019') && start >= 0 && possessiveAt(s, i+n):
			flush(i)
			n++ // skip the s as well
		default:
			flush(i)
		}
		i += n
	}
	flush(len(s))
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

// emitRun lower-cases a run of word characters and splits it at underscores and ASCII camelCase
// boundaries (fooBar, HTTPServer, s3Bucket; a plural acronym such as DPUs stays whole).
func emitRun(run string, emit func(whole string, parts []string)) {
	plain, alnum, ascii := true, false, true
	for i := 0; i < len(run); i++ {
		c := run[i]
		if c == '_' || (c >= 'A' && c <= 'Z') {
			plain = false
		}
		if c != '_' {
			alnum = true
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !alnum {
		return
	}
	if plain { // no capitals, no underscores: the run is its own token, and has no parts
		emit(capToken(run), nil)
		return
	}
	if ascii {
		emitASCIIRun(run, emit)
		return
	}
	rs := []rune(run)
	whole := lowerCap(rs)
	var parts []string
	start := -1
	for i, r := range rs {
		if r == '_' {
			if start >= 0 {
				parts = append(parts, lowerCap(rs[start:i]))
				start = -1
			}
			continue
		}
		if start >= 0 && isUpper(r) && i > start {
			p := rs[i-1]
			if isLower(p) || isDigit(p) || (isUpper(p) && i+2 < len(rs) && isLower(rs[i+1]) && isLower(rs[i+2])) {
				parts = append(parts, lowerCap(rs[start:i]))
				start = i
			}
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		parts = append(parts, lowerCap(rs[start:]))
	}
	if len(parts) == 1 && parts[0] == whole {
		parts = nil
	}
	emit(whole, parts)
}

// emitASCIIRun is emitRun's split of an ASCII run with capitals or underscores: one byte a character,
// so the whole and every part are pieces of one lower-cased copy of the run.
func emitASCIIRun(run string, emit func(whole string, parts []string)) {
	var buf [64]byte // most runs are lowered here, so that making the string is their one allocation
	b := buf[:0]
	if len(run) > len(buf) {
		b = make([]byte, 0, len(run))
	}
	for i := 0; i < len(run); i++ {
		c := run[i]
		if isUpper(rune(c)) {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	low := string(b)
	piece := func(from, to int) string { return low[from:min(to, from+MaxTokenLen)] }
	whole := piece(0, len(low))
	// the list of parts is made at the second: most such runs are a capitalised word, one part
	var first string
	var parts []string
	n := 0
	add := func(p string) {
		if n == 1 {
			parts = append(parts, first)
		}
		if n == 0 {
			first = p
		} else {
			parts = append(parts, p)
		}
		n++
	}
	start := -1
	for i := 0; i < len(run); i++ {
		r := rune(run[i])
		if r == '_' {
			if start >= 0 {
				add(piece(start, i))
				start = -1
			}
			continue
		}
		if start >= 0 && isUpper(r) && i > start {
			p := rune(run[i-1])
			if isLower(p) || isDigit(p) || (isUpper(p) && i+2 < len(run) && isLower(rune(run[i+1])) && isLower(rune(run[i+2]))) {
				add(piece(start, i))
				start = i
			}
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		add(piece(start, len(run)))
	}
	if n == 1 && first != whole {
		parts = []string{first}
	}
	emit(whole, parts)
}

// capToken truncates s to MaxTokenLen code points.
func capToken(s string) string {
	if len(s) <= MaxTokenLen {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxTokenLen {
			return s[:i]
		}
		n++
	}
	return s
}

func lowerCap(rs []rune) string {
	if len(rs) > MaxTokenLen {
		rs = rs[:MaxTokenLen]
	}
	b := make([]byte, 0, len(rs))
	for _, r := range rs {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
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

// foldString maps every character to its folded form, keeping ASCII (and its case, needed for camelCase
// splitting) as it is.
func foldString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		if r == utf8.RuneError {
			b.WriteRune(' ')
			continue
		}
		if r >= 0xac00 && r <= 0xd7a3 { // Hangul syllable: canonical decomposition into jamo
			si := r - 0xac00
			b.WriteRune(0x1100 + si/588)
			b.WriteRune(0x1161 + (si%588)/28)
			if t := si % 28; t != 0 {
				b.WriteRune(0x11a7 + t)
			}
			continue
		}
		c := uint32(r)
		i := sort.Search(len(foldKeys), func(i int) bool { return foldKeys[i] >= c })
		if i < len(foldKeys) && foldKeys[i] == c {
			b.WriteString(foldData[foldOffs[i]:foldOffs[i+1]])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
