package devserver

import (
	"fmt"
	"hash/maphash"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"
)

// deltaPaths are the paths of random builds: pages, a stylesheet, and fingerprinted files that share
// stems (search chunks) or not, so that renames pair and do not.
var deltaPaths = []string{"index.html", "a/index.html", "b/index.html", "404.html", "robots.txt", "empty.txt",
	"assets/style.0123456789.css", "assets/style.abcdefabcd.css", "assets/site.css",
	"search/index.1111111111.js", "search/index.2222222222.js", "search/d0.3333333333.js", "search/d0.4444444444.js",
	"search/d1.3333333333.js", "search/d1.5555555555.js"}

// randomBuild writes a random build into s: most files as the previous build had them (the very
// slice), some anew with the same bytes or other bytes, some twice, some not at all. It returns what
// the build's files must be.
func randomBuild(rng *rand.Rand, s *deltaSink, prev map[string][]byte) map[string][]byte {
	want := map[string][]byte{}
	s.start()
	for _, i := range rng.Perm(len(deltaPaths)) {
		p := deltaPaths[i]
		if rng.IntN(6) == 0 {
			continue // not written: removed, or still absent
		}
		writes := 1 + rng.IntN(2)
		for range writes {
			var data []byte
			old, had := prev[p]
			switch k := rng.IntN(6); {
			case p == "empty.txt":
				data = []byte{} // an empty file is never known by its slice
			case had && k < 3:
				data = old
			case had && k == 3:
				data = slices.Clone(old)
			default:
				data = fmt.Appendf(nil, "%s v%d", p, rng.IntN(3))
			}
			s.WriteFile(p, data)
			want[p] = data
		}
	}
	return want
}

// TestDeltaSinkRandomBuilds checks the files and the delta deltaSink hands over after random builds,
// some failing: the files are the build's, the previous map is left as it was (the server still serves
// it), written lists every file whose slice changed, once, and removed exactly the files not written.
func TestDeltaSinkRandomBuilds(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 9))
		s := newDeltaSink()
		var prev map[string][]byte
		for step := range 300 {
			name := fmt.Sprintf("seed %d step %d", seed, step)
			before := maps.Clone(prev)
			want := randomBuild(rng, s, prev)
			if rng.IntN(10) == 0 { // a failed build: FullBuilder drops the sink
				s, prev = newDeltaSink(), nil
				continue
			}
			files, d := s.finish()
			if len(s.index) != len(s.files) || len(s.files) != len(files) {
				t.Fatalf("%s: the sink holds %d paths, %d files; the build %d", name, len(s.index), len(s.files), len(files))
			}
			for i, f := range s.files {
				if s.index[f.path] != i || !sameSlice(f.data, files[f.path]) && len(f.data) > 0 {
					t.Fatalf("%s: the sink lost track of %s", name, f.path)
				}
			}
			if !reflect.DeepEqual(prev, before) {
				t.Fatalf("%s: the previous build's files changed", name)
			}
			if len(files) != len(want) {
				t.Fatalf("%s: %d files, want %d", name, len(files), len(want))
			}
			for p, data := range want {
				if got, ok := files[p]; !ok || !sameSlice(got, data) && len(data) > 0 {
					t.Fatalf("%s: %s is not the slice written last", name, p)
				}
			}
			if prev != nil && !sameMap(d.base, prev) || prev == nil && d.base != nil {
				t.Fatalf("%s: the delta is not from the previous build's files", name)
			}
			written := map[string]bool{}
			for _, p := range d.written {
				if written[p] {
					t.Fatalf("%s: %s listed twice", name, p)
				}
				written[p] = true
			}
			for p, data := range files {
				if !sameSlice(prev[p], data) && !written[p] {
					t.Fatalf("%s: %s changed but is not listed", name, p)
				}
			}
			var removed []string
			for p := range prev {
				if _, ok := files[p]; !ok {
					removed = append(removed, p)
				}
			}
			sort.Strings(removed)
			if got := slices.Sorted(slices.Values(d.removed)); !slices.Equal(got, removed) {
				t.Fatalf("%s: removed %q, want %q", name, got, removed)
			}
			prev = files
		}
	}
}

