package markdown

import (
	"runtime"
	"testing"
	"weak"

	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark/ast"
)

// TestReleaseLetsGoOfTheTree checks that nothing a released Document keeps reaches its syntax tree: a
// build holds every note's Document between the passes, and a tree takes about ten times the memory of
// its markdown. A tip box's node once kept every tree of the da corpus alive (60 MB).
func TestReleaseLetsGoOfTheTree(t *testing.T) {
	t.Parallel()
	site := testSite("index.md", "glue.md")
	md := "# Glue\n\n> [!TIP]\n> Crawlers `infer the schema of every new file they find`.\n\n" +
		"## Jobs\n\n> A quote.\n\nSee [the index](index.md) and <a name=\"x\"></a>.\n"
	site.Pages[1].Body = []byte(md)
	c := New(Options{RawHTML: true, TipBoxes: tipbox.Options{QuoteKind: "tip", KeyPoints: true, KeyPointMinWords: 4}})
	d := c.Parse(site.Pages[1], NewTargets(site))
	if err := c.Prerender(d); err != nil {
		t.Fatal(err)
	}
	if len(d.Tips) < 2 {
		t.Fatalf("want the tip box, the quote and the key point among the tips, got %d", len(d.Tips))
	}
	tree := weak.Make(d.AST.(*ast.Document))
	d.Release()
	for i, tip := range d.Tips {
		if tip.Node != nil {
			t.Errorf("tip %d (%s) still holds its node after Release", i, tip.Kind)
		}
	}
	runtime.GC()
	if tree.Value() != nil {
		t.Error("the syntax tree is still reachable after Release")
	}
	runtime.KeepAlive(d)
}
