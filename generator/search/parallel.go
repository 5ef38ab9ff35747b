package search

import (
	"runtime"
	"sync"
)

// This file spreads the work of a build over the cores: the stages that do not depend on each other
// run side by side, and the larger ones cut their items into one run of consecutive items per core.
// Every piece writes only its own items, so the output does not depend on how many cores there are.

// workers is how many pieces to cut n items into: one per core, at least grain items each.
func workers(n, grain int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(grain, 1)))
}

// eachRange calls fn once per run [lo, hi) of the n items, cut into w runs of about equal weight (by
// the running total cum of the items' weights, cum(n) the total; nil weighs every item 1), side by
// side, and returns when all have returned.
func eachRange(n, w int, cum func(i int) int, fn func(part, lo, hi int)) {
	if w <= 1 || n < 2 {
		fn(0, 0, n)
		return
	}
	if cum == nil {
		cum = func(i int) int { return i }
	}
	bounds := make([]int, w+1)
	bounds[w] = n
	total, i := cum(n), 0
	for k := 1; k < w; k++ {
		for i < n && cum(i)*w < total*k {
			i++
		}
		bounds[k] = i
	}
	var wg sync.WaitGroup
	for k := 1; k < w; k++ {
		wg.Go(func() { fn(k, bounds[k], bounds[k+1]) })
	}
	fn(0, bounds[0], bounds[1])
	wg.Wait()
}
