package site

// The notes' pages: reading order, navigation, breadcrumbs, descriptions, generated folder pages and
// the 404 page, rendered in parallel through the theme.

import (
	"errors"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/render"
)

func (b *builder) siteData() *render.SiteData {
	return b.withCheatsheetLink(&render.SiteData{
		Title:       b.cfg.Title,
		Description: b.cfg.Description,
		Language:    b.cfg.Language,
		BaseURL:     b.baseURL,
		CSS:         b.theme.CSS.Path,
		JS:          b.theme.JS.Path,
		SearchEntry: b.searchEntryForPages(),
		HasServices: b.svc != nil && len(b.svc.pages) > 0,
	})
}

func (b *builder) renderPages() error {
	list := b.pageList()
	var lent *lentKey
	if c := b.opts.Cache; c != nil {
		c.mu.Lock()
		lent = c.lent
		c.mu.Unlock()
		if !lent.fits(b) {
			lent = nil
		}
	}
	var nav *render.NavTree
	if lent != nil {
		// The same titles at the same URLs: the same tree, and the same hash of it.
		nav = lent.nav
		b.navOnce.Do(func() { b.navSum = lent.navSum })
	} else {
		pages := b.site.Pages
		entries := make([]render.NavEntry, len(pages))
		for i, p := range pages {
			entries[i] = render.NavEntry{Title: b.docs[i].Title, URL: p.URL, Dir: p.Dir, IsIndex: p.IsIndex}
		}
		folders := make(map[string]render.FolderInfo, len(b.site.Sections))
		for _, s := range b.site.Sections {
			folders[s.Dir] = render.FolderInfo{Title: s.Title, URL: s.URL}
		}
		nav = render.NewNavTree(entries, folders)
	}
	b.rend = &render.Renderer{Theme: b.theme, Site: b.siteData(), Nav: nav, InlineMax: b.cfg.Nav.InlineMax, Min: b.min}

	// Pages in reading order, for previous/next links: notes, with generated folder pages where a folder
	// has no index.md of its own.
	var structure [32]byte
	if c := b.opts.Cache; c != nil {
		if lent == nil {
			lent = b.lentKey(list)
			c.mu.Lock()
			c.lent = lent
			c.mu.Unlock()
		}
		structure = b.structureKey(lent)
		b.sameStructure = c.structureIs(structure)
	}
	var outs []*cachedOutput
	if c := b.opts.Cache; c != nil {
		c.mu.Lock()
		if len(b.shape.outs) != len(list) {
			b.shape.outs = make([]*cachedOutput, len(list))
		}
		outs = b.shape.outs
		c.mu.Unlock()
	}
	// The cheat sheet is one large page, rendered and minified on one core: it is made while the pages
	// render, instead of after them with the other core idle. It is waited for before this returns
	// (nothing may be written once the stage has failed and the build is aborted).
	sheet := make(chan error, 1)
	if b.cheatsheetOn() {
		b.linkSheetNotes()
		go func() { sheet <- b.renderCheatsheet() }()
	} else {
		sheet <- nil
	}
	errc := make([]error, len(list))
	forEach(len(list), func(i int) {
		errc[i] = b.renderOne(list, i, outs)
	})
	err := errors.Join(firstOfEach(errc), b.render404(), <-sheet)
	if c := b.opts.Cache; c != nil {
		// The cached pages are this structure's only if every one of them was made or checked.
		c.setStructure(structure, err == nil)
	}
	return err
}

// listed is one page of the site in reading order: a note, or a generated folder page.
type listed struct {
	doc     *markdown.Document // nil for a generated folder page
	idx     int                // the note's position in b.docs
	section *content.Section
	url     string
	title   string
}

func (b *builder) pageList() []listed {
	if b.opts.Cache == nil {
		return b.makePageList()
	}
	// The order and the folder pages follow from the notes' paths: while those are unchanged, the last
	// list is the same but for the notes' parsed documents and titles, and the folders' sections.
	b.opts.Cache.mu.Lock()
	last := b.shape.list
	b.opts.Cache.mu.Unlock()
	if last == nil {
		last = b.makePageList()
		b.opts.Cache.mu.Lock()
		b.shape.list = last
		b.opts.Cache.mu.Unlock()
	}
	out := make([]listed, len(last))
	for i, it := range last {
		if it.doc != nil {
			d := b.docs[it.idx]
			it.doc, it.title = d, d.Title
		} else {
			it.section = b.sectionByDir(it.section.Dir)
			if it.url == "" {
				it.title = b.cfg.Title
			}
		}
		out[i] = it
	}
	return out
}

