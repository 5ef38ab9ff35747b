package publish

import (
	"path"
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
