package site

import (
	"github.com/lectern/lectern/generator/corpora"
	"os"
	"path/filepath"
	"testing"

	"github.com/lectern/lectern/generator/output"
)

// corpusSite lays out a benchmark corpus with ../shared/bench/corpus.sh (seed, da, all or a number of
// pages) in a temporary folder, or skips when shared/ is not beside the project.
func corpusSite(b *testing.B, name string) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "lectern-bench-"+name)
	if skip, err := corpora.Site(name, dir); err != nil {
		b.Fatal(err)
	} else if skip != "" {
		b.Skip(skip)
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