// makePageList lists the site's pages in reading order.
func (b *builder) makePageList() []listed {
	var out []listed
	hasIndex := map[string]bool{}
	for _, s := range b.site.Sections {
		if s.Index != nil {
			hasIndex[s.Dir] = true
		}
	}
	emitted := map[string]bool{".": true}
	sections := map[string]*content.Section{}
	for _, s := range b.site.Sections {
		sections[s.Dir] = s
	}
	var emitFolder func(dir string)
	emitFolder = func(dir string) {
		if emitted[dir] {
			return
		}
		emitFolder(path.Dir(dir))
		emitted[dir] = true
		if !hasIndex[dir] {
			s := sections[dir]
			out = append(out, listed{section: s, url: s.URL, title: s.Title})
		}
	}
	for i, d := range b.docs {
		emitFolder(d.Page.Dir)
		out = append(out, listed{doc: d, idx: i, url: d.Page.URL, title: d.Title})
	}
	if _, ok := b.byURL[""]; !ok {
		out = append([]listed{{section: sections["."], url: "", title: b.cfg.Title}}, out...)
	}
	return out
}

// renderOne renders the page at position i of list; outs, with a Cache, are the pages' cache entries.
func (b *builder) renderOne(list []listed, i int, outs []*cachedOutput) error {
	it := list[i]
	var out *cachedOutput
	if c := b.opts.Cache; c != nil {
		out = c.outputAt(outs, i, it.url)
		if html, ok := b.unchangedPage(it, out); ok {
			return b.writeOutput(out, html)
		}
	}
	p := &render.PageData{URL: it.url, Title: it.title}
	if b.baseURL != "" {
		p.Canonical = b.baseURL + it.url
	}
	if i > 0 {
		p.Prev = &render.Link{URL: list[i-1].url, Title: list[i-1].title}
	}
	if i+1 < len(list) {
		p.Next = &render.Link{URL: list[i+1].url, Title: list[i+1].title}
	}
	dir := "."
	if it.doc != nil {
		dir = it.doc.Page.Dir
		p.File = it.doc.Page.File
	} else {
		dir = it.section.Dir
		if dir != "." {
			dir = path.Dir(dir)
		}
	}
	p.Crumbs = b.crumbs(dir, it.url)
	var contentSum *[32]byte
	switch {
	case it.url == "":
		p.Kind = "home"
		p.Pages = b.childLinks(".")
		p.Crumbs = nil
		p.Prev = nil
	case it.doc != nil && it.doc.Page.IsIndex:
		p.Kind = "list"
		p.Pages = b.childLinks(it.doc.Page.Dir)
	case it.doc == nil:
		p.Kind = "list"
		p.Pages = b.childLinks(it.section.Dir)
	default:
		p.Kind = "page"
	}
	if d := it.doc; d != nil {
		links := b.noteLinks(it.idx, d)
		var buf *[]byte
		if b.spill.has(it.idx) {
			// The note's HTML is read back into a buffer lent until the page is written: the page
			// copies it (minified) and keeps no reference to it.
			buf = spillBufs.Get().(*[]byte)
			defer spillBufs.Put(buf)
		}
		body, refs, sum, err := b.noteBody(it.idx, links, buf)
		if err != nil {
			return err
		}
		p.Content, p.Services, contentSum = body, refs, sum
		p.Description = b.descs[it.idx]
		p.HasH1 = d.StartsWithH1
		for _, h := range d.Headings {
			if h.Level == 2 || h.Level == 3 {
				p.TOC = append(p.TOC, render.TOCEntry{Level: h.Level, ID: h.ID, Text: h.Text})
			}
		}
		if b.opts.Cache == nil {
			d.HTML = "" // written: a build without a Cache renders each note once, and holds no page longer
		}
	}
	return b.renderPageTo(out, p, contentSum, it.doc)
}

