package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// TestCheckDestination is the list of destinations a build must refuse, and some it must accept.
func TestCheckDestination(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	home, _ := os.UserHomeDir()
	cases := []struct {
		name, dest, want string // want "" accepts the destination
	}{
		{"default public", filepath.Join(root, "public"), ""},
		{"sibling folder", filepath.Join(filepath.Dir(root), "elsewhere"), ""},
		{"nested under public", filepath.Join(root, "public", "v2"), ""},
		{"file system root", "/", "it is the root of the file system"},
		{"site folder", root, "it is the site folder itself"},
		{"site folder, unclean", filepath.Join(root, "content", ".."), "it is the site folder itself"},
		{"site folder, trailing slash", root + "/", "it is the site folder itself"},
		{"folder holding the site", filepath.Dir(root), "it holds the site's sources"},
		{"content", filepath.Join(root, "content"), "inside content/"},
		{"inside content", filepath.Join(root, "content", "public"), "inside content/"},
		{"home", home, "it is your home folder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.dest == "" {
				t.Skip("no home folder")
			}
			err := CheckDestination(c.dest, root)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("CheckDestination(%q) = %v, want nil", c.dest, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("CheckDestination(%q) = %v, want %q", c.dest, err, c.want)
			}
		})
	}
}

// TestCheckDestinationRelative: a relative destination is judged from the working folder, as the
// command line gives it ("--source . --destination .").
func TestCheckDestinationRelative(t *testing.T) {
	t.Parallel()
	if err := CheckDestination(".", "."); err == nil || !strings.Contains(err.Error(), "site folder itself") {
		t.Errorf("CheckDestination(., .) = %v", err)
	}
	if err := CheckDestination("..", "."); err == nil || !strings.Contains(err.Error(), "holds the site's sources") {
		t.Errorf("CheckDestination(.., .) = %v", err)
	}
}

// TestStagingRefusesPathsOutside: no file name can make the staging sink write outside its folder.
func TestStagingRefusesPathsOutside(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	st, err := NewStaging(filepath.Join(parent, "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	for _, rel := range []string{"..", "../x", "a/../../x", "/etc/x", "", ".", "a//b", "./a", "a/./b", "a/.."} {
		if err := st.WriteFile(rel, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) was accepted", rel)
		}
	}
	for _, rel := range []string{"a..b/index.html", "..x", "x..", "a/b/c.txt"} {
		if err := st.WriteFile(rel, []byte("x")); err != nil {
			t.Errorf("WriteFile(%q) = %v", rel, err)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("written beside the staging folder: %v", entries)
	}
}

// tree lists every path under dir with its contents, for before/after comparisons.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		line := rel
		if d.Type()&os.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			line += " -> " + target
		} else if !d.IsDir() {
			b, _ := os.ReadFile(p)
			line += " = " + string(b)
		}
		out = append(out, line)
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestStagingCommitTouchesOnlyDest: committing replaces the destination and nothing else; a destination
// that is a symbolic link is replaced as a link, and the folder it pointed at is left alone.
func TestStagingCommitTouchesOnlyDest(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"none", "folder", "file", "symlink"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			other := t.TempDir()
			os.WriteFile(filepath.Join(parent, "sibling.txt"), []byte("keep"), 0o644)
			os.WriteFile(filepath.Join(other, "target.txt"), []byte("keep too"), 0o644)
			dest := filepath.Join(parent, "public")
			switch kind {
			case "folder":
				os.MkdirAll(filepath.Join(dest, "old"), 0o755)
				os.WriteFile(filepath.Join(dest, "old", "stale.html"), []byte("stale"), 0o644)
			case "file":
				os.WriteFile(dest, []byte("a file"), 0o644)
			case "symlink":
				if err := os.Symlink(other, dest); err != nil {
					t.Skip(err)
				}
			}
			otherBefore := tree(t, other)
			st, err := NewStaging(dest)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.WriteFile("index.html", []byte("new")); err != nil {
				t.Fatal(err)
			}
			if err := st.Commit(); err != nil {
				t.Fatal(err)
			}
			if got, want := tree(t, parent), ".\npublic\npublic/index.html = new\nsibling.txt = keep"; got != want {
				t.Errorf("after commit:\n%s\nwant:\n%s", got, want)
			}
			if got := tree(t, other); got != otherBefore {
				t.Errorf("the folder the old destination linked to changed:\n%s", got)
			}
		})
	}
}

