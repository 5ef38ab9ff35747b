package markdown

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/lectern/lectern/generator/corpora"
	"hash"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/tipbox"
)

// daSite lays out the da corpus (the seven AWS data-analytics guides, 3,335 pages) with
// ../shared/bench/corpus.sh in the same temporary folder the site benchmarks use, and loads it. It skips
// when shared/ is not beside the project.
func daSite(tb testing.TB) *content.Site {
	tb.Helper()
	dir := filepath.Join(os.TempDir(), "lectern-bench-da")
	if skip, err := corpora.Site("da", dir); err != nil {
		tb.Fatal(err)
	} else if skip != "" {
		tb.Skip(skip)
	}
	site, ds := content.Load(filepath.Join(dir, "content"), content.Options{Root: dir})
	if site == nil {
		tb.Fatalf("cannot load the da corpus: %v", ds)
	}
	return site
}

// sampleMatcher is the matcher of the sample notes' catalog (content/_services.yaml), so that the da
// corpus also goes through the cross-link transformer and crosslink.Mentions, as a site with a catalog does.
func sampleMatcher(tb testing.TB) *crosslink.Matcher {
	tb.Helper()
	path := filepath.Join("..", "..", "content", "_services.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	cat, ds := catalog.Load(path, data)
	if cat == nil {
		tb.Fatalf("sample catalog: %v", ds)
	}
	return crosslink.NewMatcher(cat)
}

// pass1Options are the options of a default build (lectern.yaml absent), with or without a catalog.
func pass1Options(m *crosslink.Matcher) Options {
	return Options{RawHTML: true, TipBoxes: tipbox.Options{QuoteKind: "tip", KeyPoints: true, KeyPointMinWords: 4}, Services: m}
}

// BenchmarkPass1DA is what the pipeline's pass 1 does to each note of the da corpus, on one goroutine:
// Parse, then Prerender, then Release. "plain" is the da build as .ci/bench runs it (the corpus has no
// catalog); "services" adds the sample catalog, so service mentions are found and written as markers.
//
//	go test -run '^$' -bench Pass1DA -benchmem -count 5 ./generator/markdown
func BenchmarkPass1DA(b *testing.B) {
	site := daSite(b)
	targets := NewTargets(site)
	var size int64
	for _, p := range site.Pages {
		size += int64(len(p.Body))
	}
	for _, tc := range []struct {
		name string
		m    *crosslink.Matcher
	}{{"plain", nil}, {"services", sampleMatcher(b)}} {
		b.Run(tc.name, func(b *testing.B) {
			c := New(pass1Options(tc.m))
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range site.Pages {
					d := c.Parse(p, targets)
					if err := c.Prerender(d); err != nil {
						b.Fatal(err)
					}
					d.Release()
				}
			}
		})
	}
}

// TestCorpusDigest pins everything pass 1 produces for every note of the da corpus (HTML, title,
// headings, anchors, links, sections, tip boxes, mentions, diagnostics) to a digest in testdata, with and
// without a catalog: the corpus exercises far more of goldmark and the extensions than the golden file,
// and work on the parse stage's speed must not change a byte. A change meant to alter output updates the
// digest with -update; the first differing note is named by the digests of single notes printed then.
func TestCorpusDigest(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 3,335 pages")
	}
	t.Parallel()
	site := daSite(t)
	targets := NewTargets(site)
	var got strings.Builder
	for _, tc := range []struct {
		name string
		m    *crosslink.Matcher
	}{{"plain", nil}, {"services", sampleMatcher(t)}} {
		c := New(pass1Options(tc.m))
		h := sha256.New()
		for _, p := range site.Pages {
			d := c.Parse(p, targets)
			if err := c.Prerender(d); err != nil {
				t.Fatalf("%s: %v", p.File, err)
			}
			d.Release()
			writeDoc(h, d)
		}
		fmt.Fprintf(&got, "%s %s\n", tc.name, hex.EncodeToString(h.Sum(nil)))
	}
	golden := filepath.Join("testdata", "da.digest")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got.String() != string(want) {
		t.Errorf("pass 1 output on the da corpus changed:\ngot  %swant %s(run with -update if the change is intended)", got.String(), want)
	}
}

// writeDoc writes everything pass 1 leaves on d, in a fixed order, for TestCorpusDigest.
func writeDoc(h hash.Hash, d *Document) {
	fmt.Fprintf(h, "page %s\ntitle %q h1 %v\nhtml %d %s\n", d.Page.File, d.Title, d.StartsWithH1, len(d.HTML), d.HTML)
	for _, x := range d.Headings {
		fmt.Fprintf(h, "heading %+v\n", x)
	}
	anchors := make([]string, 0, len(d.Anchors))
	for a, ok := range d.Anchors {
		anchors = append(anchors, fmt.Sprintf("%q=%v", a, ok))
	}
	sort.Strings(anchors)
	fmt.Fprintf(h, "anchors %s\n", strings.Join(anchors, " "))
	for _, x := range d.Links {
		fmt.Fprintf(h, "link %d %q %q %q %v\n", x.Line, x.Dest, x.TargetURL, x.Fragment, x.Image)
	}
	for _, x := range d.Sections {
		fmt.Fprintf(h, "section %q %d %q %q %d\n%q\n%q\n", x.Anchor, x.Level, x.Heading, x.Path, x.Line, x.Body, x.Emphasis)
	}
	for _, x := range d.Tips {
		fmt.Fprintf(h, "tip %q %q %q %q %d %v %v %d %q %q\n", x.ID, x.Kind, x.Title, x.Text, x.Offset, x.Foldable, x.Open, x.Line, x.HeadingID, x.HeadingPath)
	}
	for _, x := range d.Mentions {
		fmt.Fprintf(h, "mention %+v\n", x)
	}
	for _, x := range d.Diagnostics {
		fmt.Fprintf(h, "diag %+v\n", x)
	}
}
