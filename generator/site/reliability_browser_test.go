package site

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lectern/lectern/generator/browsertest"
)

// trap is markup that sets window.__xss if a browser ever runs it.
const trap = `<img src=nowhere.png onerror="window.__xss=(window.__xss||0)+1">`

// TestEscapingInBrowser opens every page of a site whose titles, descriptions, aliases, headings, text
// and service summary carry a trap, in headless Chromium, and types a query that finds them into the
// search box: the trap must never run, on the pages or in the search results (which search.js inserts
// as text).
func TestEscapingInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	t.Parallel()
	files := map[string]string{
		"lectern.yaml":     "title: 'Site " + trap + "'\nraw_html: false\n",
		"content/index.md": "---\ntitle: 'Home " + trap + "'\ndescription: 'Desc " + trap + "'\n---\n# Welcome\n\nTrapdoor notes about Evil Service.\n",
		"content/trapdoor.md": "---\ntitle: 'Trapdoor " + trap + "'\naliases: ['trapdoor alias " + trap + "']\n---\n# Trapdoor " + trap + "\n\n" +
			"Trapdoor text: " + strings.ReplaceAll(strings.ReplaceAll(trap, "<", "&lt;"), ">", "&gt;") + " and Evil Service.\n\n## Trapdoor heading " + trap + "\n\nMore trapdoor text.\n",
		"content/_services.yaml": "services:\n  evil:\n    name: Evil Service\n    summary: 'Trapdoor summary " + trap + "'\n    docs: https://example.com/\n    category: Other\n",
	}
	root := t.TempDir()
	writeFiles(t, root, sortedNames(files), files)
	dest := filepath.Join(root, "public")
	if _, err := Build(Options{Root: root, Dest: dest}); err != nil {
		t.Fatalf("build: %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	defer srv.Close()
	ctx := browsertest.New(t, 120*time.Second)

	pages := []string{"/", "/trapdoor/", "/services/", "/services/evil/", "/cheatsheet/", "/search/?q=trapdoor", "/404.html"}
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p), chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		ran, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__xss || 0`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if ran != 0 {
			t.Errorf("%s: the trap ran %d times", p, ran)
		}
		imgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('img[onerror]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if imgs != 0 {
			t.Errorf("%s: %d trap images in the page", p, imgs)
		}
	}

	// The search box: type a query that finds every trap and wait for the results.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/trapdoor/")); err != nil {
		t.Fatal(err)
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('input[role="combobox"]')`))
	if err != nil {
		t.Fatal(err)
	}
	if !box {
		t.Skip("this theme has no search box with results yet; the pages above were checked")
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(`input[role="combobox"]`, "trapdoor")); err != nil {
		t.Fatal(err)
	}
	var options int
	for i := 0; i < 50 && options == 0; i++ {
		time.Sleep(100 * time.Millisecond)
		options, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[role="listbox"] [role="option"]').length`))
		if err != nil {
			t.Fatal(err)
		}
	}
	if options == 0 {
		t.Fatalf("the search box showed no results for \"trapdoor\"")
	}
	ran, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__xss || 0`))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('[role="listbox"]').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if ran != 0 || !strings.Contains(text, "onerror") {
		t.Errorf("search results: the trap ran %d times; results text %q should show it as text", ran, text)
	}
}
