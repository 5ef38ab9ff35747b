package devserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fakeSite() map[string]string {
	return map[string]string{
		"index.html":                  page("<h1>Home</h1>", "assets/style.0123456789.css"),
		"glue/index.html":             page("<h1>Glue</h1>", "assets/style.0123456789.css"),
		"404.html":                    page("<h1>Page not found</h1>", "assets/style.0123456789.css"),
		"assets/style.0123456789.css": "body{color:red}",
		"assets/app.0123456789.js":    "console.log(1)",
		"favicon.svg":                 "<svg xmlns='http://www.w3.org/2000/svg'></svg>",
		"images/diagram.png":          "\x89PNG\r\n\x1a\n",
		"files/notes.weird":           "plain words",
		"search/index.json":           `{"a":1}`,
	}
}

func newFakeServer(t *testing.T, base string) (*testServer, *fakeBuilder) {
	t.Helper()
	fb := &fakeBuilder{files: fakeSite(), base: base}
	return newTestServer(t, Options{Builder: fb}, false), fb
}

// rawGet sends a request line exactly as given, without the client cleaning the path first.
func rawGet(t *testing.T, addr, method, target string) (int, http.Header, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", method, target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestPathSafety(t *testing.T) {
	t.Parallel()
	ts, _ := newFakeServer(t, "")
	// A secret beside the site: no request may ever return it.
	secretDir := t.TempDir()
	secret := "TOP-SECRET-" + filepath.Base(secretDir)
	writeFile(t, filepath.Join(secretDir, "secret.txt"), secret)
	addr := strings.TrimPrefix(ts.ts.URL, "http://")
	rel, _ := filepath.Rel(repoRoot(t), filepath.Join(secretDir, "secret.txt"))
	for _, tc := range []struct {
		target string
		want   int
	}{
		{"/../secret.txt", http.StatusBadRequest},
		{"/glue/../../secret.txt", http.StatusBadRequest},
		{"/%2e%2e/%2e%2e/secret.txt", http.StatusBadRequest},
		{"/%2E%2E/secret.txt", http.StatusBadRequest},
		{"/glue/..%2f..%2fsecret.txt", http.StatusBadRequest},
		{"/glue/..%5c..%5csecret.txt", http.StatusBadRequest},
		{"/glue/%00", http.StatusBadRequest},
		{"/" + filepath.ToSlash(rel), http.StatusBadRequest},
		{filepath.ToSlash(filepath.Join(secretDir, "secret.txt")), http.StatusNotFound},
		{"/" + filepath.ToSlash(filepath.Join(secretDir, "secret.txt")), http.StatusFound},
		{"/C:/Windows/win.ini", http.StatusNotFound},
		{"/etc/passwd", http.StatusNotFound},
		{"/go.mod", http.StatusNotFound},
		{"/content/glue.md", http.StatusNotFound},
		{"/lectern.yaml", http.StatusNotFound},
		{"/./glue/", http.StatusFound},
		{"/glue//", http.StatusFound},
		{"/glue/", http.StatusOK},
	} {
		t.Run(tc.target, func(t *testing.T) {
			status, h, body := rawGet(t, addr, "GET", tc.target)
			if status != tc.want {
				t.Errorf("status %d, want %d", status, tc.want)
			}
			if strings.Contains(body, "TOP-SECRET") {
				t.Fatalf("served a file outside the site")
			}
			if loc := h.Get("Location"); strings.HasPrefix(loc, "//") {
				t.Errorf("redirect to another host: %q", loc)
			}
		})
	}
}

func TestCleanPathRedirects(t *testing.T) {
	t.Parallel()
	ts, _ := newFakeServer(t, "")
	addr := strings.TrimPrefix(ts.ts.URL, "http://")
	for _, tc := range []struct{ target, location string }{
		{"/./glue/", "/glue/"},
		{"/glue//", "/glue/"},
		{"//glue", "/glue"},
		{"/glue", "/glue/"},
		{"/glue/./?q=1", "/glue/?q=1"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			status, h, _ := rawGet(t, addr, "GET", tc.target)
			if status != http.StatusFound || h.Get("Location") != tc.location {
				t.Errorf("got %d to %q, want 302 to %q", status, h.Get("Location"), tc.location)
			}
		})
	}
}

