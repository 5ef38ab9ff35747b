package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func diagText(t *testing.T, dir string, opts Options) (*Site, string) {
	t.Helper()
	opts.Root = filepath.Dir(dir)
	site, ds := Load(dir, opts)
	var msgs []string
	for _, d := range ds {
		msgs = append(msgs, d.Error())
	}
	return site, strings.Join(msgs, "\n")
}

// TestLoadSpecialFiles: a named pipe in content/ (a note or an asset) used to block the build forever in
// os.ReadFile; it is now skipped with a warning, directly or through a symbolic link.
func TestLoadSpecialFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "content")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("# A\n"), 0o644)
	for _, name := range []string{"pipe.md", "pipe.png"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skipf("cannot make a named pipe here: %v", err)
		}
	}
	if err := os.Symlink("pipe.png", filepath.Join(dir, "link.md")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	done := make(chan struct{})
	var site *Site
	var msgs string
	go func() {
		site, msgs = diagText(t, dir, Options{})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("Load blocked on a named pipe")
	}
	for _, want := range []string{
		"content/pipe.md: warning: skipped: it is a named pipe, not a regular file",
		"content/pipe.png: warning: skipped: it is a named pipe, not a regular file",
		"content/link.md: warning: skipped: it links to a named pipe, which is not a regular file",
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("diagnostics do not hold %q:\n%s", want, msgs)
		}
	}
	if len(site.Pages) != 1 || len(site.Assets) != 0 {
		t.Errorf("pages %v, assets %v; want only a.md", site.Pages, site.Assets)
	}
}

// TestLoadDraftsListed: drafts left out are listed, so a link to one can be reported as a draft.
func TestLoadDraftsListed(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"a.md": "# A", "sub/b.md": "---\ndraft: true\n---\n# B"})
	site, _ := Load(dir, Options{})
	if strings.Join(site.Drafts, ",") != "sub/b.md" {
		t.Errorf("Drafts = %q, want [sub/b.md]", site.Drafts)
	}
	site, _ = Load(dir, Options{Drafts: true})
	if len(site.Drafts) != 0 || len(site.Pages) != 2 {
		t.Errorf("with drafts on: Drafts = %q, %d pages", site.Drafts, len(site.Pages))
	}
}

// TestLoadBadFiles covers the file cases of the issue at the load stage, where their messages are made.
func TestLoadBadFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		files map[string]string
		want  string // a diagnostic, "" for none
		pages int
	}{
		{"empty note", map[string]string{"e.md": ""}, "", 1},
		{"front matter only", map[string]string{"f.md": "---\ntitle: F\n---\n"}, "", 1},
		{"front matter only, no newline", map[string]string{"f.md": "---\ntitle: F\n---"}, "", 1},
		{"bom and crlf", map[string]string{"b.md": "\xef\xbb\xbf---\r\ntitle: B\r\n---\r\nx\r\n"}, "", 1},
		{"non-UTF-8 on line 3", map[string]string{"l.md": "# L\n\nna\xefve\n"}, "content/l.md:3: not valid UTF-8 (byte 0xef at offset 7); save the file as UTF-8", 0},
		{"NUL byte", map[string]string{"n.md": "# N\x00"}, "content/n.md:1: this looks like a binary file, not markdown (it contains a NUL byte)", 0},
		{"utf-16 file", map[string]string{"u.md": "\xff\xfe#\x00 \x00U\x00"}, "content/u.md:1: this looks like a binary file", 0},
		{"unknown key", map[string]string{"k.md": "---\ntags: [x]\n---\n"}, "content/k.md:2: warning: unknown front matter key \"tags\"", 1},
		{"two notes one URL", map[string]string{"a.md": "", "a/index.md": ""}, "content/a/index.md:1: content/a.md and content/a/index.md both want the URL /a/", 2},
		{"note and html file one URL", map[string]string{"a.md": "", "a/index.html": ""}, "content/a/index.html: content/a/index.html and content/a.md both want the file a/index.html", 1},
		{"names with spaces, unicode, # and ?", map[string]string{"my note.md": "", "Über.md": "", "c#.md": "", "what?.md": ""}, "", 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			dir := filepath.Join(root, "content")
			for name, body := range c.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(body), 0o644)
			}
			site, msgs := diagText(t, dir, Options{})
			if c.want == "" && msgs != "" {
				t.Errorf("unexpected diagnostics:\n%s", msgs)
			}
			if !strings.Contains(msgs, c.want) {
				t.Errorf("diagnostics do not hold %q:\n%s", c.want, msgs)
			}
			if len(site.Pages) != c.pages {
				t.Errorf("%d pages, want %d: %v", len(site.Pages), c.pages, site.Pages)
			}
			for _, p := range site.Pages {
				if strings.ContainsAny(p.URL, " #?") {
					t.Errorf("URL %q of %s holds a space, # or ?", p.URL, p.File)
				}
			}
		})
	}
}

