package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/publish"
	"github.com/lectern/lectern/generator/render"
)

// Cache carries work from one build to the next, so that the dev server rebuilds only what an edit
// changed: a note whose text, front matter and link targets are unchanged is not parsed again, and a page
// whose every template input is unchanged is not rendered or minified again. It decides by comparing
// inputs, never by trusting a list of changed files, so its output is always that of a full build.
//
// A Cache serves one site and one build at a time; the zero value is ready.
type Cache struct {
	mu      sync.Mutex
	setting string                // configuration and theme the entries were made with
	docs    map[string]*cachedDoc // by note path under content/
	pages   map[string]cachedPage // by output path
	theme   *render.Theme
	themeAt string
	scans   map[string]cachedScan // link-check scans of written HTML, by output path
}

type cachedScan struct {
	sum  [32]byte
	scan *publish.Scan
}

// scan returns the link checker's scan of an output file, reusing the last one when the file is unchanged.
func (c *Cache) scan(rel string, data []byte) *publish.Scan {
	if !strings.HasSuffix(rel, ".html") {
		return nil
	}
	sum := sha256.Sum256(data)
	c.mu.Lock()
	e, ok := c.scans[rel]
	c.mu.Unlock()
	if ok && e.sum == sum {
		return e.scan
	}
	s := publish.ScanHTML(data)
	c.mu.Lock()
	if c.scans == nil {
		c.scans = map[string]cachedScan{}
	}
	c.scans[rel] = cachedScan{sum, s}
	c.mu.Unlock()
	return s
}

// searchPlaceholder stands for the search index's name in cached pages (see renderPage).
const searchPlaceholder = "search/lectern-search-entry-placeholder.js"

// cachedTheme returns the theme loaded from the same files before.
func (c *Cache) cachedTheme(key string) *render.Theme {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.theme != nil && c.themeAt == key {
		return c.theme
	}
	return nil
}

func (c *Cache) putTheme(key string, t *render.Theme) {
	c.mu.Lock()
	c.theme, c.themeAt = t, key
	c.mu.Unlock()
}

// themeKey hashes the site's own theme folder (names and contents); the built-in theme never changes
// while the program runs.
func themeKey(dir string) string {
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		data, _ := os.ReadFile(p)
		h.Write([]byte(p + "\x00"))
		h.Write(data)
		return nil
	})
	return string(h.Sum(nil))
}

type cachedDoc struct {
	body    []byte
	front   content.FrontMatter
	targets string
	doc     *markdown.Document
}

type cachedPage struct {
	key  [32]byte
	html []byte
}

// reset drops every entry when the configuration, theme or set of link targets changed: those reach
// into every page.
func (c *Cache) reset(setting string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.setting != setting || c.docs == nil {
		c.setting = setting
		c.docs = map[string]*cachedDoc{}
		c.pages = map[string]cachedPage{}
	}
}

// doc returns the parsed note for p if nothing it was parsed from has changed.
func (c *Cache) doc(p *content.Page, targets string) *markdown.Document {
	c.mu.Lock()
	e := c.docs[p.Rel]
	c.mu.Unlock()
	if e == nil || e.targets != targets || !bytes.Equal(e.body, p.Body) || !reflect.DeepEqual(e.front, p.Front) {
		return nil
	}
	e.doc.Page = p
	return e.doc
}

func (c *Cache) putDoc(p *content.Page, targets string, d *markdown.Document) {
	c.mu.Lock()
	c.docs[p.Rel] = &cachedDoc{body: p.Body, front: p.Front, targets: targets, doc: d}
	c.mu.Unlock()
}

// page returns the HTML of a page rendered before from the same inputs.
func (c *Cache) page(path string, key [32]byte) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pages[path]
	return e.html, ok && e.key == key
}

func (c *Cache) putPage(path string, key [32]byte, html []byte) {
	c.mu.Lock()
	c.pages[path] = cachedPage{key: key, html: html}
	c.mu.Unlock()
}

// settingKey identifies everything that reaches into every page: the configuration and the theme's
// bundles (a template change changes nothing here, so templates are part of the page key instead).
func settingKey(cfg config.Config, theme *render.Theme, opts Options) string {
	b, _ := json.Marshal(struct {
		Cfg       config.Config
		CSS, JS   string
		Drafts    bool
		DevScript string
		Templates string
	}{cfg, theme.CSS.Path, theme.JS.Path, opts.Drafts, string(opts.DevScript), theme.Signature()})
	return string(b)
}

// targetsKey identifies the set of pages and files links may point at: a note's parsed links depend on it.
func targetsKey(site *content.Site) string {
	h := sha256.New()
	for _, p := range site.Pages {
		h.Write([]byte(p.Rel + "\x00" + p.URL + "\x00"))
	}
	for _, a := range site.Assets {
		h.Write([]byte(a.Rel + "\x00"))
	}
	for _, d := range site.Drafts {
		h.Write([]byte("draft:" + d + "\x00"))
	}
	return string(h.Sum(nil))
}

// pageKey hashes every input of a rendered page: its data and the navigation it shows.
func pageKey(p *render.PageData, site *render.SiteData, nav *render.NavTree, inlineMax int) [32]byte {
	h := sha256.New()
	enc := json.NewEncoder(h)
	enc.Encode(p)
	enc.Encode(site)
	if nav != nil && !p.NoNav {
		enc.Encode(nav.View(p.URL, render.RootFor(p.URL), inlineMax))
	}
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}
