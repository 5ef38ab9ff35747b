package output

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// snapshot lists every path under dir with its type, permissions and contents (a link's target), for
// comparing a destination with a fresh build's.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			out = append(out, "(none)")
			return nil
		} else if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v", filepath.ToSlash(rel), info.Mode())
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		case info.Mode().IsRegular():
			b, _ := os.ReadFile(p)
			line += " = " + string(b)
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// build writes files through a Staging into dest, from one goroutine per file as a build does, and
// commits.
func build(t testing.TB, dest string, files map[string]string) {
	t.Helper()
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(files))
	for rel, data := range files {
		wg.Go(func() {
			if err := st.WriteFile(rel, []byte(data)); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		st.Abort()
		t.Fatal(err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".*.lectern-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// fresh is the snapshot of files built into an empty folder, what every destination must end up as.
func fresh(t *testing.T, files map[string]string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, files)
	return snapshot(t, dest)
}

// identities maps every regular file under dir to its FileInfo, to tell a kept file (same inode, same
// modification time) from a rewritten one.
func identities(t *testing.T, dir string) map[string]fs.FileInfo {
	t.Helper()
	out := map[string]fs.FileInfo{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			info, _ := d.Info()
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = info
		}
		return nil
	})
	return out
}

// TestCommitInPlace builds a site over each kind of previous destination and compares the result with
// a fresh build's, file by file with permissions; files that did not change must be the very same files.
func TestCommitInPlace(t *testing.T) {
	t.Parallel()
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name string
		// prepare makes the previous destination; outside is a folder beside it that links point to.
		prepare func(t *testing.T, dest, outside string)
		files   map[string]string
		kept    []string // files that must be left as they were (inode and modification time)
	}{
		{
			name:    "empty dest",
			prepare: func(t *testing.T, dest, outside string) {},
			files:   map[string]string{"index.html": "home", "a/index.html": "a", "a/b/c.css": "c"},
		},
		{
			name: "empty dest folder",
			prepare: func(t *testing.T, dest, outside string) {
				mkdir(t, dest)
			},
			files: map[string]string{"index.html": "home", "a/index.html": "a"},
		},
		{
			name: "changed, added and gone",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a", "b/index.html": "b",
					"gone/index.html": "gone", "gone/deep/x.png": "x", "c/index.html": "c", "c/old.png": "png"})
			},
			files: map[string]string{"index.html": "home", "a/index.html": "a changed", "b/index.html": "b",
				"c/index.html": "c", "new/index.html": "new", "new/deeper/y.png": "y", "b/new.png": "new"},
			kept: []string{"index.html", "b/index.html", "c/index.html"},
		},
		{
			name: "nothing changed",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a"})
			},
			files: map[string]string{"index.html": "home", "a/index.html": "a"},
			kept:  []string{"index.html", "a/index.html"},
		},
		{
			name: "file where a folder goes",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a": "a file", "b": "b"})
			},
			files: map[string]string{"index.html": "home", "a/index.html": "a page", "a/x/y.html": "y", "b": "b"},
			kept:  []string{"index.html", "b"},
		},
		{
			name: "folder where a file goes",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a", "a/b/c.html": "c"})
			},
			files: map[string]string{"index.html": "home", "a": "a file"},
			kept:  []string{"index.html"},
		},
		{
			name: "link to a folder outside where a folder goes",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home"})
				write(t, filepath.Join(outside, "index.html"), "a") // the very bytes the build writes
				symlink(t, outside, filepath.Join(dest, "a"))
			},
			files: map[string]string{"index.html": "home", "a/index.html": "a", "a/new.html": "new"},
			kept:  []string{"index.html"},
		},
		{
			name: "link to a file outside where a file goes",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a"})
				write(t, filepath.Join(outside, "same.html"), "same")
				symlink(t, filepath.Join(outside, "same.html"), filepath.Join(dest, "same.html"))
				write(t, filepath.Join(outside, "other.html"), "other")
				os.Remove(filepath.Join(dest, "a", "index.html"))
				symlink(t, filepath.Join(outside, "other.html"), filepath.Join(dest, "a", "index.html"))
			},
			files: map[string]string{"index.html": "home", "same.html": "same", "a/index.html": "a"},
			kept:  []string{"index.html"},
		},
		{
			name: "link to a folder outside, gone",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home"})
				write(t, filepath.Join(outside, "x.html"), "x")
				symlink(t, outside, filepath.Join(dest, "gone"))
			},
			files: map[string]string{"index.html": "home"},
			kept:  []string{"index.html"},
		},
		{
			name: "stale empty folder",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home"})
				mkdir(t, filepath.Join(dest, "stale", "empty"))
			},
			files: map[string]string{"index.html": "home"},
			kept:  []string{"index.html"},
		},
		{
			name: "same size, other bytes",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a.css": "aaaa", "big.bin": strings.Repeat("x", 200_000)})
			},
			files: map[string]string{"index.html": "home", "a.css": "bbbb", "big.bin": strings.Repeat("x", 199_999) + "y"},
			kept:  []string{"index.html"},
		},
		{
			name: "other permissions",
			prepare: func(t *testing.T, dest, outside string) {
				build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a", "b/c/index.html": "c"})
				chmod(t, filepath.Join(dest, "a", "index.html"), 0o600)
				chmod(t, filepath.Join(dest, "b", "c", "index.html"), 0o755)
				chmod(t, filepath.Join(dest, "b"), 0o700)
				chmod(t, filepath.Join(dest, "a"), 0o775)
				chmod(t, dest, 0o750)
			},
			files: map[string]string{"index.html": "home", "a/index.html": "a", "b/c/index.html": "c"},
			kept:  []string{"index.html"},
		},
		{
			name: "a destination that is a file",
			prepare: func(t *testing.T, dest, outside string) {
				write(t, dest, "a file")
			},
			files: map[string]string{"index.html": "home"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			parent, outside := t.TempDir(), t.TempDir()
			dest := filepath.Join(parent, "public")
			c.prepare(t, dest, outside)
			outsideBefore := snapshot(t, outside)
			before := identities(t, dest)
			for _, rel := range c.kept {
				if err := os.Chtimes(filepath.Join(dest, rel), old, old); err != nil {
					t.Fatal(err)
				}
			}
			build(t, dest, c.files)
			if got, want := snapshot(t, dest), fresh(t, c.files); got != want {
				t.Errorf("destination:\n%s\nwant (a fresh build):\n%s", got, want)
			}
			if got := snapshot(t, outside); got != outsideBefore {
				t.Errorf("the folder outside changed:\n%s\nwas:\n%s", got, outsideBefore)
			}
			after := identities(t, dest)
			for _, rel := range c.kept {
				if a, b := after[rel], before[rel]; a == nil || b == nil || !os.SameFile(a, b) || !a.ModTime().Equal(old) {
					t.Errorf("%s was rewritten, not kept", rel)
				}
			}
			if got := entriesOf(t, parent); got != "public" {
				t.Errorf("beside the destination: %s", got)
			}
		})
	}
}

