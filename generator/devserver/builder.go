package devserver

import (
	"slices"

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
}

// Build runs the whole pipeline into memory.
func (f *FullBuilder) Build(changed []string) (*Output, error) {
	opts := f.Options
	if opts.Cache != nil && f.trusted && changed != nil && !slices.Contains(changed, ".") {
		opts.Changed = changed
	}
	mem := output.NewMemory()
	opts.Sink = mem
	res, err := site.Build(opts)
	f.trusted = err == nil
	if err != nil {
		return &Output{Result: res}, err
	}
	return &Output{Files: mem.Files, Result: res, Finish: res.Finish}, nil
}
