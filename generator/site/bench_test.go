package site

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lectern/lectern/generator/output"
)

// corpusSite lays out a benchmark corpus with ../shared/bench/corpus.sh (seed, da, all or a number of
// pages) in a temporary folder, or skips when shared/ is not beside the project.
func corpusSite(b *testing.B, name string) string {
	b.Helper()
	script, err := filepath.Abs("../../../shared/bench/corpus.sh")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		b.Skipf("no corpus script at %s: run from a checkout with shared/ beside it", script)
	}
	dir := filepath.Join(os.TempDir(), "lectern-bench-"+name)
	if _, err := os.Stat(filepath.Join(dir, "content")); err != nil {
		if out, err := exec.Command("bash", script, name, dir).CombinedOutput(); err != nil {
			b.Fatalf("corpus.sh %s: %v\n%s", name, err, out)
		}
	}
	return dir
}

func benchBuild(b *testing.B, corpus string) {
	root := corpusSite(b, corpus)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(Options{Root: root, Sink: output.NewMemory()}); err != nil {
			if _, ok := err.(*BuildError); !ok {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBuild1000 builds the first 1,000 pages of the corpora, in memory.
func BenchmarkBuild1000(b *testing.B) { benchBuild(b, "1000") }

// BenchmarkBuildDA builds the seven AWS data-analytics guides (3,335 pages), in memory.
func BenchmarkBuildDA(b *testing.B) { benchBuild(b, "da") }
