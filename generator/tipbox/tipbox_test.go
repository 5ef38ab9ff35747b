package tipbox_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func updating() bool { return *update || os.Getenv("LECTERN_UPDATE_GOLDEN") == "1" }

// defaults are the options the lead passes by default.
var defaults = tipbox.Options{KeyPoints: true}

func newMarkdown(opts tipbox.Options) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, tipbox.New(opts)),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// result is one conversion: the HTML, the extracted items and the diagnostics.
type result struct {
	html  string
	items []tipbox.Item
	diags []diag.Diagnostic
	doc   ast.Node
}

func convert(t testing.TB, md goldmark.Markdown, src []byte) result {
	t.Helper()
	pc := parser.NewContext()
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, src, doc); err != nil {
		t.Fatalf("render: %v", err)
	}
	return result{html: b.String(), items: tipbox.Extract(doc, src), diags: diag.Collect(pc), doc: doc}
}

// lineOf turns a byte offset into a 1-based line number.
func lineOf(src []byte, off int) int {
	if off < 0 || off > len(src) {
		return 0
	}
	return bytes.Count(src[:off], []byte("\n")) + 1
}

func (r result) golden(src []byte) string {
	var b strings.Builder
	b.WriteString(r.html)
	b.WriteString("-- items --\n")
	for _, it := range r.items {
		fmt.Fprintf(&b, "line %d: %s %s title=%q foldable=%v open=%v text=%q\n",
			lineOf(src, it.Offset), it.ID, it.Kind, it.Title, it.Foldable, it.Open, it.Text)
	}
	b.WriteString("-- diagnostics --\n")
	for _, d := range r.diags {
		fmt.Fprintf(&b, "line %d: %s\n", lineOf(src, d.Offset), d.Msg)
	}
	return b.String()
}

// caseOptions are the options of golden cases that do not use the defaults.
var caseOptions = map[string]tipbox.Options{
	"quote-none":     {QuoteKind: "none", KeyPoints: true},
	"quote-quote":    {QuoteKind: "quote", KeyPoints: true},
	"quote-alias":    {QuoteKind: "hint", KeyPoints: true},
	"keypoints-off":  {KeyPoints: false},
	"keypoints-min6": {KeyPoints: true, KeyPointMinWords: 6},
	"custom": {KeyPoints: true, QuoteKind: "exam", Custom: []tipbox.Kind{
		{Name: "exam", Title: "Exam tip", Icon: "todo", Colour: "#8a2be2"},
		{Name: "Cost", Title: "", Icon: `<svg viewBox="0 0 8 8"><circle cx="4" cy="4" r="3"/></svg>`, Colour: "oklch(60% 0.15 140)"},
		{Name: "evil", Colour: `red;" onclick="x`},
	}},
}

// TestGolden renders every testdata/cases/*.md and compares HTML, items and diagnostics with the
// .golden file next to it; -update or LECTERN_UPDATE_GOLDEN=1 rewrites them.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts, ok := caseOptions[name]
			if !ok {
				opts = defaults
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := convert(t, newMarkdown(opts), src)
			checkUniqueIDs(t, r.doc)
			got := r.golden(src)
			gf := strings.TrimSuffix(f, ".md") + ".golden"
			if updating() {
				if err := os.WriteFile(gf, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gf)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from golden %s:\n%s", f, gf, diffLines(string(want), got))
			}
		})
	}
}

// diffLines shows the first differing lines, enough to see what changed.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// checkUniqueIDs fails when two elements of a document share an id (headings, boxes, key points).
func checkUniqueIDs(t testing.TB, doc ast.Node) {
	t.Helper()
	seen := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var id string
		switch v := n.(type) {
		case *tipbox.TipBox:
			id = v.ID
		case *tipbox.KeyPoint:
			id = v.ID
		case *ast.Heading:
			if a, ok := v.AttributeString("id"); ok {
				id = string(a.([]byte))
			}
		}
		if id == "" {
			return ast.WalkContinue, nil
		}
		if seen[id] {
			t.Errorf("duplicate id %q", id)
		}
		seen[id] = true
		return ast.WalkContinue, nil
	})
}

func TestIDsNeverCollideWithHeadings(t *testing.T) {
	t.Parallel()
	src := []byte("# Tip Lambda\n\n## Key Use less\n\n> [!tip] Lambda\n> x\n\n`use less memory in your functions`\n\n`use less memory in your functions`\n\n# Tip Lambda\n")
	r := convert(t, newMarkdown(defaults), src)
	checkUniqueIDs(t, r.doc)
	var ids []string
	for _, it := range r.items {
		ids = append(ids, it.ID)
	}
	want := []string{"tip-lambda-2", "key-use-less-memory-in-your-functions", "key-use-less-memory-in-your-functions-1"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}

// fixedIDs is a heading-id transformer like the markdown stage's: it sets ids without telling the
// parser.Context, so the tip box transformer must look at the ids already in the tree.
type fixedIDs struct{}

func (fixedIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.SetAttributeString("id", []byte("tip-lambda"))
		}
		return ast.WalkContinue, nil
	})
}

