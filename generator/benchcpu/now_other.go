//go:build !unix

package benchcpu

import "time"

// Now is 0 where the process's CPU time is not known; Report then reports nothing.
func Now() time.Duration { return 0 }
