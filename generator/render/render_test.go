package render

import (
	"bytes"
	"fmt"
	"html/template"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRootFor(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{"": "./", "glue/": "../", "a/b/": "../../", "404.html": "./"} {
		if got := RootFor(url); got != want {
			t.Errorf("RootFor(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestMediaType(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{"a/index.html": "text/html", "s.css": "text/css", "x.js": "application/javascript",
		"f.svg": "image/svg+xml", "sitemap.xml": "text/xml", "d.json": "application/json", "p.png": "", "r.pdf": ""} {
		if got := MediaType(path); got != want {
			t.Errorf("MediaType(%q) = %q, want %q", path, got, want)
		}
	}
}

// navSite is a folder of n notes plus two top-level notes.
func navSite(n int) *NavTree {
	pages := []NavEntry{{Title: "Home", URL: "", Dir: ".", IsIndex: true}, {Title: "A <b>", URL: "a/", Dir: "."}}
	for i := 0; i < n; i++ {
		pages = append(pages, NavEntry{Title: fmt.Sprintf("Page %03d", i), URL: fmt.Sprintf("big/p%03d/", i), Dir: "big"})
	}
	pages = append(pages, NavEntry{Title: "Z", URL: "z/", Dir: "."})
	return NewNavTree(pages, map[string]FolderInfo{"big": {Title: "Big", URL: "big/"}})
}

func TestNavViewSmallSiteListsEverything(t *testing.T) {
	t.Parallel()
	items := navSite(5).View("big/p002/", "../../", 300)
	if len(items) != 3 || items[1].Title != "Big" || len(items[1].Children) != 5 {
		t.Fatalf("top level = %+v", items)
	}
	if !items[1].Open || !items[1].Children[2].Current || items[1].Children[2].Href != "./" || items[1].Children[1].Href != "../p001/" {
		t.Errorf("current branch not open or current page not marked: %+v", items[1].Children[2])
	}
	other := navSite(5).View("z/", "../", 300)
	if other[1].Open || len(other[1].Children) != 5 {
		t.Errorf("a folder off the current branch is closed but still listed on small sites")
	}
}

func TestNavViewLargeSiteIsBounded(t *testing.T) {
	t.Parallel()
	tree := navSite(1000)
	in := tree.View("big/p500/", "../../", 300)
	if n := len(in[1].Children); n > 2*siblingWindow {
		t.Errorf("large folder shows %d entries, want at most %d", n, 2*siblingWindow)
	}
	found := false
	for _, c := range in[1].Children {
		found = found || c.Current
	}
	if !found {
		t.Error("the current page is not among the neighbours shown")
	}
	out := tree.View("z/", "../", 300)
	if len(out[1].Children) != 0 {
		t.Errorf("a folder off the current branch of a large site lists %d notes", len(out[1].Children))
	}
}

func TestWriteNavHTMLEscapes(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	WriteNavHTML(&b, navSite(2).View("a/", "../", 300))
	html := b.String()
	if !strings.Contains(html, `<a href="./" aria-current="page">A &lt;b></a>`) {
		t.Errorf("title not escaped or current page not marked: %s", html)
	}
	if !strings.Contains(html, `<details><summary><a href="../big/">Big</a></summary>`) {
		t.Errorf("folder markup: %s", html)
	}
}

func TestThemeOverrideAndErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "footer.html"), []byte(`{{define "footer"}}<footer>mine</footer>{{end}}`), 0o644)
	th, err := LoadTheme(dir, "", template.FuncMap{}, NewMinifier())
	if err != nil {
		t.Fatal(err)
	}
	if !th.Has("page") || !th.Has("home") {
		t.Error("built-in kinds missing")
	}
	var b bytes.Buffer
	data := &Data{Site: &SiteData{Title: "T"}, Page: &PageData{Kind: "page", Title: "P", URL: "p/"}, Root: "../"}
	if err := th.Execute(&b, "page", data); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<footer>mine</footer>") || !strings.Contains(b.String(), `class="site-header"`) {
		t.Errorf("override not applied, or the rest of the theme lost")
	}

	os.WriteFile(filepath.Join(dir, "templates", "broken.html"), []byte("{{define \"x\"}}\n{{if}}\n{{end}}"), 0o644)
	if _, err := LoadTheme(dir, "", template.FuncMap{}, NewMinifier()); err == nil || !strings.Contains(err.Error(), "templates/broken.html:2") {
		t.Errorf("err = %v, want one naming templates/broken.html:2", err)
	}
	os.Remove(filepath.Join(dir, "templates", "broken.html"))
	// Later files (by name) redefine earlier ones: this footer replaces footer.html's.
	os.WriteFile(filepath.Join(dir, "templates", "zz-footer.html"), []byte(`{{define "footer"}}{{template "nope"}}{{end}}`), 0o644)
	th, err = LoadTheme(dir, "", template.FuncMap{}, NewMinifier())
	if err != nil {
		t.Fatal(err)
	}
	if err := th.Execute(&b, "page", data); err == nil || !strings.Contains(err.Error(), `no such template "nope"`) {
		t.Errorf("err = %v, want the missing block named", err)
	}
}

func TestRelativeURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ from, to, want string }{
		{"", "", "./"},
		{"", "a/b/", "a/b/"},
		{"a/", "a/", "./"},
		{"a/", "", "../"},
		{"a/b/c/", "a/b/d/", "../d/"},
		{"a/b/c/", "a/b/", "../"},
		{"a/b/c/", "a/bc/", "../../bc/"},
		{"a/b/", "a/b/c/", "c/"},
		{"ab/", "a/", "../a/"},
		{"a/b/c/", "x/", "../../../x/"},
		{"a/b/c/", "a/b/c/#top", "#top"},
		{"404.html", "a/", "a/"},
		{"a/file.html", "a/b/", "b/"},
	} {
		if got := RelativeURL(c.from, c.to); got != c.want {
			t.Errorf("RelativeURL(%q, %q) = %q, want %q", c.from, c.to, got, c.want)
		}
		// resolved against the page, the link leads where root + to does
		if got, want := resolve(c.from, RelativeURL(c.from, c.to)), resolve(c.from, RootFor(c.from)+c.to); got != want {
			t.Errorf("RelativeURL(%q, %q) leads to %q, root-relative to %q", c.from, c.to, got, want)
		}
	}
}

// resolve is the root-relative URL a relative link on the page at from leads to.
func resolve(from, link string) string {
	u, _ := neturl.Parse("http://h/" + from)
	l, _ := neturl.Parse(link)
	return u.ResolveReference(l).String()
}

// WriteView writes what WriteNavHTML writes of View, for every page of small and large sites, seen from
// their own folder or from an absolute root (the 404 page's).
func TestWriteViewMatchesItems(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 3, 120} {
		tree := navSite(n)
		tree.Root = append(tree.Root, &NavNode{Title: `Odd "quoted" & <b>`, URL: `odd&"x"/`})
		tree.byURL[`odd&"x"/`] = tree.Root[len(tree.Root)-1]
		tree.count++
		urls := []string{"", "a/", "z/", "nowhere/", `odd&"x"/`}
		for i := 0; i < n; i++ {
			urls = append(urls, fmt.Sprintf("big/p%03d/", i))
		}
		for _, url := range urls {
			for _, root := range []string{RootFor(url), "/site/"} {
				for _, inline := range []int{300, 10} {
					var want, got strings.Builder
					WriteNavHTML(&want, tree.View(url, root, inline))
					tree.WriteView(&got, url, root, inline)
					if got.String() != want.String() {
						t.Fatalf("n=%d url=%q root=%q inline=%d:\n got %s\nwant %s", n, url, root, inline, got.String(), want.String())
					}
				}
			}
		}
	}
}
