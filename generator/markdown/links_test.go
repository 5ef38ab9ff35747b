package markdown

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/content"
)

// TestJoinAsPath compares docState.join with path.Clean(path.Join(dir, name)) for random folders and
// link paths, clean folders (as content.Page.Dir is) and others.
func TestJoinAsPath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 7))
	parts := []string{"a", "b.md", ".", "..", "", "x y", "%2F", "..a", "a.."}
	randPath := func() string {
		var b strings.Builder
		if r.IntN(5) == 0 {
			b.WriteByte('/')
		}
		for i := range r.IntN(4) {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(parts[r.IntN(len(parts))])
		}
		return b.String()
	}
	var st docState
	for range 20000 {
		dir, name := randPath(), randPath()
		if r.IntN(2) == 0 {
			dir = path.Clean(dir)
		}
		if name == "" {
			continue // resolveLink never joins an empty path
		}
		if got, want := st.join(dir, name), path.Clean(path.Join(dir, name)); got != want {
			t.Fatalf("join(%q, %q) = %q, want %q", dir, name, got, want)
		}
	}
}

// TestRewriteAsRel checks that a rewritten destination is content.Rel of the target, with the query
// and fragment after it, from pages at the top, in a folder and deeper.
func TestRewriteAsRel(t *testing.T) {
	site := &content.Site{Pages: []*content.Page{
		{Rel: "index.md", Dir: ".", URL: ""},
		{Rel: "top.md", Dir: ".", URL: "top/"},
		{Rel: "glue/intro.md", Dir: "glue", URL: "glue/intro/"},
		{Rel: "glue/deep/jobs.md", Dir: "glue/deep", URL: "glue/deep/jobs/"},
	}}
	targets := NewTargets(site)
	for _, from := range site.Pages {
		for _, to := range site.Pages {
			for _, tail := range []string{"", "#frag", "?q=1", "?q=1#frag"} {
				st := &docState{page: from, targets: targets}
				dest := "/" + to.Rel + tail
				got, changed := st.rewrite(nil, dest, 0, false)
				want := content.Rel(from.URL, to.URL) + tail
				if !changed || got != want {
					t.Errorf("from %s: %q → %q (changed %v), want %q", from.Rel, dest, got, changed, want)
				}
			}
		}
	}
}
