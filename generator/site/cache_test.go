package site

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/output"
)

// TestCacheMatchesFullBuild edits, adds and removes notes, rebuilding with one Cache each time, and
// expects every build to equal a full build of the same files, byte for byte.
func TestCacheMatchesFullBuild(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	copyTree(t, "../../content", filepath.Join(root, "content"))
	copyFile(t, "../../lectern.yaml", filepath.Join(root, "lectern.yaml"))
	cache := &Cache{}
	steps := []struct {
		name string
		edit func()
	}{
		{"first build", func() {}},
		{"no change", func() {}},
		{"edit a note's text", func() {
			appendFile(t, filepath.Join(root, "content/glue.md"), "\n- Glue now mentions Redshift Spectrum\n")
		}},
		{"change a title", func() {
			replaceIn(t, filepath.Join(root, "content/emr.md"), "title: Elastic MapReduce (EMR)", "title: EMR")
		}},
		{"add a note", func() {
			write(t, filepath.Join(root, "content/athena.md"), "# Amazon Athena\n\nQueries S3 with SQL; see [Glue](glue.md).\n")
		}},
		{"remove a note", func() { os.Remove(filepath.Join(root, "content/step-functions.md")) }},
		{"break a link", func() { appendFile(t, filepath.Join(root, "content/lambda.md"), "\n[gone](athena.md#nowhere)\n") }},
		{"edit the catalog", func() {
			replaceIn(t, filepath.Join(root, "content/_services.yaml"), "summary: Runs code in response to events", "summary: Runs functions in response to events")
		}},
		{"change config", func() {
			replaceIn(t, filepath.Join(root, "lectern.yaml"), "title: AWS Data Analytics notes", "title: Exam notes")
		}},
	}
	var prev *output.Memory
	for _, s := range steps {
		s.edit()
		inc := output.NewMemory()
		resInc, errInc := Build(Options{Root: root, Sink: inc, Cache: cache})
		full := output.NewMemory()
		resFull, errFull := Build(Options{Root: root, Sink: full})
		if (errInc == nil) != (errFull == nil) {
			t.Fatalf("%s: cached build err %v, full build err %v", s.name, errInc, errFull)
		}
		if len(resInc.Diagnostics) != len(resFull.Diagnostics) {
			t.Errorf("%s: %d diagnostics cached, %d full", s.name, len(resInc.Diagnostics), len(resFull.Diagnostics))
		}
		if !bytes.Equal(resFull.Finish("index.html", full.Files["index.html"]), full.Files["index.html"]) {
			t.Errorf("%s: Finish changed a page of a build without a cache", s.name)
		}
		if len(inc.Files) != len(full.Files) {
			t.Errorf("%s: %d files cached, %d full", s.name, len(inc.Files), len(full.Files))
		}
		for p, want := range full.Files {
			if !bytes.Equal(resInc.Finish(p, inc.Files[p]), want) {
				t.Errorf("%s: %s differs from a full build", s.name, p)
			}
		}
		if s.name == "edit a note's text" {
			// The edit renamed the search index, but an unchanged page is handed out as the very same
			// bytes: that is what spares the dev server comparing every page.
			a, b := prev.Files["lambda/index.html"], inc.Files["lambda/index.html"]
			if len(a) == 0 || &a[0] != &b[0] {
				t.Errorf("%s: the unchanged lambda page was rendered again", s.name)
			}
		}
		prev = inc
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		copyFile(t, p, filepath.Join(to, rel))
		return nil
	})
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	write(t, to, string(data))
}

func write(t *testing.T, p, s string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, p, s string) {
	t.Helper()
	data, _ := os.ReadFile(p)
	write(t, p, string(data)+s)
}

func replaceIn(t *testing.T, p, old, new string) {
	t.Helper()
	data, _ := os.ReadFile(p)
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", p, old)
	}
	write(t, p, strings.Replace(string(data), old, new, 1))
}

