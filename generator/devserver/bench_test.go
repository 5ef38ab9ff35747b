package devserver

import (
	"fmt"
	"github.com/lectern/lectern/generator/corpora"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lectern/lectern/generator/content"
)

// corpusSite lays out a site from the shared corpora: a number of pages ("1000") or a corpus name ("da"),
// in a folder of its own, since the benchmarks edit its notes.
func corpusSite(tb testing.TB, n string) string {
	root := tb.TempDir()
	if skip, err := corpora.Site(n, root); err != nil {
		tb.Fatal(err)
	} else if skip != "" {
		tb.Skip(skip)
	}
	return root
}

// firstNote is a note of the site, in a stable order, and its page's URL path.
func firstNote(tb testing.TB, root string) (file, url string) {
	var notes []string
	top := filepath.Join(root, "content")
	filepath.WalkDir(top, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name := d.Name(); p != top && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir // not pages: the loader skips them
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "index.md" {
			notes = append(notes, p)
		}
		return nil
	})
	if len(notes) == 0 {
		tb.Fatal("no notes")
	}
	sort.Strings(notes)
	rel, _ := filepath.Rel(top, notes[len(notes)/2])
	return notes[len(notes)/2], "/" + content.URLFor(filepath.ToSlash(rel))
}

// BenchmarkSaveToReload times a note's save (an atomic rename, as editors do) until the reload event for
// the tab showing it has been written to that tab's stream: watcher, debounce, build, diff and event.
// It reports the median and the 95th percentile. Run with -benchtime=30x for stable figures.
func BenchmarkSaveToReload(b *testing.B) {
	for _, tc := range []struct {
		name string
		site func(b *testing.B) string
	}{
		{"sample-notes", func(b *testing.B) string { return copySampleSite(b) }},
		{"corpus-1000", func(b *testing.B) string { return corpusSite(b, "1000") }},
		// The 3,335 pages of the AWS data-analytics guides (issue 9's target); its first build takes
		// a while, so run it alone: -bench 'SaveToReload/corpus-da'.
		{"corpus-da", func(b *testing.B) string { return corpusSite(b, "da") }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			root := tc.site(b)
			note, url := firstNote(b, root)
			original, err := os.ReadFile(note)
			if err != nil {
				b.Fatal(err)
			}
			ts := newTestServer(b, Options{Root: root}, true)
			if status, _ := ts.get(b, url); status != 200 {
				b.Fatalf("%s: status %d", url, status)
			}
			sent := make(chan time.Time, 16)
			ts.sent = func(page, name string) {
				if name == "reload" && page == url {
					sent <- time.Now()
				}
			}
			tab := ts.open(b, url)
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				text := string(original) + fmt.Sprintf("\n\nEdit number %d.\n", i)
				start := time.Now()
				saveAtomically(b, note, text)
				select {
				case at := <-sent:
					lat = append(lat, at.Sub(start))
				case <-time.After(5 * time.Minute):
					b.Fatal("no reload event")
				}
				b.StopTimer()
				tab.find(b, "reload")
				tab.close()
				tab = ts.open(b, url)
				b.StartTimer()
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
			b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms-p95")
		})
	}
}

// BenchmarkNotify times what the server adds to a build: hashing the new output, comparing it with the
// previous one and queueing each open tab's event, with 50 tabs open, on the sample notes. The builder
// tells which file it wrote anew, as FullBuilder does.
func BenchmarkNotify(b *testing.B) {
	root := copySampleSite(b)
	fb := &FullBuilder{}
	fb.Options.Root = root
	out, err := fb.Build(nil)
	if err != nil {
		b.Fatal(err)
	}
	edited := make(map[string][]byte, len(out.Files))
	for p, d := range out.Files {
		edited[p] = d
	}
	edited["glue/index.html"] = append([]byte("x"), out.Files["glue/index.html"]...)
	s := New(Options{Builder: fb})
	for i := 0; i < 50; i++ {
		s.clients[&client{page: fmt.Sprintf("/p%d/", i), ch: make(chan event, clientQueue), done: make(chan struct{})}] = struct{}{}
	}
	prev := newSnapshot(1, "/", out.Files, nil, s.seed, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		files := out.Files
		if i%2 == 0 {
			files = edited
		}
		d := &delta{base: prev.files, written: []string{"glue/index.html"}}
		snap := newSnapshot(i+2, "/", files, prev, s.seed, d)
		retire(prev, snap, d)
		s.notify(prev, snap, diff(prev, snap, d), false)
		prev = snap
		for c := range s.clients {
			for len(c.ch) > 0 {
				<-c.ch
			}
		}
	}
}

// BenchmarkFullBuild times the builder alone on the sample notes: of a save's way to the browser, it is
// the part an incremental builder would shorten.
func BenchmarkFullBuild(b *testing.B) {
	fb := &FullBuilder{}
	fb.Options.Root = copySampleSite(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := fb.Build([]string{"content/glue.md"}); err != nil {
			b.Fatal(err)
		}
	}
}
