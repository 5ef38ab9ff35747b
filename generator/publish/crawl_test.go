package publish_test

import (
	"encoding/xml"
	"github.com/lectern/lectern/generator/corpora"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/publish"
	"github.com/lectern/lectern/generator/site"
	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
)

// repoRoot is the folder holding go.mod: the sample notes live in its content/.
func repoRoot(t *testing.T) string {
	t.Helper()
	root := corpora.ProjectRoot()
	if root == "" {
		t.Fatal("no go.mod above the test's folder")
	}
	return root
}

// TestCrawlSampleNotes builds the sample notes for a sub-path and for the root, serves each build with a
// plain file server, follows every link from the home page and requests every link, asset, form target
// and search index script it finds: none may fail. It also checks what GitHub Pages needs beside the pages.
func TestCrawlSampleNotes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		prefix string // where the site is served
		base   bool   // built with --base-url
	}{
		{"under a sub-path with a base URL", "/notes/", true},
		{"at the root without a base URL", "/", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dest := filepath.Join(t.TempDir(), "public")
			mux := http.NewServeMux()
			mux.Handle(tc.prefix, http.StripPrefix(strings.TrimSuffix(tc.prefix, "/"), noListings(dest, http.FileServer(http.Dir(dest)))))
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			siteURL := srv.URL + tc.prefix
			opts := site.Options{Root: repoRoot(t), Dest: dest}
			if tc.base {
				opts.BaseURL = siteURL
			}
			res, err := site.Build(opts)
			if err != nil {
				t.Fatalf("build failed: %v", err)
			}
			for _, d := range res.Diagnostics {
				if strings.Contains(d.Msg, "broken") {
					t.Errorf("build reported %s", d.Error())
				}
			}

			c := newCrawler(t, srv.Client(), siteURL)
			c.crawl(siteURL)
			c.checkAnchors()
			t.Logf("crawled %d pages, fetched %d URLs, followed %d anchors", len(c.pages), len(c.fetched), len(c.anchors))
			if len(c.pages) < 2 {
				t.Fatalf("crawled %d pages; the home page links to no note", len(c.pages))
			}

			c.get(siteURL+".nojekyll", http.StatusOK)
			robots := c.get(siteURL+"robots.txt", http.StatusOK)
			if tc.base {
				if !strings.Contains(robots, "Sitemap: "+siteURL+"sitemap.xml") {
					t.Errorf("robots.txt does not name the sitemap:\n%s", robots)
				}
				c.checkSitemap(c.get(siteURL+"sitemap.xml", http.StatusOK))
				c.checkMeta(true)
			} else {
				if strings.Contains(robots, "Sitemap") {
					t.Errorf("robots.txt names a sitemap without a base URL:\n%s", robots)
				}
				c.get(siteURL+"sitemap.xml", http.StatusNotFound)
				c.checkMeta(false)
			}
			if _, err := os.Stat(filepath.Join(dest, "CNAME")); err == nil {
				t.Error("CNAME written though lectern.yaml names no custom domain")
			}
		})
	}
}

// TestNotFoundPageAtAnyDepth serves the build as GitHub Pages does, answering every missing URL with
// 404.html, and checks that the page works wherever it is shown: its stylesheet, script, home link and
// search form all resolve.
func TestNotFoundPageAtAnyDepth(t *testing.T) {
	t.Parallel()
	dest := filepath.Join(t.TempDir(), "public")
	mux := http.NewServeMux()
	mux.Handle("/notes/", pagesHandler("/notes/", dest))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	siteURL := srv.URL + "/notes/"
	if _, err := site.Build(site.Options{Root: repoRoot(t), Dest: dest, BaseURL: siteURL}); err != nil {
		t.Fatalf("build failed: %v", err)
	}
	for _, missing := range []string{"nope", "no/such/page/", "a/b/c/d/e.html", "glue/missing/"} {
		t.Run(missing, func(t *testing.T) {
			t.Parallel()
			c := newCrawler(t, srv.Client(), siteURL)
			u := siteURL + missing
			resp, err := c.client.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "Page not found") {
				t.Fatalf("GET %s: status %d, want 404 with the 404 page", u, resp.StatusCode)
			}
			scan := publish.ScanHTML(body)
			var home, style, form bool
			for _, r := range scan.Refs() {
				target := c.resolve(u, r)
				if target == "" || strings.HasPrefix(r.URL, "#") {
					continue // elsewhere, or this very page (which is missing, by design)
				}
				switch {
				case r.Tag == "a" && target == siteURL:
					home = true
				case r.Tag == "link" && strings.HasSuffix(target, ".css"):
					style = true
				case r.Tag == "form":
					form = true
				}
				c.get(target, http.StatusOK)
			}
			if !home || !style || !form {
				t.Errorf("404 page: link home %v, stylesheet %v, search form %v; want all three", home, style, form)
			}
		})
	}
}