// BenchmarkCachedRebuildSeed measures a rebuild of the sample notes after one note changed, with a warm
// Cache: the dev server's cost per save.
func BenchmarkCachedRebuildSeed(b *testing.B) {
	root := b.TempDir()
	tt := &testing.T{}
	copyTree(tt, "../../content", filepath.Join(root, "content"))
	copyFile(tt, "../../lectern.yaml", filepath.Join(root, "lectern.yaml"))
	cache := &Cache{}
	Build(Options{Root: root, Sink: output.NewMemory(), Cache: cache})
	glue := filepath.Join(root, "content/glue.md")
	orig, _ := os.ReadFile(glue)
	i := 0
	for b.Loop() {
		i++
		os.WriteFile(glue, append(append([]byte{}, orig...), []byte("\n- edit "+strings.Repeat("x", i%7))...), 0o644)
		if _, err := Build(Options{Root: root, Sink: output.NewMemory(), Cache: cache}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedRebuild1000 is BenchmarkCachedRebuildSeed on the first 1,000 pages of the corpora, with
// the edited note named in Options.Changed as the dev server's watcher names it.
func BenchmarkCachedRebuild1000(b *testing.B) {
	src := corpusSite(b, "1000")
	cache := &Cache{}
	if _, err := Build(Options{Root: src, Sink: output.NewMemory(), Cache: cache}); err != nil {
		if _, ok := err.(*BuildError); !ok {
			b.Fatal(err)
		}
	}
	note := middleNote(b, src)
	rel, _ := filepath.Rel(src, note)
	orig, _ := os.ReadFile(note)
	defer os.WriteFile(note, orig, 0o644)
	i := 0
	for b.Loop() {
		i++
		os.WriteFile(note, append(append([]byte{}, orig...), []byte("\n\nedit "+strings.Repeat("x", i%7)+"\n")...), 0o644)
		// As the dev server does: the watcher says which file changed.
		Build(Options{Root: src, Sink: output.NewMemory(), Cache: cache, Changed: []string{filepath.ToSlash(rel)}})
	}
}

// TestCacheStaysTheSizeOfTheSite edits one note many times and removes another: the cache must hold one
// entry per note and page, not one per edit.
func TestCacheStaysTheSizeOfTheSite(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	copyTree(t, "../../content", filepath.Join(root, "content"))
	copyFile(t, "../../lectern.yaml", filepath.Join(root, "lectern.yaml"))
	cache := &Cache{}
	build := func() {
		t.Helper()
		if _, err := Build(Options{Root: root, Sink: output.NewMemory(), Cache: cache}); err != nil {
			t.Fatal(err)
		}
	}
	build()
	sizes := func() [5]int {
		var n [5]int
		n[0] = len(cache.docs)
		for _, e := range cache.docs {
			if e.rendered != nil {
				n[1]++
			}
			if e.sheet != nil {
				n[2]++
			}
		}
		for _, e := range cache.outputs {
			if e.page.html != nil {
				n[3]++
			}
			if e.scan != nil {
				n[4]++
			}
		}
		return n
	}
	first := sizes()
	for i := range 5 {
		appendFile(t, filepath.Join(root, "content/glue.md"), fmt.Sprintf("\n- edit %d\n", i))
		build()
	}
	if got := sizes(); got != first {
		t.Errorf("after 5 edits the cache holds %v entries (docs, bodies, sheet notes, pages, scans), at first %v", got, first)
	}
	os.Remove(filepath.Join(root, "content/step-functions.md"))
	build()
	if got := sizes(); got[0] != first[0]-1 || got[1] != first[1]-1 || got[3] >= first[3] {
		t.Errorf("after removing a note the cache holds %v entries, at first %v", got, first)
	}
}

// middleNote is the middle one, in path order, of a site's notes other than index pages: a page the
// site shows, unlike files under hidden or underscore folders.
func middleNote(b *testing.B, root string) string {
	var notes []string
	filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name := d.Name(); p != filepath.Join(root, "content") && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "index.md" {
			notes = append(notes, p)
		}
		return nil
	})
	if len(notes) == 0 {
		b.Fatal("no notes")
	}
	return notes[len(notes)/2]
}
