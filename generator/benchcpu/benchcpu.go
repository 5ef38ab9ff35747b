// Package benchcpu reports the CPU time a benchmark used per operation, on every core. On a machine shared
// with other work wall times swing by half or more, while CPU seconds hold steady, so the benchmarks of
// the heavier stages report both.
package benchcpu

import (
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