// noListings answers 404 for a folder without index.html, where http.FileServer would list the folder
// (GitHub Pages and most hosts do not), so that a link to a missing page cannot pass as a listing.
func noListings(dir string, fs http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") && !fileExists(filepath.Join(dir, filepath.FromSlash(path.Clean(r.URL.Path)), "index.html")) {
			http.NotFound(w, r)
			return
		}
		fs.ServeHTTP(w, r)
	})
}

// pagesHandler serves dir under prefix like GitHub Pages: files as they are, folders by their
// index.html, and 404.html with status 404 for anything missing.
func pagesHandler(prefix, dir string) http.Handler {
	fs := http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dir)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rel := strings.TrimPrefix(r.URL.Path, prefix)
		p := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+rel)))
		if st, err := os.Stat(p); err == nil && (!st.IsDir() || fileExists(filepath.Join(p, "index.html"))) {
			fs.ServeHTTP(w, r)
			return
		}
		data, err := os.ReadFile(filepath.Join(dir, "404.html"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write(data)
	})
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// crawler follows a served site's links, keeping what it needs to check anchors, sitemap and meta tags.
type crawler struct {
	t       *testing.T
	client  *http.Client
	site    string                     // absolute URL of the site root, ending in "/"
	fetched map[string]int             // URL (no fragment) → status
	pages   map[string][]byte          // HTML pages crawled, by URL
	ids     map[string]map[string]bool // ids of each HTML page
	anchors []anchorRef
}

type anchorRef struct{ from, page, frag string }

func newCrawler(t *testing.T, client *http.Client, siteURL string) *crawler {
	return &crawler{t: t, client: client, site: siteURL, fetched: map[string]int{},
		pages: map[string][]byte{}, ids: map[string]map[string]bool{}}
}

// resolve turns a reference on the page at base into an absolute URL without fragment, recording the
// fragment for checkAnchors; "" for URLs that leave the site's host.
func (c *crawler) resolve(base string, r publish.Ref) string {
	b, _ := url.Parse(base)
	if r.RootRelative {
		b, _ = url.Parse(c.site)
	}
	u, err := b.Parse(r.URL)
	if err != nil {
		c.t.Errorf("%s: cannot parse %s %q: %v", base, r.Attr, r.URL, err)
		return ""
	}
	if u.Scheme != "http" || u.Host != b.Host {
		return ""
	}
	frag := u.Fragment
	u.Fragment, u.RawFragment, u.RawQuery = "", "", ""
	if frag != "" {
		c.anchors = append(c.anchors, anchorRef{base, u.String(), frag})
	}
	return u.String()
}

// get requests u once, expecting status; it returns the body.
func (c *crawler) get(u string, status int) string {
	c.t.Helper()
	resp, err := c.client.Get(u)
	if err != nil {
		c.t.Errorf("GET %s: %v", u, err)
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.t.Errorf("GET %s: status %d, want %d", u, resp.StatusCode, status)
	}
	return string(body)
}

