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
// back to the system to stay within the budget, which a GOGC setting alone does not. The dev server keeps
// Go's default: it holds its cache between saves, and its saves make little garbage.
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

// budget is the process's one budget: the collector's settings are the process's, and builds may run
// side by side (tests call Main from parallel goroutines). The first build to start sets the budget and
// keeps the settings it found; the last to stop gives them back.
var budget struct {
	sync.Mutex
	users      int
	run        int // which run of the budget the finalizers belong to: those of an ended one stop
	oldLimit   int64
	oldPercent int
}

// budgetGC runs the collector on the memory budget (see gcBudget) until the returned function is called
// (once; later calls do nothing), which gives back the previous settings unless another build still
// runs on the budget.
func budgetGC() (stop func()) {
	budget.Lock()
	defer budget.Unlock()
	if budget.users++; budget.users == 1 {
		budget.run++
		budget.oldLimit = debug.SetMemoryLimit(gcLimit(0))
		budget.oldPercent = debug.SetGCPercent(-1)
		armBudget(budget.run)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			budget.Lock()
			defer budget.Unlock()
			if budget.users--; budget.users == 0 {
				debug.SetGCPercent(budget.oldPercent)
				debug.SetMemoryLimit(budget.oldLimit)
			}
		})
	}
}

// armBudget sets the limit again after the next collection, and arms itself for the one after, for as
// long as run is the budget's run. A finalizer runs after each collection that finds its object
// unreachable: the object is made again each time, so each collection is followed by one call, on the
// runtime's finalizer goroutine.
func armBudget(run int) {
	type notice struct{ _ *int } // a pointer: the tiny allocator would batch a pointer-free object
	runtime.SetFinalizer(&notice{}, func(*notice) {
		budget.Lock()
		defer budget.Unlock()
		if budget.users == 0 || budget.run != run {
			return
		}
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(gcLimit(sample[0].Value.Uint64()))
		}
		armBudget(run)
	})
}
