package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultQuiet is how long the file system must stay quiet before a batch of changes is built. Editors
// finish a save (write a temp file, rename it over the note, delete the backup) within a millisecond or
// two, so a short window already catches the whole save, and everything the window adds is waited on
// every save (it is a sixth of the 30 ms a save of the sample notes may take to reach the browser).
// A save that straddles the window costs one more build, never a wrong site: events that arrive during
// a build make the next batch, which sees the final state. Longer bursts (a git checkout) are cut at
// quiet × maxDelayFactor and built in several batches.
const DefaultQuiet = 5 * time.Millisecond

// maxDelayFactor bounds how long a steady stream of events can postpone a build: quiet × factor.
const maxDelayFactor = 10

// Watcher follows a site's sources: lectern.yaml, and content/ and themes/ recursively (the service
// catalog, content/_services.yaml, is among them). It hands over batches of changed paths.
type Watcher struct {
	root  string // absolute site root
	fsw   *fsnotify.Watcher
	quiet time.Duration
	mu    sync.Mutex      // guards dirs, which Dirs reads while Run changes it
	dirs  map[string]bool // watched folders, absolute
	// Logf reports problems that do not stop watching (nil: silent).
	Logf func(format string, args ...any)
}

// watchedTrees are the folders below the root that are watched recursively.
var watchedTrees = []string{"content", "themes"}

// NewWatcher starts watching the site at root. quiet is the debounce window (DefaultQuiet when 0).
// Watching the root folder itself (not recursively) sees lectern.yaml saved by renaming a temp file
// over it, and content/ or themes/ appearing after start.
func NewWatcher(root string, quiet time.Duration) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if quiet <= 0 {
		quiet = DefaultQuiet
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("cannot watch files: %w", err)
	}
	w := &Watcher{root: abs, fsw: fsw, quiet: quiet, dirs: map[string]bool{}}
	if err := w.add(abs); err != nil {
		fsw.Close()
		return nil, err
	}
	for _, t := range watchedTrees {
		if _, err := w.addTree(filepath.Join(abs, t)); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

// Close stops watching.
func (w *Watcher) Close() error { return w.fsw.Close() }

// Dirs lists the watched folders, relative to the root, sorted (for tests and diagnostics).
func (w *Watcher) Dirs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for d := range w.dirs {
		out = append(out, w.rel(d))
	}
	sort.Strings(out)
	return out
}

func (w *Watcher) add(dir string) error {
	if err := w.fsw.Add(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // gone again already; its parent's events cover it
		}
		return fmt.Errorf("cannot watch %s: %w (on Linux, raising fs.inotify.max_user_watches may help)", dir, err)
	}
	w.mu.Lock()
	w.dirs[dir] = true
	w.mu.Unlock()
	return nil
}

// addTree watches dir and every folder below it, and returns the files found there: for a folder
// created after start, they may have been written before its watch existed.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !w.relevant(w.rel(p)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return w.add(p)
		}
		files = append(files, w.rel(p))
		return nil
	})
	return files, err
}

// forget drops the watches of a removed or renamed folder and of the folders below it; a renamed
// folder reappears under its new name as a created one.
func (w *Watcher) forget(p string) {
	prefix := p + string(filepath.Separator)
	w.mu.Lock()
	defer w.mu.Unlock()
	for d := range w.dirs {
		if d == p || strings.HasPrefix(d, prefix) {
			w.fsw.Remove(d)
			delete(w.dirs, d)
		}
	}
}

// rel is a path relative to the root, with slashes.
func (w *Watcher) rel(p string) string {
	r, err := filepath.Rel(w.root, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(r)
}

// relevant reports whether a change to rel can change the site: lectern.yaml, anything under themes/,
// and anything under content/ except names starting with "." (the loader skips those, and editors keep
// their swap and lock files there).
func (w *Watcher) relevant(rel string) bool {
	if rel == "lectern.yaml" || rel == "." {
		return true
	}
	first, rest, _ := strings.Cut(rel, "/")
	switch first {
	case "themes":
		return true
	case "content":
		for _, seg := range strings.Split(rest, "/") {
			if strings.HasPrefix(seg, ".") {
				return false
			}
		}
		return true
	}
	return false
}

// handle records one event into pending and reports whether it was relevant.
func (w *Watcher) handle(ev fsnotify.Event, pending map[string]bool) bool {
	if ev.Op == fsnotify.Chmod {
		return false // a touch or permission change; the bytes are the same
	}
	rel := w.rel(ev.Name)
	if rel == "." || !w.relevant(rel) {
		return false
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if st, err := os.Lstat(ev.Name); err == nil && st.IsDir() {
			files, err := w.addTree(ev.Name)
			if err != nil {
				w.logf("%v", err)
			}
			for _, f := range files {
				pending[f] = true
			}
		}
	}
	pending[rel] = true
	return true
}

// rescan re-adds every folder after the kernel dropped events, so a folder created meanwhile is watched.
func (w *Watcher) rescan() {
	for _, t := range watchedTrees {
		if _, err := w.addTree(filepath.Join(w.root, t)); err != nil {
			w.logf("%v", err)
		}
	}
}

func (w *Watcher) logf(format string, args ...any) {
	if w.Logf != nil {
		w.Logf(format, args...)
	}
}

// Run delivers batches of changed paths (slash paths relative to the root, sorted; "." when events
// were lost and everything may have changed) to build, one at a time, until ctx ends. Events that arrive
// while build runs are gathered into the next batch, so a slow build never makes the watcher fall
// behind the kernel's queue. Run returns after the running build, if any, has returned.
func (w *Watcher) Run(ctx context.Context, build func(changed []string)) error {
	pending := map[string]bool{}
	var (
		first   time.Time        // first event of the pending batch
		fire    <-chan time.Time // armed while a batch is waiting for quiet
		ready   bool             // the window passed while a build was running
		running bool
		done    = make(chan struct{})
	)
	start := func() {
		batch := make([]string, 0, len(pending))
		for p := range pending {
			batch = append(batch, p)
		}
		sort.Strings(batch)
		clear(pending)
		first, fire, ready, running = time.Time{}, nil, false, true
		go func() {
			build(batch)
			done <- struct{}{}
		}()
	}
	arm := func() {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		deadline := now.Add(w.quiet)
		if limit := first.Add(w.quiet * maxDelayFactor); deadline.After(limit) {
			deadline = limit
		}
		fire = time.After(time.Until(deadline))
	}
	for {
		select {
		case <-ctx.Done():
			if running {
				<-done
			}
			return nil
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			if w.handle(ev, pending) {
				arm()
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.logf("too many file changes at once; rebuilding everything")
				w.rescan()
				pending["."] = true
				arm()
				continue
			}
			w.logf("watching files: %v", err)
		case <-fire:
			fire = nil
			if running {
				ready = true
				continue
			}
			start()
		case <-done:
			running = false
			if ready {
				start()
			}
		}
	}
}
