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