// TestCommitPermissions: a build gives files 0644 and folders 0755 (less the umask, which is 022 in
// tests), the destination itself 0755, whether it is swapped in or updated in place.
func TestCommitPermissions(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "public")
	files := map[string]string{"index.html": "home", "a/index.html": "a", "a/b/c.css": "c"}
	check := func(when string) {
		t.Helper()
		filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			info, _ := d.Info()
			want := fs.FileMode(0o644)
			if d.IsDir() {
				want = fs.ModeDir | 0o755
			}
			if info.Mode() != want {
				t.Errorf("%s: %s is %v, want %v", when, p, info.Mode(), want)
			}
			return nil
		})
	}
	build(t, dest, files)
	check("first build")
	chmod(t, filepath.Join(dest, "a", "index.html"), 0o600)
	chmod(t, filepath.Join(dest, "a", "b"), 0o700)
	chmod(t, dest, 0o700)
	files["a/b/d.css"] = "new" // something is kept and something written: an update in place
	build(t, dest, files)
	check("rebuild")
}

// TestStagingConflictsWithKeptFiles: a file and a folder at one path is an error, as when every file
// went to the staging folder, also when the file is kept from the previous build.
func TestStagingConflictsWithKeptFiles(t *testing.T) {
	t.Parallel()
	for _, order := range [][]string{{"a", "a/b.html"}, {"a/b.html", "a"}} {
		t.Run(strings.Join(order, ","), func(t *testing.T) {
			t.Parallel()
			dest := filepath.Join(t.TempDir(), "public")
			build(t, dest, map[string]string{"a": "x", "index.html": "home"})
			before := snapshot(t, dest)
			st, err := NewStaging(dest)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Abort()
			if err := st.WriteFile(order[0], []byte("x")); err != nil {
				t.Fatal(err)
			}
			err = st.WriteFile(order[1], []byte("x"))
			want := syscall.ENOTDIR
			if order[1] == "a" {
				want = syscall.EISDIR
			}
			if !errors.Is(err, want) || !strings.Contains(err.Error(), order[1]) {
				t.Errorf("second write = %v, want %v naming %s", err, want, order[1])
			}
			st.Abort()
			if got := snapshot(t, dest); got != before {
				t.Errorf("abort changed the destination:\n%s", got)
			}
		})
	}
}

