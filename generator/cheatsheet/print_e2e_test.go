package cheatsheet_test

import (
	"context"
	"fmt"
	"github.com/lectern/lectern/generator/corpora"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/lectern/lectern/generator/browsertest"
	"github.com/lectern/lectern/generator/site"
)

// The end-to-end print test builds the sample notes (content/ at the project root) with site.Build,
// serves the output with httptest, and prints in headless Chromium:
//
//   - /cheatsheet/ with all bullets must fit on at most 4 A4 landscape pages, and with tip boxes and key
//     points only on 1; every page carries the running header (site title) and "Page N of M";
//   - the text of every tip box and key point of every note page (read from those pages in the browser)
//     must be in the PDF's text (extracted with pdftext_test.go), and visible in the sheet's DOM under
//     print media;
//   - under print media the sheet shows no navigation, search or buttons, expands no link into its URL
//     and sets no text smaller than 7.5pt;
//   - a note page printed shows no navigation, search, table of contents or buttons.
//
// Chromium prints CSS margin boxes (@top-left, @bottom-right) since version 131: the sheet's header and
// page numbers come from its own @page rule, as they would for a reader using the browser's Print, so the
// test passes no header or footer template to PrintToPDF.

// projectRoot is the folder holding go.mod, found by walking up from the package's folder.
func projectRoot(t testing.TB) string {
	t.Helper()
	root := corpora.ProjectRoot()
	if root == "" {
		t.Fatal("no go.mod above the test's folder")
	}
	return root
}

