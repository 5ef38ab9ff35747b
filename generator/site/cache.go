package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/publish"
	"github.com/lectern/lectern/generator/render"
	"github.com/lectern/lectern/generator/search"
)

// Cache carries work from one build to the next, so that the dev server rebuilds only what an edit
// changed: a note whose text, front matter and link targets are unchanged is not parsed again, and a page
// whose every template input is unchanged is not rendered or minified again. It decides by comparing
// inputs, never by trusting a list of changed files, so its output is always that of a full build.
//
// A Cache serves one site and one build at a time; the zero value is ready.
type Cache struct {
	mu      sync.Mutex
	notes   content.Cache         // notes as read from their files
	links   publish.CheckCache    // the output link check's resolutions
	search  search.Cache          // the search index's tokens, postings and files
	setting string                // configuration and theme the entries were made with
	docs    map[string]*cachedDoc // by note path under content/
	pages   map[string]cachedPage // by output path
	// structure is the structure key the cached pages were all made or checked with, when structureOK.
	structure   [32]byte
	structureOK bool
	theme       *render.Theme
	themeAt     string
	scans       map[string]cachedScan // link-check scans of written HTML, by output path
	catalog     *cachedCatalog
	// What is worked out from each parsed note alone: what the link check is told of it (pageSources),
	// its description (describe), its search index input (nameSearch) and the URLs of its search
	// results (requireSearchResults).
	sources perNote[*publish.Source]
	descs   perNote[string]
	docsFor perNote[[]search.Doc]
	results perNote[[]publish.Required]
	// linked holds each note condensed for the cheat sheet, with its service links.
	linked map[*markdown.Document]cachedSheetNote
	// bodies holds each parsed note's rendered content.
	bodies map[*markdown.Document]cachedBody
	// sheet holds notes condensed for the cheat sheet, by parsed note (a reused note is unchanged) and
	// the service homes its links were resolved with.
	sheet map[*markdown.Document]cachedSheetNote
}

// cachedBody is a note's rendered content, with what else rendering it gave.
type cachedBody struct {
	homes    string
	html     template.HTML
	services any
	sum      [32]byte // of html
}

func (c *Cache) body(d *markdown.Document, homes string) (cachedBody, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.bodies[d]
	return e, ok && e.homes == homes
}

func (c *Cache) putBody(d *markdown.Document, homes string, e cachedBody) {
	e.homes = homes
	c.mu.Lock()
	if c.bodies == nil {
		c.bodies = map[*markdown.Document]cachedBody{}
	}
	c.bodies[d] = e
	c.mu.Unlock()
}

type cachedSheetNote struct {
	homes string // or, for a condensed note in c.sheet, the cheat sheet options
	note  cheatsheet.Note
	sum   [32]byte // of a linked note, for the sheet's page key
}