// TestStagingWriteTwice: the last write of a path wins, whether the first was kept or written.
func TestStagingWriteTwice(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"kept": "old", "written": "old"})
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range [][2]string{{"kept", "old"}, {"kept", "new"}, {"written", "new"}, {"written", "old"}} {
		if err := st.WriteFile(w[0], []byte(w[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, dest), fresh(t, map[string]string{"kept": "new", "written": "old"}); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestStagingAbortKeepsDestWithKeptFiles: an abort after some files were kept and some written leaves the
// destination exactly as it was, modification times included.
func TestStagingAbortKeepsDestWithKeptFiles(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, map[string]string{"index.html": "home", "a/index.html": "a", "gone.html": "gone"})
	before, ids := snapshot(t, dest), identities(t, dest)
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range map[string]string{"index.html": "home", "a/index.html": "changed", "new/x.html": "x"} {
		if err := st.WriteFile(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, dest); got != before {
		t.Errorf("after abort:\n%s\nwant:\n%s", got, before)
	}
	for rel, info := range identities(t, dest) {
		if !os.SameFile(info, ids[rel]) || !info.ModTime().Equal(ids[rel].ModTime()) {
			t.Errorf("%s was touched", rel)
		}
	}
}

// TestCommitRandom builds many random sequences of sites into one destination, with the destination
// tampered with between builds (links to outside, stray files, other permissions), and compares every
// result with a fresh build of the same files. Files unchanged since the previous build, and not tampered
// with, must be kept.
func TestCommitRandom(t *testing.T) {
	t.Parallel()
	seeds := 60
	if testing.Short() {
		seeds = 10
	}
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(seed), 9))
			dest := filepath.Join(t.TempDir(), "public")
			outside := t.TempDir()
			// Names and contents a random site uses, so that a file read through a link would look kept.
			for rel, data := range map[string]string{"a": "x", "b": "y", "c/a": "x", "c/b": "", "c/c": "xy"} {
				write(t, filepath.Join(outside, rel), data)
			}
			outsideBefore := snapshot(t, outside)
			var prev map[string]string
			for step := range 8 {
				files := randomSite(rng, prev)
				tampered := map[string]bool{}
				if step > 0 {
					tamper(t, rng, dest, outside, tampered)
				}
				if rng.IntN(3) == 0 {
					abortedBuild(t, rng, dest, prev)
				}
				before := identities(t, dest)
				build(t, dest, files)
				if got, want := snapshot(t, dest), fresh(t, files); got != want {
					t.Fatalf("step %d: destination:\n%s\nwant (a fresh build):\n%s", step, got, want)
				}
				after := identities(t, dest)
				for rel, data := range files {
					if b := before[rel]; b != nil && prev[rel] == data && !tampered[rel] && !os.SameFile(b, after[rel]) {
						t.Errorf("step %d: unchanged %s was rewritten", step, rel)
					}
				}
				prev = files
			}
			if got := snapshot(t, outside); got != outsideBefore {
				t.Errorf("the folder outside changed:\n%s", got)
			}
		})
	}
}

