package cheatsheet_test

import (
	"bytes"
	"testing"

	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/tipbox"
)

// FuzzExtract feeds any markdown to Extract in every mode: it must not fail or panic, and the note's
// own page must render the same from a tree Extract ran on as from a fresh one. (Two trees, because
// goldmark's table renderer adds to a cell's attributes each time it renders it.)
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"# T\n\n- a\n  - b\n\n> [!TIP]\n> tip\n",
		"```go\n1\n2\n3\n4\n5\n```\n\n- ```\n  x\n  y\n  z\n  ```\n",
		"![i](a.png)\n\n[![b](b.png)](https://x)\n\n[l](other.md#x) [s](#y)\n",
		"!!! warning \"W\"\n    body\n\n??? note\n    folded\n\n:::tip\nc\n:::\n",
		"- `a key point sentence in a list item`\n\n`Another key point that is a whole paragraph`\n",
		"| a | b |\n|---|---|\n| ![x](y) | 1 |\n\nTerm\n: def\n\n<div>raw</div>\n\n---\n\n[^1]\n\n[^1]: note\n",
	} {
		f.Add(s)
	}
	conv := markdown.New(markdown.Options{RawHTML: true, TipBoxes: tipbox.Options{KeyPoints: true}})
	f.Fuzz(func(t *testing.T, src string) {
		for _, opts := range []cheatsheet.Options{
			{Content: cheatsheet.ContentAll, MaxCodeLines: 2},
			{Content: cheatsheet.ContentTips},
			{Content: cheatsheet.ContentAll, Kinds: []string{"warning"}, MaxCodeLines: 1},
		} {
			p := &content.Page{File: "content/f.md", Rel: "f.md", Dir: ".", URL: "f/", Body: []byte(src), BodyLine: 1}
			fresh := conv.Parse(p, nil)
			before, err := conv.RenderNode(fresh, fresh.AST)
			if err != nil {
				t.Skip() // the converter itself refuses this input
			}
			before = bytes.Clone(before)
			d := conv.Parse(p, nil)
			if _, err := cheatsheet.Extract(conv, d, opts); err != nil {
				t.Fatalf("Extract: %v", err)
			}
			after, err := conv.RenderNode(d, d.AST)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Fatalf("the page changed after Extract(%+v):\n--- before\n%s\n--- after\n%s", opts, before, after)
			}
		}
	})
}

// FuzzPDFText keeps the test's PDF reader from panicking on damaged input: it must return an error
// or pages, whatever it is given.
func FuzzPDFText(f *testing.F) {
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<</Type /Page /MediaBox [0 0 10 10] /Contents 2 0 R /Resources <</Font <</F1 3 0 R>>>>>>\nendobj\n2 0 obj\n<</Length 26>> stream\nBT /F1 9 Tf (Hi) Tj ET\nendstream\nendobj\n"))
	f.Add([]byte("%PDF-1.4\n3 0 obj\n<</Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 4 0 R>>\nendobj\n4 0 obj\n<<>> stream\nbeginbfchar <0001> <0041> endbfchar beginbfrange <0002> <0004> <0061> endbfrange\nendstream\nendobj\n"))
	f.Add([]byte("%PDF-1.7\n5 0 obj\n<</Filter /FlateDecode /Length 3>> stream\nxyz\nendstream\nendobj\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := parsePDF(data); err == nil {
			_ = p.Pages()
		}
	})
}
