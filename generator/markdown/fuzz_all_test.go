package markdown

import (
	"bytes"
	"github.com/lectern/lectern/generator/corpora"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/tipbox"
)

// fuzzRepoFile finds a file of the repository (the sample catalog) by walking up from the package folder.
func fuzzRepoFile(tb testing.TB, rel string) []byte {
	tb.Helper()
	dir, _ := os.Getwd()
	for {
		if b, err := os.ReadFile(filepath.Join(dir, rel)); err == nil {
			return b
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("%s not found above the package folder", rel)
		}
		dir = parent
	}
}

// fuzzCorpusSeeds returns the seed inputs the issue asks for: every file of the kananinirav notes (cut
// into pieces at paragraph breaks) and
// the opening of the first pages of each AWS guide, read from ../shared/corpora at test time (never
// copied into the repository). It returns nil when shared/ is absent.
func fuzzCorpusSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	if corpora.Dir() == "" {
		return nil
	}
	var seeds [][]byte
	for _, p := range corpora.NotesFiles() {
		if b, err := os.ReadFile(p); err == nil {
			// Whole files of up to 76 KB make each execution slow; their paragraphs, in pieces of up
			// to 4 KB, cover the same syntax and let the fuzzer mutate them quickly.
			for len(b) > 0 {
				piece := fragment(b, 4096)
				seeds = append(seeds, piece)
				b = b[len(piece):]
			}
		}
	}
	for _, p := range corpora.GuidePages(12) {
		if b, err := os.ReadFile(p); err == nil {
			seeds = append(seeds, fragment(b, 4096))
		}
	}
	return seeds
}

// fragment cuts b to at most n bytes at a paragraph break, so seeds stay small enough to mutate quickly.
func fragment(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	if i := bytes.LastIndex(b[:n], []byte("\n\n")); i > 0 {
		return b[:i+1]
	}
	return b[:n]
}

// activeMarkup is markup that runs code; with raw HTML off, a note must never produce it.
var activeMarkup = regexp.MustCompile(`(?i)<(script|iframe|object|embed|style)\b|href="\s*javascript:`)

// FuzzConvertAll runs the whole markdown stage as a build does, with every extension on: GFM, footnotes,
// definition lists, heading IDs, link rewriting, tip boxes with key points and a custom kind, and service
// cross-links resolved to homes. It checks the converter never panics, rendering never fails, valid UTF-8
// stays valid, every diagnostic points at a line of the note, with raw HTML off no markup of the note
// reaches the page as a tag, and the pipeline's single render (Prerender, then the markers linked)
// equals rendering the tree after Resolve.
func FuzzConvertAll(f *testing.F) {
	for _, s := range fuzzCorpusSeeds(f) {
		f.Add(s)
	}
	seeds, _ := filepath.Glob("testdata/*.md")
	for _, s := range seeds {
		b, _ := os.ReadFile(s)
		f.Add(b)
	}
	for _, s := range []string{
		"> [!TIP]\n> Use AWS Glue with Lambda.\n\n`Kinesis Data Streams keeps records for a day.`\n\n[x](glue.md#z)",
		"!!! warning \"Redshift\"\n    EMR and Athena\n\n::: note\nS3 :::\n:::\n",
		"Term\n: Definition with Glue[^1]\n\n[^1]: Footnote with <b>HTML</b>\n",
		"| a | b |\n|---|---|\n| Lambda | `x` |\n\n- [ ] task Glue\n- [x] done",
		"# <script>alert(1)</script> {#id}\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))",
		"> **Note**  \n> Athena queries S3.\n\n+ item\n  + nested Lambda\n",
	} {
		f.Add([]byte(s))
	}
	cat, ds := catalog.Load("content/_services.yaml", fuzzRepoFile(f, "content/_services.yaml"))
	if cat == nil {
		f.Fatalf("sample catalog does not load: %v", ds)
	}
	matcher := crosslink.NewMatcher(cat)
	tips := tipbox.Options{KeyPoints: true, Custom: []tipbox.Kind{{Name: "exam", Title: "Exam <tip>", Icon: "star", Colour: "#f00"}}}
	homes := map[string]crosslink.Home{"glue": {URL: "glue/", Anchor: "jobs", Title: "Glue <jobs>"}, "lambda": {URL: "f/", Title: "F"}}
	converters := map[bool]*Converter{
		true:  New(Options{RawHTML: true, TipBoxes: tips, Services: matcher}),
		false: New(Options{RawHTML: false, TipBoxes: tips, Services: matcher}),
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, raw := range []bool{true, false} {
			c := converters[raw]
			page := &content.Page{Rel: "f.md", Dir: ".", URL: "f/", File: "content/f.md", BodyLine: 3, Body: data}
			glue := &content.Page{Rel: "glue.md", Dir: ".", URL: "glue/", File: "content/glue.md", BodyLine: 1}
			site := &content.Site{Pages: []*content.Page{page, glue}, Sections: []*content.Section{{Dir: ".", URL: ""}}}
			d := c.Parse(page, NewTargets(site))
			crosslink.Resolve(d.AST, page.URL, homes, crosslink.FirstPerSection, nil)
			var b bytes.Buffer
			if err := c.Render(&b, d); err != nil {
				t.Fatalf("render (raw HTML %v): %v", raw, err)
			}
			if utf8.Valid(data) && !utf8.Valid(b.Bytes()) {
				t.Fatalf("invalid UTF-8 output for valid input (raw HTML %v)", raw)
			}
			lines := bytes.Count(data, []byte("\n")) + page.BodyLine
			for _, dg := range d.Diagnostics {
				if dg.File != page.File || dg.Line < 0 || dg.Line > lines {
					t.Fatalf("diagnostic outside the note (%d lines): %v", lines, dg)
				}
			}
			if !raw && activeMarkup.Match(b.Bytes()) {
				t.Fatalf("raw HTML off, yet the page holds markup from the note:\n%s", b.Bytes())
			}
			// The pipeline's way: one render in pass 1 with markers, linked in pass 2 without the tree,
			// must give what rendering the resolved tree gives.
			once := c.Parse(page, NewTargets(site))
			if err := c.Prerender(once); err != nil {
				t.Fatalf("prerender (raw HTML %v): %v", raw, err)
			}
			once.Release()
			linked := crosslink.NewLinker(cat, homes, crosslink.FirstPerSection).Page(page.URL, once.Mentions).Apply(once.HTML, nil)
			if linked != b.String() {
				t.Fatalf("markers linked in pass 2 differ from the resolved tree (raw HTML %v):\n got %q\nwant %q", raw, linked, b.String())
			}
		}
	})
}
