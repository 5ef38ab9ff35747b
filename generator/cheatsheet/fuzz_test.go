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
