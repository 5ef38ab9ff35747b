package devserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lectern/lectern/generator/browsertest"
)

// waitJS evaluates a JavaScript condition until it holds. Errors while the page reloads are expected
// and retried; the browser context's timeout ends a wait that never succeeds.
func waitJS(t *testing.T, ctx interface{ Err() error }, run func() (bool, error), what string) {
	t.Helper()
	var last error
	for {
		ok, err := run()
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err
		}
		if ctx.Err() != nil {
			t.Fatalf("timed out waiting for %s (last error: %v)", what, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserLiveReload opens a note in headless Chromium, then only edits files: the new text must
// appear by itself at the same scroll position, a broken front matter must show the overlay over the
// last good page, and fixing it must remove the overlay.
func TestBrowserLiveReload(t *testing.T) {
	ctx := browsertest.New(t, 120*time.Second)
	root := copySampleSite(t)
	ts := newTestServer(t, Options{Root: root}, true)
	note := filepath.Join(root, "content", "glue.md")
	original, err := os.ReadFile(note)
	if err != nil {
		t.Fatal(err)
	}
	eval := func(js string) func() (bool, error) {
		return func() (bool, error) { return chromedp.Run(ctx, chromedp.Evaluate[bool](js)) }
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.ts.URL+"/glue/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the page's event stream", func() bool { return ts.Clients() == 1 })
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 600)`)); err != nil {
		t.Fatal(err)
	}
	scrolled, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.scrollY`))
	if err != nil {
		t.Fatal(err)
	}

	// 1. Edit the note: the new text appears without touching the page, at the same scroll position.
	edited := strings.Replace(string(original), "Serverless discovery", "Live reload marker one. Serverless discovery", 1)
	saveAtomically(t, note, edited)
	waitJS(t, ctx, eval(`document.body.innerText.includes("Live reload marker one.")`), "the edited text")
	waitJS(t, ctx, eval(`document.readyState === "complete"`), "the reloaded page")
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.scrollY`)); err != nil || got != scrolled {
		t.Errorf("scroll position after reload: %v (%v), want %v", got, err, scrolled)
	}

	// 2. Break its front matter: the overlay names the file and line over the last good page.
	saveAtomically(t, note, strings.Replace(edited, "title: AWS Glue", "title: [AWS Glue", 1))
	waitJS(t, ctx, eval(`!!document.getElementById("lectern-error-overlay")`), "the error overlay")
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("lectern-error-overlay").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "content/glue.md:2") {
		t.Errorf("overlay text %q does not name content/glue.md:2", text)
	}
	if ok, _ := eval(`document.body.innerText.includes("Live reload marker one.")`)(); !ok {
		t.Error("the last good page is gone under the overlay")
	}

	// 3. Fix it: the overlay goes and the fixed text shows.
	saveAtomically(t, note, strings.Replace(edited, "marker one.", "marker two.", 1))
	waitJS(t, ctx, eval(`!document.getElementById("lectern-error-overlay") && document.body.innerText.includes("Live reload marker two.")`), "the fixed page without overlay")
}

// TestBrowserStylesheetSwap changes the theme's stylesheet: the page restyles without reloading.
func TestBrowserStylesheetSwap(t *testing.T) {
	ctx := browsertest.New(t, 120*time.Second)
	root := writeSite(t, smallSite())
	ts := newTestServer(t, Options{Root: root}, true)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.ts.URL+"/alpha/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the page's event stream", func() bool { return ts.Clients() == 1 })
	// A mark that a reload would wipe out.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.lecternNotReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "themes/static/css/zz-test.css"), "body{outline:3px solid rgb(1, 2, 3)}\n")
	waitJS(t, ctx, func() (bool, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)"`))
	}, "the new stylesheet")
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.lecternNotReloaded === true`)); err != nil || !ok {
		t.Errorf("the page reloaded for a stylesheet change (%v)", err)
	}
}
