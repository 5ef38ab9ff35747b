//go:build unix

package output

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// benchSite is a site shaped like the da corpus: 5,000 files of about 15 KB in 3,300 page folders under
// four sections. Version v of a file differs from version 0 in one byte when the file is among those v
// changes, so it has the same size and must be read to the end to be told apart.
type benchSite struct {
	rels []string
	base [][]byte
}

func newBenchSite() *benchSite {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &benchSite{}
	for i := range 5000 {
		page := i % 3300
		name := "index.html"
		if i >= 3300 {
			name = "figure.png"
		}
		s.rels = append(s.rels, fmt.Sprintf("section%d/page%d/%s", page%4, page, name))
		data := make([]byte, 10_000+rng.IntN(10_000))
		for j := range data {
			data[j] = 'a' + byte(rng.IntN(26))
		}
		s.base = append(s.base, data)
	}
	return s
}

// file is file i in version v: changed (last byte) when i is among the pct percent that change.
func (s *benchSite) file(i, v, pct int) []byte {
	data := s.base[i]
	if v == 0 || i%100 >= pct {
		return data
	}
	out := append([]byte(nil), data...)
	out[len(out)-1] = byte('0' + v)
	return out
}

// rusage is the process's user and system CPU time.
func rusage() (user, sys time.Duration) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

// BenchmarkCommit builds the site into a destination in each state a build meets, writing from every
// core as a build does, and reports the whole (NewStaging, WriteFile for every file, Commit) as ns/op,
// Commit alone as commit-ms, and the CPU time spent as user-ms and sys-ms. "in place" and "swap" force
// one way of committing, to find where one costs less than the other (swapRatio). "rewrite all
// (before)" is the build before unchanged files were kept: every file written into the staging folder,
// which is swapped in.
//
//	go test ./generator/output -run '^$' -bench Commit -benchtime 3x -count 5
func BenchmarkCommit(b *testing.B) {
	site := newBenchSite()
	cases := []struct {
		name  string
		pct   int  // how many files in a hundred change from one build to the next
		empty bool // every build goes into a missing destination
		mode  string
	}{
		{name: "empty dest", empty: true},
		{name: "unchanged"},
		{name: "10% changed", pct: 10},
		{name: "70% changed (in place)", pct: 70, mode: "in place"},
		{name: "70% changed (link and swap)", pct: 70, mode: "swap"},
		{name: "all changed (in place)", pct: 100, mode: "in place"},
		{name: "all changed (swap)", pct: 100},
		{name: "rewrite all (before)", mode: "before"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			parent := b.TempDir()
			dest := filepath.Join(parent, "public")
			version := 0
			if !c.empty {
				benchBuild(b, site, dest, version, c.pct, "")
			}
			var commit, user, sys time.Duration
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				if c.empty {
					dest = filepath.Join(parent, fmt.Sprint("public", n))
				}
				version = 1 - version // alternate, so a changed file changes back and forth
				u0, s0 := rusage()
				commit += benchBuild(b, site, dest, version, c.pct, c.mode)
				u1, s1 := rusage()
				user, sys = user+u1-u0, sys+s1-s0
				if c.empty {
					b.StopTimer()
					if err := removeTree(dest); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(commit.Milliseconds())/float64(b.N), "commit-ms")
			b.ReportMetric(float64(user.Milliseconds())/float64(b.N), "user-ms")
			b.ReportMetric(float64(sys.Milliseconds())/float64(b.N), "sys-ms")
		})
	}
}

// benchBuild builds version v of the site into dest and returns how long Commit took.
func benchBuild(b *testing.B, site *benchSite, dest string, v, pct int, mode string) time.Duration {
	st, err := NewStaging(dest)
	if err != nil {
		b.Fatal(err)
	}
	if mode == "before" {
		st.update = false
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(site.rels); i = int(next.Add(1)) - 1 {
				if err := st.WriteFile(site.rels[i], site.file(i, v, pct)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	t := time.Now()
	switch mode {
	case "in place", "swap":
		if err = st.stop(); err != nil {
			break
		}
		kept, written := st.settled()
		if mode == "in place" {
			err = st.commitInPlace(written)
		} else if err = st.linkKept(kept); err == nil {
			err = st.swap()
		}
	default:
		err = st.Commit()
	}
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(t)
}
