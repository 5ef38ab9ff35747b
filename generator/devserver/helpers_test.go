package devserver

import (
	"bufio"
	"context"
	"github.com/lectern/lectern/generator/corpora"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/site"
)

// waitLimit guards every wait in these tests against hanging; it is not a speed requirement.
const waitLimit = 20 * time.Second

// writeSite lays out a site from slash paths to contents in a fresh temporary folder.
func writeSite(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, text := range files {
		writeFile(t, filepath.Join(root, filepath.FromSlash(p)), text)
	}
	return root
}

func writeFile(t testing.TB, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// smallSite is a site small enough to rebuild in a few milliseconds, with a note in a sub-folder.
func smallSite() map[string]string {
	return map[string]string{
		"lectern.yaml":       "title: Test notes\n",
		"content/index.md":   "# Home\n\nWelcome to the test notes.\n",
		"content/alpha.md":   "---\ntitle: Alpha\nweight: 1\n---\nAlpha opens the notes.\n\n## Details\n\nAlpha body text.\n",
		"content/beta.md":    "---\ntitle: Beta\nweight: 2\n---\nBeta follows alpha.\n\n## More\n\nBeta body text.\n",
		"content/sub/gam.md": "# Gamma\n\nGamma lives in a folder.\n",
	}
}

// repoRoot is the module root, found by walking up to go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	root := corpora.ProjectRoot()
	if root == "" {
		t.Fatal("no go.mod above the test's folder")
	}
	return root
}

// copySampleSite copies the repository's sample notes (content/ and lectern.yaml) into a temp folder.
func copySampleSite(t testing.TB) string {
	t.Helper()
	src := repoRoot(t)
	root := t.TempDir()
	copyTree(t, filepath.Join(src, "content"), filepath.Join(root, "content"))
	if data, err := os.ReadFile(filepath.Join(src, "lectern.yaml")); err == nil {
		writeFile(t, filepath.Join(root, "lectern.yaml"), string(data))
	}
	return root
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fakeBuilder hands out a fixed set of files, or a fixed error: unit tests of serving and events need
// no pipeline.
type fakeBuilder struct {
	mu    sync.Mutex
	files map[string]string
	base  string
	err   error
}

func (f *fakeBuilder) set(files map[string]string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files, f.err = files, err
}

func (f *fakeBuilder) Build([]string) (*Output, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	res := &site.Result{Config: config.Config{BaseURL: f.base}}
	if f.err != nil {
		return &Output{Result: res}, f.err
	}
	files := make(map[string][]byte, len(f.files))
	for p, s := range f.files {
		files[p] = []byte(s)
	}
	return &Output{Files: files, Result: res}, nil
}

// page is a minimal built page.
func page(body, css string) string {
	return `<!doctype html><html><head><link rel=stylesheet href="../` + css + `"></head><body>` + body + `</body></html>`
}

// testServer is a Server behind httptest, stopped when the test ends.
type testServer struct {
	*Server
	ts   *httptest.Server
	out  *syncBuffer
	stop func()
}

// syncBuffer collects the terminal's output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newTestServer builds once and serves; with watch, it also follows the site's files.
func newTestServer(t testing.TB, opts Options, watch bool) *testServer {
	t.Helper()
	out := &syncBuffer{}
	opts.Log, opts.Errors = out, out
	s := New(opts)
	s.Rebuild(nil)
	ts := httptest.NewServer(s)
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan error, 1)
	if watch {
		ready := make(chan struct{})
		go func() { watched <- s.Watch(ctx, func() { close(ready) }) }()
		select {
		case <-ready:
		case err := <-watched:
			t.Fatalf("watch: %v", err)
		}
	} else {
		watched <- nil
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-watched; err != nil {
				t.Errorf("watch: %v", err)
			}
			s.closeClients()
			ts.Close()
		})
	}
	t.Cleanup(stop)
	return &testServer{Server: s, ts: ts, out: out, stop: stop}
}

// get fetches a path and returns the status and body.
func (ts *testServer) get(t testing.TB, p string) (int, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(ts.ts.URL + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

var stamp = regexp.MustCompile(`data-page="([0-9a-z]+)"`)

// open fetches a page as a browser tab would and connects its event stream with the page's stamp.
func (ts *testServer) open(t testing.TB, p string) *sseClient {
	t.Helper()
	c := ts.openUntracked(t, p)
	t.Cleanup(c.close)
	return c
}

// openUntracked is open for a caller that closes the stream itself: the leak test opens thousands, and
// a cleanup per stream would keep each one reachable until the test ends.
func (ts *testServer) openUntracked(t testing.TB, p string) *sseClient {
	t.Helper()
	_, body := ts.get(t, p)
	m := stamp.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no stamped live-reload script", p)
	}
	return dial(t, ts.ts.URL, p, m[1])
}

// sseClient reads one event stream.
type sseClient struct {
	events chan event
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func connect(t testing.TB, base, page, hash string) *sseClient {
	t.Helper()
	c := dial(t, base, page, hash)
	t.Cleanup(c.close)
	return c
}

// dial opens an event stream; the caller closes it.
func dial(t testing.TB, base, page, hash string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	u := base + EventsPath + "?page=" + url.QueryEscape(page) + "&hash=" + url.QueryEscape(hash)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("events: status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{events: make(chan event, 256), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		defer close(c.events)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var e event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if e.name != "" {
					c.events <- e
				}
				e = event{}
			case strings.HasPrefix(line, "event: "):
				e.name = line[len("event: "):]
			case strings.HasPrefix(line, "data: "):
				e.data = []byte(line[len("data: "):])
			}
		}
	}()
	return c
}

// close ends the stream. The test's cleanup keeps a reference to every client ever opened, so a closed
// one lets go of its buffered events (the leak test opens thousands).
func (c *sseClient) close() {
	c.once.Do(func() {
		c.cancel()
		<-c.done
		c.events = make(chan event)
		close(c.events)
	})
}

// next returns the next event; ok is false when the stream ended.
func (c *sseClient) next(t testing.TB) (event, bool) {
	t.Helper()
	select {
	case e, ok := <-c.events:
		return e, ok
	case <-time.After(waitLimit):
		t.Fatal("no event from the server")
		return event{}, false
	}
}

// untilStatus returns the names of the events up to the next build's status event, and that status.
func (c *sseClient) untilStatus(t testing.TB) ([]string, string) {
	t.Helper()
	var names []string
	for {
		e, ok := c.next(t)
		if !ok {
			t.Fatalf("stream ended after %v", names)
		}
		if e.name == "status" {
			return names, string(e.data)
		}
		names = append(names, e.name)
	}
}

// eventData returns the data of the next event named name, skipping others up to a status event.
func (c *sseClient) find(t testing.TB, name string) (event, []string) {
	t.Helper()
	var names []string
	for {
		e, ok := c.next(t)
		if !ok {
			t.Fatalf("stream ended before %q; got %v", name, names)
		}
		names = append(names, e.name)
		if e.name == name {
			return e, names
		}
	}
}

// appendTo adds text at the end of a file, in place (as an editor that does not save by renaming).
func appendTo(t testing.TB, p, text string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
