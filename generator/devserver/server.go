package devserver

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/site"
)

// Options configure a dev server.
type Options struct {
	Root    string // site root (holding content/); default "."
	BaseURL string // overrides lectern.yaml's base_url; its path is the path the site is served under
	Drafts  bool   // include draft notes
	Strict  bool   // warnings fail the build (and show in the overlay)

	Bind string // address to listen on; default 127.0.0.1
	Port int    // default 1313; 0 lets the system pick a free port
	// NextFreePort tries the following ports (up to 100 of them) when Port is taken, instead of failing.
	NextFreePort bool
	// Open opens the site in the default browser once it is served.
	Open bool

	// Quiet is the watcher's debounce window; default DefaultQuiet.
	Quiet time.Duration
	// Log receives the terminal's news: the URL, each rebuild. Default os.Stdout.
	Log io.Writer
	// Errors receives warnings and build errors. Default os.Stderr.
	Errors io.Writer
	// Builder builds the site; default a FullBuilder with the options above and a site.Cache.
	Builder Builder
}

// DefaultPort is the port `lectern serve` listens on unless told otherwise.
const DefaultPort = 1313

// Server is a running dev server: the current build, the open tabs, and what the terminal is told.
// Use New, then Run (or ServeHTTP, Rebuild and Watch separately, as the tests do).
type Server struct {
	opts    Options
	builder Builder
	seed    maphash.Seed
	cur     atomic.Pointer[snapshot] // the last good build; nil until one succeeds

	buildMu sync.Mutex       // one build at a time
	gen     int              // builds so far, guarded by buildMu
	warned  map[warning]bool // the latest build's warnings, printed already

	mu      sync.Mutex // guards the fields below, and publishing a snapshot (see register)
	clients map[*client]struct{}
	closed  bool
	failure event // the overlay of the failing build; zero while builds succeed

	logMu sync.Mutex
	// sent, when set, is called after an event was written to a tab (benchmarks time this).
	sent func(page, name string)
	// open opens a URL in a browser.
	open func(url string) error
}

// New prepares a server; nothing is built, watched or listened on until Rebuild, Watch or Run.
func New(opts Options) *Server {
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if opts.Log == nil {
		opts.Log = os.Stdout
	}
	if opts.Errors == nil {
		opts.Errors = os.Stderr
	}
	b := opts.Builder
	if b == nil {
		// The cache makes each rebuild redo only what the change affects (unchanged notes are not parsed
		// again, unchanged pages not rendered again); its output is always that of a full build.
		b = &FullBuilder{Options: site.Options{Root: opts.Root, BaseURL: opts.BaseURL, Drafts: opts.Drafts, Strict: opts.Strict, Cache: &site.Cache{}}}
	}
	return &Server{
		opts:    opts,
		builder: b,
		seed:    maphash.MakeSeed(),
		warned:  map[warning]bool{},
		clients: map[*client]struct{}{},
		open:    OpenBrowser,
	}
}

func (s *Server) logf(format string, args ...any) { s.print(s.opts.Log, format, args...) }

func (s *Server) errorf(format string, args ...any) { s.print(s.opts.Errors, format, args...) }

func (s *Server) print(w io.Writer, format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(w, format+"\n", args...)
}

// BasePath is the URL path the site is served under ("/" before the first successful build).
func (s *Server) BasePath() string {
	if snap := s.cur.Load(); snap != nil {
		return snap.base
	}
	return basePath(s.opts.BaseURL)
}

