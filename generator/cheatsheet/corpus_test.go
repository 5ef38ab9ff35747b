package cheatsheet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/tipbox"
)

// corpus finds shared/corpora/name by walking up from the package's folder to the folder that holds
// shared/, and skips the test or benchmark when it is not there.
func corpus(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "corpora", name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skipf("corpus %s not found (it lives in shared/corpora next to the project)", name)
		}
		dir = parent
	}
}

// parseDir loads and parses every note under dir as the pipeline's pass 1 does.
func parseDir(tb testing.TB, dir string) (*markdown.Converter, []*markdown.Document) {
	tb.Helper()
	site, ds := content.Load(dir, content.Options{})
	if site == nil {
		tb.Fatalf("cannot load %s: %v", dir, ds)
	}
	conv := markdown.New(markdown.Options{RawHTML: true, TipBoxes: tipbox.Options{KeyPoints: true}})
	targets := markdown.NewTargets(site)
	docs := make([]*markdown.Document, len(site.Pages))
	for i, p := range site.Pages {
		docs[i] = conv.Parse(p, targets)
	}
	return conv, docs
}

// TestCorpora condenses real notes written by others (AWS guides with label paragraphs, HTML tables and
// code; personal notes with <details>): no note fails, ids stay unique across the sheet, and code is cut.
func TestCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("reads hundreds of pages")
	}
	t.Parallel()
	for _, name := range []string{"aws-glue", "notes-ccp-kananinirav"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conv, docs := parseDir(t, corpus(t, name))
			for _, mode := range []string{cheatsheet.ContentAll, cheatsheet.ContentTips} {
				opts := cheatsheet.Options{Content: mode, MaxCodeLines: 8}
				ids := map[string]string{}
				var tips, bytes int
				for _, d := range docs {
					n, err := cheatsheet.Extract(conv, d, opts)
					if err != nil {
						t.Fatal(err)
					}
					tips += n.Tips
					bytes += len(n.Body)
					for _, m := range idAttr.FindAllStringSubmatch(string(n.Body), -1) {
						if prev, dup := ids[m[1]]; dup {
							t.Errorf("%s: id %q is also used by %s", d.Page.File, m[1], prev)
						}
						ids[m[1]] = d.Page.File
					}
					if strings.Contains(string(n.Body), "<img") {
						t.Errorf("%s: an image is left on the sheet", d.Page.File)
					}
				}
				t.Logf("%s, %s: %d notes, %d tips, %d KB of sheet", name, mode, len(docs), tips, bytes/1024)
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	for _, c := range []struct{ name, dir string }{
		{"fixture", filepath.Join("testdata", "fixture", "content")},
		{"aws-glue", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			dir := c.dir
			if dir == "" {
				dir = corpus(b, c.name)
			}
			conv, docs := parseDir(b, dir)
			opts := cheatsheet.Options{Content: cheatsheet.ContentAll, MaxCodeLines: 8}
			b.ResetTimer()
			for b.Loop() {
				for _, d := range docs {
					if _, err := cheatsheet.Extract(conv, d, opts); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(docs)), "notes/op")
		})
	}
}
