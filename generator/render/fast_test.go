package render

import (
	"bytes"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fastCases are pages of the kinds renderFast takes, with values that the template escapes and content
// whose first and last bytes sit next to the template's text.
func fastCases() []*PageData {
	content := []template.HTML{
		"",
		"<p>Plain   text\n with  spaces</p>\n",
		"  text first, <em>inline</em> last  ",
		"<pre><code>keep   this\n  indentation\n</code></pre>\n<p>after</p>",
		"<h1 id=\"t\">Title &amp; more</h1>\n<ul>\n<li>one</li>\n<li>two <a href=\"x/\">link</a></li>\n</ul>\n<table><tr><td> a </td></tr></table>",
		"<div class=\"tip\"><p>A &lt;tip&gt; with 'quotes' and \"doubles\"</p></div><script>var a = 1  +  2;</script>",
		"<img src=\"a.png\" alt=\"a  b\"> trailing text",
	}
	var out []*PageData
	for i, c := range content {
		for _, kind := range []string{"page", "list", "home"} {
			p := &PageData{Kind: kind, URL: "big/p001/", Title: `Q&A <"it's"> · 1`, Content: c,
				Description: "Desc with  two spaces & an <angle>", Canonical: "https://e.x/big/p001/",
				HasH1: i == 4, File: "content/x.md",
				TOC:    []TOCEntry{{Level: 2, ID: "a-b", Text: "A & B"}, {Level: 3, ID: "c", Text: "<c>"}},
				Prev:   &Link{URL: "big/p000/", Title: "Zero 'quoted'"},
				Next:   &Link{URL: "z/", Title: "Z"},
				Crumbs: []Link{{URL: "", Title: "Home"}, {URL: "big/", Title: "Big & co"}},
				Pages:  []Link{{URL: "a/", Title: "A", Description: "first  note"}, {URL: "z/", Title: "Z"}},
			}
			if kind == "home" {
				p.URL, p.Prev, p.Crumbs = "", nil, nil
			}
			out = append(out, p)
		}
	}
	return out
}

func testRenderer(t testing.TB, userDir string) *Renderer {
	t.Helper()
	mf := NewMinifier()
	th, err := LoadTheme(userDir, "", template.FuncMap{}, mf)
	if err != nil {
		t.Fatal(err)
	}
	return &Renderer{Theme: th, Min: mf, InlineMax: 300, Nav: navSite(3),
		Site: &SiteData{Title: `Notes & "more"`, Description: "Site  desc", Language: "en", CSS: "s.css", JS: "a.js",
			SearchEntry: "search/index.js", HasCheatsheet: true, HasServices: true}}
}

// TestFastPagesMinifyAsWholePages: a page rendered through the minified templates with its content
// minified alone is, once minified whole, the page the old way made (rendered, then minified whole). So
// the fast path changes at most whitespace next to actions and the escapes html/template writes, never
// what a browser shows.
func TestFastPagesMinifyAsWholePages(t *testing.T) {
	t.Parallel()
	user := t.TempDir()
	os.MkdirAll(filepath.Join(user, "templates"), 0o755)
	// A user's template with inline text next to actions, and the navigation as a template loop.
	os.WriteFile(filepath.Join(user, "templates", "sidebar.html"), []byte(`{{define "sidebar"}}<nav id="site-nav">
  <p>Pages of   {{.Site.Title}} :</p> {{template "nav-list" .Nav}}
</nav>{{end}}`), 0o644)
	for _, dir := range []string{"", user} {
		r := testRenderer(t, dir)
		if r.Theme.fast == nil {
			t.Fatalf("theme %q: no fast templates", dir)
		}
		var buf bytes.Buffer
		for _, p := range fastCases() {
			data := r.data(p, RootFor(p.URL))
			out, ok := r.renderFast(data)
			if !ok {
				t.Fatalf("theme %q: %s page not rendered by the fast path", dir, p.Kind)
			}
			fast := bytes.Clone(out.Bytes())
			r.Return(out)
			if bytes.Contains(fast, []byte("Plain   text")) || bytes.Contains(fast, []byte("1  +  2")) {
				t.Errorf("content not minified: %s", fast)
			}
			var raw bytes.Buffer
			if err := r.Theme.Execute(&raw, p.Kind, data); err != nil {
				t.Fatal(err)
			}
			whole := bytes.Clone(r.Min.Bytes(&buf, "text/html", raw.Bytes()))
			again := r.Min.Bytes(&buf, "text/html", fast)
			if !bytes.Equal(again, whole) {
				t.Errorf("theme %q, %s page with content %q:\nfast, minified: %s\nwhole:          %s", dir, p.Kind, p.Content, again, whole)
			}
			if len(fast) > len(whole)+len(whole)/20 {
				t.Errorf("fast page is %d bytes, the page minified whole %d", len(fast), len(whole))
			}
		}
	}
}

// TestFastPathFallsBack: a template error is reported at the line of the template as written, though the
// page would have been rendered from the minified text.
func TestFastPathFallsBack(t *testing.T) {
	t.Parallel()
	user := t.TempDir()
	os.MkdirAll(filepath.Join(user, "templates"), 0o755)
	os.WriteFile(filepath.Join(user, "templates", "footer.html"), []byte("{{define \"footer\"}}\n\n<footer>\n  {{.Page.Nope}}\n</footer>{{end}}"), 0o644)
	r := testRenderer(t, user)
	_, err := r.Page(fastCases()[1])
	if err == nil || !strings.Contains(err.Error(), "footer.html:4") {
		t.Errorf("err = %v, want one at footer.html:4", err)
	}
}

// PageLent lends the page Page returns, in a buffer that goes back with Return; pages rendered after a
// Return (which reuse the buffer, and the content and navigation buffers inside) are still whole. The
// slow path (a kind minified whole: the 404 page) is lent too.
func TestPageLentIsPage(t *testing.T) {
	r := testRenderer(t, "")
	cases := fastCases()
	cases = append(cases, &PageData{Kind: "404", URL: "404.html", Title: "Not found"})
	for round := 0; round < 2; round++ {
		for _, p := range cases {
			want, err := r.Page(p)
			if err != nil {
				t.Fatal(err)
			}
			buf, err := r.PageLent(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s page with content %q: lent\n%s\nwant\n%s", p.Kind, p.Content, buf.Bytes(), want)
			}
			r.Return(buf)
		}
	}
}
