package devserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// watchBatches starts a Watcher on root and returns the channel its batches arrive on.
func watchBatches(t *testing.T, root string, quiet time.Duration, build func([]string)) (*Watcher, chan []string) {
	t.Helper()
	w, err := NewWatcher(root, quiet)
	if err != nil {
		t.Fatal(err)
	}
	w.Logf = t.Logf
	batches := make(chan []string, 100)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, func(b []string) {
			if build != nil {
				build(b)
			}
			batches <- b
		})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		w.Close()
	})
	return w, batches
}

// collect gathers batches until every path in want has been seen, and returns all paths seen.
func collect(t *testing.T, batches chan []string, want ...string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	deadline := time.After(waitLimit)
	for {
		missing := false
		for _, p := range want {
			missing = missing || !seen[p]
		}
		if !missing {
			return seen
		}
		select {
		case b := <-batches:
			for _, p := range b {
				seen[p] = true
			}
		case <-deadline:
			t.Fatalf("saw %v, still waiting for %v", keys(seen), want)
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestWatcher(t *testing.T) {
	t.Parallel()
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		act   func(t *testing.T, root string)
		want  []string // paths the batches must name
		never []string // paths they must not name
	}{
		{"edit", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "content/alpha.md"), "# Alpha edited\n")
		}, []string{"content/alpha.md"}, nil},
		{"create", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "content/new.md"), "# New\n")
		}, []string{"content/new.md"}, nil},
		{"delete", func(t *testing.T, root string) {
			must(t, os.Remove(filepath.Join(root, "content/beta.md")))
		}, []string{"content/beta.md"}, nil},
		{"rename", func(t *testing.T, root string) {
			must(t, os.Rename(filepath.Join(root, "content/beta.md"), filepath.Join(root, "content/bravo.md")))
		}, []string{"content/beta.md", "content/bravo.md"}, nil},
		{"vim save: backup by rename, write, delete backup", func(t *testing.T, root string) {
			p := filepath.Join(root, "content/alpha.md")
			must(t, os.Rename(p, p+"~"))
			writeFile(t, p, "# Alpha by vim\n")
			must(t, os.Remove(p+"~"))
		}, []string{"content/alpha.md"}, nil},
		{"atomic save: hidden temp file renamed over the note", func(t *testing.T, root string) {
			p := filepath.Join(root, "content/alpha.md")
			writeFile(t, filepath.Join(root, "content/.alpha.md.tmp1234"), "# Alpha atomically\n")
			must(t, os.Rename(filepath.Join(root, "content/.alpha.md.tmp1234"), p))
		}, []string{"content/alpha.md"}, []string{"content/.alpha.md.tmp1234"}},
		{"JetBrains save: tmp, old, swap, delete", func(t *testing.T, root string) {
			p := filepath.Join(root, "content/alpha.md")
			writeFile(t, p+"___jb_tmp___", "# Alpha by JetBrains\n")
			must(t, os.Rename(p, p+"___jb_old___"))
			must(t, os.Rename(p+"___jb_tmp___", p))
			must(t, os.Remove(p+"___jb_old___"))
		}, []string{"content/alpha.md"}, nil},
		{"Emacs save: lock file, backup, write", func(t *testing.T, root string) {
			p := filepath.Join(root, "content/alpha.md")
			must(t, os.Symlink("user@host.1234", filepath.Join(root, "content/.#alpha.md")))
			must(t, os.Rename(p, p+"~"))
			writeFile(t, p, "# Alpha by Emacs\n")
			must(t, os.Remove(filepath.Join(root, "content/.#alpha.md")))
		}, []string{"content/alpha.md"}, []string{"content/.#alpha.md"}},
		{"new folder with notes written at once", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "content/new/deeper/one.md"), "# One\n")
			writeFile(t, filepath.Join(root, "content/new/two.md"), "# Two\n")
		}, []string{"content/new/deeper/one.md", "content/new/two.md"}, nil},
		{"theme folder created after start", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "themes/static/css/extra.css"), "body{}")
		}, []string{"themes/static/css/extra.css"}, nil},
		{"config saved by rename", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "lectern.yaml.tmp"), "title: Renamed\n")
			must(t, os.Rename(filepath.Join(root, "lectern.yaml.tmp"), filepath.Join(root, "lectern.yaml")))
		}, []string{"lectern.yaml"}, []string{"lectern.yaml.tmp"}},
		{"catalog", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "content/_services.yaml"), "services: []\n")
		}, []string{"content/_services.yaml"}, nil},
		{"output and other files are not sources", func(t *testing.T, root string) {
			writeFile(t, filepath.Join(root, "public/index.html"), "x")
			writeFile(t, filepath.Join(root, "README.md"), "x")
			writeFile(t, filepath.Join(root, "content/.alpha.md.swp"), "x")
			writeFile(t, filepath.Join(root, "content/.git/HEAD"), "x")
			writeFile(t, filepath.Join(root, "content/beta.md"), "# Beta, the sentinel\n")
		}, []string{"content/beta.md"}, []string{"public/index.html", "public", "README.md", "content/.alpha.md.swp", "content/.git", "content/.git/HEAD"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := writeSite(t, smallSite())
			_, batches := watchBatches(t, root, 0, nil)
			tc.act(t, root)
			seen := collect(t, batches, tc.want...)
			// Paths in never could arrive in a later batch than the wanted ones: flush with a sentinel.
			writeFile(t, filepath.Join(root, "content/zz-sentinel.md"), "x")
			for p := range collect(t, batches, "content/zz-sentinel.md") {
				seen[p] = true
			}
			for _, p := range tc.never {
				if seen[p] {
					t.Errorf("batches named %s: %v", p, keys(seen))
				}
			}
		})
	}
}

