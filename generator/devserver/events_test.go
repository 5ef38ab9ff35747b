package devserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/site"
)

// rebuild swaps the fake site's files and rebuilds.
func rebuild(t *testing.T, ts *testServer, fb *fakeBuilder, edit func(files map[string]string)) {
	t.Helper()
	files := fakeSite()
	edit(files)
	fb.set(files, nil)
	if err := ts.Rebuild([]string{"content/x.md"}); err != nil {
		t.Fatal(err)
	}
}

func TestEventsTellEachPageWhatChangedForIt(t *testing.T) {
	t.Parallel()
	const css = "assets/style.0123456789.css"
	for _, tc := range []struct {
		name       string
		edit       func(files map[string]string)
		glue, home string // events before the status, joined with commas
	}{
		{"nothing changed", func(map[string]string) {}, "", ""},
		{"one page changed", func(f map[string]string) { f["glue/index.html"] = page("<h1>Glue 2</h1>", css) }, "reload", ""},
		{"page deleted", func(f map[string]string) { delete(f, "glue/index.html") }, "reload", ""},
		{"script changed", func(f map[string]string) { f["assets/app.0123456789.js"] = "console.log(2)" }, "", ""},
		{"stylesheet renamed", func(f map[string]string) {
			delete(f, css)
			f["assets/style.abcdef0123.css"] = "body{color:blue}"
			for _, p := range []string{"index.html", "glue/index.html", "404.html"} {
				f[p] = strings.ReplaceAll(f[p], css, "assets/style.abcdef0123.css")
			}
		}, "swap", "swap"},
		{"stylesheet renamed and page changed", func(f map[string]string) {
			delete(f, css)
			f["assets/style.abcdef0123.css"] = "body{color:blue}"
			f["index.html"] = page("<h1>Home</h1>", "assets/style.abcdef0123.css")
			f["glue/index.html"] = page("<h1>Glue 2</h1>", "assets/style.abcdef0123.css")
		}, "reload", "swap"},
		{"stylesheet renamed and page changed, same length", func(f map[string]string) {
			delete(f, css)
			f["assets/style.abcdef0123.css"] = "body{color:blue}"
			f["index.html"] = strings.ReplaceAll(f["index.html"], css, "assets/style.abcdef0123.css")
			f["glue/index.html"] = page("<h1>Gluf</h1>", "assets/style.abcdef0123.css")
		}, "reload", "swap"},
		{"stylesheet renamed to a longer hash", func(f map[string]string) {
			delete(f, css)
			f["assets/style.abcdef01234.css"] = "body{color:blue}"
			for _, p := range []string{"index.html", "glue/index.html", "404.html"} {
				f[p] = strings.ReplaceAll(f[p], css, "assets/style.abcdef01234.css")
			}
		}, "swap", "swap"},
		{"stylesheet edited in place", func(f map[string]string) { f[css] = "body{color:green}" }, "swap", "swap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts, fb := newFakeServer(t, "")
			// Two tabs show /glue/: notify works out their news once, and both must get it.
			glue, glue2, home := ts.open(t, "/glue/"), ts.open(t, "/glue/"), ts.open(t, "/")
			rebuild(t, ts, fb, tc.edit)
			if got, _ := glue.untilStatus(t); strings.Join(got, ",") != tc.glue {
				t.Errorf("/glue/ got %v, want %q", got, tc.glue)
			}
			if got, _ := glue2.untilStatus(t); strings.Join(got, ",") != tc.glue {
				t.Errorf("/glue/ in a second tab got %v, want %q", got, tc.glue)
			}
			if got, _ := home.untilStatus(t); strings.Join(got, ",") != tc.home {
				t.Errorf("/ got %v, want %q", got, tc.home)
			}
		})
	}
}

