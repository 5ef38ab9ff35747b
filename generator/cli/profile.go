package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"
)

// startProfile writes profiles for performance work when LECTERN_PROFILE names a folder: cpu.prof for the
// whole command, and heap.prof taken at the largest heap seen (sampled every 20 ms), since the peak is
// what decides a build's memory, not the end; and trace.out, the execution trace (`go tool trace`), which
// shows what the CPU profile cannot: when a core sits idle, waiting on the file system or on the end of a
// stage. It returns the function that stops profiling.
func startProfile() func() {
	dir := os.Getenv("LECTERN_PROFILE")
	if dir == "" {
		return func() {}
	}
	os.MkdirAll(dir, 0o755)
	cpu, err := os.Create(filepath.Join(dir, "cpu.prof"))
	if err == nil {
		pprof.StartCPUProfile(cpu)
	}
	tr, err := os.Create(filepath.Join(dir, "trace.out"))
	if err == nil {
		trace.Start(tr)
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var peak uint64
		var ms runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak+peak/10 {
				peak = ms.HeapInuse
				if f, err := os.Create(filepath.Join(dir, "heap.prof")); err == nil {
					pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if tr != nil {
			trace.Stop()
			tr.Close()
		}
	}
}