func TestWatcherFollowsFolders(t *testing.T) {
	t.Parallel()
	root := writeSite(t, smallSite())
	w, batches := watchBatches(t, root, 0, nil)
	if got := strings.Join(w.Dirs(), " "); got != ". content content/sub" {
		t.Fatalf("watched %q", got)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A renamed folder is watched under its new name only.
	must(os.Rename(filepath.Join(root, "content/sub"), filepath.Join(root, "content/moved")))
	collect(t, batches, "content/sub", "content/moved")
	writeFile(t, filepath.Join(root, "content/moved/later.md"), "# Later\n")
	collect(t, batches, "content/moved/later.md")
	if got := strings.Join(w.Dirs(), " "); got != ". content content/moved" {
		t.Errorf("after rename watched %q", got)
	}
	// A deleted folder is forgotten; a re-created one is watched again.
	must(os.RemoveAll(filepath.Join(root, "content/moved")))
	collect(t, batches, "content/moved")
	if got := strings.Join(w.Dirs(), " "); got != ". content" {
		t.Errorf("after delete watched %q", got)
	}
	writeFile(t, filepath.Join(root, "content/moved/again.md"), "# Again\n")
	collect(t, batches, "content/moved/again.md")
	writeFile(t, filepath.Join(root, "content/moved/again.md"), "# Again, edited\n")
	collect(t, batches, "content/moved/again.md")
	// content/ itself deleted and restored.
	must(os.RemoveAll(filepath.Join(root, "content")))
	collect(t, batches, "content")
	writeFile(t, filepath.Join(root, "content/index.md"), "# Back\n")
	collect(t, batches, "content/index.md")
}

func TestWatcherBatchesBursts(t *testing.T) {
	t.Parallel()
	root := writeSite(t, smallSite())
	// A long quiet window, so the burst below cannot be split by a slow machine.
	_, batches := watchBatches(t, root, 2*time.Second, nil)
	var want []string
	for i := 0; i < 30; i++ {
		p := fmt.Sprintf("content/burst-%02d.md", i)
		want = append(want, p)
		writeFile(t, filepath.Join(root, p), "# Burst\n")
	}
	select {
	case b := <-batches:
		if !slices.Equal(b, want) {
			t.Errorf("batch %v, want the 30 notes in one batch", b)
		}
	case <-time.After(waitLimit):
		t.Fatal("no batch")
	}
}

func TestWatcherGathersChangesDuringABuild(t *testing.T) {
	t.Parallel()
	root := writeSite(t, smallSite())
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	// A window long enough that the events of one write (truncate, then write) cannot straddle it on a
	// loaded machine; with the 5 ms default CI once saw alpha's second event land in a later batch.
	const quiet = 100 * time.Millisecond
	_, batches := watchBatches(t, root, quiet, func(b []string) {
		started <- struct{}{}
		if slices.Contains(b, "content/alpha.md") {
			<-release
		}
	})
	writeFile(t, filepath.Join(root, "content/alpha.md"), "# First\n")
	<-started
	// While that build runs, more changes come in: they wait for it and arrive together.
	writeFile(t, filepath.Join(root, "content/beta.md"), "# Second\n")
	writeFile(t, filepath.Join(root, "content/sub/gam.md"), "# Third\n")
	time.Sleep(3 * quiet) // let the window pass while the build is still running
	close(release)
	if b := <-batches; !slices.Equal(b, []string{"content/alpha.md"}) {
		t.Fatalf("first batch %v", b)
	}
	if seen := collect(t, batches, "content/beta.md", "content/sub/gam.md"); seen["content/alpha.md"] {
		t.Errorf("later batches %v repeat the first", keys(seen))
	}
}

func TestRelevant(t *testing.T) {
	t.Parallel()
	w := &Watcher{}
	for rel, want := range map[string]bool{
		"lectern.yaml":               true,
		"content":                    true,
		"content/a.md":               true,
		"content/_services.yaml":     true,
		"content/.a.md.swp":          false,
		"content/.git/HEAD":          false,
		"content/a/.hidden/x.md":     false,
		"themes/templates/base.html": true,
		"themes/static/.DS_Store":    true, // the theme loader copies it, so it changes the site
		"public/index.html":          false,
		"lectern.yml":                false,
		"README.md":                  false,
		"contentx/a.md":              false,
	} {
		if got := w.relevant(rel); got != want {
			t.Errorf("relevant(%q) = %v, want %v", rel, got, want)
		}
	}
}