func TestIDsAvoidIDsSetByOtherTransformers(t *testing.T) {
	t.Parallel()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, tipbox.New(defaults)),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(fixedIDs{}, 50))))
	r := convert(t, md, []byte("# Any\n\n> [!tip] Lambda\n> x\n\n> [!tip] Lambda\n> y\n"))
	if len(r.items) != 2 || r.items[0].ID != "tip-lambda-1" || r.items[1].ID != "tip-lambda-2" {
		t.Errorf("items %+v, want ids tip-lambda-1 and tip-lambda-2", r.items)
	}
}

// TestKeyPointTextIsPlain checks that key point children are ordinary (not raw) text unless raw text
// is needed to render the code span's characters exactly.
func TestKeyPointTextIsPlain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src, html string
		raw       bool
	}{
		{"`Lambda & Kinesis work well together`", "Lambda &amp; Kinesis work well together", false},
		{"`use the AWS CLI to copy data`", "use the AWS CLI to copy data", false},
		{"`an entity &amp; stays as it was written`", "an entity &amp;amp; stays as it was written", true},
		{"`a backslash \\* stays in the sentence`", "a backslash \\* stays in the sentence", true},
	}
	md := newMarkdown(defaults)
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			t.Parallel()
			r := convert(t, md, []byte(tt.src))
			if len(r.items) != 1 {
				t.Fatalf("got %d items, want one key point", len(r.items))
			}
			for c := r.items[0].Node.FirstChild(); c != nil; c = c.NextSibling() {
				if tx := c.(*ast.Text); tx.IsRaw() != tt.raw {
					t.Errorf("raw = %v, want %v", tx.IsRaw(), tt.raw)
				}
			}
			if !strings.Contains(r.html, "<strong>"+tt.html+"</strong>") {
				t.Errorf("html %s does not hold %q", r.html, tt.html)
			}
		})
	}
}

// seedKeyPoints are the backticked sentences of four or more words in ../shared/seed-notes.md.
var seedKeyPoints = []string{
	"you do not pay for processing time you do not use",
	"Best practice for loading data into Redshift is the COPY command",
	"kinesis stream should be in the same account as your lambda",
	"too large a btach size can cause timeouts!",
	"only handles new rows, not updated rows",
	"For the Exam you really only need to now what it is and what is for",
	"A good way to expand your cluster dynamically is by using a spot instance on a task node",
	"Ephemeral - HDFS data is lost when cluster is terminated",
	"Hadoop common / core = MapReduce, YARN, HDFS",
	"Provision clusters from the notebook",
	"Remember Hue is a management tool, front-end console for you entire EMR console",
}

// seedLabels are backticked two- and three-word labels of the seed notes that must stay code.
var seedLabels = []string{
	"Supported Languages", "Redshift", "Kinesis", "Glue Crawler", "Machine Learning Transformations",
	"Job Bookmarks", "master node", "nore & task nodes", "spot instances", "S3",
}

// sharedDir finds the shared/ folder by walking up from the package directory.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if fi, err := os.Stat(filepath.Join(dir, "shared")); err == nil && fi.IsDir() {
			return filepath.Join(dir, "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/ (seed notes and corpora) not found above the package directory")
		}
		dir = parent
	}
}

func TestSeedNotes(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join(sharedDir(t), "seed-notes.md"))
	if err != nil {
		t.Skipf("seed notes not readable: %v", err)
	}
	r := convert(t, newMarkdown(defaults), src)
	checkUniqueIDs(t, r.doc)
	var boxes, keys []string
	for _, it := range r.items {
		if it.Kind == tipbox.KindKeyPointItem {
			keys = append(keys, it.Text)
			continue
		}
		boxes = append(boxes, it.Text)
		if it.Kind != "tip" || it.Node.(*tipbox.TipBox).Syntax != tipbox.SyntaxQuote {
			t.Errorf("box %q: kind %s syntax %s, want a tip from a plain quote", it.ID, it.Kind, it.Node.(*tipbox.TipBox).Syntax)
		}
	}
	if len(boxes) != 18 {
		t.Errorf("got %d tip boxes, want the 18 blockquotes", len(boxes))
	}
	if strings.Join(keys, "\n") != strings.Join(seedKeyPoints, "\n") {
		t.Errorf("key points:\n%s\nwant:\n%s", strings.Join(keys, "\n"), strings.Join(seedKeyPoints, "\n"))
	}
	if strings.Contains(r.html, "<blockquote>") {
		t.Errorf("a blockquote was left plain")
	}
	for _, l := range seedLabels {
		if !strings.Contains(r.html, "<code>"+strings.ReplaceAll(l, "&", "&amp;")+"</code>") {
			t.Errorf("label %q is no longer code", l)
		}
	}
	if len(r.diags) != 0 {
		t.Errorf("unexpected diagnostics: %v", r.diags)
	}
}

