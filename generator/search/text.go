package search

import (
	"errors"
	"sync"
)

// Text is a doc's Body and Emphasis, as Options.Text gives them back.
type Text struct{ Body, Emphasis string }

// TextBuffer is the room one reader of a Build's text lends Options.Text: Text may read the text into
// Bytes and list it in Texts (growing them; the reader keeps them grown), and give back Texts backed by
// Bytes, so that a pass over the site's text does not allocate it anew for every note. Text given back
// in a buffer lasts until the next call with the same buffer: nothing in a Build keeps it longer
// without a copy.
type TextBuffer struct {
	Bytes []byte
	Texts []Text
}

// textBuffers are the buffers of readers released (a text chunk is made with a reader of its own).
var textBuffers = sync.Pool{New: func() any { return new(TextBuffer) }}

// errTextWithCache is the error of a Build or EntryFor given both Options.Text and Options.Cache: a
// Cache compares each doc's text with the next build's, so it needs the text in the docs.
var errTextWithCache = errors.New("search: Options.Text is for a build without a Cache")

// texts reads the docs' Body and Emphasis: from the docs themselves, or with Options.Text from there, a
// run of docs at a time. Every pass of a Build over the text reads it in order through a reader of its
// own, so a caller that keeps its text out of memory by note reads each note once per pass, and the
// Build holds one note's text per reader at a time instead of every section's.
type texts struct {
	docs []Doc
	load func(doc int, buf *TextBuffer) ([]Text, error) // nil: the text is in the docs
	size func(doc int) int                              // about the size of a doc's text (Options.TextSize), or nil
	fail func(error)                                    // told of load's errors; nil: kept in err
	mu   sync.Mutex
	err  error // the first of load's errors, without fail
}

func newTexts(docs []Doc, opts Options) *texts {
	return &texts{docs: docs, load: opts.Text, size: opts.TextSize}
}

// reader is a reader for one goroutine.
func (t *texts) reader() *textReader { return &textReader{t: t} }

// failed is the first error of load, when fail is nil.
func (t *texts) failed() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// textReader holds the last run of docs' text it read, in its buffer.
type textReader struct {
	t   *texts
	lo  int // first doc of got
	got []Text
	buf *TextBuffer // taken at the first load
}

// release lets go of the reader's buffer, for another reader to take: the text it gave back is gone.
func (r *textReader) release() {
	if r.buf != nil {
		textBuffers.Put(r.buf)
		r.got, r.buf = nil, nil
	}
}

// doc returns doc i's Body and Emphasis, which last until the reader reads another run of docs (a
// caller that keeps them copies them). After a failure to read them it returns empty text; the Build
// fails with the error (see texts.fail).
func (r *textReader) doc(i int) (body, emphasis string) {
	t := r.t
	if t.load == nil {
		return t.docs[i].Body, t.docs[i].Emphasis
	}
	if i < r.lo || i >= r.lo+len(r.got) {
		if r.buf == nil {
			r.buf = textBuffers.Get().(*TextBuffer)
		}
		r.got = nil // its text is overwritten
		got, err := t.load(i, r.buf)
		if err == nil && len(got) == 0 {
			err = errors.New("search: Options.Text gave no text")
		}
		if err != nil {
			if t.fail != nil {
				t.fail(err)
			} else {
				t.mu.Lock()
				if t.err == nil {
					t.err = err
				}
				t.mu.Unlock()
			}
			return "", ""
		}
		r.lo, r.got = i, got
	}
	x := &r.got[i-r.lo]
	return x.Body, x.Emphasis
}

// section returns section s's Body and Emphasis: those of its doc, or of the preamble merged from
// several (which collect holds with their text).
func (r *textReader) section(s *section) (body, emphasis string) {
	if r.t.load == nil || s.src < 0 {
		return s.doc.Body, s.doc.Emphasis
	}
	return r.doc(int(s.src))
}
