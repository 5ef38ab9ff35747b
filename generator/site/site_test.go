package site

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/output"
)

var update = flag.Bool("update", os.Getenv("LECTERN_UPDATE_GOLDEN") != "", "rewrite golden files")

// hashed matches fingerprinted file names, so golden files do not change with every stylesheet edit.
var hashed = regexp.MustCompile(`\.[0-9a-f]{10}\.(css|js)`)

// snapshot is a whole built site as text: the list of files, then every HTML page. Bundled CSS and JS are
// listed but not included: they belong to the theme, not to this fixture.
func snapshot(files map[string][]byte) string {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s\n", hashed.ReplaceAllString(n, ".HASH.$1"))
	}
	for _, n := range names {
		if strings.HasSuffix(n, ".html") {
			fmt.Fprintf(&b, "\n=== %s\n%s\n", n, hashed.ReplaceAllString(string(files[n]), ".HASH.$1"))
		}
	}
	return b.String()
}

func buildMemory(t testing.TB, opts Options) (*output.Memory, *Result) {
	t.Helper()
	mem := output.NewMemory()
	opts.Sink = mem
	res, err := Build(opts)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return mem, res
}

// TestGoldenSites builds every testdata/<case> and compares it with testdata/<case>.golden.
func TestGoldenSites(t *testing.T) {
	t.Parallel()
	dirs, _ := filepath.Glob("testdata/*/content")
	if len(dirs) == 0 {
		t.Fatal("no fixtures")
	}
	for _, d := range dirs {
		root := filepath.Dir(d)
		t.Run(filepath.Base(root), func(t *testing.T) {
			t.Parallel()
			mem, _ := buildMemory(t, Options{Root: root})
			got := snapshot(mem.Files)
			golden := root + ".golden"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if string(want) != got {
				t.Errorf("%s differs; run go test ./generator/site -update and review the diff", golden)
			}
		})
	}
}

func TestFixtureContent(t *testing.T) {
	t.Parallel()
	mem, res := buildMemory(t, Options{Root: "testdata/basic"})
	page := func(p string) string {
		b, ok := mem.Get(p)
		if !ok {
			t.Fatalf("missing %s; have %v", p, mem.Paths())
		}
		return string(b)
	}
	glue := page("glue/index.html")
	for _, want := range []string{
		`href="../emr/hive/#metastore"`, `src="../img/arch.svg"`, `<title>AWS Glue · Fixture notes</title>`,
		`aria-current="page"`, `href="#crawlers"`, `class="skip-link"`, `<main id="main"`,
	} {
		if !strings.Contains(glue, want) {
			t.Errorf("glue page lacks %s", want)
		}
	}
	if strings.Contains(page("index.html"), "Not yet") {
		t.Error("draft published")
	}
	if !strings.Contains(page("misc/index.html"), `href="../misc/loose/"`) {
		t.Error("generated folder page does not list its note")
	}
	if !strings.Contains(page("misc/loose/index.html"), "<h1>Loose</h1>") {
		t.Error("title does not fall back to the file name")
	}
	if len(res.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", res.Diagnostics)
	}
	if res.Pages != 5 {
		t.Errorf("pages = %d", res.Pages)
	}
}

func TestBaseURLAndRelativeLinks(t *testing.T) {
	t.Parallel()
	mem, _ := buildMemory(t, Options{Root: "testdata/basic", BaseURL: "https://u.github.io/notes"})
	glue, _ := mem.Get("glue/index.html")
	if !strings.Contains(string(glue), `<link rel="canonical" href="https://u.github.io/notes/glue/">`) {
		t.Errorf("no canonical link")
	}
	if regexp.MustCompile(`(href|src)="/[^/]`).Match(glue) {
		t.Errorf("root-absolute link in a page: pages must link relatively to work under a sub-path")
	}
	nf, _ := mem.Get("404.html")
	if !strings.Contains(string(nf), `href="/notes/"`) {
		t.Errorf("404 page does not link home under the base path: %s", nf)
	}
}

// TestDeterministic builds twice, on one core and on all, and expects identical bytes.
func TestDeterministic(t *testing.T) {
	a, _ := buildMemory(t, Options{Root: "../.."})
	prev := runtime.GOMAXPROCS(1)
	b, _ := buildMemory(t, Options{Root: "../.."})
	runtime.GOMAXPROCS(prev)
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files vs %d", len(a.Files), len(b.Files))
	}
	for p, data := range a.Files {
		if !bytes.Equal(data, b.Files[p]) {
			t.Errorf("%s differs between GOMAXPROCS=1 and %d", p, prev)
		}
	}
}

func TestFailedBuildKeepsPublic(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	write("content/a.md", "# A\n")
	write("content/b.md", "# B\n")
	dest := filepath.Join(root, "public")
	if _, err := Build(Options{Root: root}); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dest)
	write("content/b.md", "---\ntitle: [broken\n---\n# B\n")
	res, err := Build(Options{Root: root})
	if err == nil || !strings.Contains(err.Error(), "content/b.md:2") {
		t.Fatalf("err = %v, want one naming content/b.md:2", err)
	}
	_ = res
	if after := tree(t, dest); after != before {
		t.Errorf("public/ changed after a failed build:\nbefore %s\nafter  %s", before, after)
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, ".public.lectern-*"))
	if len(leftovers) != 0 {
		t.Errorf("staging folders left behind: %v", leftovers)
	}
	// A later good build removes files of notes that no longer exist.
	os.Remove(filepath.Join(root, "content/b.md"))
	if _, err := Build(Options{Root: root}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dest, "b/index.html")); err == nil {
		t.Error("stale b/index.html survived a rebuild")
	}
}

// tree lists a folder's files with their sizes and contents' lengths.
func tree(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(&b, "%s:%x ", rel, data[:min(len(data), 64)])
		}
		return nil
	})
	return b.String()
}

func TestRefusesDangerousDestinations(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content"), 0o755)
	os.WriteFile(filepath.Join(root, "content/a.md"), []byte("# A"), 0o644)
	home, _ := os.UserHomeDir()
	for _, dest := range []string{root, filepath.Join(root, "content"), filepath.Join(root, "content/out"), "/", home, filepath.Dir(root)} {
		_, err := Build(Options{Root: root, Dest: dest})
		if err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("dest %s: err = %v, want a refusal", dest, err)
		}
	}
}

func BenchmarkBuildSeed(b *testing.B) {
	for b.Loop() {
		mem := output.NewMemory()
		if _, err := Build(Options{Root: "../..", Sink: mem}); err != nil {
			b.Fatal(err)
		}
	}
}
