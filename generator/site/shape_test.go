package site

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/output"
)

// TestSameFrontCoversEveryField changes each field of the front matter in turn: sameFront must see it,
// or a cached build would keep a note parsed with the old front matter.
func TestSameFrontCoversEveryField(t *testing.T) {
	t.Parallel()
	base := content.FrontMatter{Title: "t", Description: "d", Weight: 1, Aliases: []string{"a"}, Service: "s"}
	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		changed := base
		changed.Aliases = slices.Clone(base.Aliases)
		f := reflect.ValueOf(&changed).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(f.String() + "x")
		case reflect.Int:
			f.SetInt(f.Int() + 1)
		case reflect.Bool:
			f.SetBool(!f.Bool())
		case reflect.Slice:
			f.Set(reflect.ValueOf([]string{"a", "b"}))
		default:
			t.Fatalf("field %s is a %s: teach sameFront and this test about it", v.Type().Field(i).Name, f.Kind())
		}
		if sameFront(&base, &changed) {
			t.Errorf("sameFront misses a change of %s", v.Type().Field(i).Name)
		}
	}
	same := base
	same.Aliases = slices.Clone(base.Aliases)
	if !sameFront(&base, &same) {
		t.Error("sameFront tells equal front matter apart")
	}
}

// TestLinkCheckCarriesOver removes the heading a link of another note points at, and puts it back: the
// linking note is not parsed again, yet its warning must come and go with the heading, as in a full build.
func TestLinkCheckCarriesOver(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "content/a.md"), "# A\n\nSee [the section](b.md#setup).\n")
	write(t, filepath.Join(root, "content/b.md"), "# B\n\n## Setup\n\nText.\n")
	write(t, filepath.Join(root, "content/c.md"), "# C\n\nUnrelated, links to [A](a.md).\n")
	cache := &Cache{}
	broken := func(step string) []diag.Diagnostic {
		t.Helper()
		inc := buildBoth(t, root, cache, step)
		var out []diag.Diagnostic
		for _, d := range inc {
			if strings.Contains(d.Msg, "has no heading or anchor") {
				out = append(out, d)
			}
		}
		return out
	}
	if got := broken("first build"); len(got) != 0 {
		t.Fatalf("first build: %v", got)
	}
	replaceIn(t, filepath.Join(root, "content/b.md"), "## Setup", "## Install")
	got := broken("heading removed")
	if len(got) != 1 || got[0].File != "content/a.md" || got[0].Line != 3 {
		t.Fatalf("heading removed: want one warning at content/a.md:3, got %v", got)
	}
	appendFile(t, filepath.Join(root, "content/c.md"), "\nMore text.\n")
	if got := broken("another note edited"); len(got) != 1 {
		t.Fatalf("another note edited: the warning must stay, got %v", got)
	}
	replaceIn(t, filepath.Join(root, "content/b.md"), "## Install", "## Setup")
	if got := broken("heading back"); len(got) != 0 {
		t.Fatalf("heading back: %v", got)
	}
	os.Remove(filepath.Join(root, "content/c.md"))
	if got := broken("a note removed"); len(got) != 0 {
		t.Fatalf("a note removed: %v", got)
	}
}

// buildBoth builds root with cache and without, fails the test when the two differ in any file or
// diagnostic, and returns the diagnostics.
func buildBoth(t *testing.T, root string, cache *Cache, step string) []diag.Diagnostic {
	t.Helper()
	inc := output.NewMemory()
	resInc, errInc := Build(Options{Root: root, Sink: inc, Cache: cache})
	full := output.NewMemory()
	resFull, errFull := Build(Options{Root: root, Sink: full})
	if (errInc == nil) != (errFull == nil) {
		t.Fatalf("%s: cached build err %v, full build err %v", step, errInc, errFull)
	}
	if !reflect.DeepEqual(resInc.Diagnostics, resFull.Diagnostics) {
		t.Fatalf("%s: diagnostics differ\ncached: %v\nfull:   %v", step, resInc.Diagnostics, resFull.Diagnostics)
	}
	if len(inc.Files) != len(full.Files) {
		t.Errorf("%s: %d files cached, %d full", step, len(inc.Files), len(full.Files))
	}
	for p, want := range full.Files {
		if !bytes.Equal(resInc.Finish(p, inc.Files[p]), want) {
			t.Errorf("%s: %s differs from a full build", step, p)
		}
	}
	return resInc.Diagnostics
}

// TestCacheRandomEdits makes random edits to a small site (headings, links with fragments, titles,
// descriptions, weights, notes added and removed) and checks every cached build against a full build,
// files and diagnostics alike. Reused parse results, link checks, shapes and lent keys must all follow.
func TestCacheRandomEdits(t *testing.T) {
	t.Parallel()
	for s := int64(1); s <= 3; s++ {
		t.Run(fmt.Sprint("seed", s), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewSource(s))
			root := t.TempDir()
			names := []string{"a", "b", "c", "d", "e", "sub/f", "sub/g", "sub/index", "other/h"}
			exists := map[string]bool{}
			note := func(name string) string {
				var b strings.Builder
				if rng.Intn(3) == 0 {
					fmt.Fprintf(&b, "---\ntitle: Note %s %d\nweight: %d\n", name, rng.Intn(3), rng.Intn(3))
					if rng.Intn(2) == 0 {
						fmt.Fprintf(&b, "description: About %s %d\n", name, rng.Intn(2))
					}
					b.WriteString("---\n")
				}
				fmt.Fprintf(&b, "# Heading %s %d\n\nSome text about %s.\n", name, rng.Intn(2), name)
				for _, h := range []string{"setup", "usage", "limits"} {
					if rng.Intn(2) == 0 {
						fmt.Fprintf(&b, "\n## %s\n\nWords under %s.\n", h, h)
					}
				}
				for range rng.Intn(4) {
					target := names[rng.Intn(len(names))]
					rel, _ := filepath.Rel(filepath.Dir(name), target)
					frag := []string{"", "#setup", "#usage", "#limits", "#nowhere"}[rng.Intn(5)]
					fmt.Fprintf(&b, "\nSee [%s](%s.md%s).\n", target, filepath.ToSlash(rel), frag)
				}
				return b.String()
			}
			for _, n := range names {
				write(t, filepath.Join(root, "content", n+".md"), note(n))
				exists[n] = true
			}
			cache := &Cache{}
			buildBoth(t, root, cache, "first build")
			for step := range 25 {
				n := names[rng.Intn(len(names))]
				p := filepath.Join(root, "content", n+".md")
				what := "rewrite"
				switch {
				case exists[n] && rng.Intn(6) == 0:
					os.Remove(p)
					exists[n], what = false, "remove"
				case rng.Intn(4) == 0:
					// Leave everything as it is: a build with nothing changed.
					what = "nothing"
				default:
					write(t, p, note(n))
					exists[n] = true
				}
				buildBoth(t, root, cache, fmt.Sprintf("step %d: %s %s", step, what, n))
			}
		})
	}
}
