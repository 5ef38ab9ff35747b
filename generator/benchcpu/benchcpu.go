// Package benchcpu reports the CPU time a benchmark used per operation, on every core. On a machine shared
// with other work wall times swing by half or more, while CPU seconds hold steady, so the benchmarks of
// the heavier stages report both.
package benchcpu

import (
	"runtime"
	"testing"
	"time"
)

// Report adds "cpu-s/op" to b: the process's CPU time since start (from Now), divided by b.N. Nothing is
// reported where the platform does not tell the process's CPU time.
func Report(b *testing.B, start time.Duration) {
	if start != 0 {
		b.ReportMetric((Now()-start).Seconds()/float64(b.N), "cpu-s/op")
	}
}

// LiveHeap is the size of the heap's live objects, once pools have let go of theirs (two collections).
// A benchmark reports what a structure holds as LiveHeap with it minus LiveHeap after letting it go.
func LiveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
