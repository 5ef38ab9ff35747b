package site

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRebuildWritesOnlyWhatChanged: `lectern build` over its own output leaves unchanged files alone
// (same modification time, which rsync deploys and Last-Modified rely on) and ends with exactly the files
// a build into an empty folder makes. When nothing changed, nothing is written. After an edit every page
// is written again, since every page names the search index, whose fingerprinted name changes with any
// note; the theme's files, named by their own content, are kept.
func TestRebuildWritesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	copyTree(t, "../../content", filepath.Join(root, "content"))
	copyFile(t, "../../lectern.yaml", filepath.Join(root, "lectern.yaml"))
	dest := filepath.Join(root, "public")
	if _, err := Build(Options{Root: root}); err != nil {
		t.Fatal(err)
	}
	// Date every file back, so that a rewrite shows whatever the clock's granularity.
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	backdate := func() {
		filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				os.Chtimes(p, old, old)
			}
			return err
		})
	}
	rewritten := func() (n int, names []string) {
		for rel := range files(t, dest) {
			st, err := os.Stat(filepath.Join(dest, rel))
			if err != nil {
				t.Fatal(err)
			}
			if !st.ModTime().Equal(old) {
				names = append(names, rel)
			}
		}
		return len(names), names
	}
	backdate()
	if _, err := Build(Options{Root: root}); err != nil {
		t.Fatal(err)
	}
	if n, names := rewritten(); n != 0 {
		t.Errorf("a rebuild of unchanged notes rewrote %d files: %v", n, names)
	}
	appendFile(t, filepath.Join(root, "content/lambda.md"), "\nA sentence added to the Lambda note.\n")
	if _, err := Build(Options{Root: root}); err != nil {
		t.Fatal(err)
	}
	_, names := rewritten()
	changed := map[string]bool{}
	for _, n := range names {
		changed[n] = true
	}
	if !changed["lambda/index.html"] {
		t.Error("the edited note's page was not rewritten")
	}
	css := 0
	for rel := range files(t, dest) {
		if filepath.Ext(rel) == ".css" {
			css++
			if changed[rel] {
				t.Errorf("%s was rewritten: the theme did not change", rel)
			}
		}
	}
	if css == 0 {
		t.Error("no stylesheet in the output")
	}
	// The result is what a fresh build makes, file for file.
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := Build(Options{Root: root, Dest: fresh}); err != nil {
		t.Fatal(err)
	}
	want, got := files(t, fresh), files(t, dest)
	for rel, data := range want {
		if !bytes.Equal(got[rel], data) {
			t.Errorf("%s differs from a fresh build", rel)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s is left over from the previous build", rel)
		}
	}
}

// files reads every file under dir, by slash path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
