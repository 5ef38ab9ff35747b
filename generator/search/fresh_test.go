package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/lectern/lectern/generator/benchcpu"
)

// BenchmarkReadSectionsDA is the read pass of a build without a cache over the da guides, their text
// read back a note at a time as the site gives it. held-MB is what the terms read hold when the pass
// returns, which a build keeps until the postings are laid out: the largest part of the search stage's
// heap.
func BenchmarkReadSectionsDA(b *testing.B) {
	docs, bytes := daDocs(b)
	apart, text, _ := textApartSpoiling(docs, false, false)
	size := func(i int) int { return len(docs[i].Body) + len(docs[i].Emphasis) }
	texts := newTexts(apart, Options{Text: text, TextSize: size})
	secs, pages, err := collect(apart, &scratch{}, texts.reader())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(bytes))
	b.ReportAllocs()
	var st *sectionTerms
	cpu := benchcpu.Now()
	for b.Loop() {
		st = nil
		st = readSections(&records{secs: secs, pages: pages, text: texts})
	}
	benchcpu.Report(b, cpu)
	b.StopTimer()
	held := benchcpu.LiveHeap()
	runtime.KeepAlive(st)
	st = nil
	b.ReportMetric(float64(held-benchcpu.LiveHeap())/1e6, "held-MB")
}

// BenchmarkTermsDA is the tokenizer as the read pass uses it, over the headings, bodies and emphasis
// of the da guides.
func BenchmarkTermsDA(b *testing.B) {
	docs, _ := daDocs(b)
	text := 0
	for _, d := range docs {
		text += len(d.Heading) + len(d.Body) + len(d.Emphasis)
	}
	b.SetBytes(int64(text))
	b.ReportAllocs()
	var scan termScan
	n := 0
	for b.Loop() {
		n = 0
		for i := range docs {
			for _, t := range [...]string{docs[i].Heading, docs[i].Body, docs[i].Emphasis} {
				_, spans := scan.terms(t)
				n += len(spans)
			}
		}
	}
	b.ReportMetric(float64(n), "terms")
}

// TestTermRun: a run's table finds every term added, across its growth, with its text, and no other.
func TestTermRun(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 9))
	run := newTermRun(r.Uint64())
	want := map[string]int32{}
	for i := range 20000 {
		b := make([]byte, 1+r.IntN(40))
		for j := range b {
			b[j] = "abcdefgh"[r.IntN(8)]
		}
		w := string(b)
		k := run.keyOf(b)
		got, slot := run.find(b, k)
		if sec, ok := want[w]; ok {
			if got == nil || got.cur != sec {
				t.Fatalf("%q added in section %d, found %v", w, sec, got)
			}
			continue
		}
		if got != nil {
			t.Fatalf("%q found before it was added", w)
		}
		want[w] = int32(i)
		if got = run.add(b, k, slot, int32(i)); string(run.wordOf(got)) != w {
			t.Fatalf("%q added as %q", w, run.wordOf(got))
		}
	}
	if int(run.n) != len(want) {
		t.Fatalf("%d terms in the run, %d added", run.n, len(want))
	}
	for id := range run.n {
		tm := run.term(id)
		if w := string(run.wordOf(tm)); want[w] != tm.cur {
			t.Fatalf("term %d is %q of section %d, added in %d", id, w, tm.cur, want[w])
		}
	}
}

// TestTermRunFind: terms of many lengths, and past a chunk of the run's text, are found again as
// added, and not before.
func TestTermRunFind(t *testing.T) {
	r := newTermRun(rand.Uint64())
	var words [][]byte
	for n := 1; n <= 48; n++ {
		for _, c := range []byte("abz") {
			words = append(words, bytes.Repeat([]byte{c}, n))
		}
	}
	for k := range 5000 { // enough long terms to fill more than one chunk of the run's text
		words = append(words, fmt.Appendf(nil, "a-long-term-number-%06d", k))
	}
	for k, w := range words {
		key := r.keyOf(w)
		if got, slot := r.find(w, key); got != nil {
			t.Fatalf("%q found before it was added", w)
		} else {
			r.add(w, key, slot, int32(k))
		}
	}
	for k, w := range words {
		got, _ := r.find(w, r.keyOf(w))
		if got == nil || got.cur != int32(k) || !bytes.Equal(r.wordOf(got), w) {
			t.Fatalf("%q: found %+v", w, got)
		}
	}
}

// TestTermRunCount: count, which hashes and finds the words itself, counts each term once, where keyOf
// and find find it, with the shape of its last section and its earlier sections in its postings, at
// every length of term (some at the very end of their text).
func TestTermRunCount(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 10))
	run := newTermRun(r.Uint64())
	type want struct {
		secs  []int32
		shape uint32
	}
	wants := map[string]*want{}
	for sec := range int32(3000) {
		for field := range 3 {
			var low []byte
			var spans []span
			for range r.IntN(12) {
				n := 1 + r.IntN(20)
				if r.IntN(4) == 0 {
					n = 1 + r.IntN(3)
				}
				from := len(low)
				for range n {
					low = append(low, "abcdefgh"[r.IntN(3)])
				}
				spans = append(spans, span{from: int32(from), to: int32(len(low))})
				low = append(low, ' ')
			}
			low = low[:max(len(low)-1, 0)] // the last term ends its text
			low = low[:len(low):len(low)]
			or, add := [3]uint32{2, 1, 0}[field], [3]uint32{0, 0, 4}[field]
			run.count(low, spans, sec, or, add)
			for _, sp := range spans {
				w := string(low[sp.from:sp.to])
				x := wants[w]
				if x == nil {
					x = &want{}
					wants[w] = x
				}
				if len(x.secs) == 0 || x.secs[len(x.secs)-1] != sec {
					x.secs, x.shape = append(x.secs, sec), 0
				}
				x.shape = x.shape | or + add
			}
		}
	}
	if int(run.n) != len(wants) {
		t.Fatalf("%d terms in the run, %d counted", run.n, len(wants))
	}
	for w, x := range wants {
		b := []byte(w)
		got, _ := run.find(b, run.keyOf(b))
		if got == nil {
			t.Fatalf("%q counted, not found", w)
		}
		if got.cur != x.secs[len(x.secs)-1] || got.shape != x.shape {
			t.Fatalf("%q: last section %d shape %d, want %d and %d", w, got.cur, got.shape, x.secs[len(x.secs)-1], x.shape)
		}
		n := 0
		for rest := got.buf; len(rest) > 0; n++ {
			_, a := uvarint(rest)
			_, b := uvarint(rest[a:])
			rest = rest[a+b:]
		}
		if n != len(x.secs)-1 {
			t.Fatalf("%q: %d earlier sections in its postings, want %d", w, n, len(x.secs)-1)
		}
	}
}