func TestMethods(t *testing.T) {
	t.Parallel()
	ts, _ := newFakeServer(t, "")
	addr := strings.TrimPrefix(ts.ts.URL, "http://")
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"} {
		t.Run(m, func(t *testing.T) {
			status, h, _ := rawGet(t, addr, m, "/glue/")
			if status != http.StatusMethodNotAllowed || h.Get("Allow") != "GET, HEAD" {
				t.Errorf("status %d, Allow %q; want 405 with Allow: GET, HEAD", status, h.Get("Allow"))
			}
		})
	}
	t.Run("HEAD", func(t *testing.T) {
		status, h, body := rawGet(t, addr, "HEAD", "/glue/")
		if status != http.StatusOK || body != "" || h.Get("Content-Length") == "" {
			t.Errorf("status %d, body %q, length %q", status, body, h.Get("Content-Length"))
		}
	})
	t.Run("HEAD 404", func(t *testing.T) {
		status, _, body := rawGet(t, addr, "HEAD", "/missing/")
		if status != http.StatusNotFound || body != "" {
			t.Errorf("status %d, body %q", status, body)
		}
	})
}

func TestContentTypesAndHeaders(t *testing.T) {
	t.Parallel()
	ts, _ := newFakeServer(t, "")
	for _, tc := range []struct{ path, ctype string }{
		{"/", "text/html; charset=utf-8"},
		{"/glue/", "text/html; charset=utf-8"},
		{"/assets/style.0123456789.css", "text/css; charset=utf-8"},
		{"/assets/app.0123456789.js", "text/javascript; charset=utf-8"},
		{"/favicon.svg", "image/svg+xml"},
		{"/images/diagram.png", "image/png"},
		{"/search/index.json", "application/json"},
		{"/files/notes.weird", "text/plain; charset=utf-8"},
		{"/_lectern/live.js", "text/javascript; charset=utf-8"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(ts.ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
		})
	}
}

