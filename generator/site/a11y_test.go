package site

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lectern/lectern/generator/browsertest"
)

// axePath finds axe-core's axe.min.js: $LECTERN_AXE, or an npm install made by .ci/run.
func axePath(t *testing.T) string {
	for _, p := range []string{os.Getenv("LECTERN_AXE"), "/tmp/axe/node_modules/axe-core/axe.min.js", "../../node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("axe-core not found: CI must install it (npm install --prefix /tmp/axe axe-core)")
	}
	t.Skip("axe-core not found; run: npm install --prefix /tmp/axe axe-core")
	return ""
}

// TestAccessibility runs axe-core in headless Chromium on the home page, a note, the search page, a
// service page and the cheat sheet of the sample notes, in light and dark mode, and expects no violations.
func TestAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	axe, err := os.ReadFile(axePath(t))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if _, err := Build(Options{Root: "../..", Dest: filepath.Join(root, "public")}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(root, "public"))))
	defer srv.Close()
	ctx := browsertest.New(t, 120*time.Second)
	pages := []string{"/", "/lambda/", "/glue/", "/search/?q=glue", "/services/", "/services/redshift/", "/cheatsheet/"}
	for _, theme := range []string{"light", "dark"} {
		for _, p := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p)); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			set := `document.documentElement.setAttribute("data-theme", "` + theme + `"); true`
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](set)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe))); err != nil {
				t.Fatalf("loading axe: %v", err)
			}
			out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}))))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: axe.run: %v", p, err)
			}
			var violations []map[string]any
			json.Unmarshal([]byte(out), &violations)
			if len(violations) > 0 {
				b, _ := json.MarshalIndent(violations, "", "  ")
				t.Errorf("%s (%s mode): %d axe violations:\n%s", p, theme, len(violations), strings.TrimSpace(string(b)))
			}
		}
	}
}
