package whitespace

import (
	"strings"
	"testing"
)

func ref(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestCollapse compares Collapse with strings.Fields, on text that needs work from its start and on text
// that is collapsed already for some or all of its length.
func TestCollapse(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", " ", "a", "  a  b\t\nc  ", "é\u00a0ü\u2003x", "a\u0085b", "\xff \xfe", "one two",
		// Collapsed already, or up to a point (the read-only start of Collapse).
		"one two three", "one two  three", "one two three ", " one two", "one two\tthree", "one two\u00a0three",
		"one two é", "one é two", "a b", "a ", "a  ", "ab cd\nef gh  ij\n\n"} {
		if got := CollapseString(s); got != ref(s) {
			t.Errorf("CollapseString(%q) = %q, want %q", s, got, ref(s))
		}
	}
}

// FuzzCollapse: Collapse is strings.Join(strings.Fields(s), " "), invalid UTF-8 included.
func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", "  a  b ", "x\u3000y", "\xc3 \xa9", "one two three", "one two  x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := CollapseString(s); got != ref(s) {
			t.Errorf("CollapseString(%q) = %q, want %q", s, got, ref(s))
		}
	})
}

// BenchmarkCollapse collapses text like a note's: words, single spaces, a few line breaks and runs of
// indentation, some non-ASCII.
func BenchmarkCollapse(b *testing.B) {
	text := []byte(strings.Repeat("Amazon Athena queries data in S3 with standard SQL;\n  results are stored — café au lait.\n\n", 200))
	buf := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		copy(buf, text)
		Collapse(buf)
	}
}
