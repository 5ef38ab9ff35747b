package site

import (
	"encoding/binary"
	"errors"
	"os"
	"slices"
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
	mu      sync.Mutex
	f       *os.File
	name    string // removed at close; "" once removed
	end     int64  // bytes handed out so far
	pend    []byte // the bytes from pendAt on, not yet written: written a batch at a time
	pendAt  int64  // where pend goes in the file
	kept    []kept // batches that could not be written, read from memory instead
	writing sync.WaitGroup
	batches sync.Pool  // spare batch buffers
	at      []spillRef // each note's HTML
	text    []spillRef // each note's sections' text
	err     error      // the first failure: every later put fails too
}

type spillRef struct {
	off int64
	n   int
}

// kept is a batch whose write failed: its notes were handed over as written, so it stays in memory.
type kept struct {
	at int64
	b  []byte
}

// spillBatch is how many bytes are gathered before they are written: one system call per note was a
// tenth of a second of a large site's build.
const spillBatch = 256 << 10

// newSpill makes room for n notes; the file is made at the first put.
func newSpill(n int) *spill { return &spill{at: make([]spillRef, n), text: make([]spillRef, n)} }

// put writes note i's HTML to the file and reports whether it did (false: keep it in memory).
func (s *spill) put(i int, html string) bool {
	if s == nil || html == "" {
		return false
	}
	r, ok := s.write(func(b []byte) []byte { return append(b, html...) })
	s.at[i] = r
	return ok
}

// putText writes the Body and Emphasis of note i's sections to the file and reports whether it did
// (false: keep them in memory). Each is its length (a uvarint) and its bytes.
func (s *spill) putText(i int, secs []markdown.Section) bool {
	if s == nil || len(secs) == 0 {
		return false
	}
	r, ok := s.write(func(b []byte) []byte {
		for _, sec := range secs {
			b = append(binary.AppendUvarint(b, uint64(len(sec.Body))), sec.Body...)
			b = append(binary.AppendUvarint(b, uint64(len(sec.Emphasis))), sec.Emphasis...)
		}
		return b
	})
	s.text[i] = r
	return ok
}

// write appends what fill appends at the end of the file, making it at the first write. The bytes are
// gathered into batches, each written on its own offset by the goroutine that fills it (no lock held):
// notes are written from every core at once. A batch whose write fails stays in memory, and every
// later put fails.
func (s *spill) write(fill func([]byte) []byte) (spillRef, bool) {
	s.mu.Lock()
	if s.f == nil && s.err == nil {
		s.open()
	}
	if s.err != nil {
		s.mu.Unlock()
		return spillRef{}, false
	}
	if s.pend == nil {
		s.pend, s.pendAt = s.batch(), s.end
	}
	n := len(s.pend)
	s.pend = fill(s.pend)
	r := spillRef{s.end, len(s.pend) - n}
	s.end += int64(r.n)
	var full []byte
	at := s.pendAt
	if len(s.pend) >= spillBatch {
		full, s.pend = s.pend, nil
		s.writing.Add(1)
	}
	s.mu.Unlock()
	if full != nil {
		s.writeBatch(full, at)
	}
	return r, true
}

func (s *spill) batch() []byte {
	if b, ok := s.batches.Get().([]byte); ok {
		return b[:0]
	}
	return make([]byte, 0, spillBatch+spillBatch/4)
}

func (s *spill) writeBatch(b []byte, at int64) {
	defer s.writing.Done()
	if _, err := s.f.WriteAt(b, at); err != nil {
		s.mu.Lock()
		s.kept = append(s.kept, kept{at, b})
		if s.err == nil {
			s.err = err
		}
		s.mu.Unlock()
		return
	}
	s.batches.Put(b)
}

// flush writes what is gathered and waits for every batch's write: the builder calls it once every
// note is put, before the first get.
func (s *spill) flush() {
	if s == nil {
		return
	}
	s.mu.Lock()
	b, at := s.pend, s.pendAt
	s.pend = nil
	if b != nil {
		s.writing.Add(1)
	}
	s.mu.Unlock()
	if b != nil {
		s.writeBatch(b, at)
	}
	s.writing.Wait()
	s.batches = sync.Pool{}
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

// has reports whether note i's HTML is in the file.
func (s *spill) has(i int) bool { return s != nil && s.at[i].n > 0 }

// get reads note i's HTML back into *buf (grown as needed, and kept grown): the string shares buf, and
// lasts until buf's next use (a page's own copy of its note's HTML was a twentieth of a build's
// allocation). A failed read (the disk went away) fails the build: the page cannot be made without it.
func (s *spill) get(i int, buf *[]byte) (string, error) { return s.readString(s.at[i], buf) }

// readString reads r back into *buf (grown as needed, and kept grown), as a string that shares buf
// and lasts until buf's next use.
func (s *spill) readString(r spillRef, buf *[]byte) (string, error) {
	b, err := s.readInto(r, (*buf)[:0])
	if err != nil {
		return "", err
	}
	*buf = b
	return unsafe.String(unsafe.SliceData(b), len(b)), nil
}

// spillBufs are the buffers pages read their notes' HTML back into (spill.get).
var spillBufs = sync.Pool{New: func() any { return new([]byte) }}

// hasText reports whether the text of note i's sections is in the file.
func (s *spill) hasText(i int) bool { return s != nil && s.text[i].n > 0 }

// getText appends the Body and Emphasis of note i's sections, read back, to into. They share one
// string, of the note's text, read into *buf (grown as needed, and kept grown): they last until buf's
// next use. The search index reads the text a few times over, each pass through a buffer of its own,
// and keeps none of it: a buffer of its own per note read was a tenth of the build's allocation, and
// as many fresh pages for the kernel to copy into.
func (s *spill) getText(i int, into []search.Text, buf *[]byte) ([]search.Text, error) {
	rest, err := s.readString(s.text[i], buf)
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

// readInto reads r back from the file (or from a batch that could not be written) into buf (its length
// r.n; its capacity grown when short). It must not be called before flush.
func (s *spill) readInto(r spillRef, buf []byte) ([]byte, error) {
	buf = slices.Grow(buf[:0], r.n)[:r.n]
	for _, k := range s.kept {
		if r.off >= k.at && r.off < k.at+int64(len(k.b)) {
			return buf[:copy(buf, k.b[r.off-k.at:][:r.n])], nil
		}
	}
	if _, err := s.f.ReadAt(buf, r.off); err != nil {
		return nil, err
	}
	return buf, nil
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
