package cheatsheet_test

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark/ast"
)

// TestKindsMatchTree checks that a note's Kinds, taken from the tips Parse lists, are the kinds of the
// boxes and key points in its tree, as a walk of the tree finds them, in both content modes.
func TestKindsMatchTree(t *testing.T) {
	if tipbox.KindKeyPointItem != cheatsheet.KeyPointKind {
		t.Fatalf("key points are %q in Document.Tips but %q on the sheet", tipbox.KindKeyPointItem, cheatsheet.KeyPointKind)
	}
	dirs := []string{filepath.Join("testdata", "fixture", "content")}
	if !testing.Short() {
		dirs = append(dirs, corpus(t, "aws-glue"))
	}
	for _, dir := range dirs {
		conv, docs := parseDir(t, dir)
		for _, d := range docs {
			seen := map[string]bool{}
			_ = ast.Walk(d.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if entering {
					switch v := n.(type) {
					case *tipbox.TipBox:
						seen[v.TipKind] = true
					case *tipbox.KeyPoint:
						seen[cheatsheet.KeyPointKind] = true
					}
				}
				return ast.WalkContinue, nil
			})
			want := slices.Sorted(maps.Keys(seen))
			for _, mode := range []string{cheatsheet.ContentAll, cheatsheet.ContentTips} {
				n, err := cheatsheet.Extract(conv, d, cheatsheet.Options{Content: mode, MaxCodeLines: 8})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(n.Kinds, want) || n.Kinds == nil {
					t.Errorf("%s (%s): Kinds %q, the tree has %q", d.Page.File, mode, n.Kinds, want)
				}
			}
		}
	}
}
