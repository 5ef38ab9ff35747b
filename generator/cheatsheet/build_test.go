package cheatsheet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/site"
)

// TestBuild runs the whole pipeline on the fixture with cheat-sheet settings and checks what the stage
// adds to the site: the page, the header link on every page, and warnings for settings that match
// nothing.
func TestBuild(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		yaml      string
		sheet     bool     // cheatsheet/index.html is written and linked from the header
		warnings  []string // substrings of expected warnings
		sheetHas  []string
		sheetLack []string
	}{
		{name: "default", sheet: true, sheetHas: []string{"Exam tip", "SQS is a managed queue"}},
		{name: "disabled", yaml: "cheatsheet:\n  enabled: false\n"},
		{
			name: "include and kinds", yaml: "cheatsheet:\n  include: [streams, lamda.md]\n  kinds: [caution, warnign]\n", sheet: true,
			warnings:  []string{`cheatsheet.include: "lamda.md" matches no note`, `cheatsheet.kinds: no note has a tip box of kind "warnign"`},
			sheetHas:  []string{"A single hot key"},
			sheetLack: []string{"Exam tip", "Foldable detail", "SQS is a managed queue"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			if err := os.CopyFS(filepath.Join(root, "content"), os.DirFS(filepath.Join("testdata", "fixture", "content"))); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "lectern.yaml"), []byte("title: Fixture\n"+c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(root, "public")
			res, err := site.Build(site.Options{Root: root, Dest: dest})
			if err != nil {
				t.Fatal(err)
			}
			var warnings []string
			for _, d := range res.Diagnostics {
				warnings = append(warnings, d.Error())
			}
			all := strings.Join(warnings, "\n")
			for _, w := range c.warnings {
				if !strings.Contains(all, w) {
					t.Errorf("no warning %q in:\n%s", w, all)
				}
			}
			html, err := os.ReadFile(filepath.Join(dest, "cheatsheet", "index.html"))
			if c.sheet != (err == nil) {
				t.Fatalf("cheatsheet/index.html written: %v, want %v", err == nil, c.sheet)
			}
			page, err := os.ReadFile(filepath.Join(dest, "queues", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(page), `href="../cheatsheet/"`); got != c.sheet {
				t.Errorf("a note page links to the cheat sheet: %v, want %v", got, c.sheet)
			}
			for _, s := range c.sheetHas {
				if !strings.Contains(string(html), s) {
					t.Errorf("the sheet lacks %q", s)
				}
			}
			for _, s := range c.sheetLack {
				if strings.Contains(string(html), s) {
					t.Errorf("the sheet holds %q", s)
				}
			}
		})
	}
}