func TestCSSEventData(t *testing.T) {
	t.Parallel()
	fb := &fakeBuilder{files: fakeSite(), base: "https://x.io/notes/"}
	ts := newTestServer(t, Options{Builder: fb}, false)
	c := ts.open(t, "/notes/glue/")
	rebuild(t, ts, fb, func(f map[string]string) {
		const from, to = "assets/style.0123456789.css", "assets/style.abcdef0123.css"
		delete(f, from)
		f[to] = "x"
		f["glue/index.html"] = strings.ReplaceAll(f["glue/index.html"], from, to)
	})
	e, _ := c.find(t, "swap")
	var msg swapMsg
	if err := json.Unmarshal(e.data, &msg); err != nil {
		t.Fatal(err)
	}
	want := rename{From: "/notes/assets/style.0123456789.css", To: "/notes/assets/style.abcdef0123.css", FromRel: "assets/style.0123456789.css", ToRel: "assets/style.abcdef0123.css"}
	if len(msg.Swap) != 1 || msg.Swap[0] != want || len(msg.Refresh) != 0 {
		t.Errorf("css event %s", e.data)
	}
}

func TestRenamedFilesStayServed(t *testing.T) {
	t.Parallel()
	ts, fb := newFakeServer(t, "")
	const from, to = "search/index.0123456789.js", "search/index.abcdef0123.js"
	withIndex := func(name, data string) func(map[string]string) {
		return func(f map[string]string) {
			f[name] = data
			f["glue/index.html"] = page(`<meta name=lectern-search content="`+name+`">`, "assets/style.0123456789.css")
		}
	}
	rebuild(t, ts, fb, withIndex(from, "old index"))
	c := ts.open(t, "/glue/")
	rebuild(t, ts, fb, withIndex(to, "new index"))
	e, _ := c.find(t, "swap")
	if !strings.Contains(string(e.data), `"fromRel":"`+from+`","toRel":"`+to+`"`) {
		t.Errorf("swap event %s", e.data)
	}
	// The tab was not reloaded, and its search may still fetch the index of the build it came from.
	if status, body := ts.get(t, "/"+from); status != 200 || body != "old index" {
		t.Errorf("retired file: %d %q", status, body)
	}
	if status, body := ts.get(t, "/"+to); status != 200 || body != "new index" {
		t.Errorf("new file: %d %q", status, body)
	}
	// Only fingerprinted names are kept: a removed page is gone.
	rebuild(t, ts, fb, func(f map[string]string) { delete(f, "glue/index.html") })
	if status, _ := ts.get(t, "/glue/"); status != 404 {
		t.Errorf("removed page: status %d", status)
	}
}

func TestRetiredFilesAreBounded(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", retiredBudget/4)
	var old *snapshot
	for gen := 1; gen <= 12; gen++ {
		name := fmt.Sprintf("search/index.%010x.js", gen)
		s := &snapshot{gen: gen, files: map[string][]byte{name: []byte(big)}, sums: map[string]uint64{name: uint64(gen)}}
		retire(old, s, nil)
		old = s
	}
	total := 0
	for p, f := range old.retired {
		total += len(f.data)
		if f.gen < 8 {
			t.Errorf("kept %s of build %d over newer ones", p, f.gen)
		}
	}
	if total > retiredBudget {
		t.Errorf("retired files hold %d bytes, budget %d", total, retiredBudget)
	}
}

func TestDiffPairsRenames(t *testing.T) {
	t.Parallel()
	mk := func(gen int, names ...string) *snapshot {
		s := &snapshot{gen: gen, base: "/", files: map[string][]byte{}, sums: map[string]uint64{}}
		for i, n := range names {
			s.files[n] = []byte(n)
			s.sums[n] = uint64(i + 1)
		}
		return s
	}
	old := mk(1, "a/index.html", "assets/style.0123456789.css", "search/c.0123456789.js", "search/c.1111111111.js", "logo.png")
	cur := mk(2, "a/index.html", "assets/style.abcdefabcd.css", "search/c.2222222222.js", "search/c.3333333333.js", "logo2.png")
	ch := diff(old, cur, nil)
	if len(ch.renames) != 1 || ch.renames[0].FromRel != "assets/style.0123456789.css" || ch.renames[0].ToRel != "assets/style.abcdefabcd.css" {
		t.Errorf("renames %+v: want only the stylesheet paired (the chunks share a stem; the logo has no hash)", ch.renames)
	}
	if got := strings.Join(ch.files, " "); got != "assets/style.0123456789.css assets/style.abcdefabcd.css logo.png logo2.png search/c.0123456789.js search/c.1111111111.js search/c.2222222222.js search/c.3333333333.js" {
		t.Errorf("changed files %s", got)
	}
}