// TestStagingAbortKeepsDest: a failed build's Abort removes the staging folder and keeps the old site.
func TestStagingAbortKeepsDest(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	os.MkdirAll(dest, 0o755)
	os.WriteFile(filepath.Join(dest, "index.html"), []byte("old"), 0o644)
	before := tree(t, parent)
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	st.WriteFile("index.html", []byte("new"))
	st.WriteFile("a/b.html", []byte("new"))
	if err := st.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, parent); got != before {
		t.Errorf("after abort:\n%s\nwant:\n%s", got, before)
	}
}

// TestStagingWriteErrors: a write that fails names the file, not the staging folder, and keeps the cause
// for errors.Is.
func TestStagingWriteErrors(t *testing.T) {
	t.Parallel()
	st, err := NewStaging(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Abort()
	st.WriteFile("a", []byte("a file where a folder is needed"))
	err = st.WriteFile("a/b.html", []byte("x"))
	if err == nil || !errors.Is(err, syscall.ENOTDIR) || strings.Contains(err.Error(), st.Dir) || !strings.Contains(err.Error(), "a/b.html") {
		t.Errorf("WriteFile under a file = %v", err)
	}
}

// TestNewStagingUnwritable: a destination whose parent cannot be created fails with a clear message.
func TestNewStagingUnwritable(t *testing.T) {
	t.Parallel()
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, nil, 0o644)
	_, err := NewStaging(filepath.Join(f, "sub", "public"))
	if err == nil || !strings.Contains(err.Error(), "cannot create") {
		t.Errorf("NewStaging under a file = %v", err)
	}
}

// TestRemoveTreeDeepSite removes a site of many nested page folders (as the previous site is removed
// after a build) and leaves alone what a symbolic link inside it points to.
func TestRemoveTreeDeepSite(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(outside, "keep.txt"), []byte("x"), 0o644)
	site := filepath.Join(root, "public")
	for i := range 40 {
		for j := range 30 {
			p := filepath.Join(site, fmt.Sprintf("guide%d/doc_source/page%d/deeper", i%4, i*30+j))
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(filepath.Dir(p), "index.html"), []byte("<p>x"), 0o644)
			os.WriteFile(filepath.Join(p, "index.html"), []byte("<p>y"), 0o644)
		}
	}
	os.WriteFile(filepath.Join(site, "index.html"), []byte("home"), 0o644)
	if err := os.Symlink(outside, filepath.Join(site, "guide1", "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := removeTree(site); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(site); !os.IsNotExist(err) {
		t.Errorf("the site is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(outside, "keep.txt")); err != nil {
		t.Errorf("a file a link pointed to was removed: %v", err)
	}
}

// TestWriteErrorsReachCommit: files are written by writer goroutines after WriteFile returns, so a write
// that fails must fail Commit, leaving the destination as it was.
func TestWriteErrorsReachCommit(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "old.html"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	// The staging folder vanishes under the build: every folder made in it from now on fails.
	if err := os.RemoveAll(st.Dir); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := st.WriteFile(fmt.Sprintf("p%02d/index.html", i), []byte("new")); err != nil {
			t.Fatalf("WriteFile returned %v before writing", err)
		}
	}
	err = st.Commit()
	if err == nil || !strings.Contains(err.Error(), "cannot create the folder of p00/index.html") {
		t.Fatalf("Commit = %v, want the first failed write, by path", err)
	}
	if data, err := os.ReadFile(filepath.Join(dest, "old.html")); err != nil || string(data) != "old" {
		t.Errorf("the destination changed: %q, %v", data, err)
	}
	st.Abort()
}