// linkedSheetNote returns a note condensed for the cheat sheet with its service links, as linked with
// the same homes before. A nil Cache has nothing.
func (c *Cache) linkedSheetNote(d *markdown.Document, homes string) (cachedSheetNote, bool) {
	if c == nil {
		return cachedSheetNote{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.linked[d]
	return e, ok && e.homes == homes
}

func (c *Cache) putLinkedSheetNote(d *markdown.Document, homes string, e cachedSheetNote) {
	e.homes = homes
	c.mu.Lock()
	if c.linked == nil {
		c.linked = map[*markdown.Document]cachedSheetNote{}
	}
	c.linked[d] = e
	c.mu.Unlock()
}

func (c *Cache) sheetNote(d *markdown.Document, homes string) (cheatsheet.Note, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.sheet[d]
	return e.note, ok && e.homes == homes
}

func (c *Cache) putSheetNote(d *markdown.Document, homes string, n cheatsheet.Note) {
	c.mu.Lock()
	if c.sheet == nil {
		c.sheet = map[*markdown.Document]cachedSheetNote{}
	}
	c.sheet[d] = cachedSheetNote{homes: homes, note: n}
	c.mu.Unlock()
}

// cachedCatalog is a loaded service catalog and its matcher, kept while the file is unchanged.
type cachedCatalog struct {
	data    []byte
	lower   *bool
	cat     *catalog.Catalog
	matcher *crosslink.Matcher
	diags   []diag.Diagnostic
}

func (c *Cache) cachedCatalog(data []byte, lower *bool) *cachedCatalog {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.catalog
	if e == nil || !bytes.Equal(e.data, data) || (e.lower == nil) != (lower == nil) || lower != nil && *lower != *e.lower {
		return nil
	}
	return e
}

func (c *Cache) putCatalog(e *cachedCatalog) {
	c.mu.Lock()
	c.catalog = e
	c.mu.Unlock()
}

type cachedScan struct {
	data []byte
	scan *publish.Scan
}

// scan returns the link checker's scan of an output file, reusing the last one when the file is unchanged.
func (c *Cache) scan(rel string, data []byte) *publish.Scan {
	if !strings.HasSuffix(rel, ".html") {
		return nil
	}
	c.mu.Lock()
	e, ok := c.scans[rel]
	c.mu.Unlock()
	if ok && bytes.Equal(e.data, data) {
		return e.scan
	}
	s := publish.ScanHTML(data)
	c.mu.Lock()
	if c.scans == nil {
		c.scans = map[string]cachedScan{}
	}
	c.scans[rel] = cachedScan{data, s}
	c.mu.Unlock()
	return s
}

// SearchPlaceholder stands for the search index's entry file in the pages of a build with a Cache (see
// Result.Finish).
const SearchPlaceholder = "search/lectern-search-entry-placeholder.js"

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

// cachedPage is a rendered page and the keys of what it was rendered from (see renderPage).
type cachedPage struct {
	key  [32]byte // pageKey: the page's own data and the site's
	tree [32]byte // the whole navigation tree it was rendered with
	view [32]byte // the navigation as the page shows it
	html []byte
	doc  *markdown.Document // the note it was made from, nil for a generated page (see unchangedPage)
}

// prune drops the entries the build just finished did not use: notes since edited or removed, and
// pages and files no longer written, so that the cache stays the size of the site over any number of
// edits.
func (c *Cache) prune(docs []*markdown.Document, written map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	live := make(map[*markdown.Document]bool, len(docs))
	for _, d := range docs {
		live[d] = true
	}
	dropDead(c.bodies, live)
	for rel, e := range c.docs {
		if !live[e.doc] {
			delete(c.docs, rel)
		}
	}
	dropDead(c.sheet, live)
	dropDead(c.linked, live)
	c.sources.keep(live)
	c.descs.keep(live)
	c.docsFor.keep(live)
	c.results.keep(live)
	for rel := range c.pages {
		if !written[rel] {
			delete(c.pages, rel)
		}
	}
	for rel := range c.scans {
		if !written[rel] {
			delete(c.scans, rel)
		}
	}
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
		c.sheet = nil
		c.bodies, c.linked = nil, nil
		c.sources.clear()
		c.descs.clear()
		c.docsFor.clear()
		c.results.clear()
		c.structureOK = false
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

// structureIs reports whether the cached pages were made with this structure key (see structureKey).
func (c *Cache) structureIs(k [32]byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.structureOK && c.structure == k
}

func (c *Cache) setStructure(k [32]byte, ok bool) {
	c.mu.Lock()
	c.structure, c.structureOK = k, ok
	c.mu.Unlock()
}

func (c *Cache) page(path string) (cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pages[path]
	return e, ok
}

func (c *Cache) putPage(path string, e cachedPage) {
	c.mu.Lock()
	c.pages[path] = e
	c.mu.Unlock()
}

// settingKey identifies everything that reaches into every page: the configuration and the theme's
// bundles and templates. The service catalog is part of it too: every note's mentions were found with
// its matcher.
func settingKey(cfg config.Config, theme *render.Theme, opts Options, catalogData []byte) string {
	sum := sha256.Sum256(catalogData)
	b, _ := json.Marshal(struct {
		Cfg       config.Config
		CSS, JS   string
		Drafts    bool
		Templates string
		Catalog   []byte
	}{cfg, theme.CSS.Path, theme.JS.Path, opts.Drafts, theme.Signature(), sum[:]})
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
