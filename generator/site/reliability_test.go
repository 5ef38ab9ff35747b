package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lectern/lectern/generator/corpora"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lectern/lectern/generator/output"
	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
)

// writeFiles lays out files (slash paths under dir) in the given order.
func writeFiles(t testing.TB, dir string, names []string, files map[string]string) {
	t.Helper()
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sortedNames(files map[string]string) []string {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Payloads that must never reach a page as markup, wherever a user's text goes.
const (
	xssTitle   = `<script>alert(1)</script>`
	xssDesc    = `"><img src=x onerror=alert(2)>`
	xssAttr    = `x" onmouseover="alert(3)`
	xssSummary = `<script>alert(4)</script> & <img src=x onerror=alert(5)>`
)

var xssSite = map[string]string{
	"lectern.yaml": "title: '" + xssTitle + "'\ndescription: '" + xssDesc + "'\nraw_html: false\n",
	"content/index.md": "---\ntitle: '" + xssTitle + "'\ndescription: '" + xssDesc + "'\n---\n" +
		"Home mentions Evil Service.\n",
	"content/x.md": "---\ntitle: '" + xssAttr + "'\naliases: ['" + xssAttr + "', '" + xssTitle + "']\n---\n# <img src=x onerror=alert(6)> heading\n\n" +
		"The first paragraph: &lt;script&gt;alert(7)&lt;/script&gt; and Evil Service.\n\n## <b>bold</b> " + xssTitle + "\n\n" +
		"> [!TIP] " + xssTitle + "\n> tip body <script>alert(8)</script>\n\n`" + xssTitle + " is a key point here.`\n",
	"content/sub/y.md": "# " + xssTitle + "\n\n[link](../x.md#" + "%3Cscript%3E" + ")\n",
	"content/_services.yaml": "services:\n  evil:\n    name: Evil Service\n    aliases: ['" + xssAttr + "']\n" +
		"    summary: '" + xssSummary + "'\n    docs: 'https://example.com/?a=\"><script>alert(9)</script>'\n    category: '" + xssTitle + "'\n",
}

// activeMarkup lexes a page and returns any element or attribute the theme did not put there: a
// script with inline code that calls alert, an img, or any on* event attribute.
func activeMarkup(page []byte) []string {
	var found []string
	lx := htmllex.NewLexer(parse.NewInputBytes(page))
	tag := ""
	for {
		tt, data := lx.Next()
		switch tt {
		case htmllex.ErrorToken:
			return found
		case htmllex.StartTagToken:
			tag = strings.ToLower(string(lx.Text()))
			if tag == "img" || tag == "iframe" || tag == "object" || tag == "embed" || tag == "b" {
				found = append(found, "a <"+tag+"> element")
			}
		case htmllex.AttributeToken:
			if k := strings.ToLower(string(lx.AttrKey())); strings.HasPrefix(k, "on") {
				found = append(found, "<"+tag+"> with an event attribute "+k+"="+string(lx.AttrVal()))
			}
			if v := strings.ToLower(string(lx.AttrVal())); strings.Contains(v, "javascript:") {
				found = append(found, "<"+tag+"> with a javascript: URL "+v)
			}
		case htmllex.TextToken:
			if tag == "script" && bytes.Contains(data, []byte("alert(")) {
				found = append(found, "script code "+string(data))
			}
		case htmllex.StartTagCloseToken:
		default:
			if tt != htmllex.AttributeToken {
				tag = ""
			}
		}
	}
}

// TestActiveMarkup proves the checker TestEscaping relies on finds what it looks for.
func TestActiveMarkup(t *testing.T) {
	t.Parallel()
	cases := map[string]int{
		`<p><img src=x onerror=alert(1)></p>`:                                          2,
		`<title>a</title><script>alert(1)</script>`:                                    1,
		`<a href="javascript:alert(1)">x</a>`:                                          1,
		`<meta content="<script>alert(1)</script>"><title>&lt;script>alert(1)</title>`: 0,
		`<script defer src="app.js"></script><script>init()</script>`:                  0,
		`<p title='x" onmouseover="alert(3)'>t</p>`:                                    0,
		`<p title=x onmouseover="alert(3)">t</p>`:                                      1,
	}
	for page, want := range cases {
		if got := activeMarkup([]byte(page)); len(got) != want {
			t.Errorf("activeMarkup(%s) = %q, want %d findings", page, got, want)
		}
	}
}

// TestEscaping builds a site whose every user-written value (site title and description, note titles,
// descriptions and aliases, headings, tip boxes, key points, link fragments, service names, aliases,
// summaries, docs URLs and categories) carries markup, and checks that no page holds any of it as
// markup, and that the search index holds it only as JSON strings.
func TestEscaping(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, sortedNames(xssSite), xssSite)
	mem := output.NewMemory()
	_, err := Build(Options{Root: root, Sink: mem})
	var be *BuildError
	if err != nil && !errors.As(err, &be) {
		t.Fatalf("build: %v", err)
	}
	if err != nil {
		t.Logf("build reported (expected with a hostile catalog): %v", err)
	}
	if len(mem.Files) == 0 {
		t.Skip("the hostile catalog failed the build; nothing was written to check")
	}
	load := regexp.MustCompile(`(?s)^LecternSearch\.load\("[a-z]+",\d+,(.*)\);\n$`)
	pages := 0
	for _, name := range mem.Paths() {
		data := mem.Files[name]
		switch {
		case strings.HasSuffix(name, ".html"):
			pages++
			// The payloads may appear as text or inside quoted attribute values (where "<" is harmless and
			// the minifier leaves it unescaped); lexing the page as a browser does shows whether any of
			// them became an element or an attribute.
			for _, f := range activeMarkup(data) {
				t.Errorf("%s: a user's text became markup: %s", name, f)
			}
			if name == "x/index.html" && !bytes.Contains(data, []byte("alert(7)")) {
				t.Errorf("%s does not show the escaped paragraph at all", name)
			}
		case strings.HasPrefix(name, "search/") && strings.HasSuffix(name, ".js"):
			m := load.FindSubmatch(data)
			if m == nil {
				t.Errorf("%s is not one LecternSearch.load call: %.200s", name, data)
				continue
			}
			var v any
			if err := json.Unmarshal(m[1], &v); err != nil {
				t.Errorf("%s: data is not JSON (a string could break out): %v", name, err)
			}
		}
	}
	if pages < 4 {
		t.Errorf("only %d pages were written", pages)
	}
}

// TestDeterministicFileOrder builds one site three ways, with its files written to disk in opposite orders and
// with one or many threads, to memory and to disk: every output file is byte-identical.
func TestDeterministicFileOrder(t *testing.T) {
	// Not parallel: it sets GOMAXPROCS, which only a test running alone may do.
	files := map[string]string{}
	src := filepath.Join("testdata", "basic")
	filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(src, p)
			files[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if seed, err := os.ReadFile(filepath.Join("..", "..", "content", "glue.md")); err == nil {
		files["content/seed/glue.md"] = string(seed)
	}
	if cat, err := os.ReadFile(filepath.Join("..", "..", "content", "_services.yaml")); err == nil {
		files["content/_services.yaml"] = string(cat)
	}
	for i := 0; i < 40; i++ {
		files["content/many/n"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+".md"] = "# Note\n\nGlue and EMR and Lambda, [back](../glue.md).\n"
	}
	names := sortedNames(files)
	reversed := append([]string(nil), names...)
	sort.Sort(sort.Reverse(sort.StringSlice(reversed)))

	build := func(order []string, procs int, toDisk bool) map[string][]byte {
		t.Helper()
		root := t.TempDir()
		writeFiles(t, root, order, files)
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		if !toDisk {
			mem, _ := buildMemory(t, Options{Root: root})
			return mem.Files
		}
		if _, err := Build(Options{Root: root}); err != nil {
			t.Fatalf("build: %v", err)
		}
		out := map[string][]byte{}
		pub := filepath.Join(root, "public")
		filepath.WalkDir(pub, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(pub, p)
				out[filepath.ToSlash(rel)], _ = os.ReadFile(p)
			}
			return nil
		})
		return out
	}
	a := build(names, runtime.NumCPU()*4, false)
	b := build(reversed, 1, false)
	c := build(reversed, runtime.NumCPU()*4, true)
	for label, other := range map[string]map[string][]byte{"reversed order, one thread": b, "on disk": c} {
		if len(other) != len(a) {
			t.Errorf("%s: %d files, first build %d", label, len(other), len(a))
		}
		for name, data := range a {
			if !bytes.Equal(other[name], data) {
				t.Errorf("%s: %s differs", label, name)
			}
		}
	}
}