func TestStaleTabReloadsOnConnect(t *testing.T) {
	t.Parallel()
	ts, fb := newFakeServer(t, "")
	_, body := ts.get(t, "/glue/")
	old := stamp.FindStringSubmatch(body)[1]
	// The page changes between the tab loading it and the tab connecting.
	rebuild(t, ts, fb, func(f map[string]string) { f["glue/index.html"] = page("new", "x.css") })
	c := connect(t, ts.ts.URL, "/glue/", old)
	if e, _ := c.next(t); e.name != "reload" {
		t.Errorf("stale tab got %q, want reload", e.name)
	}
	// A tab that is up to date gets nothing.
	fresh := ts.open(t, "/glue/")
	rebuild(t, ts, fb, func(f map[string]string) { f["glue/index.html"] = page("new", "x.css") })
	if got, _ := fresh.untilStatus(t); len(got) != 0 {
		t.Errorf("fresh tab got %v", got)
	}
}

func TestMissingPageReloadsWhenCreated(t *testing.T) {
	t.Parallel()
	ts, fb := newFakeServer(t, "")
	c := ts.open(t, "/new/")
	rebuild(t, ts, fb, func(f map[string]string) { f["new/index.html"] = page("New", "x.css") })
	if got, _ := c.untilStatus(t); strings.Join(got, ",") != "reload" {
		t.Errorf("got %v, want reload", got)
	}
}

func TestBuildErrorOverlay(t *testing.T) {
	t.Parallel()
	ts, fb := newFakeServer(t, "")
	c := ts.open(t, "/glue/")
	fb.set(nil, &site.BuildError{Diagnostics: []diag.Diagnostic{
		diag.At("content/glue.md", 3, "front matter: <b>bad</b> value"),
		diag.WarnAt("content/emr.md", 9, "a warning that does not fail the build"),
	}})
	if err := ts.Rebuild([]string{"content/glue.md"}); err == nil {
		t.Fatal("want the build error back")
	}
	e, _ := c.find(t, "fail")
	var msg failMsg
	if err := json.Unmarshal(e.data, &msg); err != nil {
		t.Fatal(err)
	}
	want := []failItem{{File: "content/glue.md", Line: 3, Msg: "front matter: <b>bad</b> value"}}
	if fmt.Sprint(msg.Errors) != fmt.Sprint(want) {
		t.Errorf("overlay %+v, want %+v", msg.Errors, want)
	}
	if _, st := c.untilStatus(t); st != `{"build":2,"ok":false}` {
		t.Errorf("status %s", st)
	}
	// The last good site stays up; the terminal says the same as the overlay.
	if status, body := ts.get(t, "/glue/"); status != 200 || !strings.Contains(body, "<h1>Glue</h1>") {
		t.Errorf("last good page not served: %d %q", status, body)
	}
	if out := ts.out.String(); !strings.Contains(out, "content/glue.md:3: front matter: <b>bad</b> value") {
		t.Errorf("terminal: %q", out)
	}
	// A tab opened meanwhile sees the overlay at once.
	late := ts.open(t, "/")
	if e, _ := late.next(t); e.name != "fail" {
		t.Errorf("late tab got %q first, want fail", e.name)
	}
	// Fixing it removes the overlay and reloads the page that changed.
	rebuild(t, ts, fb, func(f map[string]string) { f["glue/index.html"] = page("<h1>Fixed</h1>", "x.css") })
	if got, _ := c.untilStatus(t); strings.Join(got, ",") != "ok,reload" {
		t.Errorf("after the fix /glue/ got %v, want ok,reload", got)
	}
	if got, _ := late.untilStatus(t); strings.Join(got, ",") != "ok" {
		t.Errorf("after the fix / got %v, want ok", got)
	}
}