// buildSite copies a site's content/ (and lectern.yaml) to a temporary root, appends extraYAML to its
// configuration, builds it and serves the output. The server is closed when the test ends.
func buildSite(t *testing.T, root, extraYAML string) *httptest.Server {
	t.Helper()
	tmp := t.TempDir()
	if err := os.CopyFS(filepath.Join(tmp, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	yaml, err := os.ReadFile(filepath.Join(root, "lectern.yaml"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	yaml = append(yaml, "\n"+extraYAML...)
	if err := os.WriteFile(filepath.Join(tmp, "lectern.yaml"), yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(tmp, "public")
	if _, err := site.Build(site.Options{Root: tmp, Dest: dest}); err != nil {
		t.Fatalf("building %s: %v", root, err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	t.Cleanup(srv.Close)
	return srv
}

func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// media switches the page between screen ("") and print CSS.
func media(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// printPDF prints the current page the way a reader's browser would: paper size and margins from the
// page's @page rule.
func printPDF(t *testing.T, ctx context.Context) []pdfPage {
	t.Helper()
	data := run(t, ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	f, err := parsePDF(data)
	if err != nil {
		t.Fatalf("reading the printed PDF: %v", err)
	}
	pages := f.Pages()
	if len(pages) == 0 {
		t.Fatal("the printed PDF has no page")
	}
	return pages
}

// squash makes text from the DOM and from a PDF comparable: no whitespace (PDF text has spaces
// between runs, not between words), no case (print CSS may upper-case titles), ligatures spelled out.
func squash(s string) string {
	s = strings.NewReplacer("ﬀ", "ff", "ﬁ", "fi", "ﬂ", "fl", "ﬃ", "ffi", "ﬄ", "ffl", "ﬆ", "st").Replace(s)
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// hiddenJS lists the selectors, among those given, that match an element shown on the page.
const hiddenJS = `(sels => sels.filter(s => Array.from(document.querySelectorAll(s)).some(e => {
  const cs = getComputedStyle(e); return cs.display !== "none" && cs.visibility !== "hidden" && e.getClientRects().length > 0;
})))(%s)`

// noteTipsJS collects, on a note page, the text of every key point and the title and body text of every
// tip box, apart: the print layout runs a box's title into its first line, and a PDF need not hold the
// two in DOM order.
const noteTipsJS = `Array.from(document.querySelectorAll("main .tipbox, main .keypoint")).flatMap(e =>
  e.classList.contains("keypoint") ? [e.textContent] :
  Array.from(e.querySelectorAll(":scope > .tipbox-title, :scope > .tipbox-body")).map(p => p.textContent))`

func TestPrintSampleNotes(t *testing.T) {
	root := projectRoot(t)
	ctx := browsertest.New(t, 3*time.Minute)
	cases := []struct {
		name     string
		yaml     string
		maxPages int
	}{
		{"all bullets", "", 4},
		{"tips only", "cheatsheet:\n  content: tips\n", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := buildSite(t, root, c.yaml)
			run(t, ctx, chromedp.Steps(media(""), chromedp.Navigate(srv.URL+"/cheatsheet/")))
			title := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".site-title").textContent`))
			if shown := run(t, ctx, chromedp.Evaluate[[]string](fmt.Sprintf(hiddenJS, `[".cheatsheet-print", ".cheatsheet-toc"]`))); len(shown) != 2 {
				t.Errorf("on screen the sheet shows only %q of its Print button and list of notes", shown)
			}

			// What the notes' own pages show as tip boxes and key points.
			notes := run(t, ctx, chromedp.Evaluate[[]string](`Array.from(new Set([""].concat(Array.from(document.querySelectorAll(".sidebar a")).map(a => a.getAttribute("href").replace(/^\.\.\//, "")))))`))
			var want []string
			for _, u := range notes {
				run(t, ctx, chromedp.Navigate(srv.URL+"/"+u))
				want = append(want, run(t, ctx, chromedp.Evaluate[[]string](noteTipsJS))...)
			}
			if len(want) == 0 {
				t.Fatal("the sample notes show no tip box or key point: is the tip-box extension registered in the markdown stage?")
			}

			run(t, ctx, chromedp.Steps(chromedp.Navigate(srv.URL+"/cheatsheet/"), media("print")))
			shown := run(t, ctx, chromedp.Evaluate[[]string](fmt.Sprintf(hiddenJS,
				`[".site-header", ".sidebar", "nav", "form", "input", "button", ".toc", ".site-footer", ".cheatsheet-meta"]`)))
			if len(shown) > 0 {
				t.Errorf("printed, the sheet still shows %q", shown)
			}
			onSheet := run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".cheatsheet-notes .tipbox, .cheatsheet-notes .keypoint")).filter(e => {
				for (let n = e; n; n = n.parentElement) { const cs = getComputedStyle(n); if (cs.display === "none" || cs.visibility === "hidden") return false }
				return e.getClientRects().length > 0 }).map(e => e.textContent)`))
			visible := squash(strings.Join(onSheet, "\n"))
			for _, w := range want {
				if !strings.Contains(visible, squash(w)) {
					t.Errorf("printed, the sheet does not show the tip or key point %q", w)
				}
			}
			small := run(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".cheatsheet *")).filter(e =>
				Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length > 0 &&
				parseFloat(getComputedStyle(e).fontSize) < 9.99).map(e => e.tagName + ": " + e.textContent.slice(0, 40))`))
			if len(small) > 0 {
				t.Errorf("printed, text is set smaller than 7.5pt (10px): %q", small[:min(len(small), 5)])
			}
			expanded := run(t, ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll(".cheatsheet a")).filter(a => {
				const c = getComputedStyle(a, "::after").content; return c && c !== "none" && c !== "normal" }).length`))
			if expanded > 0 {
				t.Errorf("printed, %d links of the sheet are followed by generated text (their URL)", expanded)
			}
			cols := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".cheatsheet-notes")).columnCount`))
			if cols != "3" {
				t.Errorf("printed, the sheet has %s columns, want 3 (lectern.yaml default)", cols)
			}

			pages := printPDF(t, ctx)
			t.Logf("%s: %d page(s), %d texts of tip boxes and key points found", c.name, len(pages), len(want))
			if len(pages) > c.maxPages {
				t.Errorf("the sheet prints on %d pages, want at most %d", len(pages), c.maxPages)
			}
			var all strings.Builder
			for i, p := range pages {
				if math.Abs(p.Width-841.9) > 2 || math.Abs(p.Height-595.3) > 2 {
					t.Errorf("page %d is %.1f×%.1f pt, want A4 landscape (841.9×595.3)", i+1, p.Width, p.Height)
				}
				text := squash(p.Text)
				if !strings.Contains(text, squash(title)) || !strings.Contains(text, squash(fmt.Sprintf("Page %d of %d", i+1, len(pages)))) {
					t.Errorf("page %d lacks the running header %q or the footer %q", i+1, title, fmt.Sprintf("Page %d of %d", i+1, len(pages)))
				}
				all.WriteString(text)
			}
			pdfText := all.String()
			for _, w := range want {
				if !strings.Contains(pdfText, squash(w)) {
					t.Errorf("the printed sheet lacks the tip or key point %q", w)
				}
			}
		})
	}

	t.Run("note page", func(t *testing.T) {
		srv := buildSite(t, root, "")
		run(t, ctx, chromedp.Steps(media(""), chromedp.Navigate(srv.URL+"/glue/")))
		if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.site-header a[href$="cheatsheet/"]').length`)); n != 1 {
			t.Errorf("the note page's header has %d links to the cheat sheet, want 1", n)
		}
		// A reader in dark mode still prints black on white.
		run(t, ctx, chromedp.Evaluate[bool](`(document.documentElement.setAttribute("data-theme", "dark"), true)`))
		run(t, ctx, media("print"))
		if c := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).color + " on " + getComputedStyle(document.body).backgroundColor`)); c != "rgb(0, 0, 0) on rgb(255, 255, 255)" {
			t.Errorf("printed in dark mode, the note is %s, want black on white", c)
		}
		shown := run(t, ctx, chromedp.Evaluate[[]string](fmt.Sprintf(hiddenJS,
			`[".site-header", ".sidebar", "nav", "form", "input", "button", ".toc", ".site-footer", ".prevnext", ".anchor", ".theme-toggle"]`)))
		if len(shown) > 0 {
			t.Errorf("printed, a note page still shows %q", shown)
		}
		width := run(t, ctx, chromedp.Evaluate[float64](`document.querySelector("main").getBoundingClientRect().width / document.body.getBoundingClientRect().width`))
		if width < 0.95 {
			t.Errorf("printed, the note takes %.0f%% of the page width, want all of it", width*100)
		}
		pages := printPDF(t, ctx)
		var text strings.Builder
		for _, p := range pages {
			text.WriteString(squash(p.Text))
		}
		for _, absent := range []string{"Skip to content", "Cheat sheet", "Built with Lectern", "On this page"} {
			if strings.Contains(text.String(), squash(absent)) {
				t.Errorf("the printed note holds %q", absent)
			}
		}
		if !strings.Contains(text.String(), squash("AWS Glue")) {
			t.Error("the printed note lacks its title")
		}
	})

	t.Run("folded boxes print open", func(t *testing.T) {
		srv := buildSite(t, filepath.Join("testdata", "fixture"), "")
		run(t, ctx, chromedp.Steps(media(""), chromedp.Navigate(srv.URL+"/streams/shards/")))
		if open := run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("main details.tipbox").open`)); open {
			t.Fatal("the fixture's foldable box is open on screen; the test needs a folded one")
		}
		pages := printPDF(t, ctx)
		var text strings.Builder
		for _, p := range pages {
			text.WriteString(squash(p.Text))
		}
		if !strings.Contains(text.String(), squash("Splitting a shard closes it")) {
			t.Error("the printed note lacks the body of its folded box")
		}
		if open := run(t, ctx, chromedp.Evaluate[bool](`document.querySelector("main details.tipbox").open`)); open {
			t.Error("the folded box stays open after printing")
		}
	})
}