// treeState maps every path under dir to its contents (or link target), to prove a build touched
// nothing outside its destination.
func treeState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "-> " + target
		case d.IsDir():
			out[rel] = "/"
		default:
			b, _ := os.ReadFile(p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

// TestNothingOutsideDestination builds twice into a destination beside other folders, with links in the
// content pointing out of it, and checks that everything but the destination is exactly as it was.
func TestNothingOutsideDestination(t *testing.T) {
	t.Parallel()
	top := t.TempDir()
	root := filepath.Join(top, "site")
	writeFiles(t, root, []string{"content/a.md", "content/img/p.svg", "lectern.yaml"}, map[string]string{
		"content/a.md":      "# A\n\n[up](../../secret.txt) ![p](img/p.svg) [abs](/etc/passwd)\n",
		"content/img/p.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
		"lectern.yaml":      "title: T\n",
	})
	writeFiles(t, top, []string{"secret.txt", "public/keep.txt"}, map[string]string{"secret.txt": "s", "public/keep.txt": "other site"})
	dest := filepath.Join(root, "public")
	before := treeState(t, top)
	for i := 0; i < 2; i++ {
		Build(Options{Root: root, Dest: dest})
	}
	after := treeState(t, top)
	for p, v := range before {
		if after[p] != v {
			t.Errorf("%s changed", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok && p != "site/public" && !strings.HasPrefix(p, filepath.Join("site", "public")+string(filepath.Separator)) {
			t.Errorf("%s was written outside the destination", p)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err != nil {
		t.Errorf("the build wrote no site: %v", err)
	}
}

// TestAliasesWithPreamble: a note with aliases and text before its first heading must build.
func TestAliasesWithPreamble(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFiles(t, root, []string{"content/a.md"}, map[string]string{"content/a.md": "---\naliases: [other name]\n---\nText before any heading.\n"})
	_, err := Build(Options{Root: root, Sink: output.NewMemory()})
	if err != nil && strings.Contains(err.Error(), "two preambles") {
		t.Fatal("regression: site/search.go adds the aliases as a second section without an anchor, and search.Build fails with \"page has two preambles\" (no file or line) — see report")
	}
	if err != nil {
		t.Fatal(err)
	}
}

// corporaDir finds ../shared/corpora above the package folder; "" when it is absent.
func corporaDir() string { return corpora.Dir() }

// copyCorpus lays out a site root whose content/ holds one corpus, as bench/corpus.sh does (licences
// left out). The copy lives in a temporary folder, never in the repository.
func copyCorpus(t testing.TB, src, root string) {
	t.Helper()
	name := filepath.Base(src)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() && d.Name() == "_license" {
			return filepath.SkipDir
		}
		dst := filepath.Join(root, "content", name, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// allowedCorpusWarning matches the only diagnostics a corpus may produce: links and images its authors
// really left broken, and Jekyll front-matter keys Lectern does not read. "broken search result" is
// reported for one CloudFormation page whose prose holds a raw, unclosed <script> tag, which hides the
// rest of the page from the browser (see TestUnclosedRawTextElement in generator/markdown).
var allowedCorpusWarning = regexp.MustCompile(`^(broken link|broken image|broken search result|unknown front matter key) `)

// TestCorpora builds every corpus in ../shared/corpora on its own, as a user would build it, and
// checks that the build succeeds without a panic, and that every diagnostic is a warning naming a file
// and line for a broken link or image, or an unknown front matter key. Skipped with -short (it builds
// 10,000 pages) and when shared/ is absent.
func TestCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every corpus (about 10,000 pages); skipped with -short")
	}
	corpora := corporaDir()
	if corpora == "" {
		t.Skip("shared/corpora not found above the package; skipping the corpus builds")
	}
	dirs, _ := filepath.Glob(filepath.Join(corpora, "*"))
	if only := os.Getenv("LECTERN_CORPUS"); only != "" {
		dirs = []string{filepath.Join(corpora, only)}
	}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			root := t.TempDir()
			copyCorpus(t, dir, root)
			res, err := Build(Options{Root: root})
			if err != nil {
				t.Fatalf("build failed: %v", err)
			}
			links := 0
			for _, d := range res.Diagnostics {
				switch {
				case strings.HasPrefix(d.File, "public/"):
					t.Logf("theme or generated page: %v", d) // not the corpus's doing
				case !allowedCorpusWarning.MatchString(d.Msg) || d.Line < 1 || !strings.HasPrefix(d.File, "content/"):
					t.Errorf("unexpected diagnostic: %v", d)
				case strings.HasPrefix(d.Msg, "broken"):
					links++
				}
			}
			if _, err := os.Stat(filepath.Join(root, "public", "index.html")); err != nil {
				t.Errorf("no home page: %v", err)
			}
			t.Logf("%d pages, %d files, %d broken links or images reported with file and line", res.Pages, res.Files, links)
		})
	}
}

// TestLargeNote builds one 4 MB note (a quarter of content.MaxNoteSize: paragraphs, lists, code and
// 2,000 headings) and logs the time and memory it took; the numbers behind MaxNoteSize are in
// docs/reliability.md. Skipped with -short.
func TestLargeNote(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 4 MB note; skipped with -short")
	}
	t.Parallel()
	root := t.TempDir()
	var b strings.Builder
	b.WriteString("# Large\n\n")
	for i := 0; b.Len() < 4<<20; i++ {
		fmt.Fprintf(&b, "## Section %d\n\nGlue crawlers fill the Data Catalog; Athena queries it, and EMR clusters read the same tables with Spark. ", i)
		b.WriteString(strings.Repeat("Shards split a stream, partitions split a table, and both decide throughput. ", 20))
		b.WriteString("\n\n- one\n- two with `code`\n\n```python\nprint('x')\n```\n\n")
	}
	writeFiles(t, root, []string{"content/large.md"}, map[string]string{"content/large.md": b.String()})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res, err := Build(Options{Root: root})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	t.Logf("4 MB note: %d files, %d bytes written in %v, %d MB allocated", res.Files, res.Bytes, took.Round(time.Millisecond), (after.TotalAlloc-before.TotalAlloc)>>20)
}

// failingSink accepts writes until limit bytes have gone through, then fails every write as a full disk
// does.
type failingSink struct {
	mu    sync.Mutex
	limit int
	n     int
	files map[string]bool
}

func (s *failingSink) WriteFile(rel string, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n+len(data) > s.limit {
		return fmt.Errorf("cannot write %s: %w", rel, syscall.ENOSPC)
	}
	s.n += len(data)
	s.files[rel] = true
	return nil
}

// TestSinkFailsMidway: whichever file the output fails on, the build stops with an error that keeps the
// cause (errors.Is finds ENOSPC), without a panic.
func TestSinkFailsMidway(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{0, 1 << 10, 20 << 10, 60 << 10} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			t.Parallel()
			sink := &failingSink{limit: limit, files: map[string]bool{}}
			_, err := Build(Options{Root: filepath.Join("testdata", "basic"), Sink: sink})
			if err == nil {
				t.Fatalf("build succeeded with %d bytes written", sink.n)
			}
			if !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("error %v lost its cause", err)
			}
		})
	}
}