// TestLoadTooLarge: a note over MaxNoteSize is refused with its size, without being read (the file is
// sparse, so the test costs no disk or memory).
func TestLoadTooLarge(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "content")
	os.MkdirAll(dir, 0o755)
	f, err := os.Create(filepath.Join(dir, "huge.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxNoteSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	site, msgs := diagText(t, dir, Options{})
	if want := "content/huge.md: note is 16777217 bytes, over the limit of 16 MB (16777216 bytes); split it into several notes"; !strings.Contains(msgs, want) {
		t.Errorf("diagnostics do not hold %q:\n%s", want, msgs)
	}
	if len(site.Pages) != 0 {
		t.Errorf("the huge note was loaded")
	}
}

// TestLoadDeepNesting: notes nested 10,000 levels deep are refused at the line where the nesting gets
// too costly for the markdown parser, instead of stalling the build for minutes or hours; ordinary deep
// notes and long indented code pass.
func TestLoadDeepNesting(t *testing.T) {
	t.Parallel()
	lines := func(n int, line func(i int) string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(line(i))
		}
		return b.String()
	}
	cases := []struct {
		name, body string
		line       int // 0: accepted
	}{
		{"10,000 quote levels on one line", strings.Repeat(">", 10000) + " deep\n", 1},
		{"10,000 list levels on one line", strings.Repeat("- ", 10000) + "x\n", 1},
		{"10,000 ordered list levels on one line", strings.Repeat("1. ", 10000) + "x\n", 1},
		{"list one level a line", lines(2000, func(i int) string { return strings.Repeat("  ", i) + "- x\n" }), 422},
		{"quote one level a line", lines(5000, func(i int) string { return strings.Repeat(">", i) + " x\n" }), 669},
		{"quote and space one level a line", lines(2000, func(i int) string { return strings.Repeat("> ", i) + "x\n" }), 423},
		{"lists 30 deep", lines(30, func(i int) string { return strings.Repeat("  ", i) + "- x\n" }), 0},
		{"2,000 lines of code indented 40 columns", lines(2000, func(i int) string { return strings.Repeat(" ", 40) + "code\n" }), 0},
		{"numbered lines", lines(5000, func(i int) string { return "2024. A year.\n" }), 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			dir := filepath.Join(root, "content")
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "deep.md"), []byte("---\ntitle: Deep\n---\n"+c.body), 0o644)
			site, msgs := diagText(t, dir, Options{})
			if c.line == 0 {
				if msgs != "" || len(site.Pages) != 1 {
					t.Errorf("refused: %s", msgs)
				}
				return
			}
			// The note's body starts on line 4, after the front matter.
			want := fmt.Sprintf("content/deep.md:%d: nested too deeply: ", c.line+3)
			if !strings.HasPrefix(msgs, want) || len(site.Pages) != 0 {
				t.Errorf("diagnostics %q do not start with %q", msgs, want)
			}
		})
	}
}

// TestReadmeBesideIndex: a folder with both index.md and README.md (as documentation repositories have)
// keeps index.md as its page and publishes the README at readme/; alone, a README is the folder's page.
func TestReadmeBesideIndex(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"index.md": "# Home", "README.md": "# Repo readme",
		"guide/index.md": "# Guide", "guide/README.md": "# Guide readme",
		"other/README.md": "# Other",
	})
	site, ds := Load(dir, Options{})
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	want := map[string]string{"index.md": "", "README.md": "readme/", "guide/index.md": "guide/", "guide/README.md": "guide/readme/", "other/README.md": "other/"}
	for _, p := range site.Pages {
		if p.URL != want[p.Rel] {
			t.Errorf("%s → /%s, want /%s", p.Rel, p.URL, want[p.Rel])
		}
		if isIdx := p.URL == DirURL(p.Dir); p.IsIndex != isIdx {
			t.Errorf("%s: IsIndex %v", p.Rel, p.IsIndex)
		}
	}
}
