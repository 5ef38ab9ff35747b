package site

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestSpillRoundTrip(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	s := newSpill(200)
	want := make([]string, 200)
	var wg sync.WaitGroup
	for i := range want {
		want[i] = strings.Repeat(fmt.Sprintf("<p>note %d é</p>", i), i%7)
		wg.Go(func() {
			if ok := s.put(i, want[i]); ok != (want[i] != "") {
				t.Errorf("put(%d) = %v", i, ok)
			}
		})
	}
	wg.Wait()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the file is still listed while open: %v (it should be unlinked)", left)
	}
	for i, w := range want {
		if !s.has(i) {
			if w != "" {
				t.Errorf("note %d not in the file", i)
			}
			continue
		}
		got, err := s.get(i)
		if err != nil || got != w {
			t.Errorf("get(%d) = %q, %v; want %q", i, got, err, w)
		}
	}
	s.close()
	s.close()
	if s.put(0, "x") {
		t.Error("put after close succeeded")
	}
}

// A spill that cannot make its file leaves the HTML with the caller, and the build goes on.
func TestSpillWithoutTempFolder(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()+"/missing")
	s := newSpill(1)
	if s.put(0, "<p>x</p>") || s.has(0) {
		t.Error("put reported success without a file")
	}
	s.close()
	var none *spill
	if none.put(0, "x") || none.has(0) {
		t.Error("a nil spill holds nothing")
	}
	none.close()
}