// abortedBuild writes a random site and aborts, which must leave the destination exactly as it was.
func abortedBuild(t *testing.T, rng *rand.Rand, dest string, prev map[string]string) {
	t.Helper()
	before, ids := snapshot(t, dest), identities(t, dest)
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, data := range randomSite(rng, prev) {
		if err := st.WriteFile(rel, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, dest); got != before {
		t.Fatalf("an aborted build changed the destination:\n%s\nwas:\n%s", got, before)
	}
	for rel, info := range identities(t, dest) {
		if !os.SameFile(info, ids[rel]) {
			t.Fatalf("an aborted build replaced %s", rel)
		}
	}
}

// randomSite makes a site from paths of up to three segments a, b, c, so that a path is a file in one
// site and a folder in the next; it keeps about half of prev's files, to be kept.
func randomSite(rng *rand.Rand, prev map[string]string) map[string]string {
	contents := []string{"", "x", "y", "xy", "yx", "xyz"} // same sizes, other bytes
	files := map[string]string{}
	dirs := map[string]bool{}
	add := func(rel, data string) {
		if dirs[rel] {
			return
		}
		for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
			if _, ok := files[d]; ok {
				return
			}
		}
		files[rel] = data
		for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	for _, rel := range sortedKeys(prev) {
		if rng.IntN(2) == 0 {
			add(rel, prev[rel])
		}
	}
	for range rng.IntN(12) {
		var segs []string
		for range 1 + rng.IntN(3) {
			segs = append(segs, string(rune('a'+rng.IntN(3))))
		}
		add(strings.Join(segs, "/"), contents[rng.IntN(len(contents))])
	}
	return files
}

// tamper changes the destination between builds as a user or a tool might, recording which files of
// the previous site it changed.
func tamper(t *testing.T, rng *rand.Rand, dest, outside string, tampered map[string]bool) {
	for range rng.IntN(3) {
		ids := identities(t, dest) // again after each change: never a file seen through a link
		rels := sortedKeys(ids)
		var rel string
		if len(rels) > 0 {
			rel = rels[rng.IntN(len(rels))]
		}
		p := filepath.Join(dest, filepath.FromSlash(rel))
		switch rng.IntN(6) {
		case 0: // a link to a folder outside, in place of a file or a folder of the site
			if rel != "" {
				p = filepath.Join(dest, filepath.FromSlash(filepath.Dir(rel)))
				if p == dest {
					p = filepath.Join(dest, filepath.FromSlash(rel))
				}
				os.RemoveAll(p)
				symlink(t, outside, p)
				markUnder(tampered, ids, dest, p)
			}
		case 1: // a link to a file outside, in place of a file
			if rel != "" {
				os.Remove(p)
				symlink(t, filepath.Join(outside, "a"), p)
				tampered[rel] = true
			}
		case 2:
			if rel != "" {
				chmod(t, p, 0o600)
				tampered[rel] = true
			}
		case 3:
			if rel != "" {
				chmod(t, filepath.Dir(p), 0o700)
			}
		case 4:
			write(t, filepath.Join(dest, "stray", "x.html"), "stray")
		case 5:
			mkdir(t, filepath.Join(dest, "empty"))
		}
	}
}

// markUnder marks every file of ids under (or at) p as tampered with.
func markUnder(tampered map[string]bool, ids map[string]fs.FileInfo, dest, p string) {
	rel, _ := filepath.Rel(dest, p)
	rel = filepath.ToSlash(rel)
	for f := range ids {
		if f == rel || strings.HasPrefix(f, rel+"/") {
			tampered[f] = true
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// entriesOf lists a folder's entries, to see that nothing is left beside the destination.
func entriesOf(t *testing.T, dir string) string {
	t.Helper()
	list, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func write(t *testing.T, p, data string) {
	t.Helper()
	mkdir(t, filepath.Dir(p))
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, p string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// TestStagingRewriteWhileOthersWrite: a path written again and again while other goroutines write their
// own files keeps the last bytes it was given. (Waiting for every pending write before a second write of
// a path, as WriteFile once did, could panic: "WaitGroup is reused before previous Wait has returned".)
func TestStagingRewriteWhileOthersWrite(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "public")
	st, err := NewStaging(dest)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				if err := st.WriteFile(fmt.Sprintf("g%d/%d.html", g, i), []byte("x")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for i := range 500 {
		if err := st.WriteFile("dup.html", []byte(strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dest, "dup.html")); err != nil || string(b) != "499" {
		t.Errorf("dup.html = %q, %v; want the last write, 499", b, err)
	}
}
