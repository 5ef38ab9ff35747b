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
func tokenizeWords(text string, emit func(whole string, parts []string)) {
	folded := foldString(text)
	rs := []rune(folded)
	var run []rune
	flush := func() {
		if len(run) > 0 {
			emitRun(run, emit)
			run = run[:0]
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isCJK(r):
			flush()
			emit(string(r), nil)
		case isWord(r):
			run = append(run, r)
		case (r == '\'' || r == '\u2019') && len(run) > 0 && i+1 < len(rs) && (rs[i+1] == 's' || rs[i+1] == 'S') &&
			(i+2 == len(rs) || !isWord(rs[i+2]) || isCJK(rs[i+2])):
			i++ // possessive 's: drop it and end the word
			flush()
		default:
			flush()
		}
	}
	flush()
}

// emitRun lower-cases a run of word characters and splits it at underscores and ASCII camelCase
// boundaries (fooBar, HTTPServer, s3Bucket; a plural acronym such as DPUs stays whole).
func emitRun(run []rune, emit func(whole string, parts []string)) {
	hasAlnum := false
	for _, r := range run {
		if r != '_' {
			hasAlnum = true
			break
		}
	}
	if !hasAlnum {
		return
	}
	whole := lowerCap(run)
	var parts []string
	start := -1
	for i, r := range run {
		if r == '_' {
			if start >= 0 {
				parts = append(parts, lowerCap(run[start:i]))
				start = -1
			}
			continue
		}
		if start >= 0 && isUpper(r) && i > start {
			p := run[i-1]
			if isLower(p) || isDigit(p) || (isUpper(p) && i+2 < len(run) && isLower(run[i+1]) && isLower(run[i+2])) {
				parts = append(parts, lowerCap(run[start:i]))
				start = i
			}
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		parts = append(parts, lowerCap(run[start:]))
	}
	if len(parts) == 1 && parts[0] == whole {
		parts = nil
	}
	emit(whole, parts)
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
