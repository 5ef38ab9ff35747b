package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
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
// What is worked out from one parsed note alone is kept on the note's entry (cachedDoc), not in maps of
// its own: a reused note finds it there without a lookup, and it goes when the entry goes.
//
// A Cache serves one site and one build at a time; the zero value is ready.
type Cache struct {
	mu      sync.Mutex
	notes   content.Cache         // notes as read from their files
	links   publish.CheckCache    // the output link check's resolutions
	search  search.Cache          // the search index's tokens, postings and files
	setting string                // configuration and theme the entries were made with
	docs    map[string]*cachedDoc // by note path under content/
	// outputs holds what is known of each HTML file written: its rendered page and its link-check scan.
	outputs map[string]*cachedOutput // by output path
	// gen numbers the builds; an entry the running build uses carries its number, so that prune need
	// look no further than a count to see that nothing died (see prune).
	gen     uint64
	stamped int // outputs carrying gen
	// shape is what follows from the notes' paths and URLs alone, kept while they are unchanged.
	shape *siteShape
	// structure is the structure key the cached pages were all made or checked with, when structureOK.
	structure   [32]byte
	structureOK bool
	// lent is the part of the structure key that other notes lend a page, and what it was made from.
	lent    *lentKey
	theme   *render.Theme
	themeAt string
	catalog *cachedCatalog
	// keys are the keys entries are compared by (service homes, cheat sheet options), as last made.
	keys map[string]string
}

// intern returns the copy of key the Cache holds, so that every entry made with it holds the same
// string: comparing an entry's key with this build's then stops at the pointers instead of reading
// the whole of a key as long as the service homes' JSON, once per note. It holds a few keys; past
// that, it starts again.
func (c *Cache) intern(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.keys[key]; ok {
		return k
	}
	if c.keys == nil || len(c.keys) > 8 {
		c.keys = map[string]string{}
	}
	c.keys[key] = key
	return key
}

// cachedDoc is a parsed note and what was worked out from it alone: a reused note is the very same
// *markdown.Document, so each value holds for as long as the entry does. Its fields are written by the
// one goroutine handling the note in a stage; stages follow one another.
type cachedDoc struct {
	rel     string
	body    []byte
	front   content.FrontMatter
	targets string
	doc     *markdown.Document
	gen     uint64 // the last build that used the note

	desc       *string            // describe
	search     []search.Doc       // searchDocs, when searched
	searched   bool               //
	results    []publish.Required // searchResults, when resulted
	resulted   bool               //
	source     *publish.Source    // sourceOf: the link check knows a note's source by pointer
	rendered   *cachedBody        // the note's content, linked (noteBody)
	sheet      *cachedSheetNote   // condensed for the cheat sheet, by its options
	linked     *cachedSheetNote   // condensed and linked, by the service homes
	linksCheck *linkCheck         // checkLinks' findings
}

// cachedBody is a note's rendered content, with what else rendering it gave.
type cachedBody struct {
	homes    string
	html     template.HTML
	services any
	sum      [32]byte // of html
}

type cachedSheetNote struct {
	homes string // or, for a condensed note in cachedDoc.sheet, the cheat sheet options
	note  cheatsheet.Note
	sum   [32]byte // of a linked note, for the sheet's page key
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

// cachedOutput is what the Cache knows of one HTML file written: the page rendered for it, if a page
// was, and the link checker's scan of the bytes last written. An entry is used by one goroutine in a
// build (one file is written once), but its fields are read and set under Cache.mu all the same.
type cachedOutput struct {
	rel  string
	url  string // the page's URL, when found by position (see outputAt)
	gen  uint64
	page cachedPage // html nil when no page was rendered for this path
	data []byte     // the bytes scanned
	scan *publish.Scan
}

// output returns the entry of an HTML file about to be written, made if need be, and marks it used by
// this build (see prune).
func (c *Cache) output(rel string) *cachedOutput {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.outputs[rel]
	if e == nil {
		if c.outputs == nil {
			c.outputs = map[string]*cachedOutput{}
		}
		e = &cachedOutput{rel: rel}
		c.outputs[rel] = e
	}
	c.stampLocked(e)
	return e
}

// outputAt is output for the page at position i of the reading order, which the shape keeps while the
// notes' paths are unchanged: a page then finds its entry without building its path or a lookup.
func (c *Cache) outputAt(outs []*cachedOutput, i int, url string) *cachedOutput {
	if e := outs[i]; e != nil && e.url == url { // the very string, while the notes' paths are unchanged
		c.mu.Lock()
		c.stampLocked(e)
		c.mu.Unlock()
		return e
	}
	e := c.output(outPath(url))
	c.mu.Lock()
	e.url = url
	c.mu.Unlock()
	outs[i] = e
	return e
}

// stampLocked marks e used by this build. The caller holds c.mu.
func (c *Cache) stampLocked(e *cachedOutput) {
	if e.gen != c.gen {
		e.gen = c.gen
		c.stamped++
	}
}

// page returns the page last rendered for e.
func (c *Cache) page(e *cachedOutput) cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.page
}