// specExample is one example of goldmark's copy of the CommonMark spec.
type specExample struct {
	Markdown, HTML, Section string
	Example                 int
}

// TestCommonMarkSpec checks that with plain quotes left alone and key points off, the spec examples
// render exactly as goldmark without the extension renders them: those for block quotes and code
// spans (the syntax the extension builds on), and all the others too.
func TestCommonMarkSpec(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env GOMODCACHE: %v", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "github.com", "yuin", "goldmark@v1.8.7", "_test", "spec.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("CommonMark spec not in the module cache: %v", err)
	}
	var examples []specExample
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	plain := goldmark.New(goldmark.WithExtensions(extension.GFM))
	ours := goldmark.New(goldmark.WithExtensions(extension.GFM, tipbox.New(tipbox.Options{QuoteKind: "none", KeyPoints: false})))
	n := 0
	for _, ex := range examples {
		if ex.Section == "Block quotes" || ex.Section == "Code spans" {
			n++
		}
		t.Run(fmt.Sprintf("example-%d", ex.Example), func(t *testing.T) {
			t.Parallel()
			src := []byte(strings.ReplaceAll(ex.Markdown, "→", "\t"))
			var want, got bytes.Buffer
			if err := plain.Convert(src, &want); err != nil {
				t.Fatal(err)
			}
			if err := ours.Convert(src, &got); err != nil {
				t.Fatal(err)
			}
			if want.String() != got.String() {
				t.Errorf("%s example %d (%q):\nwant %q\ngot  %q", ex.Section, ex.Example, ex.Markdown, want.String(), got.String())
			}
		})
	}
	if n != 47 {
		t.Errorf("found %d block quote and code span examples, want 47", n)
	}
}

// TestConcurrentUse converts with one shared instance from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	md := newMarkdown(defaults)
	src := []byte("> [!tpi] x\n> body\n\n:::note\ny\n:::\n\n`a key point sentence of words`\n")
	want := convert(t, md, src).golden(src)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if got := convert(t, md, src).golden(src); got != want {
					t.Errorf("concurrent result differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts tipbox.Options
		err  string
	}{
		{"zero", tipbox.Options{}, ""},
		{"none", tipbox.Options{QuoteKind: "none"}, ""},
		{"alias", tipbox.Options{QuoteKind: "FAQ"}, ""},
		{"custom quote kind", tipbox.Options{QuoteKind: "exam", Custom: []tipbox.Kind{{Name: "exam"}}}, ""},
		{"unknown quote kind", tipbox.Options{QuoteKind: "tpi"}, `quote kind "tpi" is not a known kind`},
		{"negative words", tipbox.Options{KeyPointMinWords: -1}, "negative"},
		{"bad name", tipbox.Options{Custom: []tipbox.Kind{{Name: "a b"}}}, `name "a b"`},
		{"icon alias", tipbox.Options{Custom: []tipbox.Kind{{Name: "x", Icon: "Lightbulb"}}}, ""},
		{"bad icon", tipbox.Options{Custom: []tipbox.Kind{{Name: "x", Icon: "unicorn"}}}, `icon "unicorn"`},
		{"bad colour", tipbox.Options{Custom: []tipbox.Kind{{Name: "x", Colour: "red;}"}}}, `colour "red;}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.opts.Validate()
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

// TestAWSCorpusLabels checks on a real corpus that label paragraphs become boxes and nothing panics.
func TestAWSCorpusLabels(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(sharedDir(t), "corpora", "aws-glue")
	files, _ := filepath.Glob(filepath.Join(dir, "doc_source", "*.md"))
	if len(files) == 0 {
		t.Skipf("corpus %s is absent", dir)
	}
	sort.Strings(files)
	md := newMarkdown(defaults)
	labels, boxes := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(src), "\n") {
			switch strings.TrimSpace(l) {
			case "**Note**", "**Important**", "**Warning**", "**Tip**":
				labels++
			}
		}
		r := convert(t, md, src)
		checkUniqueIDs(t, r.doc)
		for _, it := range r.items {
			if b, ok := it.Node.(*tipbox.TipBox); ok && b.Syntax == tipbox.SyntaxLabel {
				boxes++
				if it.Text == "" {
					t.Errorf("%s:%d: empty label box %s", f, lineOf(src, it.Offset), it.ID)
				}
			}
		}
	}
	if labels == 0 || boxes < labels*95/100 {
		t.Errorf("%d label boxes for %d label lines", boxes, labels)
	}
}

func BenchmarkSeedNotes(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(sharedDir(b), "seed-notes.md"))
	if err != nil {
		b.Skip(err)
	}
	md := newMarkdown(defaults)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		convert(b, md, src)
	}
}
