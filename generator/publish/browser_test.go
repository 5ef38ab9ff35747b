package publish_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lectern/lectern/generator/browsertest"
	"github.com/lectern/lectern/generator/site"
)

// TestBrowserNotFoundPage opens missing URLs at several depths in Chromium, served as GitHub Pages serves
// them, and checks that the 404 page is styled and that its home link and search form lead into the site.
func TestBrowserNotFoundPage(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, 60*time.Second)
	dest := filepath.Join(t.TempDir(), "public")
	mux := http.NewServeMux()
	mux.Handle("/notes/", pagesHandler("/notes/", dest))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	siteURL := srv.URL + "/notes/"
	if _, err := site.Build(site.Options{Root: repoRoot(t), Dest: dest, BaseURL: siteURL}); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	const probe = `JSON.stringify({
		styled: Array.from(document.styleSheets).some(s => { try { return s.cssRules.length > 0 } catch (e) { return false } }),
		home: (document.querySelector("main a[href]") || {}).href || "",
		search: (document.querySelector("main form") || {}).action || "",
		title: document.title
	})`
	for _, missing := range []string{"nope", "a/b/c/d/", "glue/missing.html"} {
		if _, err := chromedp.Run(ctx, chromedp.Navigate(siteURL+missing)); err != nil {
			t.Fatalf("%s: %v", missing, err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](probe))
		if err != nil {
			t.Fatalf("%s: %v", missing, err)
		}
		var got struct {
			Styled       bool
			Home, Search string
			Title        string
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatalf("%s: %v (%s)", missing, err, raw)
		}
		if !strings.Contains(got.Title, "not found") || !got.Styled || got.Home != siteURL || got.Search != siteURL+"search/" {
			t.Errorf("%s: title %q, styled %v, home link %q, search form %q; want the 404 page, styled, linking to %s and %ssearch/",
				missing, got.Title, got.Styled, got.Home, got.Search, siteURL, siteURL)
		}
	}
}

// TestBrowserFromDisk opens a build without a base URL straight from disk (file://) and checks that every
// link of every page, as the page shows it once its script has run, names a file that exists: folder
// links must point at their index.html, since a browser shows a folder listing instead.
func TestBrowserFromDisk(t *testing.T) {
	t.Parallel()
	ctx := browsertest.New(t, 60*time.Second)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := site.Build(site.Options{Root: repoRoot(t), Dest: dest}); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	const links = `JSON.stringify(Array.from(document.querySelectorAll("a[href]")).map(a => a.href))`
	for _, page := range []string{"index.html", "glue/index.html", "services/index.html"} {
		if _, err := os.Stat(filepath.Join(dest, page)); err != nil {
			continue // a page of a stage this site does not use
		}
		if _, err := chromedp.Run(ctx, chromedp.Navigate("file://"+filepath.ToSlash(filepath.Join(dest, page)))); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](links))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		var hrefs []string
		if err := json.Unmarshal([]byte(raw), &hrefs); err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, h := range hrefs {
			u, err := url.Parse(h)
			if err != nil || u.Scheme != "file" {
				continue
			}
			st, err := os.Stat(u.Path)
			if err != nil || st.IsDir() {
				t.Errorf("%s: link %s does not open a file from disk", page, h)
			}
			checked++
		}
		if checked == 0 {
			t.Errorf("%s: no link checked", page)
		}
	}
}
