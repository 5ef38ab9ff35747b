package devserver

import (
	"maps"
	"slices"
	"sync"

	"github.com/lectern/lectern/generator/output"
	"github.com/lectern/lectern/generator/site"
)

// Output is one complete build held in memory.
type Output struct {
	// Files maps slash paths relative to the site root ("glue/index.html") to their bytes. The server
	// keeps the map and the slices as they are and never modifies them, so a builder must not change
	// them after returning either (an incremental builder hands out a fresh map each time, reusing the
	// unchanged byte slices, which also spares re-hashing them).
	Files map[string][]byte
	// Finish, when set, turns a file of Files into the file served: a build with a site.Cache names the
	// search index by a placeholder in its pages, so that an edit, which renames the index, leaves
	// every other page's bytes (and hash) alone. The server finishes a page when it is first served.
	Finish func(rel string, data []byte) []byte
	// Result is the pipeline's report: stages, diagnostics, the effective configuration (its base URL
	// decides the path the site is served under).
	Result *site.Result
	// delta, set by a FullBuilder with a cache, says which files differ from those of its previous
	// Output, so that the server hashes and compares those rather than every file of the site.
	delta *delta
}

// delta is what one build changed in the files of another: every path whose bytes are not the base's
// very slice (added, or written anew: a superset of the files whose bytes changed) and every path of
// the base the build did not write. The server uses it only when base is the map it is serving.
type delta struct {
	base    map[string][]byte
	written []string
	removed []string
}

// Builder builds the site for the dev server. Build is called once at start with changed == nil and
// then once per batch of changed files, never concurrently. changed holds slash paths relative to the
// site root ("content/glue.md", "lectern.yaml", "themes/static/css/site.css"); a batch holding "." means
// the watcher lost track (event overflow) and everything must be considered changed.
//
// An implementation may rebuild only what the changed paths affect, but Output.Files must always be the
// whole site, identical to what a full build would produce. On failure it returns the pipeline's error
// (a *site.BuildError for diagnostics) and, when it has one, the Result with the diagnostics.
type Builder interface {
	Build(changed []string) (*Output, error)
}

// FullBuilder runs the whole pipeline on every change. Given a site.Cache in its Options (the server's
// default), the pipeline reuses what the change left alone and is told which files the watcher saw
// change; without one it is the simple, always-correct reference the cached builds are tested against.
type FullBuilder struct {
	// Options are passed to site.Build; Sink is set by Build. The handler adds
	// the live-reload script when it serves a page (see injectScript), so the built files are exactly
	// those of `lectern build`, and the pipeline's link check never sees the dev server's own path.
	Options site.Options
	// trusted is false until a build succeeds, and after any that fails: a failed build may have stopped
	// before it read the notes, so the next one must not be told only of the latest changes.
	trusted bool
	// sink, with a cache, holds the latest successful build's files; nil before the first build, and
	// after any that fails (a failed build leaves some of its files in it, so the next build starts a
	// new sink and the server compares every file once).
	sink *deltaSink
}

// Build runs the whole pipeline into memory.
func (f *FullBuilder) Build(changed []string) (*Output, error) {
	opts := f.Options
	if opts.Cache != nil && f.trusted && changed != nil && !slices.Contains(changed, ".") {
		opts.Changed = changed
	}
	if opts.Cache == nil {
		// Without a cache every file is made anew on every build: there is nothing a delta could spare.
		mem := output.NewMemory()
		opts.Sink = mem
		res, err := site.Build(opts)
		f.trusted = err == nil
		if err != nil {
			return &Output{Result: res}, err
		}
		return &Output{Files: mem.Files, Result: res, Finish: res.Finish}, nil
	}
	if f.sink == nil {
		f.sink = newDeltaSink()
	}
	f.sink.start()
	opts.Sink = f.sink
	res, err := site.Build(opts)
	f.trusted = err == nil
	if err != nil {
		f.sink = nil
		return &Output{Result: res}, err
	}
	files, d := f.sink.finish()
	return &Output{Files: files, Result: res, Finish: res.Finish, delta: d}, nil
}

// deltaSink keeps the files of the latest successful build from one build to the next, each with the
// build that last wrote it, so that a build learns which files it wrote anew as it writes them: with a
// cache, the pipeline hands the very same byte slice for a file it did not make again. The files are
// kept in one slice, found through a map: the files a build did not write are found by reading the
// slice, not by visiting every entry of a map.
type deltaSink struct {
	mu      sync.Mutex
	gen     uint64
	index   map[string]int    // path → its place in files
	files   []sinkFile        // the latest successful build's files, and what the running one wrote
	out     map[string][]byte // the latest successful build's Output.Files; nil before the first
	written []string          // paths the running build wrote with bytes other than out's
	seen    int               // paths the running build wrote
}

// sinkFile is a file of deltaSink.
type sinkFile struct {
	path      string
	data      []byte
	gen       uint64 // the latest build that wrote it
	writtenAt uint64 // the latest build that listed it in written
}

func newDeltaSink() *deltaSink { return &deltaSink{index: map[string]int{}} }

func (s *deltaSink) start() {
	s.gen++
	s.written, s.seen = nil, 0
}

// WriteFile notes a file of the running build.
func (s *deltaSink) WriteFile(rel string, data []byte) error {
	s.mu.Lock()
	i, ok := s.index[rel]
	if !ok {
		i = len(s.files)
		s.files = append(s.files, sinkFile{path: rel})
		s.index[rel] = i
	}
	f := &s.files[i]
	if f.gen != s.gen {
		f.gen = s.gen
		s.seen++
	}
	if !sameSlice(f.data, data) && f.writtenAt != s.gen {
		f.writtenAt = s.gen
		s.written = append(s.written, rel)
	}
	f.data = data
	s.mu.Unlock()
	return nil
}

// finish ends a successful build: it returns the build's files, made from the previous build's map and
// what changed, and that change as a delta from the previous build's files.
func (s *deltaSink) finish() (map[string][]byte, *delta) {
	d := &delta{base: s.out, written: s.written}
	files := maps.Clone(s.out)
	if files == nil {
		files = make(map[string][]byte, len(s.written))
	}
	for _, p := range s.written {
		files[p] = s.files[s.index[p]].data
	}
	for i := 0; s.seen < len(s.files) && i < len(s.files); {
		f := s.files[i]
		if f.gen == s.gen {
			i++
			continue
		}
		d.removed = append(d.removed, f.path)
		delete(files, f.path)
		delete(s.index, f.path)
		last := len(s.files) - 1
		if i < last {
			s.files[i] = s.files[last]
			s.index[s.files[i].path] = i
		}
		s.files[last] = sinkFile{}
		s.files = s.files[:last]
	}
	s.out = files
	return files, d
}