// Rebuild builds the site after the given changes (nil for the first build). On success the new build
// is served from then on and every tab is told what changed for it; on failure the errors go to the
// terminal and to every tab's overlay, and the last good build stays up. It returns the build's error.
func (s *Server) Rebuild(changed []string) error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	s.gen++
	start := time.Now()
	out, err := s.builder.Build(changed)
	took := time.Since(start)
	if out == nil {
		out = &Output{}
	}
	s.reportWarnings(out.Result, err)
	if err == nil && out.Files == nil {
		err = errors.New("the build produced no files")
	}
	if out.Result == nil {
		out.Result = &site.Result{}
		out.Result.Config.BaseURL = s.opts.BaseURL
	}
	if err != nil {
		s.fail(err)
		return err
	}
	base := basePath(out.Result.Config.BaseURL)
	s.mu.Lock()
	old := s.cur.Load()
	d := out.delta
	if d != nil && (old == nil || !sameMap(d.base, old.files)) {
		d = nil // not a delta from the files served: compare every file
	}
	snap := newSnapshot(s.gen, base, out.Files, old, s.seed, d)
	snap.finish = out.Finish
	retire(old, snap, d)
	s.cur.Store(snap)
	ch := diff(old, snap, d)
	recovered := s.failure.name != ""
	s.failure = event{}
	s.notify(old, snap, ch, recovered)
	s.mu.Unlock()

	switch {
	case old == nil:
		s.logf("built %d pages, %d files in %s", out.Result.Pages, len(out.Files), roundDuration(took))
	default:
		what := "no output changed"
		if n := len(ch.files); n > 0 {
			what = fmt.Sprintf("%d file%s changed", n, plural(n))
		}
		if recovered {
			what += "; the build works again"
		}
		s.logf("%s: rebuilt in %s, %s", describeChanges(changed), roundDuration(took), what)
	}
	return nil
}

// fail shows a failed build in the terminal and in every tab.
func (s *Server) fail(err error) {
	items := failItems(err)
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.text())
		b.WriteByte('\n')
	}
	kept := "the last good build is still served"
	if s.cur.Load() == nil {
		kept = "nothing to serve until it is fixed"
	}
	s.errorf("%sbuild failed (%s); fix the file and save, the page updates by itself", b.String(), kept)
	s.mu.Lock()
	s.failure = newEvent("fail", failMsg{Errors: items})
	s.broadcastFailure(s.gen)
	s.mu.Unlock()
}

func (it failItem) text() string {
	return diag.Diagnostic{File: it.File, Line: it.Line, Col: it.Col, Severity: diag.Error, Msg: it.Msg}.Error()
}

// failItems turns a build error into the overlay's lines: each diagnostic that failed the build with its
// file, line and column, or the error's own lines when it has no diagnostics.
func failItems(err error) []failItem {
	var be *site.BuildError
	if errors.As(err, &be) {
		var out []failItem
		for _, d := range be.Diagnostics {
			if d.Severity == diag.Error || be.Strict {
				out = append(out, failItem{File: d.File, Line: d.Line, Col: d.Col, Msg: d.Msg})
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	var d diag.Diagnostic
	if errors.As(err, &d) {
		return []failItem{{File: d.File, Line: d.Line, Col: d.Col, Msg: d.Msg}}
	}
	var out []failItem
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, failItem{Msg: line})
		}
	}
	return out
}

// reportWarnings prints the warnings of a build that the previous build did not already print, so an
// old warning is not repeated on every save. A failed build's diagnostics are printed by fail.
func (s *Server) reportWarnings(res *site.Result, err error) {
	if res == nil {
		return
	}
	var be *site.BuildError
	strictFail := errors.As(err, &be) && be.Strict
	now := make(map[warning]bool, len(s.warned))
	for _, d := range res.Diagnostics {
		if d.Severity != diag.Warning || strictFail {
			continue
		}
		w := warningOf(d)
		now[w] = true
		if !s.warned[w] {
			s.errorf("%s", d.Error())
		}
	}
	s.warned = now
}

// warning is what a warning prints (diag.Diagnostic.Error) as a comparable value: a large site may
// carry thousands of warnings from save to save, and formatting each to compare it would cost more
// than looking it up.
type warning struct {
	file      string
	line, col int
	msg       string
}

func warningOf(d diag.Diagnostic) warning {
	w := warning{file: d.File, line: max(d.Line, 0), col: max(d.Col, 0), msg: d.Msg}
	if w.file == "" || w.line == 0 {
		w.line, w.col = 0, 0 // not printed
	}
	return w
}

