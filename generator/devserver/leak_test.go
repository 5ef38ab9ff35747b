package devserver

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/site"
)

// diskBuilder is a cheap stand-in for the pipeline that still depends on the files: one page per note,
// plus a fingerprinted index naming every note, so each edit renames a file the way the search index
// does. It lets the leak test run a thousand real watcher round trips in seconds.
type diskBuilder struct{ root string }

func (d diskBuilder) Build([]string) (*Output, error) {
	dir := filepath.Join(d.root, "content")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var index strings.Builder
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(string(text), "BROKEN") {
			return &Output{Result: &site.Result{}}, fmt.Errorf("content/%s:1: broken on purpose", name)
		}
		slug := strings.TrimSuffix(name, ".md")
		index.WriteString(slug + string(text))
		files[slug+"/index.html"] = []byte(page(string(text), "assets/style.0123456789.css"))
	}
	h := fmt.Sprintf("%010x", len(index.String())*7919%0xffffffffff)
	files["search/index."+h+".js"] = []byte(index.String())
	files["assets/style.0123456789.css"] = []byte("body{}")
	files["404.html"] = []byte(page("not found", "assets/style.0123456789.css"))
	return &Output{Files: files, Result: &site.Result{Config: config.Config{}}}, nil
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLongSessionDoesNotLeak makes 1,000 consecutive edits (100 with -short) through the real watcher,
// with a build failing and recovering now and then, while 200 event streams connect and drop. Heap,
// goroutines and streams must come back to where they were after warming up.
func TestLongSessionDoesNotLeak(t *testing.T) {
	edits, clients := 1000, 200
	if testing.Short() {
		edits, clients = 100, 40
	}
	root := writeSite(t, map[string]string{"content/a.md": "a", "content/b.md": "b"})
	baseGoroutines := runtime.NumGoroutine()
	ts := newTestServer(t, Options{Root: root, Builder: diskBuilder{root}}, true)
	tab := ts.openUntracked(t, "/a/")
	note := filepath.Join(root, "content", "a.md")
	var open []*sseClient
	var warmHeap uint64
	var warmGoroutines int
	warmUp := edits / 10
	for i := 1; i <= edits; i++ {
		text := fmt.Sprintf("edit %d %s", i, strings.Repeat("x", i%97))
		if i%50 == 25 {
			text = "BROKEN " + text
		}
		saveAtomically(t, note, text)
		if strings.HasPrefix(text, "BROKEN") {
			tab.find(t, "fail")
		} else {
			tab.find(t, "reload")
		}
		// The tab reloads: it reconnects with the new page's version, as a browser would.
		tab.close()
		tab = ts.openUntracked(t, "/a/")
		if i%(edits/clients) == 0 {
			open = append(open, ts.openUntracked(t, fmt.Sprintf("/page-%d/", i%13)))
			if len(open) > 5 {
				open[0].close()
				open = open[1:]
			}
		}
		if i == warmUp {
			for _, c := range open {
				c.close()
			}
			open = nil
			waitFor(t, "streams to close", func() bool { return ts.Clients() == 1 })
			warmHeap, warmGoroutines = heapInUse(), runtime.NumGoroutine()
		}
	}
	for _, c := range open {
		c.close()
	}
	waitFor(t, "streams to close", func() bool { return ts.Clients() == 1 })
	waitFor(t, "goroutines to settle", func() bool { return runtime.NumGoroutine() <= warmGoroutines+2 })
	heap := heapInUse()
	t.Logf("after %d edits: heap %d bytes (after warm-up %d), goroutines %d (after warm-up %d)", edits, heap, warmHeap, runtime.NumGoroutine(), warmGoroutines)
	// A leak of a kilobyte per edit would show as a megabyte here.
	if heap > warmHeap+1<<20 {
		t.Errorf("heap grew from %d to %d bytes over %d edits", warmHeap, heap, edits)
	}
	if n := len(ts.cur.Load().retired); n > edits {
		t.Errorf("%d retired files kept", n)
	}
	tab.close()
	ts.stop()
	waitFor(t, "the server's goroutines to end", func() bool { return runtime.NumGoroutine() <= baseGoroutines+2 })
	if out := ts.out.String(); !strings.Contains(out, "broken on purpose") || !slices.Contains(strings.Split(out, "\n"), "") {
		t.Errorf("terminal output lacks the failures: %.300q", out)
	}
}

// TestRealBuildsDoNotLeak repeats edits through the real pipeline, fewer of them since each is a full
// build, and checks the heap comes back to its level after warming up.
func TestRealBuildsDoNotLeak(t *testing.T) {
	edits := 60
	if testing.Short() {
		edits = 12
	}
	root := writeSite(t, smallSite())
	ts := newTestServer(t, Options{Root: root}, true)
	tab := ts.open(t, "/alpha/")
	var warmHeap uint64
	for i := 1; i <= edits; i++ {
		saveAtomically(t, filepath.Join(root, "content/alpha.md"), fmt.Sprintf("---\ntitle: Alpha\n---\nAlpha edit %d.\n", i))
		tab.find(t, "reload")
		tab.close()
		tab = ts.open(t, "/alpha/")
		if i == edits/3 {
			warmHeap = heapInUse()
		}
	}
	heap := heapInUse()
	t.Logf("after %d real builds: heap %d bytes (after warm-up %d)", edits, heap, warmHeap)
	if heap > warmHeap+warmHeap/2+4<<20 {
		t.Errorf("heap grew from %d to %d bytes over %d real builds", warmHeap, heap, edits)
	}
}
