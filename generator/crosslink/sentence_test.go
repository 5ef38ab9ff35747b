package crosslink

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// refSentenceAround and refIsSentenceEnd are what sentenceAround and isSentenceEnd were before they read
// bytes instead of a string, kept as the reference they must agree with.
func refSentenceAround(text string, start, end int) string {
	from := max(0, start-2*maxSentence)
	for i := start - 1; i > from; i-- {
		if refIsSentenceEnd(text, i) {
			from = i + 1
			break
		}
	}
	for from > 0 && from < len(text) && !utf8.RuneStart(text[from]) {
		from++
	}
	to := min(len(text), end+2*maxSentence)
	for i := end; i < to; i++ {
		if refIsSentenceEnd(text, i) {
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

func refIsSentenceEnd(text string, i int) bool {
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

// FuzzSentenceAround checks sentenceAround and isSentenceEnd against their references, for a mention
// at every place of the text.
func FuzzSentenceAround(f *testing.F) {
	long := strings.Repeat("Glue crawls S3 and more words follow here, ", 20)
	for _, s := range []string{"", "Use S3. Then Glue! Done?", "See e.g. S3 and I.E. Glue etc. here.", "İ.E. X. İncl. y. ÉTC. z",
		"Vs. Approx. APPROX. incl. x", long + "Glue. " + long, "\xff. \xe2\x80. ab", "émoji 😀. next. ", "a.b.c. d"} {
		f.Add(s, uint(3), uint(4))
	}
	f.Fuzz(func(t *testing.T, s string, at, n uint) {
		for i := range len(s) {
			if got, want := isSentenceEnd([]byte(s), i), refIsSentenceEnd(s, i); got != want {
				t.Fatalf("isSentenceEnd(%q, %d) = %v, want %v", s, i, got, want)
			}
		}
		if len(s) == 0 {
			return
		}
		start := int(at % uint(len(s)))
		end := start + int(n%uint(len(s)-start+1))
		if got, want := sentenceAround([]byte(s), start, end), refSentenceAround(s, start, end); got != want {
			t.Fatalf("sentenceAround(%q, %d, %d) = %q, want %q", s, start, end, got, want)
		}
	})
}
