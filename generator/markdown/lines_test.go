package markdown

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestLineCursor compares the cursor with a table of line starts searched for every offset, for offsets
// in order, back and forth (past the budget that makes the cursor build its own table) and past the end.
func TestLineCursor(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "\n", "one line", "a\nb\n", "\n\n\nx\n\ny", "# T\n\ntext\r\nmore\n\n- a\n- b\n"}
	for range 20 {
		var b bytes.Buffer
		for range rng.IntN(200) {
			switch rng.IntN(4) {
			case 0:
				b.WriteByte('\n')
			default:
				b.WriteString("wörds ")
			}
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		src := []byte(text)
		starts := appendLineStarts(nil, src)
		want := func(off int) (int, int) {
			i := sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
			return i, off - starts[i] + 1
		}
		var c lineCursor
		c.reset(src)
		offsets := []int{0}
		for i := 0; i <= len(src)+2; i++ {
			offsets = append(offsets, i)
		}
		for range 20 * (len(src) + 1) {
			offsets = append(offsets, rng.IntN(len(src)+3))
		}
		for _, off := range offsets {
			line, col := want(off)
			if got := c.index(off); got != line {
				t.Fatalf("%q: line of offset %d = %d, want %d (table %v)", text, off, got, line, c.table)
			}
			if got := c.column(off); got != col {
				t.Fatalf("%q: column of offset %d = %d, want %d", text, off, got, col)
			}
		}
		if len(src) > 100 && !c.table {
			t.Errorf("%q: the cursor went back and forth %d bytes without making a table", text, c.moved)
		}
	}
}