// describeChanges names a batch for the terminal: the first few paths.
func describeChanges(changed []string) string {
	switch {
	case len(changed) == 0:
		return "rebuild"
	case len(changed) == 1 && changed[0] == ".":
		return "many files"
	case len(changed) <= 3:
		return strings.Join(changed, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(changed[:2], ", "), len(changed)-2)
}

func roundDuration(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Watch rebuilds on every batch of changes until ctx ends. It starts watching before it returns
// ready, so a change made after ready is never missed.
func (s *Server) Watch(ctx context.Context, ready func()) error {
	w, err := NewWatcher(s.opts.Root, s.opts.Quiet)
	if err != nil {
		return err
	}
	defer w.Close()
	w.Logf = s.errorf
	if ready != nil {
		ready()
	}
	return w.Run(ctx, func(changed []string) { s.Rebuild(changed) })
}

// Listen opens the server's port. A port in use is an error naming it, unless NextFreePort allows
// trying the ports after it.
func Listen(bind string, port int, nextFree bool) (net.Listener, error) {
	tries := 1
	if nextFree && port != 0 {
		tries = 100
	}
	var first error
	for i := 0; i < tries && port+i <= 65535; i++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(port+i)))
		if err == nil {
			return ln, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("cannot listen on %s port %d: %w", bind, port+i, err)
		}
		if first == nil {
			first = err
		}
	}
	if nextFree && port != 0 {
		return nil, fmt.Errorf("ports %d to %d on %s are all in use", port, min(port+tries-1, 65535), bind)
	}
	return nil, fmt.Errorf("port %d on %s is already in use (is another lectern serve running?); choose another with --port N, or pass --next-free-port to take the next free one", port, bind)
}

// IsLoopback reports whether bind only accepts connections from this machine.
func IsLoopback(bind string) bool {
	if strings.EqualFold(bind, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(bind, "[]"))
	return ip != nil && ip.IsLoopback()
}

// URL is the address the site is served at, under its base path. An unspecified bind address
// (0.0.0.0, ::) is shown as localhost, the address a browser on this machine can open.
func URL(addr net.Addr, base string) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + base
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + base
}

// Run serves the site until ctx ends (Ctrl-C): it listens, builds, watches and serves. Content errors
// never end it. On ctx's end it closes every event stream and connection and stops the watcher, and
// returns nil; it returns an error only when it cannot start (port in use, watcher unavailable).
func (s *Server) Run(ctx context.Context) error {
	port := s.opts.Port
	ln, err := Listen(s.opts.Bind, port, s.opts.NextFreePort)
	if err != nil {
		return err
	}
	if !IsLoopback(s.opts.Bind) {
		s.errorf("warning: listening on %s: anyone who can reach this machine can read the site, drafts included; use --bind 127.0.0.1 to keep it private", s.opts.Bind)
	}
	if got := ln.Addr().(*net.TCPAddr).Port; port != 0 && got != port {
		s.logf("port %d is in use; using port %d instead", port, got)
	}
	return s.serve(ctx, ln)
}

// serve is Run after listening.
func (s *Server) serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	watching := make(chan struct{})
	watchErr := make(chan error, 1)
	go func() { watchErr <- s.Watch(ctx, func() { close(watching) }) }()
	select {
	case <-watching:
	case err := <-watchErr:
		ln.Close()
		return err
	}
	s.Rebuild(nil)

	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	url := URL(ln.Addr(), s.BasePath())
	s.logf("serving %s at %s (Ctrl-C to stop)", absRoot(s.opts.Root), url)
	if s.opts.Open {
		if err := s.open(url); err != nil {
			s.errorf("cannot open a browser: %v; open %s yourself", err, url)
		}
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	cancel()
	s.closeClients()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	if serr := hs.Shutdown(sctx); serr != nil {
		hs.Close()
	}
	<-watchErr
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func absRoot(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		return abs
	}
	return root
}
