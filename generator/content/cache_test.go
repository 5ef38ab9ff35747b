package content

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestCacheReadsOnlyChangedNotes loads a folder three times with one Cache: an unchanged note is handed
// over (the very same body), an edited or new one is read, a removed one is forgotten, and a note
// changed too recently for its time stamp to vouch for it is always read.
func TestCacheReadsOnlyChangedNotes(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	put := func(name, text string, mod time.Time) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	put("a.md", "---\ntitle: A\n---\nalpha\n", old)
	put("b.md", "beta\n", old)
	put("c.md", "gamma\n", time.Now())
	cache := &Cache{}
	load := func() map[string]*Page {
		t.Helper()
		site, ds := Load(dir, Options{Cache: cache})
		if len(ds) > 0 {
			t.Fatal(ds)
		}
		out := map[string]*Page{}
		for _, p := range site.Pages {
			out[p.Rel] = p
		}
		return out
	}
	first := load()
	if len(cache.notes) != 2 {
		t.Errorf("cached %d notes, want 2: c.md changed too recently to be vouched for", len(cache.notes))
	}
	// Same size, later time: an edit the cache must see.
	put("b.md", "BETA\n", old.Add(time.Minute))
	os.Remove(filepath.Join(dir, "a.md"))
	put("d.md", "delta\n", old)
	second := load()
	if _, ok := second["a.md"]; ok {
		t.Error("a removed note is still loaded")
	}
	if got := string(second["b.md"].Body); got != "BETA\n" {
		t.Errorf("edited note's body %q", got)
	}
	if string(second["d.md"].Body) != "delta\n" || second["d.md"].URL != "d/" {
		t.Errorf("new note: %+v", second["d.md"])
	}
	if _, ok := cache.notes[filepath.Join(dir, "a.md")]; ok {
		t.Error("the cache still holds the removed note")
	}
	third := load()
	if &third["d.md"].Body[0] != &second["d.md"].Body[0] {
		t.Error("an unchanged note was read again")
	}
	if third["d.md"] == second["d.md"] {
		t.Error("Load handed out the same Page twice: later stages fill in its fields")
	}
	if first["c.md"].Title != "" || third["b.md"].Title != "" {
		t.Error("titles should stay empty without front matter")
	}
}

// TestCacheTrustsChanged: told what changed (Options.Changed, as the dev server's watcher reports it),
// Load reads only those files and keeps its listing of the folder unless a file was added or removed.
func TestCacheTrustsChanged(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	put := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
		old = old.Add(time.Second)
	}
	put("a.md", "alpha\n")
	put("b.md", "beta\n")
	cache := &Cache{}
	load := func(changed []string) map[string]string {
		t.Helper()
		site, ds := Load(dir, Options{Cache: cache, Changed: changed})
		if len(ds) > 0 {
			t.Fatal(ds)
		}
		out := map[string]string{}
		for _, p := range site.Pages {
			out[p.Rel] = string(p.Body)
		}
		return out
	}
	load(nil)
	put("a.md", "ALPHA\n")
	put("b.md", "BETA\n")
	got := load([]string{"a.md"})
	if got["a.md"] != "ALPHA\n" {
		t.Errorf("the note reported changed was not read again: %q", got["a.md"])
	}
	if got["b.md"] != "beta\n" {
		t.Errorf("a note not reported changed was read (%q): Load should trust the list it is given", got["b.md"])
	}
	if got := load(nil); got["b.md"] != "BETA\n" {
		t.Errorf("without a list, Load must look at every file: %q", got["b.md"])
	}
	// A save too recent for its time stamp to vouch for it is read, not kept; the copy kept from before
	// it must not come back on the next Load.
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("fresh\n"), 0o644)
	load([]string{"a.md"})
	if got := load([]string{}); got["a.md"] != "fresh\n" {
		t.Errorf("after a fresh save, the note's older text came back: %q", got["a.md"])
	}
	put("sub/c.md", "gamma\n")
	if got := load([]string{"sub", "sub/c.md"}); got["sub/c.md"] != "gamma\n" {
		t.Errorf("a new note in a new folder was not found: %v", got)
	}
	os.Remove(filepath.Join(dir, "a.md"))
	if got := load([]string{"a.md"}); len(got) != 2 || got["a.md"] != "" {
		t.Errorf("a removed note is still loaded: %v", got)
	}
	os.Rename(filepath.Join(dir, "b.md"), filepath.Join(dir, "d.md"))
	if got := load([]string{"b.md", "d.md"}); got["d.md"] != "BETA\n" || got["b.md"] != "" {
		t.Errorf("a renamed note: %v", got)
	}
}

// TestCacheLooksAtLinkedNotes: a note that is a symbolic link changes when the file it links to does,
// which a watcher reports under the other name; Load must look at it even when told it did not change.
func TestCacheLooksAtLinkedNotes(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	target := filepath.Join(dir, "real", "a.md")
	os.MkdirAll(filepath.Dir(target), 0o755)
	os.WriteFile(target, []byte("alpha\n"), 0o644)
	os.Chtimes(target, old, old)
	if err := os.Symlink(target, filepath.Join(dir, "link.md")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	cache := &Cache{}
	Load(dir, Options{Cache: cache, Changed: nil})
	os.WriteFile(target, []byte("ALPHA!\n"), 0o644)
	os.Chtimes(target, old.Add(time.Minute), old.Add(time.Minute))
	site, _ := Load(dir, Options{Cache: cache, Changed: []string{"real/a.md"}})
	for _, p := range site.Pages {
		if p.Rel == "link.md" && string(p.Body) != "ALPHA!\n" {
			t.Errorf("the linked note kept its old text %q", p.Body)
		}
	}
}
