package output

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// WriteLent gives the bytes back exactly once whatever becomes of the file (written, kept as the
// destination already holds it, refused), and only after the file is in the staging folder or kept: a
// caller refilling the buffer at once must not change what is written.
func TestWriteLentGivesBytesBackOnce(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"kept.html": "same", "changed.html": "old"})
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	var _ Lender = st
	calls := map[string]*atomic.Int32{}
	lend := func(rel, data string) error {
		n := new(atomic.Int32)
		calls[rel] = n
		buf := []byte(data)
		return st.WriteLent(rel, buf, func() {
			n.Add(1)
			for i := range buf {
				buf[i] = 'X' // the buffer is used again at once
			}
		})
	}
	for _, f := range []struct{ rel, data string }{{"kept.html", "same"}, {"changed.html", "new"}, {"a/new.html", "fresh"}} {
		if err := lend(f.rel, f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := lend("../outside.html", "no"); err == nil {
		t.Error("a path outside the destination was taken")
	}
	if err := lend("a", "a file where a folder is"); err == nil {
		t.Error("a file in the way of a folder was taken")
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	for rel, n := range calls {
		if got := n.Load(); got != 1 {
			t.Errorf("%s: done called %d times, want once", rel, got)
		}
	}
	for rel, want := range map[string]string{"kept.html": "same", "changed.html": "new", "a/new.html": "fresh"} {
		if b, err := os.ReadFile(filepath.Join(dest, rel)); err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", rel, b, err, want)
		}
	}
}
