package publish_test

import (
	"github.com/lectern/lectern/generator/benchcpu"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/lectern/lectern/generator/corpora"
	"github.com/lectern/lectern/generator/output"
	"github.com/lectern/lectern/generator/publish"
	"github.com/lectern/lectern/generator/site"
)

// daBuild is the output of one build of the da corpus (the seven AWS data-analytics guides, 3,335
// pages), in memory, made once per test binary.
type daBuild struct {
	paths []string // every file written, sorted
	files map[string][]byte
	pages []string // the HTML files among paths
	bytes int64    // of the pages
	base  string   // the site's base URL
}

var (
	daOnce sync.Once
	daOut  *daBuild
	daErr  string // why there is no build: the corpus is missing, or the build failed
)

// daOutput builds the da corpus laid out by shared/bench/corpus.sh beside shared/corpora, or skips when
// the corpora are not beside the project.
func daOutput(tb testing.TB) *daBuild {
	tb.Helper()
	daOnce.Do(func() {
		root := filepath.Join(os.TempDir(), "lectern-publish-da")
		if skip, err := corpora.Site("da", root); skip != "" || err != nil {
			daErr = skip
			if err != nil {
				daErr = err.Error()
			}
			return
		}
		mem := output.NewMemory()
		res, err := site.Build(site.Options{Root: root, Sink: mem})
		if err != nil {
			if _, ok := err.(*site.BuildError); !ok {
				daErr = "build: " + err.Error()
				return
			}
		}
		b := &daBuild{paths: mem.Paths(), files: mem.Files, base: res.Config.BaseURL}
		for _, p := range b.paths {
			if strings.HasSuffix(p, ".html") {
				b.pages = append(b.pages, p)
				b.bytes += int64(len(b.files[p]))
			}
		}
		daOut = b
	})
	if daOut == nil {
		tb.Skip(daErr)
	}
	return daOut
}

// TestScanHTMLMatchesReferenceDA compares ScanHTML with the lexer-based reference on every page of a
// real build: the theme's markup, minified, with the notes' raw HTML, scripts and inline SVG.
func TestScanHTMLMatchesReferenceDA(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the da corpus")
	}
	t.Parallel()
	b := daOutput(t)
	refs := 0
	for _, p := range b.pages {
		data := b.files[p]
		got, want := publish.ValuesOf(publish.ScanHTML(data)), publish.ValuesOf(publish.ScanHTMLReference(data))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: ScanHTML\n  %+v\nthe reference\n  %+v", p, got, want)
		}
		refs += len(got.Refs)
	}
	if len(b.pages) < 3000 || refs < 50*len(b.pages) {
		t.Fatalf("%d pages with %d references: not the da build", len(b.pages), refs)
	}
}

// BenchmarkScanHTMLDA scans every page of a da build once per iteration, as a build's Checker.Add does;
// MB/s is HTML throughput on one core.
func BenchmarkScanHTMLDA(b *testing.B) {
	benchScanDA(b, publish.ScanHTML)
}

// BenchmarkScanHTMLReferenceDA is BenchmarkScanHTMLDA with the lexer-based scan ScanHTML replaced.
func BenchmarkScanHTMLReferenceDA(b *testing.B) {
	benchScanDA(b, publish.ScanHTMLReference)
}

func benchScanDA(b *testing.B, scan func([]byte) *publish.Scan) {
	d := daOutput(b)
	b.SetBytes(d.bytes)
	b.ReportAllocs()
	cpu := benchcpu.Now()
	for b.Loop() {
		for _, p := range d.pages {
			scan(d.files[p])
		}
	}
	benchcpu.Report(b, cpu)
}

// BenchmarkAddDA is Checker.Add of every file of a da build, on one goroutine: the scan and the
// interning of URLs. held-MB is what the Checker holds once every file is added, which a build keeps from
// its first page to the end of the link check.
func BenchmarkAddDA(b *testing.B) {
	d := daOutput(b)
	b.SetBytes(d.bytes)
	b.ReportAllocs()
	cpu := benchcpu.Now()
	var c *publish.Checker
	for b.Loop() {
		c = &publish.Checker{}
		for _, p := range d.paths {
			c.Add(p, d.files[p])
		}
	}
	benchcpu.Report(b, cpu)
	b.StopTimer()
	held := benchcpu.LiveHeap()
	runtime.KeepAlive(c)
	c = nil
	b.ReportMetric(float64(held-benchcpu.LiveHeap())/1e6, "held-MB")
}

// BenchmarkCheckDA is the Check of a da build without a cache, as lectern build runs it (on every core),
// the pages already added; no search results are required.
func BenchmarkCheckDA(b *testing.B) {
	d := daOutput(b)
	var c publish.Checker
	for _, p := range d.paths {
		c.Add(p, d.files[p])
	}
	b.ReportAllocs()
	cpu := benchcpu.Now()
	for b.Loop() {
		c.Check(publish.CheckOptions{BaseURL: d.base})
	}
	benchcpu.Report(b, cpu)
}