// crawl fetches start and everything reachable from it, breadth first.
func (c *crawler) crawl(start string) {
	queue := []string{start}
	from := map[string]string{start: "(start)"}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if _, done := c.fetched[u]; done {
			continue
		}
		resp, err := c.client.Get(u)
		if err != nil {
			c.t.Errorf("GET %s (linked from %s): %v", u, from[u], err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		c.fetched[u] = resp.StatusCode
		if resp.StatusCode != http.StatusOK {
			c.t.Errorf("GET %s (linked from %s): status %d", u, from[u], resp.StatusCode)
			continue
		}
		final := resp.Request.URL.String() // after a folder redirect ("glue" → "glue/")
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		if !strings.HasPrefix(final, c.site) {
			c.t.Errorf("%s (linked from %s) leads outside the site to %s", u, from[u], final)
			continue
		}
		c.pages[final] = body
		scan := publish.ScanHTML(body)
		ids := map[string]bool{}
		for _, id := range scan.IDs() {
			ids[id] = true
		}
		c.ids[final] = ids
		if final != u {
			c.ids[u] = ids
		}
		for _, r := range scan.Refs() {
			target := c.resolve(final, r)
			if target == "" {
				continue
			}
			if !strings.HasPrefix(target, c.site) {
				c.t.Errorf("%s: %s %q leads outside the site (%s)", final, r.Attr, r.URL, target)
				continue
			}
			if _, ok := from[target]; !ok {
				from[target] = final
				queue = append(queue, target)
			}
		}
	}
}

// checkAnchors checks that every fragment followed names an element of its page.
func (c *crawler) checkAnchors() {
	for _, a := range c.anchors {
		ids, ok := c.ids[a.page]
		if !ok {
			continue // not HTML, or already reported as failing
		}
		frag, _ := url.PathUnescape(a.frag)
		if !ids[frag] && !ids[a.frag] && frag != "top" {
			c.t.Errorf("%s: link to %s#%s: no element has that id", a.from, a.page, a.frag)
		}
	}
}

// checkSitemap checks that the sitemap lists exactly the crawled pages, each by its absolute URL.
func (c *crawler) checkSitemap(data string) {
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(data), &sm); err != nil {
		c.t.Fatalf("sitemap.xml: %v\n%s", err, data)
	}
	var listed, crawled []string
	for _, u := range sm.URLs {
		listed = append(listed, u.Loc)
	}
	for u := range c.pages {
		crawled = append(crawled, u)
	}
	sort.Strings(listed)
	sort.Strings(crawled)
	if strings.Join(listed, "\n") != strings.Join(crawled, "\n") {
		c.t.Errorf("sitemap.xml lists\n  %s\nbut the crawl found\n  %s", strings.Join(listed, "\n  "), strings.Join(crawled, "\n  "))
	}
}

// checkMeta checks the canonical link and the Open Graph and Twitter tags of every crawled page: with a
// base URL, canonical and og:url are the page's own absolute URL; without one there are none.
func (c *crawler) checkMeta(withBase bool) {
	for u, body := range c.pages {
		m := headTags(body)
		if withBase {
			if m["canonical"] != u || m["og:url"] != u {
				c.t.Errorf("%s: canonical %q, og:url %q; want the page's own URL", u, m["canonical"], m["og:url"])
			}
		} else if m["canonical"] != "" || m["og:url"] != "" {
			c.t.Errorf("%s: canonical %q, og:url %q without a base URL", u, m["canonical"], m["og:url"])
		}
		for _, k := range []string{"og:title", "og:type", "og:site_name", "twitter:card", "twitter:title"} {
			if m[k] == "" {
				c.t.Errorf("%s: no %s meta tag", u, k)
			}
		}
		if m["description"] != "" && (m["og:description"] != m["description"] || m["twitter:description"] != m["description"]) {
			c.t.Errorf("%s: og/twitter descriptions differ from the description", u)
		}
	}
}

// headTags returns the canonical link and the meta tags of a page, by name or property.
func headTags(page []byte) map[string]string {
	out := map[string]string{}
	lx := htmllex.NewLexer(parse.NewInputBytes(page))
	var tag string
	attrs := map[string]string{}
	for {
		tt, _ := lx.Next()
		switch tt {
		case htmllex.ErrorToken:
			return out
		case htmllex.StartTagToken:
			tag = strings.ToLower(string(lx.Text()))
			clear(attrs)
		case htmllex.AttributeToken:
			v := string(lx.AttrVal())
			v = strings.Trim(v, `"'`)
			attrs[string(lx.AttrKey())] = v
		case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
			switch {
			case tag == "link" && attrs["rel"] == "canonical":
				out["canonical"] = attrs["href"]
			case tag == "meta" && attrs["name"] != "":
				out[attrs["name"]] = attrs["content"]
			case tag == "meta" && attrs["property"] != "":
				out[attrs["property"]] = attrs["content"]
			}
		}
	}
}
