package search

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"unsafe"
)

// textApart returns docs without their text and an Options.Text that gives it back as the site does:
// each call the text of the doc asked for and of the docs after it up to the end of its run of docs
// with the same URL (a note), or only that doc's when single. It counts the calls.
func textApart(docs []Doc, single bool) ([]Doc, func(int, *TextBuffer) ([]Text, error), *atomic.Int64) {
	return textApartSpoiling(docs, single, true)
}

// textApartSpoiling is textApart, spoiling the buffer's old text before each call only when spoil (a
// benchmark measures the reading, not the spoiling).
func textApartSpoiling(docs []Doc, single, spoil bool) ([]Doc, func(int, *TextBuffer) ([]Text, error), *atomic.Int64) {
	apart := slices.Clone(docs)
	all := make([]Text, len(docs))
	for i := range apart {
		all[i] = Text{apart[i].Body, apart[i].Emphasis}
		apart[i].Body, apart[i].Emphasis = "", ""
	}
	var calls atomic.Int64
	return apart, func(i int, buf *TextBuffer) ([]Text, error) {
		calls.Add(1)
		end := i + 1
		for !single && end < len(docs) && docs[end].URL == docs[i].URL {
			end++
		}
		// read into the reader's buffer, as the site reads its text back from a file, after spoiling
		// what the buffer held: text kept from an earlier call without a copy shows
		b := buf.Bytes[:0]
		if spoil {
			b = b[:cap(b)]
			for j := range b {
				b[j] = '#'
			}
			b = b[:0]
		}
		for _, x := range all[i:end] {
			b = append(append(b, x.Body...), x.Emphasis...)
		}
		buf.Bytes = b
		s := unsafe.String(unsafe.SliceData(b), len(b))
		out := buf.Texts[:0]
		for _, x := range all[i:end] {
			out = append(out, Text{s[:len(x.Body)], s[len(x.Body) : len(x.Body)+len(x.Emphasis)]})
			s = s[len(x.Body)+len(x.Emphasis):]
		}
		buf.Texts = out
		return out, nil
	}, &calls
}

// sameViaText checks that Build and EntryFor give the same with the docs' text read back through
// Options.Text as with it in the docs, with or without Options.TextSize (here sizes far from the text's,
// which only change how the work is shared).
func sameViaText(t *testing.T, step string, docs []Doc, opts Options) {
	t.Helper()
	opts.Cache = nil
	want, wantEntry, wantErr := Build(docs, opts)
	for _, single := range []bool{false, true} {
		apart, text, _ := textApart(docs, single)
		via := opts
		via.Text = text
		if single {
			via.TextSize = func(i int) int { return i % 7 * 1000 }
		}
		got, gotEntry, gotErr := buildEmitted(apart, via)
		if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
			t.Fatalf("%s: error %v through Options.Text, %v without", step, gotErr, wantErr)
		}
		if !slices.Equal(wantEntry, gotEntry) || len(got) != len(want) {
			t.Fatalf("%s: entry %q and %d files through Options.Text, %q and %d without", step, gotEntry, len(got),
				wantEntry, len(want))
		}
		for i := range got {
			if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
				t.Fatalf("%s: file %d is %s through Options.Text, %s without", step, i, got[i].Path, want[i].Path)
			}
		}
		if a, b := entryFor(t, docs, opts), entryFor(t, apart, via); a != b {
			t.Fatalf("%s: EntryFor %s through Options.Text, %s without", step, b, a)
		}
	}
}

// TestBuildViaText: random sites, edited as the cache test edits them (preambles merged and dropped,
// aliases, split and one-file indexes, failed builds), give the same index through Options.Text.
func TestBuildViaText(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(seed, 11))
			var pages []*synthPage
			for i := range 30 {
				pages = append(pages, synthPageNew(r, i))
			}
			next := 0
			opts := Options{SplitAbove: []int{0, 2000}[seed%2]}
			sameViaText(t, "first build", synthSite(pages), opts)
			steps := 100
			if testing.Short() {
				steps = 20
			}
			for range steps {
				var what string
				pages, what = edit(r, pages, &next, &opts)
				sameViaText(t, what, synthSite(pages), opts)
			}
			bad := append(synthSite(pages), Doc{URL: "p0/", Anchor: "x", Level: 2}, Doc{URL: "p0/", Anchor: "x", Level: 2})
			sameViaText(t, "duplicate anchor", bad, opts)
			sameViaText(t, "empty site", nil, opts)
		})
	}
	// two preambles of a page, the second with the text, and an empty preamble of a page titled as a
	// heading, which is dropped
	sameViaText(t, "preambles", []Doc{
		{URL: "a/", Page: "A"},
		{URL: "a/", Anchor: "h", Level: 2, Heading: "H"},
		{URL: "a/", Page: "A", Body: "later (LT) text", Emphasis: "other name"},
		{URL: "b/", Page: "B", Body: " "},
		{URL: "b/", Anchor: "b", Level: 1, Heading: "B"},
	}, Options{})
}

