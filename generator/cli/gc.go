package cli

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A build's heap is mostly garbage made and dropped page by page around a live set that grows with the
// site (25–35 MB on the 3,335-page AWS corpus), and the collector's cost is how often it runs. With a
// fixed GOGC the heap grows to a fixed multiple of the live set before each collection: a small multiple
// keeps the peak low but collects often while the live set is small (GOGC=80: 31 collections a da
// build), a large one lets the peak grow on large sites.
//
// So a build gives the process a memory budget instead: the collector runs when the Go runtime's memory
// reaches gcBudget, or gcFloor percent over the live heap plus gcSlack if that is more (the budget of
// GOGC=gcFloor on a site whose live set is large). The budget is worked out again after every
// collection, from the live heap it left. On da that halves the collections for the same peak memory,
// because the peak was the budget's size anyway (docs/performance.md). The runtime also gives memory
// back to the system to stay within the budget, which a GOGC setting alone does not.
const (
	gcBudget = 80 << 20
	gcFloor  = 80
	gcSlack  = 16 << 20 // goroutine stacks and the runtime's own memory, next to the heap
)

// gcLimit is the memory limit for a live heap of live bytes (0: not known yet).
func gcLimit(live uint64) int64 {
	if live >= math.MaxInt64/4 {
		return math.MaxInt64
	}
	return int64(max(gcBudget, live+live/100*gcFloor+gcSlack))
}

// budgetGC runs the collector on the memory budget (see gcBudget) until the returned function is called,
// which gives back the previous settings.
func budgetGC() (stop func()) {
	var mu sync.Mutex
	stopped := false
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	oldLimit := debug.SetMemoryLimit(gcLimit(0))
	oldPercent := debug.SetGCPercent(-1)
	// A finalizer runs after each collection that finds its object unreachable: the object is made
	// again each time, so each collection is followed by one call, on the runtime's finalizer goroutine.
	type notice struct{ _ *int }
	var arm func()
	arm = func() {
		runtime.SetFinalizer(&notice{}, func(*notice) {
			mu.Lock()
			defer mu.Unlock()
			if stopped {
				return
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				debug.SetMemoryLimit(gcLimit(sample[0].Value.Uint64()))
			}
			arm()
		})
	}
	arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}