// TestDeltaMatchesFullComparison runs random builds through the server's snapshot, retire and diff
// twice, once told the delta and once comparing every file, and wants the same hashes, retired files and
// changes.
func TestDeltaMatchesFullComparison(t *testing.T) {
	t.Parallel()
	seed := maphash.MakeSeed()
	for rs := range uint64(4) {
		rng := rand.New(rand.NewPCG(rs, 11))
		s := newDeltaSink()
		var full, fast *snapshot
		for gen := 1; gen <= 300; gen++ {
			name := fmt.Sprintf("seed %d build %d", rs, gen)
			var prevFiles map[string][]byte
			if fast != nil {
				prevFiles = fast.files
			}
			randomBuild(rng, s, prevFiles)
			files, d := s.finish()
			if fast == nil || !sameMap(d.base, fast.files) {
				d = nil // as Rebuild decides
			}
			curFull := newSnapshot(gen, "/", files, full, seed, nil)
			retire(full, curFull, nil)
			chFull := diff(full, curFull, nil)
			curFast := newSnapshot(gen, "/", files, fast, seed, d)
			retire(fast, curFast, d)
			chFast := diff(fast, curFast, d)
			if !reflect.DeepEqual(curFast.sums, curFull.sums) {
				t.Fatalf("%s: hashes differ", name)
			}
			if !reflect.DeepEqual(curFast.retired, curFull.retired) || curFast.retiredSize != curFull.retiredSize {
				t.Fatalf("%s: retired files differ:\n  %v\n  %v", name, retiredPaths(curFast.retired), retiredPaths(curFull.retired))
			}
			size := 0
			for _, f := range curFast.retired {
				size += len(f.data)
			}
			if size != curFast.retiredSize {
				t.Fatalf("%s: retiredSize %d, the files hold %d", name, curFast.retiredSize, size)
			}
			if !reflect.DeepEqual(chFast, chFull) {
				t.Fatalf("%s: changes differ:\n  %+v\n  %+v", name, chFast, chFull)
			}
			full, fast = curFull, curFast
		}
	}
}

func retiredPaths(m map[string]retiredFile) []string { return slices.Sorted(maps.Keys(m)) }

// TestTrimRetiredMatchesSorting compares trimRetired with dropping the retired files in the order of
// (build, path) until they fit, on random sets of retired files over the budget.
func TestTrimRetiredMatchesSorting(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 5))
	big := make([]byte, retiredBudget)
	for round := range 500 {
		s := &snapshot{retired: map[string]retiredFile{}}
		if round == 0 { // dropping build 1's first file is enough: its empty second file stays
			s.retired["search/a.0123456789.js"] = retiredFile{data: big[:10], gen: 1}
			s.retired["search/b.0123456789.js"] = retiredFile{data: big[:0], gen: 1}
			s.retired["search/c.0123456789.js"] = retiredFile{data: big, gen: 2}
			s.retiredSize = retiredBudget + 10
		}
		for i := range rng.IntN(40) * min(round, 1) {
			n := 0
			if rng.IntN(8) > 0 { // some empty ones, which a trim may leave at the end of a build
				n = rng.IntN(retiredBudget / (1 + rng.IntN(12)))
			}
			s.retired[fmt.Sprintf("search/d%d.%010x.js", i, rng.IntN(1<<20))] = retiredFile{data: big[:n], gen: 1 + rng.IntN(6)}
			s.retiredSize += n
		}
		want := maps.Clone(s.retired)
		total := s.retiredSize
		paths := slices.Collect(maps.Keys(want))
		sort.Slice(paths, func(i, j int) bool {
			a, b := want[paths[i]], want[paths[j]]
			if a.gen != b.gen {
				return a.gen < b.gen
			}
			return paths[i] < paths[j]
		})
		for _, p := range paths {
			if total <= retiredBudget {
				break
			}
			total -= len(want[p].data)
			delete(want, p)
		}
		if s.retiredSize > retiredBudget {
			s.trimRetired()
		}
		if !slices.Equal(retiredPaths(s.retired), retiredPaths(want)) || s.retiredSize != total {
			t.Fatalf("round %d: kept %q (%d bytes), want %q (%d bytes)", round, retiredPaths(s.retired), s.retiredSize, retiredPaths(want), total)
		}
	}
}
