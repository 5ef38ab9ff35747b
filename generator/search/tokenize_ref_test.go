package search

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// The rune-by-rune tokenizer (and folding) the optimised one replaced, kept as the reference it must match.

func refTokenize(text string) []string {
	var out []string
	refTokenizeWords(text, func(whole string, parts []string) {
		out = append(out, whole)
		out = append(out, parts...)
	})
	return out
}

// refTokenizeWords calls emit for every word with its identifier parts (nil unless the word splits).
func refTokenizeWords(text string, emit func(whole string, parts []string)) {
	folded := refFoldString(text)
	rs := []rune(folded)
	var run []rune
	flush := func() {
		if len(run) > 0 {
			refEmitRun(run, emit)
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

// refEmitRun lower-cases a run of word characters and splits it at underscores and ASCII camelCase
// boundaries (fooBar, HTTPServer, s3Bucket; a plural acronym such as DPUs stays whole).
func refEmitRun(run []rune, emit func(whole string, parts []string)) {
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

// FuzzTokenizeReference checks that Tokenize (and termScan, which the index reads its terms with) gives exactly what the straightforward rune-by-rune
// tokenizer gives (the fixture only pins the cases listed in it).
func FuzzTokenizeReference(f *testing.F) {
	for _, c := range tokenInputs {
		f.Add(c.In)
	}
	f.Add("x's y\u2019S z's_ a'sb 's")
	f.Fuzz(func(t *testing.T, s string) {
		got, want := Tokenize(s), refTokenize(s)
		if len(got) != len(want) {
			t.Fatalf("Tokenize(%q) = %q, reference %q", s, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("Tokenize(%q) = %q, reference %q", s, got, want)
			}
		}
		var scan termScan // the index's reader of terms, which gives them as pieces of one lowered copy
		low, spans := scan.terms(s)
		terms := make([]string, len(spans))
		for i, w := range spans {
			terms[i] = string(low[w.from:w.to])
		}
		if strings.Join(terms, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("termScan.terms(%q) = %q, reference %q", s, terms, want)
		}
	})
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

// refFoldString maps every character to its folded form, keeping ASCII as it is, a rune at a time.
func refFoldString(s string) string {
	var b strings.Builder
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