func TestFailItems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"diagnostics", &site.BuildError{Diagnostics: []diag.Diagnostic{diag.At("a.md", 2, "x"), diag.WarnAt("b.md", 1, "w")}}, "[{a.md 2 0 x}]"},
		{"strict", &site.BuildError{Strict: true, Diagnostics: []diag.Diagnostic{diag.WarnAt("b.md", 1, "w")}}, "[{b.md 1 0 w}]"},
		{"diagnostic", fmt.Errorf("theme: %w", diag.At("themes/templates/base.html", 4, "template error")), "[{themes/templates/base.html 4 0 template error}]"},
		{"joined", errors.Join(errors.New("a.md: cannot render"), errors.New("b.md: cannot render")), "[{ 0 0 a.md: cannot render} { 0 0 b.md: cannot render}]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fmt.Sprint(failItems(tc.err)); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestClientsConnectAndDrop opens and drops 200 streams, some by the client going away and some by the
// server shutting down, and checks that no stream or goroutine is left behind.
func TestClientsConnectAndDrop(t *testing.T) {
	ts, fb := newFakeServer(t, "")
	before := runtime.NumGoroutine()
	var open []*sseClient
	for i := 0; i < 200; i++ {
		c := ts.open(t, fmt.Sprintf("/page-%d/", i%7))
		open = append(open, c)
		if i%2 == 1 {
			open[i-1].close()
		}
	}
	rebuild(t, ts, fb, func(f map[string]string) { f["page-3/index.html"] = page("3", "x.css") })
	for i, c := range open {
		if i%2 == 1 {
			got, _ := c.untilStatus(t)
			if want := map[bool]string{true: "reload", false: ""}[i%7 == 3]; strings.Join(got, ",") != want {
				t.Fatalf("stream %d got %v, want %q", i, got, want)
			}
			c.close()
		}
	}
	waitFor(t, "streams to close", func() bool { return ts.Clients() == 0 })
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before+2 })
	ts.stop()
	if n := ts.Clients(); n != 0 {
		t.Errorf("%d streams open after shutdown", n)
	}
}

func TestShutdownEndsStreams(t *testing.T) {
	t.Parallel()
	ts, _ := newFakeServer(t, "")
	c := ts.open(t, "/glue/")
	ts.closeClients()
	for {
		if _, ok := c.next(t); !ok {
			break
		}
	}
	if status, _ := ts.get(t, EventsPath+"?page=/"); status != 503 {
		t.Errorf("stream opened after shutdown: status %d", status)
	}
}

func TestSlowClientIsDropped(t *testing.T) {
	t.Parallel()
	c := &client{ch: make(chan event, 2), done: make(chan struct{})}
	for i := 0; i < 3; i++ {
		c.send(event{name: "status"})
	}
	select {
	case <-c.done:
	default:
		t.Error("a client whose queue is full is not dropped")
	}
}

// waitFor polls cond; the limit only keeps a broken test from hanging.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestStem pins the names taken as fingerprinted: a hash of at least 8 lowercase hex digits between the
// last two dots, before an extension.
func TestStem(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"assets/style.da965e1387.css", "assets/style.css"},
		{"search/index.0123456789.js", "search/index.js"},
		{"search/d.abcdef12.js", "search/d.js"},
		{"a.b.c.0123abcd.JS2", "a.b.c.JS2"},
		{"style.da965e13.css", "style.css"},
		{"style.da965e1.css", ""},    // 7 digits
		{"style.DA965E1387.css", ""}, // upper case is not a hash
		{"style.da965e1387.", ""},
		{"style.da965e1387.c-s", ""},
		{"da965e1387.css", ""},
		{"x.da965e1387", ""},
		{"logo.svg", ""},
		{"", ""},
	} {
		if got := stem(tc.in); got != tc.want {
			t.Errorf("stem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
