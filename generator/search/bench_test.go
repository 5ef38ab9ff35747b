package search

import "testing"

// BenchmarkBuildDA builds the index of the seven data-analytics guides (corpus.sh da); it reports the
// markdown size so MB/s reads as build throughput.
func BenchmarkBuildDA(b *testing.B) {
	docs, size := daDocs(b)
	b.SetBytes(int64(size))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Build(docs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