// pageLinks decides which service mentions of a note link, and where to: on the note's page and, the
// same ones, on the cheat sheet. Zero when the site has no service catalog.
func (b *builder) pageLinks(d *markdown.Document) crosslink.PageLinks {
	if b.svc == nil {
		return crosslink.PageLinks{}
	}
	return crosslink.NewLinker(b.svc.cat, b.svc.homes, b.svc.mode).Page(d.Page.URL, d.Mentions)
}

// noteBody links note i's content, rendered in pass 1, and lists its "Services in this note", or with
// a Cache takes them from the last build that linked the same parsed note with the same service homes.
// A note's HTML in the spill is read into *buf, which the content returned may share: it lasts until
// buf's next use.
func (b *builder) noteBody(i int, links crosslink.PageLinks, buf *[]byte) (template.HTML, any, *[32]byte, error) {
	var e *cachedDoc
	if b.notes != nil {
		e = b.notes[i]
	}
	if r := e.renderedBody(b.homesKey); r != nil {
		return r.html, r.services, &r.sum, nil
	}
	d := b.docs[i]
	html := d.HTML
	if b.spill.has(i) {
		var err error
		if html, err = b.spill.get(i, buf); err != nil {
			return "", nil, nil, fmt.Errorf("%s: cannot read its rendered content back: %w", d.Page.File, err)
		}
	}
	var refs any
	if b.svc != nil {
		html = links.Apply(html, nil)
		if r := crosslink.PageServices(b.svc.cat, b.svc.homes, d.Mentions); len(r) > 0 {
			refs = r
		}
	}
	body := template.HTML(html)
	if e == nil {
		return body, refs, nil, nil
	}
	r := &cachedBody{homes: b.homesKey, html: body, services: refs, sum: contentKey(string(body), refs)}
	e.rendered = r
	return body, refs, &r.sum, nil
}

// renderPage renders a page through the theme, or takes it from the cache when every input is the same.
//
// With a Cache, pages are rendered with a placeholder where the search index's fingerprinted name goes, and
// the name is put in as the page is written: otherwise every edit of any note, which renames the index,
// would change every page and defeat the cache.
//
// A page is taken from the cache when its own data and the site's are unchanged (pageKey) and so is the
// navigation it shows. That is decided cheaply when the whole navigation tree is unchanged, as it is
// after most edits; when a title or the set of notes changed, each page's view of the navigation is
// compared, so that on a large site only the pages showing the change are rendered again.
//
// contentSum is the hash of p.Content when the caller knows it (see pageKey).
func (b *builder) renderPage(p *render.PageData, contentSum *[32]byte) error {
	var out *cachedOutput
	if c := b.opts.Cache; c != nil {
		out = c.output(outPath(p.URL))
	}
	return b.renderPageTo(out, p, contentSum, nil)
}

// renderPageTo is renderPage for a page made from note d (nil for a generated page), whose Cache entry
// (nil without a Cache) the caller holds.
func (b *builder) renderPageTo(out *cachedOutput, p *render.PageData, contentSum *[32]byte, d *markdown.Document) error {
	c := b.opts.Cache
	if c == nil {
		buf, err := b.rend.PageLent(p)
		if err != nil {
			return err
		}
		return b.writeLent(outPath(p.URL), buf.Bytes(), func() { b.rend.Return(buf) })
	}
	e := cachedPage{key: b.pageKey(p, contentSum), tree: b.navKey(), doc: d}
	old := c.page(out)
	hit := old.html != nil && old.key == e.key
	viewed := false // e.view is this build's
	if hit && !p.NoNav && old.tree != e.tree {
		e.view, viewed = b.viewKey(p), true
		hit = old.view == e.view
	}
	if hit {
		if !viewed {
			e.view = old.view // same tree, same view
		}
		e.html = old.html
	} else {
		if !viewed {
			e.view = b.viewKey(p)
		}
		var err error
		if e.html, err = b.rend.Page(p); err != nil {
			return err
		}
	}
	c.putPage(out, e)
	return b.writeOutput(out, e.html)
}

