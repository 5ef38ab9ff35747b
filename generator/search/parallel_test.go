package search

import (
	"bytes"
	"runtime"
	"testing"
)

// TestBuildAnyCores checks that the index does not depend on how many cores build it, with and
// without a cache. It sets GOMAXPROCS, so it does not run in parallel.
func TestBuildAnyCores(t *testing.T) {
	docs, _ := daPages(t, 300)
	build := func(procs int, c *Cache) []File {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		files, _, err := Build(docs, Options{Cache: c})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	want := build(1, nil)
	for _, procs := range []int{2, 3} {
		for _, c := range []*Cache{nil, {}} {
			got := build(procs, c)
			if len(got) != len(want) {
				t.Fatalf("GOMAXPROCS=%d, cache %v: %d files, want %d", procs, c != nil, len(got), len(want))
			}
			for i := range got {
				if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
					t.Fatalf("GOMAXPROCS=%d, cache %v: file %d is %s, want %s as with one core", procs, c != nil, i, got[i].Path, want[i].Path)
				}
			}
		}
	}
}

func FuzzCompareUTF16(f *testing.F) {
	for _, s := range [][2]string{{"a", "ab"}, {"\uFF21", "\U0001F600"}, {"\xff", "\xfe"}, {"é", "e"}, {"", "x"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		c := compareUTF16(a, b)
		if lessUTF16(a, b) && c >= 0 || lessUTF16(b, a) && c <= 0 {
			t.Errorf("compareUTF16(%q, %q) = %d, against lessUTF16", a, b, c)
		}
		if d := compareUTF16(b, a); (c < 0) != (d > 0) || (c > 0) != (d < 0) {
			t.Errorf("compareUTF16(%q, %q) = %d is not antisymmetric", a, b, c)
		}
		if c == 0 && a != b {
			t.Errorf("compareUTF16(%q, %q) = 0 for different strings", a, b)
		}
	})
}
