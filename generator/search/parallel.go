package search

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// This file spreads the work of a build over the cores: the stages that do not depend on each other
// run side by side, and the larger ones cut their items into one run of consecutive items per core.
// Every piece writes only its own items, so the output does not depend on how many cores there are.

// workers is how many pieces to cut n items into: one per core, at least grain items each.
func workers(n, grain int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(grain, 1)))
}

// eachRange calls fn once per run [lo, hi) of the n items, cut into w runs of about as many items,
// side by side, and returns when all have returned.
func eachRange(n, w int, fn func(part, lo, hi int)) {
	if w <= 1 || n < 2 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := 1; k < w; k++ {
		wg.Go(func() { fn(k, k*n/w, (k+1)*n/w) })
	}
	fn(0, 0, n/w)
	wg.Wait()
}

// eachChunk calls fn for runs [lo, hi) of up to grain of the n items, on all cores, the next run going
// to the first core free (items of very different cost still keep every core busy), and returns when
// all have returned.
func eachChunk(n, grain int, fn func(lo, hi int)) {
	grain = max(grain, 1)
	w := min(runtime.GOMAXPROCS(0), (n+grain-1)/grain)
	if w <= 1 {
		fn(0, n)
		return
	}
	var next atomic.Int64
	work := func() {
		for {
			lo := int(next.Add(int64(grain))) - grain
			if lo >= n {
				return
			}
			fn(lo, min(lo+grain, n))
		}
	}
	var wg sync.WaitGroup
	for range w - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}
