package search

import (
	"runtime"
	"testing"

	"github.com/lectern/lectern/generator/benchcpu"
)

// BenchmarkReadSectionsDA is the read pass of a build without a cache over the da guides, their text
// read back a note at a time as the site gives it. held-MB is what the terms read hold when the pass
// returns, which a build keeps until the postings are laid out: the largest part of the search stage's
// heap.
func BenchmarkReadSectionsDA(b *testing.B) {
	docs, size := daDocs(b)
	apart, text, _ := textApart(docs, false)
	texts := newTexts(apart, Options{Text: text})
	secs, pages, err := collect(apart, &scratch{}, texts.reader())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var st *sectionTerms
	cpu := benchcpu.Now()
	for b.Loop() {
		st = nil
		st = readSections(&records{secs: secs, pages: pages, text: texts})
	}
	benchcpu.Report(b, cpu)
	b.StopTimer()
	held := liveHeap()
	runtime.KeepAlive(st)
	st = nil
	b.ReportMetric(float64(held-liveHeap())/1e6, "held-MB")
}

// liveHeap is the size of the heap's live objects (two collections, so that pools let go of theirs).
func liveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
