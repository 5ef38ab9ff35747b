package site

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/lectern/lectern/generator/browsertest"
)

// TestSearchInBrowser types a misspelt query into the header search box of the built sample notes, over
// HTTP and from file://, and follows the first result with the keyboard to the right page and anchor.
func TestSearchInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	root := t.TempDir()
	public := filepath.Join(root, "public")
	if _, err := Build(Options{Root: "../..", Dest: public}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(public)))
	defer srv.Close()
	ctx := browsertest.New(t, 90*time.Second)

	cases := []struct {
		name, start, query, wantPath, wantHash string
	}{
		// "kinesys" and "bookmarcs" are typos: one edit each.
		{"http typo", srv.URL + "/glue/", "lambda kinesys", "/lambda/", "#lambda-kinesis"},
		{"http acronym", srv.URL + "/", "elastic mapreduce storage", "/emr/", "#emr-storage"},
		{"file typo", "file://" + filepath.ToSlash(public) + "/index.html", "bookmarcs", "/glue/", "#development-endpoints-running-etl-jobs-with-bookmarks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := chromedp.Do(ctx,
				chromedp.Navigate(c.start),
				chromedp.WaitVisible("#lectern-search-input"),
				chromedp.Click("#lectern-search-input"),
				chromedp.SendKeys("#lectern-search-input", c.query),
				chromedp.WaitVisible(`#lectern-search-listbox [role="option"]`),
			)
			if err != nil {
				t.Fatalf("typing %q: %v", c.query, err)
			}
			first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var o=document.querySelector('#lectern-search-listbox [role="option"]');var a=o&&(o.querySelector('a')||o.closest('a'));return (a?a.getAttribute('href'):'')+' | '+(o?o.textContent:'')})()`))
			if err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter)); err != nil {
				t.Fatal(err)
			}
			var loc string
			deadline := time.Now().Add(10 * time.Second)
			for time.Now().Before(deadline) {
				loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.hash`))
				if strings.Contains(loc, c.wantHash) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			path := strings.TrimSuffix(strings.SplitN(loc, "#", 2)[0], "index.html")
			if !strings.HasSuffix(path, c.wantPath) || !strings.HasSuffix(loc, c.wantHash) {
				t.Errorf("query %q led to %q, want %s%s (first result: %s)", c.query, loc, c.wantPath, c.wantHash, first)
			}
			marks := 0
			for deadline := time.Now().Add(5 * time.Second); marks == 0 && time.Now().Before(deadline); {
				marks, _ = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main mark').length`))
				time.Sleep(100 * time.Millisecond)
			}
			if marks == 0 {
				search, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
				t.Errorf("no matched words highlighted on %s (query %q)", loc, search)
			}
		})
	}
}
