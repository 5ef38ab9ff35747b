// Package render is the output stage's HTML half: it loads the theme (embedded default plus the site's
// overrides), builds the navigation, and turns page data into minified HTML.
//
// Input: plain values (SiteData, PageData) assembled by the pipeline. Output: bytes, written by the
// pipeline to wherever the build goes (a staging folder on disk, or memory for the dev server).
package render

import (
	"bytes"
	"html/template"
	"strings"
	"sync"
)

// SiteData is what every page knows about the site.
type SiteData struct {
	Title       string
	Description string
	Language    string
	BaseURL     string // absolute, ends in "/"; "" when unknown
	CSS, JS     string // root-relative paths of the bundles
	// SearchEntry is the space-separated list of root-relative search index scripts ("" without search).
	SearchEntry   string
	HasCheatsheet bool
	HasServices   bool
}

// Link is a titled link to a page, root-relative.
type Link struct {
	URL         string
	Title       string
	Description string
}

// TOCEntry is one line of a page's table of contents.
type TOCEntry struct {
	Level int
	ID    string
	Text  string
}

// PageData is one page to render.
type PageData struct {
	Kind        string // one of Kinds
	URL         string // root-relative
	Title       string
	Description string
	Canonical   string // absolute URL when the base URL is known
	File        string // source file, for error messages
	Content     template.HTML
	HasH1       bool // the content starts with its own h1, so the template adds none
	TOC         []TOCEntry
	Prev, Next  *Link
	Crumbs      []Link
	Pages       []Link // the notes listed on home and folder pages
	Services    any    // "Services in this note" data, filled by the cross-link stage
	Data        any    // kind-specific data (service pages, cheat sheet)
	// NoNav leaves the navigation out (the 404 page, whose URL is unknown when it is shown).
	NoNav bool
}

// Data is what a template receives.
type Data struct {
	Site *SiteData
	Page *PageData
	Root string // relative path from this page to the site root, "./" or "../", ...

	nav       *NavTree // nil: the page shows no navigation
	inlineMax int
	items     []*NavItem // Nav's, once made (View never returns nil)
}

// Nav is the navigation as this page shows it (the current page marked, its branch open), made when a
// template first asks: the default theme writes NavHTML instead.
func (d *Data) Nav() []*NavItem {
	if d.items == nil && d.nav != nil {
		d.items = d.nav.View(d.Page.URL, d.Root, d.inlineMax)
	}
	return d.items
}

// NavHTML is Nav as HTML, written without template reflection or the items (see NavTree.WriteView).
func (d *Data) NavHTML() template.HTML {
	var b strings.Builder
	if d.nav == nil {
		WriteNavHTML(&b, nil)
		return template.HTML(b.String())
	}
	n := d.nav.written.Load()
	b.Grow(int(n + n/8))
	d.nav.WriteView(&b, d.Page.URL, d.Root, d.inlineMax)
	d.nav.written.Store(int64(b.Len()))
	return template.HTML(b.String())
}

// Renderer turns page data into minified HTML. It is safe for concurrent use.
type Renderer struct {
	Theme     *Theme
	Site      *SiteData
	Nav       *NavTree
	InlineMax int
	Min       *Minifier
	bufs      sync.Pool
}

// RootFor is the relative path from the page at url to the site root.
func RootFor(url string) string {
	d := strings.Count(url, "/")
	if d == 0 {
		return "./"
	}
	return strings.Repeat("../", d)
}

// Page renders one page and returns its minified HTML (a fresh slice the caller owns).
func (r *Renderer) Page(p *PageData) ([]byte, error) {
	return r.render(p, RootFor(p.URL))
}

// PageLent is Page writing into a buffer the renderer lends: the page is its bytes, until the caller
// gives it back with Return. A build writes thousands of pages; a fresh slice for each was a tenth of
// its allocation.
func (r *Renderer) PageLent(p *PageData) (*bytes.Buffer, error) {
	return r.renderTo(p, RootFor(p.URL))
}

// Return takes back a buffer PageLent lent.
func (r *Renderer) Return(b *bytes.Buffer) { r.bufs.Put(b) }

// PageWithRoot renders a page as if it lived at root (used for 404.html, which GitHub Pages serves at any
// depth, so its links must be absolute).
func (r *Renderer) PageWithRoot(p *PageData, root string) ([]byte, error) {
	return r.render(p, root)
}

// data is what the templates receive for page p seen from root.
func (r *Renderer) data(p *PageData, root string) *Data {
	d := &Data{Site: r.Site, Page: p, Root: root, inlineMax: r.InlineMax}
	if r.Nav != nil && !p.NoNav {
		d.nav = r.Nav
	}
	return d
}

func (r *Renderer) render(p *PageData, root string) ([]byte, error) {
	out, err := r.renderTo(p, root)
	if err != nil {
		return nil, err
	}
	defer r.bufs.Put(out)
	return bytes.Clone(out.Bytes()), nil
}

// renderTo renders page p seen from root into a buffer of r.bufs, which the caller puts back.
func (r *Renderer) renderTo(p *PageData, root string) (*bytes.Buffer, error) {
	data := r.data(p, root)
	if fastKind(p) {
		if out, ok := r.renderFast(data); ok {
			return out, nil
		}
	}
	raw := r.getBuf()
	defer r.bufs.Put(raw)
	if err := r.Theme.Execute(raw, p.Kind, data); err != nil {
		return nil, err
	}
	out := r.getBuf()
	if !r.Min.into(out, "text/html", raw.Bytes()) {
		out.Reset()
		out.Write(raw.Bytes()) // an unminified page is better than a missing one (see Minifier.Bytes)
	}
	return out, nil
}

// fastKind says whether a page's only HTML not written by its templates is its note's content and the
// navigation. Other kinds (service pages, the cheat sheet) carry HTML in Data, and are minified whole.
func fastKind(p *PageData) bool {
	return p.Data == nil && (p.Kind == "page" || p.Kind == "list" || p.Kind == "home")
}

// renderFast renders a page through the minified templates with its content minified on its own, so the
// page needs no minifying as a whole. Minifying whole pages cost a third of a build: the chrome and the
// navigation, half a page's bytes, were minified again on every page though only their values change.
// The page is what minifying the whole would give but for whitespace next to template actions and the
// escapes html/template writes (TestFastPagesMinifyAsWholePages).
func (r *Renderer) renderFast(data *Data) (*bytes.Buffer, bool) {
	p := *data.Page
	if p.Content != "" {
		in, buf := r.getBuf(), r.getBuf()
		defer r.bufs.Put(in)
		defer r.bufs.Put(buf)
		p.Content = template.HTML(r.Min.Fragment(buf, in, string(p.Content)))
	}
	fast := *data
	fast.Page = &p
	out := r.getBuf()
	if !r.Theme.executeFast(out, p.Kind, &fast) {
		r.bufs.Put(out)
		return nil, false
	}
	return out, true
}

func (r *Renderer) getBuf() *bytes.Buffer {
	if b, ok := r.bufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}