// TestBuildViaTextDA: the da corpus's index through Options.Text, read a note at a time, is the same;
// each pass over the text asks for each page's text about once.
func TestBuildViaTextDA(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	t.Parallel()
	docs, _ := daPages(t, 400)
	want, wantEntry, err := Build(docs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	apart, text, calls := textApart(docs, false)
	size := func(i int) int { return len(docs[i].Body) + len(docs[i].Emphasis) }
	got, entry, err := buildEmitted(apart, Options{Text: text, TextSize: size})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(entry, wantEntry) || len(got) != len(want) {
		t.Fatalf("entry %q and %d files through Options.Text, %q and %d without", entry, len(got), wantEntry, len(want))
	}
	for i := range got {
		if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Fatalf("file %d is %s through Options.Text, %s without", i, got[i].Path, want[i].Path)
		}
	}
	// a pass for the terms and acronyms, and one for the text chunks (a chunk can start mid-page), and
	// one for the preambles merged or of pages with a heading like their title (their acronyms found
	// apart); the runs' sizes are Options.TextSize's
	pages := map[string]bool{}
	for _, d := range docs {
		pages[d.URL] = true
	}
	if n := calls.Load(); n > int64(3*len(pages)+len(got)) {
		t.Errorf("Options.Text called %d times for %d pages and %d files", n, len(pages), len(got))
	}
}

// TestBuildTextErrors: an error of Options.Text fails EntryFor and Build, and stops the writing; with a
// Cache, Options.Text is refused.
func TestBuildTextErrors(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 3))
	var pages []*synthPage
	for i := range 20 {
		pages = append(pages, synthPageNew(r, i))
	}
	docs := synthSite(pages)
	gone := errors.New("read back: file gone")
	for _, split := range []int{0, 1} {
		apart, text, calls := textApart(docs, false)
		if _, _, err := Build(apart, Options{SplitAbove: split, Text: text}); err != nil {
			t.Fatal(err)
		}
		all := calls.Load()
		for _, after := range []int64{0, 1, all / 2, all - 1} { // in the first pass, and in later ones
			var calls atomic.Int64
			opts := Options{SplitAbove: split, Text: func(i int, buf *TextBuffer) ([]Text, error) {
				if calls.Add(1) > after {
					return nil, gone
				}
				return text(i, buf)
			}}
			var written atomic.Int64
			opts.Emit = func(File) error {
				if calls.Load() > after {
					written.Add(1)
				}
				return nil
			}
			if _, _, err := Build(apart, opts); !errors.Is(err, gone) {
				t.Errorf("after %d reads, split %d: Build error %v, want %v", after, split, err, gone)
			}
			if n := written.Load(); n > 8 { // a group of chunks may be on its way
				t.Errorf("after %d reads, split %d: %d files written after the failure", after, split, n)
			}
		}
	}
	apart, _, _ := textApart(docs, false)
	if _, err := EntryFor(apart, Options{Text: func(int, *TextBuffer) ([]Text, error) { return nil, gone }}); !errors.Is(err, gone) {
		t.Errorf("EntryFor error %v, want %v", err, gone)
	}
	if _, err := EntryFor(apart, Options{Text: func(int, *TextBuffer) ([]Text, error) { return nil, nil }}); err == nil {
		t.Error("EntryFor took no text for a doc")
	}
	_, text, _ := textApart(docs, false)
	if _, _, err := Build(apart, Options{Text: text, Cache: &Cache{}}); err == nil {
		t.Error("Build took Options.Text with a Cache")
	}
	if _, err := EntryFor(apart, Options{Text: text, Cache: &Cache{}}); err == nil {
		t.Error("EntryFor took Options.Text with a Cache")
	}
}
