package crosslink

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/lectern/lectern/generator/browsertest"
)

// TestServiceCardInBrowser loads a rendered page with the theme's services.css and servicecard.js in
// headless Chromium and checks the card: it opens on keyboard focus and on hover with the summary, docs
// and service-page links, Tab moves into it, Escape closes it and returns focus to the link.
func TestServiceCardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	ctx := browsertest.New(t, 60*time.Second)
	md := newMarkdown(NewMatcher(testCatalog(t)))
	p := parse(md, "# Page\n\nFirst load data into Redshift with COPY, then query it.\n\nLater, Lambda runs code.\n")
	Resolve(p.doc, "notes/page/", nil, FirstPerSection, nil)
	theme := filepath.Join("..", "..", "themes", "default", "static")
	css, err := os.ReadFile(filepath.Join(theme, "css", "services.css"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(theme, "js", "servicecard.js"))
	if err != nil {
		t.Fatal(err)
	}
	html := `<!doctype html><html data-root="../../"><head><meta charset="utf-8"><style>:root{--fg:#111;--bg:#fff;--muted:#555;--border:#ccc;--accent:#05c}` +
		string(css) + `</style><script defer>` + string(js) + `</script></head><body><main>` + p.render(t, md) + `</main></body></html>`
	dir := t.TempDir()
	path := filepath.Join(dir, "page.html")
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	do := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	// A headless window never has system focus, so focus events would not fire without this.
	do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	do(chromedp.Navigate("file://" + path))
	do(chromedp.WaitReady(chromedp.CSS(`a[data-service="redshift"]`)))
	if got := eval(`document.querySelector('a[data-service="redshift"]').title`); got != "Data warehouse." {
		t.Errorf("title before any interaction = %q, want the summary (the no-JS fallback)", got)
	}

	// Keyboard: focus opens the card; Tab enters it; Escape closes it and returns focus.
	do(chromedp.Focus(chromedp.CSS(`a[data-service="redshift"]`)))
	do(chromedp.WaitVisible(chromedp.CSS(".service-card")))
	if got := eval(`document.querySelector(".service-card").textContent`); !strings.Contains(got, "Amazon Redshift") || !strings.Contains(got, "Data warehouse.") {
		t.Errorf("card text %q lacks name or summary", got)
	}
	if got := eval(`document.querySelector(".service-card-docs").getAttribute("href")`); got != "https://docs.aws.amazon.com/redshift/" {
		t.Errorf("docs link %q", got)
	}
	if got := eval(`document.querySelector(".service-card-page").getAttribute("href")`); got != "../../services/redshift/" {
		t.Errorf("service page link %q", got)
	}
	if got := eval(`document.querySelector('a[data-service="redshift"]').getAttribute("title") || ""`); got != "" {
		t.Errorf("title %q still set while the card shows (double tooltip)", got)
	}
	if got := eval(`document.getElementById(document.querySelector('a[data-service="redshift"]').getAttribute("aria-describedby")).textContent`); got != "Data warehouse." {
		t.Errorf("aria-describedby points at %q, want the summary", got)
	}
	do(chromedp.KeyEvent(kb.Tab))
	if got := eval(`document.activeElement.className`); got != "service-card-docs" {
		t.Errorf("Tab from the link focused %q, want the card's docs link", got)
	}
	do(chromedp.KeyEvent(kb.Escape))
	do(chromedp.Sleep(50 * time.Millisecond))
	if n := eval(`String(document.querySelectorAll(".service-card").length)`); n != "0" {
		t.Errorf("%s cards after Escape", n)
	}
	if got := eval(`document.activeElement.getAttribute("data-service") || ""`); got != "redshift" {
		t.Errorf("focus after Escape on %q, want the Redshift link", got)
	}

	// Pointer: hovering another link opens its card, moving away closes it.
	do(chromedp.Blur(chromedp.CSS(`a[data-service="redshift"]`)))
	xy := eval(`(function(){var r=document.querySelector('a[data-service="lambda"]').getBoundingClientRect();return (r.left+r.width/2)+","+(r.top+r.height/2)})()`)
	var x, y float64
	if _, err := fmt.Sscanf(xy, "%g,%g", &x, &y); err != nil {
		t.Fatal(err)
	}
	do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
	do(chromedp.WaitVisible(chromedp.CSS(`.service-card[aria-label="AWS Lambda"]`)))
	do(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 5, 5))
	do(chromedp.WaitNotPresent(chromedp.CSS(".service-card")))
}
