package devserver

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/site"
)

// saveAtomically writes a file the way most editors do: a hidden temp file renamed over the target.
func saveAtomically(t testing.TB, p, text string) {
	t.Helper()
	tmp := filepath.Join(filepath.Dir(p), "."+filepath.Base(p)+".tmp")
	writeFile(t, tmp, text)
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

// TestLiveReload drives the real pipeline through the real watcher: each file operation must end in the
// right event for the open tabs and the right output from the server.
func TestLiveReload(t *testing.T) {
	t.Parallel()
	type check struct {
		path   string
		status int
		has    string // the body contains this
	}
	for _, tc := range []struct {
		name   string
		act    func(t *testing.T, root string)
		alpha  string // the event the /alpha/ tab waits for
		beta   string // "no reload": the /beta/ tab must not reload for this build
		checks []check
	}{
		{
			name: "edit a note in place",
			act: func(t *testing.T, root string) {
				writeFile(t, filepath.Join(root, "content/alpha.md"), strings.Replace(smallSite()["content/alpha.md"], "Alpha body text.", "Alpha body, edited in place.", 1))
			},
			alpha:  "reload",
			checks: []check{{"/alpha/", 200, "Alpha body, edited in place."}},
		},
		{
			name: "edit a note's body: only that page reloads",
			act: func(t *testing.T, root string) {
				saveAtomically(t, filepath.Join(root, "content/alpha.md"), strings.Replace(smallSite()["content/alpha.md"], "Alpha body text.", "Alpha body, saved atomically.", 1))
			},
			alpha:  "reload",
			beta:   "no reload",
			checks: []check{{"/alpha/", 200, "Alpha body, saved atomically."}},
		},
		{
			name: "create a note",
			act: func(t *testing.T, root string) {
				saveAtomically(t, filepath.Join(root, "content/delta.md"), "---\ntitle: Delta\nweight: 3\n---\nDelta is new.\n")
			},
			alpha:  "reload", // the navigation lists the new note
			checks: []check{{"/delta/", 200, "Delta is new."}, {"/alpha/", 200, "Delta"}},
		},
		{
			name:   "delete a note",
			act:    func(t *testing.T, root string) { os.Remove(filepath.Join(root, "content/beta.md")) },
			alpha:  "reload",
			beta:   "reload",
			checks: []check{{"/beta/", 404, "Page not found"}},
		},
		{
			name: "rename a note",
			act: func(t *testing.T, root string) {
				os.Rename(filepath.Join(root, "content/beta.md"), filepath.Join(root, "content/bravo.md"))
			},
			beta:   "reload",
			checks: []check{{"/beta/", 404, ""}, {"/bravo/", 200, "Beta follows alpha."}},
		},
		{
			name: "new sub-folder",
			act: func(t *testing.T, root string) {
				writeFile(t, filepath.Join(root, "content/new/deep/note.md"), "# Deep note\n\nFound in a new folder.\n")
			},
			alpha:  "reload",
			checks: []check{{"/new/deep/note/", 200, "Found in a new folder."}},
		},
		{
			name: "theme stylesheet: swapped without reload",
			act: func(t *testing.T, root string) {
				writeFile(t, filepath.Join(root, "themes/static/css/zz-extra.css"), ".lectern-test-rule{color:#123456}\n")
			},
			alpha:  "swap",
			beta:   "swap",
			checks: []check{{"/alpha/", 200, "Alpha body text."}},
		},
		{
			name: "theme template",
			act: func(t *testing.T, root string) {
				saveAtomically(t, filepath.Join(root, "themes/templates/footer.html"), `{{define "footer"}}<footer>Custom test footer</footer>{{end}}`)
			},
			alpha:  "reload",
			beta:   "reload",
			checks: []check{{"/beta/", 200, "Custom test footer"}},
		},
		{
			name: "config: title",
			act: func(t *testing.T, root string) {
				saveAtomically(t, filepath.Join(root, "lectern.yaml"), "title: Renamed notes\n")
			},
			alpha:  "reload",
			beta:   "reload",
			checks: []check{{"/alpha/", 200, "Renamed notes"}},
		},
		{
			name: "config: base URL with a path",
			act: func(t *testing.T, root string) {
				saveAtomically(t, filepath.Join(root, "lectern.yaml"), "title: Test notes\nbase_url: https://user.github.io/notes/\n")
			},
			alpha:  "reload",
			checks: []check{{"/notes/alpha/", 200, "Alpha body text."}, {"/alpha/", 404, ""}, {"/", 302, ""}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := writeSite(t, smallSite())
			ts := newTestServer(t, Options{Root: root}, true)
			alpha, beta := ts.open(t, "/alpha/"), ts.open(t, "/beta/")
			tc.act(t, root)
			if tc.alpha != "" {
				if _, names := alpha.find(t, tc.alpha); tc.alpha == "swap" && strings.Contains(strings.Join(names, ","), "reload") {
					t.Errorf("/alpha/ reloaded for a stylesheet change: %v", names)
				}
			}
			switch tc.beta {
			case "no reload":
				// Its page names the new search index, which it may swap in; it must not reload.
				if names, _ := beta.untilStatus(t); slices.Contains(names, "reload") {
					t.Errorf("/beta/ got %v for a change to another note", names)
				}
			case "":
			default:
				beta.find(t, tc.beta)
			}
			for _, c := range tc.checks {
				status, body := ts.get(t, c.path)
				if status != c.status || !strings.Contains(body, c.has) {
					t.Errorf("GET %s: %d, want %d containing %q", c.path, status, c.status, c.has)
				}
			}
			if t.Failed() {
				t.Logf("terminal:\n%s", ts.out.String())
			}
		})
	}
}

func TestBrokenFrontMatterOverlay(t *testing.T) {
	t.Parallel()
	root := writeSite(t, smallSite())
	ts := newTestServer(t, Options{Root: root}, true)
	alpha := ts.open(t, "/alpha/")
	p := filepath.Join(root, "content/alpha.md")
	saveAtomically(t, p, "---\ntitle: [unclosed\n---\nAlpha, broken.\n")
	e, _ := alpha.find(t, "fail")
	var msg failMsg
	if err := json.Unmarshal(e.data, &msg); err != nil {
		t.Fatal(err)
	}
	if len(msg.Errors) != 1 || msg.Errors[0].File != "content/alpha.md" || msg.Errors[0].Line != 2 || msg.Errors[0].Msg == "" {
		t.Fatalf("overlay %+v, want content/alpha.md line 2", msg.Errors)
	}
	if _, body := ts.get(t, "/alpha/"); !strings.Contains(body, "Alpha body text.") {
		t.Error("the last good page is not served while the build fails")
	}
	if out := ts.out.String(); !strings.Contains(out, "content/alpha.md:2: ") || !strings.Contains(out, "build failed") {
		t.Errorf("terminal: %s", out)
	}
	saveAtomically(t, p, "---\ntitle: Alpha\n---\nAlpha, fixed.\n")
	_, names := alpha.find(t, "reload")
	if !strings.Contains(strings.Join(names, ","), "ok") {
		t.Errorf("overlay not removed: %v", names)
	}
	if _, body := ts.get(t, "/alpha/"); !strings.Contains(body, "Alpha, fixed.") {
		t.Error("fixed page not served")
	}
}

func TestSymlinkOutOfContentIsRefused(t *testing.T) {
	t.Parallel()
	root := writeSite(t, smallSite())
	outside := filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, outside, "TOP-SECRET")
	ts := newTestServer(t, Options{Root: root}, true)
	tab := ts.open(t, "/alpha/")
	if err := os.Symlink(outside, filepath.Join(root, "content/leak.txt")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	e, _ := tab.find(t, "fail")
	if !strings.Contains(string(e.data), "outside the content folder") {
		t.Errorf("fail event %s", e.data)
	}
	if status, body := ts.get(t, "/leak.txt"); status != 404 || strings.Contains(body, "TOP-SECRET") {
		t.Errorf("GET /leak.txt: %d %q", status, body)
	}
}

// TestRebuiltOutputMatchesFullBuild checks that after a series of edits the site in memory is byte for
// byte what `lectern build` writes (the live-reload script is added only when a page is served). It
// guards incremental builders.
func TestRebuiltOutputMatchesFullBuild(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		root func(t *testing.T) string
	}{
		{"small site", func(t *testing.T) string { return writeSite(t, smallSite()) }},
		{"sample notes", func(t *testing.T) string { return copySampleSite(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := tc.root(t)
			// Notes written long ago, so that the build's cache vouches for those not reported changed.
			hourAgo := time.Now().Add(-time.Hour)
			filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					os.Chtimes(p, hourAgo, hourAgo)
				}
				return err
			})
			var notes []string
			filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
				if err == nil && strings.HasSuffix(p, ".md") && filepath.Base(p) != "index.md" {
					notes = append(notes, p)
				}
				return err
			})
			if len(notes) < 2 {
				t.Fatalf("%s: want two notes besides index.md, have %v", tc.name, notes)
			}
			ts := newTestServer(t, Options{Root: root}, true)
			tab := ts.open(t, "/")
			edits := []func(){
				func() { appendTo(t, notes[0], "\n\nA sentence added while serving.\n") },
				func() { os.Rename(notes[1], filepath.Join(filepath.Dir(notes[1]), "renamed.md")) },
				func() {
					saveAtomically(t, filepath.Join(root, "content/added.md"), "# Added\n\nA note added while serving.\n")
				},
				func() {
					writeFile(t, filepath.Join(root, "content/added.md"), "# Added, edited\n\nA note edited while serving.\n")
				},
				func() { writeFile(t, filepath.Join(root, "content/folder/inner.md"), "# Inner\n\nIn a new folder.\n") },
				func() { os.Remove(filepath.Join(root, "content/added.md")) },
				// A failed build leaves the builder with no delta from the files served: the next one
				// compares every file.
				func() {
					saveAtomically(t, filepath.Join(root, "content/broken.md"), "---\ntitle: [unclosed\n---\nBroken.\n")
				},
				func() { os.Remove(filepath.Join(root, "content/broken.md")) },
				func() { saveAtomically(t, filepath.Join(root, "lectern.yaml"), "title: Edited title\n") },
			}
			for _, edit := range edits {
				builds := func() int { // a failed build serves nothing new: count builds, done once buildMu is free
					ts.buildMu.Lock()
					defer ts.buildMu.Unlock()
					return ts.gen
				}
				before := builds()
				edit()
				waitFor(t, "a rebuild", func() bool { return builds() > before })
				tab.untilStatus(t)
			}
			ts.stop() // no rebuild may race the comparison
			if !strings.Contains(ts.out.String(), "build failed") {
				t.Errorf("no build failed: the edits must take the builder through a failure")
			}
			snap := ts.cur.Load()
			served := snap.files
			if fb := ts.builder.(*FullBuilder); fb.sink == nil || !sameMap(fb.sink.out, served) {
				t.Errorf("the files served are not the builder's latest: the delta was not followed")
			}
			if len(snap.sums) != len(served) {
				t.Errorf("%d hashes for %d files", len(snap.sums), len(served))
			}
			for p, data := range served {
				if snap.sums[p] != maphash.Bytes(snap.seed, data) {
					t.Errorf("%s: stale hash", p)
				}
				if _, ok := snap.retired[p]; ok {
					t.Errorf("%s: both served and retired", p)
				}
			}
			dest := filepath.Join(t.TempDir(), "public")
			if _, err := site.Build(site.Options{Root: root, Dest: dest}); err != nil {
				t.Fatalf("full build: %v", err)
			}
			onDisk := map[string][]byte{}
			filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(dest, p)
					onDisk[filepath.ToSlash(rel)], _ = os.ReadFile(p)
				}
				return err
			})
			if len(onDisk) != len(served) {
				t.Errorf("%d files served, %d built", len(served), len(onDisk))
			}
			for p, want := range onDisk {
				if _, ok := served[p]; !ok {
					t.Errorf("%s: built but not served", p)
					continue
				}
				got, _, _ := snap.served(p)
				if !bytes.Equal(got, want) {
					t.Errorf("%s: served bytes differ from the full build", p)
				}
			}
		})
	}
}