func (c *Cache) putPage(e *cachedOutput, p cachedPage) {
	c.mu.Lock()
	e.page = p
	c.mu.Unlock()
}

// scan returns the link checker's scan of the bytes written for e, reusing the last one when they are
// unchanged.
func (c *Cache) scan(e *cachedOutput, data []byte) *publish.Scan {
	c.mu.Lock()
	old, s := e.data, e.scan
	c.mu.Unlock()
	if s != nil && bytes.Equal(old, data) {
		return s
	}
	s = publish.ScanHTML(data)
	c.mu.Lock()
	e.data, e.scan = data, s
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

// cachedPage is a rendered page and the keys of what it was rendered from (see renderPage).
type cachedPage struct {
	key  [32]byte // pageKey: the page's own data and the site's
	tree [32]byte // the whole navigation tree it was rendered with
	view [32]byte // the navigation as the page shows it
	html []byte
	doc  *markdown.Document // the note it was made from, nil for a generated page (see unchangedPage)
}

// prune drops the entries the build just finished did not use: notes since edited or removed, and
// files no longer written, so that the cache stays the size of the site over any number of edits.
// usedDocs is the number of note entries the build used. An entry the build used carries its number
// (gen), so when the counts match the maps' sizes nothing died and nothing is looked at: after most
// edits only the edited note's entry was replaced, which took its values with it.
func (c *Cache) prune(usedDocs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.docs) != usedDocs {
		for rel, e := range c.docs {
			if e.gen != c.gen {
				delete(c.docs, rel)
			}
		}
	}
	if len(c.outputs) != c.stamped {
		for rel, e := range c.outputs {
			if e.gen != c.gen {
				delete(c.outputs, rel)
			}
		}
		if c.shape != nil {
			c.shape.outs = nil // it may hold an entry just dropped
		}
	}
}

// begin starts a build: it numbers it, and drops every entry when the configuration, theme or service
// catalog changed, since those reach into every page.
func (c *Cache) begin(setting string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.stamped = 0
	if c.setting != setting || c.docs == nil {
		c.setting = setting
		c.docs = map[string]*cachedDoc{}
		c.outputs = nil
		c.shape = nil
		c.lent = nil
		c.structureOK = false
	}
}

// doc returns the entry of the parsed note for p, at position i of the notes, if nothing it was parsed
// from has changed, and marks it used by this build. While the notes' paths are as in the last build
// (shape), the entry is found by position rather than by path.
func (c *Cache) doc(i int, p *content.Page, targets string, shape *siteShape) *cachedDoc {
	var e *cachedDoc
	if shape != nil && i < len(shape.entries) && shape.entries[i] != nil && shape.entries[i].rel == p.Rel {
		e = shape.entries[i]
	} else {
		c.mu.Lock()
		e = c.docs[p.Rel]
		c.mu.Unlock()
	}
	if e == nil || e.targets != targets || !bytes.Equal(e.body, p.Body) || !sameFront(&e.front, &p.Front) {
		return nil
	}
	e.doc.Page = p
	e.gen = c.gen
	return e
}

// sameFront compares front matter field by field: reflect.DeepEqual on every note of every save cost
// more than the rest of the comparison (TestSameFrontCoversEveryField keeps it complete).
func sameFront(a, b *content.FrontMatter) bool {
	return a.Title == b.Title && a.Description == b.Description && a.Weight == b.Weight && a.Draft == b.Draft &&
		a.Service == b.Service && slices.Equal(a.Aliases, b.Aliases)
}

func (c *Cache) putDoc(p *content.Page, targets string, d *markdown.Document) *cachedDoc {
	e := &cachedDoc{rel: p.Rel, body: p.Body, front: p.Front, targets: targets, doc: d}
	c.mu.Lock()
	e.gen = c.gen
	c.docs[p.Rel] = e
	c.mu.Unlock()
	return e
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
