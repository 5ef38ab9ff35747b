package publish

import (
	"math/rand/v2"
	"path"
	"strings"
	"testing"
)

// FuzzCleanPath compares cleanPath, which cleans in place, with path.Clean.
func FuzzCleanPath(f *testing.F) {
	for _, p := range []string{"", ".", "..", "../..", "a/../..", "a/b/../../../c/", "./a//b/./c/..", "a/./", "...", "..a/.b",
		"a/b/c/../../../../../x", "x/../y/./../z", "../a/../..", "a/..", "/"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if len(p) > 0 && p[0] == '/' {
			return // resolvePath trims leading slashes first
		}
		if got, want := string(cleanPath([]byte(p))), path.Clean(p); got != want {
			t.Fatalf("cleanPath(%q) = %q, path.Clean gives %q", p, got, want)
		}
	})
}

// FuzzJoinRelative compares joinRelative with path.Clean of the page folder and the relative path joined,
// as resolvePath cleaned every relative reference before: the same path wherever joinRelative answers,
// and an answer wherever the path stays below the root.
func FuzzJoinRelative(f *testing.F) {
	for _, c := range [][2]string{{"a/b/c", "../../x/"}, {".", "./"}, {".", ".."}, {"a", "../.."}, {"a/b", "./../c//d/./e.html"},
		{"../a", "b"}, {"a%20b", "c"}, {"a/b", "../../../"}, {".hidden/x", "../y"}, {"a", "..."}, {"a/b", "b/../.."}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, dir, u string) {
		if dir = path.Dir(dir + "/x"); dir[0] == '/' || u == "" || u[0] == '/' {
			return // a page's folder is path.Dir of a page; u is not root-absolute, not empty (resolvePath)
		}
		joined, want, above := cleanJoin(dir, u)
		got, ok := joinRelative(nil, dir, u)
		switch {
		case ok && string(got) != want:
			t.Fatalf("joinRelative(%q, %q) = %q, path.Clean(%q) = %q", dir, u, got, joined, want)
		case ok && above:
			t.Fatalf("joinRelative(%q, %q) = %q, but it climbs above the root", dir, u, got)
		case !ok && !above && !strings.Contains(dir, "%") && !strings.HasPrefix(dir, ".."):
			t.Fatalf("joinRelative(%q, %q) gave up on %q", dir, u, want)
		}
	})
}

// cleanJoin is what joinRelative(dir, u) must give: u joined to dir and cleaned ("" for the root), and
// whether that climbs above the root.
func cleanJoin(dir, u string) (joined, want string, above bool) {
	joined = u
	if dir != "." {
		joined = dir + "/" + u
	}
	if want = path.Clean(joined); want == "." {
		want = ""
	}
	return joined, want, want == ".." || strings.HasPrefix(want, "../")
}

// TestJoinRelativeRandom is FuzzJoinRelative on random folders and paths made of the elements that matter.
func TestJoinRelativeRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	elems := []string{"a", "bc", ".", "..", "", "x.html", "..."}
	join := func(n int) string {
		var b []string
		for range n {
			b = append(b, elems[rng.IntN(len(elems))])
		}
		return strings.Join(b, "/")
	}
	for range 200_000 {
		dir := path.Dir(join(rng.IntN(5)) + "/x")
		u := join(1 + rng.IntN(6))
		if dir[0] == '/' || u == "" || u[0] == '/' {
			continue
		}
		joined, want, above := cleanJoin(dir, u)
		got, ok := joinRelative(nil, dir, u)
		if ok && (string(got) != want || above) || !ok && !above && !strings.HasPrefix(dir, "..") {
			t.Fatalf("joinRelative(%q, %q) = %q, %v; path.Clean(%q) = %q", dir, u, got, ok, joined, want)
		}
	}
}
