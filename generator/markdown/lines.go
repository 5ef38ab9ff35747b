package markdown

import (
	"bytes"
	"sort"
)

// lineCursor turns byte offsets of a note's markdown into 0-based line indexes. Parse asks for the lines
// of headings, tip boxes, links and diagnostics, each list in document order: counting the newlines
// between one offset and the next costs less than a table of every line start (8 bytes a line, made
// for every note). A note whose offsets jump back and forth more than a few times its length gets the
// table after all, so no note costs more than a few passes over its text and a binary search per offset.
// A jump back is counted from the start of the note when that is nearer, so each list costs about one
// pass.
type lineCursor struct {
	src    []byte
	off    int // the offset last asked about, at most len(src)
	line   int // the newlines before off
	moved  int // bytes counted over so far
	starts []int
	table  bool // starts holds every line start
}

// reset points the cursor at the start of src, keeping the table's space for the next note.
func (c *lineCursor) reset(src []byte) {
	c.src, c.off, c.line, c.moved, c.table = src, 0, 0, 0, false
	c.starts = c.starts[:0]
}

// index returns how many newlines precede offset (which is at least 0): its 0-based line.
func (c *lineCursor) index(offset int) int {
	offset = min(offset, len(c.src))
	if c.table {
		return sort.Search(len(c.starts), func(i int) bool { return c.starts[i] > offset }) - 1
	}
	switch {
	case offset >= c.off:
		c.line += bytes.Count(c.src[c.off:offset], newline)
		c.moved += offset - c.off
	case offset < c.off-offset:
		// Back to near the start, as each list after the first begins: counting from there is shorter.
		c.line = bytes.Count(c.src[:offset], newline)
		c.moved += offset
	default:
		c.line -= bytes.Count(c.src[offset:c.off], newline)
		c.moved += c.off - offset
	}
	c.off = offset
	if c.moved > 4*len(c.src)+4096 {
		c.starts = appendLineStarts(c.starts[:0], c.src)
		c.table = true
	}
	return c.line
}

// column returns the 1-based column of offset (at least 0), counted in bytes from the start of its line.
func (c *lineCursor) column(offset int) int {
	return offset - (bytes.LastIndexByte(c.src[:min(offset, len(c.src))], '\n') + 1) + 1
}

var newline = []byte{'\n'}

// appendLineStarts appends the offset of every line start of b to starts.
func appendLineStarts(starts []int, b []byte) []int {
	starts = append(starts, 0)
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}
