package site

import (
	"os"
	"sync"
)

// spill holds the notes' rendered HTML between the two passes in a temporary file instead of the heap.
//
// Pass 2 cannot start before every note is parsed (a page shows its neighbours' titles and links service
// mentions to homes found in all notes), so a build without a Cache held every note's HTML at once: on
// the 3,335-page AWS corpus that was 33 MB, half of the live heap at its peak, and the peak resident
// memory is about twice the live heap. Written to a file, the bytes wait in the operating system's page
// cache, which another program's need can reclaim, and are read back once, when the page renders.
//
// The file is removed as soon as it is open where the system allows it (nothing is left behind if the
// build is killed), and at close otherwise. When it cannot be made or written, the HTML stays in memory:
// put reports false and the caller keeps it.
type spill struct {
	mu   sync.Mutex
	f    *os.File
	name string // removed at close; "" once removed
	end  int64  // bytes handed out so far
	at   []spillRef
	err  error // the first failure: every later put fails too
}

type spillRef struct {
	off int64
	n   int
}

// newSpill makes room for n notes; the file is made at the first put.
func newSpill(n int) *spill { return &spill{at: make([]spillRef, n)} }

// put writes note i's HTML to the file and reports whether it did (false: keep it in memory).
func (s *spill) put(i int, html string) bool {
	if s == nil || html == "" {
		return false
	}
	s.mu.Lock()
	if s.f == nil && s.err == nil {
		s.open()
	}
	if s.err != nil {
		s.mu.Unlock()
		return false
	}
	off := s.end
	s.end += int64(len(html))
	f := s.f
	s.mu.Unlock()
	// Writes at their own offsets need no lock: notes are written from every core at once.
	if _, err := f.WriteAt([]byte(html), off); err != nil {
		s.fail(err)
		return false
	}
	s.at[i] = spillRef{off, len(html)}
	return true
}

// open makes the file. The caller holds s.mu.
func (s *spill) open() {
	f, err := os.CreateTemp("", "lectern-pass1-*")
	if err != nil {
		s.err = err
		return
	}
	s.f, s.name = f, f.Name()
	if os.Remove(s.name) == nil {
		s.name = "" // unlinked while open: the file goes when the build does, however it ends
	}
}

func (s *spill) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

// has reports whether note i's HTML is in the file.
func (s *spill) has(i int) bool { return s != nil && s.at[i].n > 0 }

// get reads note i's HTML back. A failed read (the disk went away) fails the build: the page cannot be
// made without it.
func (s *spill) get(i int) (string, error) {
	r := s.at[i]
	b := make([]byte, r.n)
	if _, err := s.f.ReadAt(b, r.off); err != nil {
		return "", err
	}
	return string(b), nil
}

// close removes the file. Safe to call on a nil spill and more than once.
func (s *spill) close() {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	if s.name != "" {
		os.Remove(s.name)
		s.name = ""
	}
	s.err = os.ErrClosed
}