// TestWarningsArePrintedOnce checks that a warning is printed by the build that first has it and not
// again while builds keep it, whatever else of it changes that the terminal does not show.
func TestWarningsArePrintedOnce(t *testing.T) {
	t.Parallel()
	warn := func(file string, line, col, offset int, msg string) diag.Diagnostic {
		return diag.Diagnostic{File: file, Line: line, Col: col, Offset: offset, Severity: diag.Warning, Msg: msg}
	}
	builds := [][]diag.Diagnostic{
		{warn("content/a.md", 3, 0, -1, "first"), warn("", 0, 0, -1, "site-wide")},
		{warn("content/a.md", 3, 0, 17, "first"), warn("", 4, 2, -1, "site-wide")}, // printed the same: not again
		{warn("content/a.md", 4, 0, 17, "first")},                                  // moved a line: printed
		{warn("content/a.md", 4, -1, 3, "first"), warn("", 0, 0, -1, "site-wide")}, // back after a build without
	}
	var out strings.Builder
	s := New(Options{Log: io.Discard, Errors: &out})
	for i, ds := range builds {
		out.Reset()
		s.reportWarnings(&site.Result{Diagnostics: ds}, nil)
		var want []string
		switch i {
		case 0:
			want = []string{"content/a.md:3: warning: first", "warning: site-wide"}
		case 2:
			want = []string{"content/a.md:4: warning: first"}
		case 3:
			want = []string{"warning: site-wide"}
		}
		if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("build %d printed %q, want %q", i, got, want)
		}
	}
}
