package site

import (
	"encoding/binary"
	"errors"
	"os"
	"sync"
	"unsafe"

	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/search"
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
//
// The sections' text (Body and Emphasis), which only the search index reads after pass 1, waits in the
// same file (putText) until the search stage reads it back a note at a time (text): on the AWS corpus
// that was another 12 MB of the live heap, held until the index was made.
type spill struct {
	mu   sync.Mutex
	f    *os.File
	name string     // removed at close; "" once removed
	end  int64      // bytes handed out so far
	at   []spillRef // each note's HTML
	text []spillRef // each note's sections' text
	err  error      // the first failure: every later put fails too
}

type spillRef struct {
	off int64
	n   int
}

// newSpill makes room for n notes; the file is made at the first put.
func newSpill(n int) *spill { return &spill{at: make([]spillRef, n), text: make([]spillRef, n)} }

// put writes note i's HTML to the file and reports whether it did (false: keep it in memory).
func (s *spill) put(i int, html string) bool {
	if s == nil || html == "" {
		return false
	}
	r, ok := s.write(unsafe.Slice(unsafe.StringData(html), len(html))) // only read
	s.at[i] = r
	return ok
}

// putText writes the Body and Emphasis of note i's sections to the file and reports whether it did
// (false: keep them in memory). Each is its length (a uvarint) and its bytes.
func (s *spill) putText(i int, secs []markdown.Section) bool {
	if s == nil || len(secs) == 0 {
		return false
	}
	n := 0
	for _, sec := range secs {
		n += len(sec.Body) + len(sec.Emphasis) + 2*binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	for _, sec := range secs {
		b = append(binary.AppendUvarint(b, uint64(len(sec.Body))), sec.Body...)
		b = append(binary.AppendUvarint(b, uint64(len(sec.Emphasis))), sec.Emphasis...)
	}
	r, ok := s.write(b)
	s.text[i] = r
	return ok
}

// write writes b at the end of the file, making it at the first write.
func (s *spill) write(b []byte) (spillRef, bool) {
	s.mu.Lock()
	if s.f == nil && s.err == nil {
		s.open()
	}
	if s.err != nil {
		s.mu.Unlock()
		return spillRef{}, false
	}
	off := s.end
	s.end += int64(len(b))
	f := s.f
	s.mu.Unlock()
	// Writes at their own offsets need no lock: notes are written from every core at once.
	if _, err := f.WriteAt(b, off); err != nil {
		s.fail(err)
		return spillRef{}, false
	}
	return spillRef{off, len(b)}, true
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
func (s *spill) get(i int) (string, error) { return s.read(s.at[i]) }

// hasText reports whether the text of note i's sections is in the file.
func (s *spill) hasText(i int) bool { return s != nil && s.text[i].n > 0 }

// getText appends the Body and Emphasis of note i's sections, read back, to into. They share one
// string, of the note's text.
func (s *spill) getText(i int, into []search.Text) ([]search.Text, error) {
	rest, err := s.read(s.text[i])
	if err != nil {
		return into, err
	}
	next := func() (string, bool) {
		n, k := binary.Uvarint(unsafe.Slice(unsafe.StringData(rest), min(len(rest), binary.MaxVarintLen64)))
		if k <= 0 || uint64(len(rest)-k) < n {
			return "", false
		}
		t := rest[k : k+int(n)]
		rest = rest[k+int(n):]
		return t, true
	}
	for rest != "" {
		body, ok1 := next()
		emph, ok2 := next()
		if !ok1 || !ok2 {
			return into, errCorrupt
		}
		into = append(into, search.Text{Body: body, Emphasis: emph})
	}
	return into, nil
}

var errCorrupt = errors.New("the temporary file does not hold what was written to it")

// read reads r back from the file, into a string of its own.
func (s *spill) read(r spillRef) (string, error) {
	b := make([]byte, r.n)
	if _, err := s.f.ReadAt(b, r.off); err != nil {
		return "", err
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), nil // b is not written again
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
