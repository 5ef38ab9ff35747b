package search

import (
	"github.com/lectern/lectern/generator/benchcpu"
	"strings"
	"testing"
)

// BenchmarkBuildDA builds the index of the seven data-analytics guides (corpus.sh da). MB/s is
// markdown throughput; it also reports the plain text size and the index size per KB of text,
// gzip -9 per file as a browser would download it: the searchable part (head, term blocks, stopword
// file) and everything including excerpt text, and the CPU seconds per build (all cores together).
func BenchmarkBuildDA(b *testing.B) {
	docs, size := daDocs(b)
	benchmarkBuild(b, docs, size)
}

// BenchmarkBuildSeed builds the index of the sample notes (one file).
func BenchmarkBuildSeed(b *testing.B) {
	docs := seedDocs(b)
	benchmarkBuild(b, docs, 0)
}

func benchmarkBuild(b *testing.B, docs []Doc, size int) {
	text := 0
	for _, d := range docs {
		text += len(d.Heading) + len(d.Body) + len(d.Emphasis)
	}
	if size == 0 {
		size = text
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var files []File
	cpu0 := benchcpu.Now()
	for b.Loop() {
		var err error
		if files, _, err = Build(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	benchcpu.Report(b, cpu0)
	searchable, all := 0, 0
	for _, f := range files {
		gz := gzipSize(f.Data)
		all += gz
		if !strings.HasPrefix(f.Path, "search/t") {
			searchable += gz
		}
	}
	kb := float64(text) / 1024
	b.ReportMetric(kb, "KB-text")
	b.ReportMetric(float64(searchable)/kb, "gzB/KB-searchable")
	b.ReportMetric(float64(all)/kb, "gzB/KB-with-text")
	b.ReportMetric(float64(len(files)), "files")
}

// BenchmarkBuild1000 builds the index of the dev server's benchmark site (corpus.sh 1000: the first
// 1,000 pages of the da guides) without a cache, as lectern build does.
func BenchmarkBuild1000(b *testing.B) {
	docs, size := daPages(b, 1000)
	benchmarkBuild(b, docs, size)
}

// BenchmarkCachedBuild1000 is the dev server's search stage on the same site after a save: one section
// edited per iteration (its text with a word or two more), EntryFor and Build with a Cache.
func BenchmarkCachedBuild1000(b *testing.B) {
	docs, _ := daPages(b, 1000)
	benchmarkCachedBuild(b, docs)
}

// BenchmarkCachedBuildDA is BenchmarkCachedBuild1000 on all the da guides (corpus.sh da, ~20,000
// sections), the largest site the dev server is measured on.
func BenchmarkCachedBuildDA(b *testing.B) {
	docs, _ := daDocs(b)
	benchmarkCachedBuild(b, docs)
}

func benchmarkCachedBuild(b *testing.B, docs []Doc) {
	c := &Cache{}
	opts := Options{Cache: c}
	if _, _, err := Build(docs, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := benchcpu.Now()
	orig := make([]string, len(docs))
	for i, d := range docs {
		orig[i] = d.Body
	}
	k := 0
	for b.Loop() {
		k++
		i := k * 7919 % len(docs)
		docs[i].Body = orig[i] + " edited" + strings.Repeat("x", k%7) + " again"
		opts.Entry = entryFor(b, docs, opts)
		if _, _, err := Build(docs, opts); err != nil {
			b.Fatal(err)
		}
	}
	benchcpu.Report(b, cpu0)
}