func TestNotFoundServesSite404(t *testing.T) {
	t.Parallel()
	ts, fb := newFakeServer(t, "")
	status, body := ts.get(t, "/no/such/page/")
	if status != http.StatusNotFound || !strings.Contains(body, "Page not found") {
		t.Fatalf("status %d, body %q", status, body)
	}
	if !stamp.MatchString(body) {
		t.Error("the 404 page lacks the live-reload script, so it would not reload once the page exists")
	}
	if status, _ := ts.get(t, "/_lectern/nothing"); status != http.StatusNotFound {
		t.Errorf("unknown reserved path: status %d", status)
	}
	// A site without a 404.html still answers 404.
	files := fakeSite()
	delete(files, "404.html")
	fb.set(files, nil)
	if err := ts.Rebuild([]string{"content/404.md"}); err != nil {
		t.Fatal(err)
	}
	if status, body := ts.get(t, "/missing/"); status != http.StatusNotFound || !strings.Contains(body, "404") {
		t.Errorf("without 404.html: status %d, body %q", status, body)
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	ts, _ := newFakeServer(t, "https://user.github.io/notes/")
	for _, tc := range []struct {
		path     string
		status   int
		location string
		contains string
	}{
		{"/", http.StatusFound, "/notes/", ""},
		{"/notes", http.StatusFound, "/notes/", ""},
		{"/notes/", http.StatusOK, "", "<h1>Home</h1>"},
		{"/notes/glue/", http.StatusOK, "", "<h1>Glue</h1>"},
		{"/notes/glue", http.StatusFound, "/notes/glue/", ""},
		{"/notes/assets/style.0123456789.css", http.StatusOK, "", "color:red"},
		{"/glue/", http.StatusNotFound, "", "Page not found"},
		{"/notesglue/", http.StatusNotFound, "", "Page not found"},
		{"/_lectern/live.js", http.StatusOK, "", "EventSource"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := c.Get(ts.ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location || !strings.Contains(string(body), tc.contains) {
				t.Errorf("got %d %q %.60q; want %d %q containing %q", resp.StatusCode, resp.Header.Get("Location"), body, tc.status, tc.location, tc.contains)
			}
		})
	}
	if ts.BasePath() != "/notes/" {
		t.Errorf("BasePath %q", ts.BasePath())
	}
}

func TestBasePathOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                              "/",
		"https://user.github.io/":       "/",
		"https://user.github.io":        "/",
		"https://user.github.io/notes/": "/notes/",
		"https://user.github.io/notes":  "/notes/",
		"https://x.io/a/b/../c/":        "/a/c/",
		"/notes/":                       "/notes/",
		"://bad":                        "/",
	} {
		if got := basePath(in); got != want {
			t.Errorf("basePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNoSiteYet(t *testing.T) {
	t.Parallel()
	fb := &fakeBuilder{err: errors.New("content/alpha.md:2: broken front matter")}
	ts := newTestServer(t, Options{Builder: fb}, false)
	status, body := ts.get(t, "/alpha/")
	if status != http.StatusServiceUnavailable || !stamp.MatchString(body) {
		t.Fatalf("status %d, body %q", status, body)
	}
	c := ts.open(t, "/alpha/")
	e, _ := c.find(t, "fail")
	if !strings.Contains(string(e.data), "broken front matter") {
		t.Errorf("fail event %s", e.data)
	}
	fb.set(map[string]string{"alpha/index.html": page("Alpha", "x.css")}, nil)
	if err := ts.Rebuild([]string{"content/alpha.md"}); err != nil {
		t.Fatal(err)
	}
	names, _ := c.untilStatus(t)
	if strings.Join(names, ",") != "ok,reload" {
		t.Errorf("after the first good build: %v, want ok then reload", names)
	}
}

func TestInjectScript(t *testing.T) {
	t.Parallel()
	const tag = `<script src="/_lectern/live.js" data-page="abc"></script>`
	for _, tc := range []struct{ in, want string }{
		{"<body>x</body></html>", "<body>x" + tag + "</body></html>"},
		{"<BODY>x</BODY>", "<BODY>x" + tag + "</BODY>"},
		{"<p>no body end", "<p>no body end" + tag},
		{"<body><pre></body></pre></body>", "<body><pre></body></pre>" + tag + "</body>"},
		{"", tag},
	} {
		if got := string(injectScript([]byte(tc.in), "abc")); got != tc.want {
			t.Errorf("injectScript(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSafePath(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"/":           true,
		"/a/b/":       true,
		"/a..b/":      true,
		"/..":         false,
		"/a/../b":     false,
		"a/b":         false,
		"":            false,
		"/a\\..\\b":   false,
		"/a\x00":      false,
		"/.../":       true,
		"/_lectern/x": true,
	} {
		if got := safePath(p); got != want {
			t.Errorf("safePath(%q) = %v, want %v", p, got, want)
		}
	}
}

// FuzzServePath sends arbitrary paths: the handler must never panic, never answer a path that names a
// file outside the site with that file, and never redirect to another host.
func FuzzServePath(f *testing.F) {
	for _, s := range []string{"/", "/glue/", "/../x", "/%2e%2e/", "//evil.com/", "/a/./b//c", "/notes", "/_lectern/events", "/\\evil"} {
		f.Add(s)
	}
	fb := &fakeBuilder{files: fakeSite(), base: "https://x.io/notes/"}
	s := New(Options{Builder: fb, Log: io.Discard, Errors: io.Discard})
	if err := s.Rebuild(nil); err != nil {
		f.Fatal(err)
	}
	secret, _ := os.ReadFile(filepath.Join(repoRoot(f), "go.mod"))
	f.Fuzz(func(t *testing.T, p string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.URL.Path = p
		if strings.HasPrefix(p, EventsPath) {
			return // a stream; covered by the event tests
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if loc := w.Header().Get("Location"); loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//")) {
			t.Fatalf("%q redirects to %q", p, loc)
		}
		if len(secret) > 0 && strings.Contains(w.Body.String(), string(secret)) {
			t.Fatalf("%q served go.mod", p)
		}
		if w.Code == http.StatusOK && !strings.HasPrefix(p, "/notes/") && !strings.HasPrefix(p, ReservedPrefix) {
			t.Fatalf("%q served outside the base path", p)
		}
	})
}
