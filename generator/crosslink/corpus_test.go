package crosslink

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// daGuides are the seven AWS data-analytics developer guides (`bench/corpus.sh da`).
var daGuides = []string{"aws-lambda", "aws-glue", "aws-kinesis-streams", "aws-redshift", "aws-athena", "aws-emr", "aws-s3"}

type corpusFile struct {
	path string
	data []byte
}

// loadDA reads the da corpus: from $LECTERN_BENCH_CONTENT (a content/ folder laid out by
// `bench/corpus.sh da OUT`) when set, otherwise straight from shared/corpora. Files are in path order.
func loadDA(t testing.TB) []corpusFile {
	t.Helper()
	var roots []string
	if dir := os.Getenv("LECTERN_BENCH_CONTENT"); dir != "" {
		roots = []string{dir}
	} else {
		base := filepath.Dir(sharedFile(t, filepath.Join("corpora", "aws-lambda")))
		for _, g := range daGuides {
			roots = append(roots, filepath.Join(base, g))
		}
	}
	var files []corpusFile
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "_license" {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".md") {
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				files = append(files, corpusFile{path, data})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	if len(files) == 0 {
		t.Skip("da corpus is empty")
	}
	return files
}

// TestCorpusLosesNoText runs the extension over every page of the da corpus: with every mention unlinked
// the HTML must equal goldmark's without the extension, and real pages must yield mentions.
func TestCorpusLosesNoText(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	t.Parallel()
	files := loadDA(t)
	cat := siteCatalog(t)
	md := newMarkdown(NewMatcher(cat))
	plain := goldmark.New(
		goldmark.WithExtensions(extension.GFM, tipbox.New(tipbox.Options{KeyPoints: true})),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	total := 0
	for _, f := range files {
		var want bytes.Buffer
		if err := plain.Convert(f.data, &want); err != nil {
			t.Fatal(err)
		}
		p := page{md.Parser().Parse(textReader(f.data)), f.data}
		ms := Mentions(p.doc, p.source)
		total += len(ms)
		if got := unlinked(ms).Apply(p.render(t, md), nil); got != want.String() {
			t.Fatalf("%s: rendering with unlinked mentions differs from plain goldmark", f.path)
		}
	}
	if total < len(files) {
		t.Errorf("only %d mentions in %d pages of AWS guides", total, len(files))
	}
}

func BenchmarkMatcherDA(b *testing.B) {
	files := loadDA(b)
	for _, tc := range []struct {
		name string
		cat  *catalog.Catalog
	}{
		{"site-catalog", siteCatalog(b)},
		{"synthetic-500", syntheticCatalog(siteCatalog(b), 500)},
	} {
		m := NewMatcher(tc.cat)
		var size int64
		for _, f := range files {
			size += int64(len(f.data))
		}
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, f := range files {
					m.Scan(f.data, func(Match) { n++ })
				}
			}
			b.ReportMetric(float64(n)/float64(b.N), "mentions/op")
		})
	}
}

// BenchmarkLinkDA measures the whole cost of cross-linking on the da corpus: parse with and without the
// extension, then Mentions, Resolve and render.
func BenchmarkLinkDA(b *testing.B) {
	files := loadDA(b)
	cat := siteCatalog(b)
	var size int64
	for _, f := range files {
		size += int64(len(f.data))
	}
	plain := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(parser.WithAutoHeadingID()))
	for _, tc := range []struct {
		name string
		md   goldmark.Markdown
		link bool
	}{
		{"goldmark-only", plain, false},
		{"with-crosslinks", goldmark.New(goldmark.WithExtensions(extension.GFM, New(NewMatcher(cat))), goldmark.WithParserOptions(parser.WithAutoHeadingID())), true},
		{"with-crosslinks-500", goldmark.New(goldmark.WithExtensions(extension.GFM, New(NewMatcher(syntheticCatalog(cat, 500)))), goldmark.WithParserOptions(parser.WithAutoHeadingID())), true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			homes := map[string]Home{"lambda": {URL: "aws-lambda/"}, "glue": {URL: "aws-glue/", Anchor: "what-is-glue"}}
			var out bytes.Buffer
			for b.Loop() {
				for _, f := range files {
					doc := tc.md.Parser().Parse(textReader(f.data))
					if tc.link {
						_ = Mentions(doc, f.data)
						Resolve(doc, "aws-glue/page/", homes, FirstPerSection, nil)
					}
					out.Reset()
					if err := tc.md.Renderer().Render(&out, f.data, doc); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkNewMatcher(b *testing.B) {
	cat := syntheticCatalog(siteCatalog(b), 500)
	b.ReportAllocs()
	for b.Loop() {
		_ = NewMatcher(cat)
	}
}

// syntheticCatalog adds generated services to base until it has n: multi-word names sharing prefixes
// with real ones ("Amazon Redshift Widget 17"), aliases and upper-case abbreviations, so the trie is as
// deep and branchy as a large real catalog.
func syntheticCatalog(base *catalog.Catalog, n int) *catalog.Catalog {
	services := append([]*catalog.Service(nil), base.Services...)
	words := []string{"Redshift", "Glue", "Kinesis", "Data", "Stream", "Lake", "Cloud", "Elastic", "Managed", "Query", "Graph", "Vector"}
	nouns := []string{"Widget", "Engine", "Studio", "Hub", "Vault", "Relay", "Beacon", "Ledger", "Forge", "Harbor"}
	for i := 0; len(services) < n; i++ {
		w, x := words[i%len(words)], nouns[(i/len(words))%len(nouns)]
		name := fmt.Sprintf("Amazon %s %s %d", w, x, i)
		services = append(services, &catalog.Service{
			Slug:          fmt.Sprintf("synthetic-%d", i),
			Name:          name,
			Aliases:       []string{fmt.Sprintf("%s %s %d", w, x, i), fmt.Sprintf("%s%s%d", x, w, i)},
			Abbreviations: []string{fmt.Sprintf("%c%c%c%d", w[0], x[0], 'A'+byte(i%26), i)},
			Summary:       "Synthetic service for benchmarks.",
			Docs:          "https://example.com/",
			Category:      "Synthetic",
		})
	}
	c := catalog.New(services)
	c.LowercaseNames = base.LowercaseNames
	return c
}

func textReader(b []byte) text.Reader { return text.NewReader(b) }