// firstOfEach joins errors, keeping one of each message: a broken theme template fails every page the
// same way, and one report of it is enough.
func firstOfEach(errs []error) error {
	seen := map[string]bool{}
	var out []error
	for _, e := range errs {
		if e != nil && !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return errors.Join(out...)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// crumbs are the folder pages above a page.
func (b *builder) crumbs(dir, self string) []render.Link {
	var out []render.Link
	for d := dir; d != "." && d != ""; d = path.Dir(d) {
		s := b.sectionByDir(d)
		if s == nil || s.URL == self {
			continue
		}
		title := s.Title
		if s.Index != nil {
			if i, ok := b.byURL[s.Index.URL]; ok {
				title = b.docs[i].Title
			}
		}
		out = append([]render.Link{{URL: s.URL, Title: title}}, out...)
	}
	if self != "" {
		home := b.cfg.Title
		if _, ok := b.byURL[""]; ok {
			home = "Home"
		}
		out = append([]render.Link{{URL: "", Title: home}}, out...)
	}
	return out
}

func (b *builder) sectionByDir(dir string) *content.Section {
	i := sort.Search(len(b.site.Sections), func(i int) bool { return b.site.Sections[i].Dir >= dir })
	if i < len(b.site.Sections) && b.site.Sections[i].Dir == dir {
		return b.site.Sections[i]
	}
	return nil
}

// childLinks lists the notes and sub-folders directly in a folder, in reading order, for home and
// folder pages.
func (b *builder) childLinks(dir string) []render.Link {
	var out []render.Link
	seen := map[string]bool{}
	for i, d := range b.docs {
		p := d.Page
		if p.Dir == dir {
			if !p.IsIndex {
				out = append(out, render.Link{URL: p.URL, Title: d.Title, Description: b.descs[i]})
			}
			continue
		}
		sub, ok := childDir(dir, p.Dir)
		if !ok || seen[sub] {
			continue
		}
		seen[sub] = true
		s := b.sectionByDir(sub)
		title, desc := s.Title, ""
		if s.Index != nil {
			if i, ok := b.byURL[s.Index.URL]; ok {
				title, desc = b.docs[i].Title, b.descs[i]
			}
		}
		out = append(out, render.Link{URL: s.URL, Title: title, Description: desc})
	}
	return out
}

// childDir returns the folder directly inside parent that holds dir ("a/b" for parent "a", dir "a/b/c").
func childDir(parent, dir string) (string, bool) {
	prefix := parent + "/"
	if parent == "." {
		prefix = ""
	}
	if dir == "." || !strings.HasPrefix(dir, prefix) || dir == parent {
		return "", false
	}
	rest := dir[len(prefix):]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return prefix + rest, true
}

// describe is a page's description: its front matter's, else the start of its first paragraph.
func describe(d *markdown.Document) string {
	if d.Page.Front.Description != "" {
		return d.Page.Front.Description
	}
	for _, s := range d.Sections {
		if hasWords(s.Body) {
			return truncateWords(s.Body, 160)
		}
	}
	return ""
}

// hasWords reports whether text has a word in it: a section holding only "--" or "***" describes nothing.
func hasWords(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if letters++; letters >= 3 {
				return true
			}
		}
	}
	return false
}

func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	return strings.TrimRight(s[:cut], " ,.;:") + "…"
}

func (b *builder) render404() error {
	root := "/"
	if b.baseURL != "" {
		if i := strings.Index(b.baseURL, "://"); i >= 0 {
			if j := strings.IndexByte(b.baseURL[i+3:], '/'); j >= 0 {
				root = b.baseURL[i+3+j:]
			}
		} else {
			root = b.baseURL
		}
	}
	html, err := b.rend.PageWithRoot(&render.PageData{Kind: "404", URL: "404.html", Title: "Page not found", NoNav: true}, root)
	if err != nil {
		return fmt.Errorf("404 page: theme template failed: %w", err)
	}
	return b.write("404.html", html)
}

// writeGenerated writes the pages no note makes: search results and the service pages.
func (b *builder) writeGenerated() error {
	// The two are independent (the cheat sheet is made alongside the pages: see renderPages).
	var errs [2]error
	var wg sync.WaitGroup
	for i, fn := range []func() error{b.writeServicePages, b.writeSearchPage} {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	return errors.Join(errs[:]...)
}
