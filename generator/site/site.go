// Package site is the pipeline: it calls every stage in order and reports how long each took.
//
//	config → content (load notes) → markdown (parse, in parallel) → link check → render (in parallel) → output
//
// Stages pass plain values forward; nothing is global, so two builds can run side by side (the tests do).
// Output goes to a Sink: a staging folder swapped into place only when the whole build succeeded, or
// memory for the dev server.
package site

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/output"
	"github.com/lectern/lectern/generator/render"
	"github.com/lectern/lectern/generator/search"
	"github.com/lectern/lectern/generator/tipbox"
)

// Options are the inputs of one build.
type Options struct {
	Root    string // site root, holding content/ and optionally lectern.yaml and themes/
	Dest    string // output folder; default Root/public
	BaseURL string // overrides lectern.yaml's base_url
	Drafts  bool
	Strict  bool // warnings fail the build
	// Sink receives the files; when nil, they go to a staging folder swapped into Dest at the end.
	Sink output.Sink
	// Cache, when set, carries parsed notes and rendered pages over to the next build with the same Cache
	// (the dev server's incremental rebuilds). Output is identical with or without it.
	Cache *Cache
}

// Stage is one timed step of the pipeline.
type Stage struct {
	Name string
	Took time.Duration
}

// Result describes a finished (or failed) build.
type Result struct {
	Pages       int
	Files       int
	Bytes       int64
	Stages      []Stage
	Diagnostics []diag.Diagnostic
	Config      config.Config
}

// BuildError is returned when diagnostics fail the build; Diagnostics holds all of them, errors first.
type BuildError struct {
	Diagnostics []diag.Diagnostic
	Strict      bool
}

func (e *BuildError) Error() string {
	var b strings.Builder
	n := 0
	for _, d := range e.Diagnostics {
		if d.Severity == diag.Error || e.Strict {
			if n > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(d.Error())
			n++
		}
	}
	return b.String()
}

// builder holds one build's state as it moves through the stages.
type builder struct {
	opts    Options
	cfg     config.Config
	site    *content.Site
	conv    *markdown.Converter
	docs    []*markdown.Document
	byURL   map[string]*markdown.Document
	theme   *render.Theme
	rend    *render.Renderer
	min     *render.Minifier
	sink    output.Sink
	diags   diag.List
	res     *Result
	files   atomic.Int64
	bytes   atomic.Int64
	baseURL string
	start   time.Time
	links   linkChecker // sees every file written; the publish stage checks the output's links
	svc     *services   // nil when the site has no service catalog
	sheet   sheetNotes  // notes condensed for the cheat sheet, filled while pages render
	targets *markdown.Targets
	// catalogData is the service catalog file as read, for the dev server's cache.
	catalogData []byte
	// desc holds each note's description, worked out once: section text is let go after the search index.
	desc map[*markdown.Document]string
	// homesKey identifies the service homes of this build, for cached cheat-sheet notes.
	homesKey string
	// searchDocs and searchOpts are the search index's input, gathered before pages render.
	searchDocs []search.Doc
	searchOpts search.Options
	// searchEntry names the search index scripts every page loads.
	searchEntry string
}

// Build runs the whole pipeline once.
func Build(opts Options) (*Result, error) {
	if opts.Root == "" {
		opts.Root = "."
	}
	if opts.Dest == "" {
		opts.Dest = filepath.Join(opts.Root, "public")
	}
	b := &builder{opts: opts, res: &Result{}, start: time.Now()}
	err := b.run()
	b.res.Diagnostics = b.diags.Sorted()
	if err == nil && diag.HasErrors(b.res.Diagnostics, opts.Strict) {
		err = &BuildError{Diagnostics: errorsFirst(b.res.Diagnostics), Strict: opts.Strict}
	}
	if st, ok := b.sink.(*output.Staging); ok {
		if err != nil {
			st.Abort()
		} else {
			t := time.Now()
			if cerr := st.Commit(); cerr != nil {
				st.Abort()
				return b.res, cerr
			}
			b.res.Stages = append(b.res.Stages, Stage{"swap into place", time.Since(t)})
		}
	}
	b.res.Files = int(b.files.Load())
	b.res.Bytes = b.bytes.Load()
	return b.res, err
}

func errorsFirst(ds []diag.Diagnostic) []diag.Diagnostic {
	out := append([]diag.Diagnostic(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity > out[j].Severity })
	return out
}

// stage times fn and records it.
func (b *builder) stage(name string, fn func() error) error {
	t := time.Now()
	err := fn()
	b.res.Stages = append(b.res.Stages, Stage{name, time.Since(t)})
	return err
}

// fatal turns a stage's error into a failed build, keeping file and line when the error has them.
func (b *builder) fatal(err error) error {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		b.diags.Add(d)
		return &BuildError{Diagnostics: []diag.Diagnostic{d}}
	}
	return err
}

func (b *builder) run() error {
	if err := b.stage("config", b.loadConfig); err != nil {
		return b.fatal(err)
	}
	if err := b.stage("load", b.load); err != nil {
		return b.fatal(err)
	}
	if err := b.stage("catalog", b.loadCatalog); err != nil {
		return b.fatal(err)
	}
	if err := b.stage("theme", b.loadTheme); err != nil {
		return b.fatal(err)
	}
	if err := b.stage("parse", b.parse); err != nil {
		return err
	}
	b.stage("check links", b.checkLinks)
	b.stage("services", b.linkServices)
	if diag.HasErrors(b.diags.Sorted(), b.opts.Strict) {
		return nil // reported by Build; nothing is written
	}
	if b.opts.Sink != nil {
		b.sink = b.opts.Sink
	} else {
		if err := output.CheckDestination(b.opts.Dest, b.opts.Root); err != nil {
			return err
		}
		st, err := output.NewStaging(b.opts.Dest)
		if err != nil {
			return err
		}
		b.sink = st
	}
	b.stage("name search", b.nameSearch)
	if b.opts.Cache != nil {
		// The dev server re-renders a few pages per save: the search index is built on the core they
		// leave idle. A full build keeps every core rendering, and the two only slow each other down.
		if err := b.renderAlongsideSearch(); err != nil {
			return err
		}
	} else {
		for _, st := range []struct {
			name string
			fn   func() error
		}{{"search", b.buildSearch}, {"render", b.renderPages}, {"generated pages", b.writeGenerated}} {
			if err := b.stage(st.name, st.fn); err != nil {
				return err
			}
		}
	}
	return errors.Join(b.stage("assets", b.writeAssets), b.stage("publish", b.publish))
}

// renderAlongsideSearch builds the search index on one goroutine while the pages render on the others:
// the index is named after its input (nameSearch), so pages can name it before it exists.
func (b *builder) renderAlongsideSearch() error {
	start := time.Now()
	searched := make(chan error, 1)
	go func() { searched <- b.buildSearch() }()
	errR := b.stage("render", b.renderPages)
	errG := b.stage("generated pages", b.writeGenerated)
	errS := <-searched
	b.res.Stages = append(b.res.Stages, Stage{"search (alongside)", time.Since(start)})
	return errors.Join(errS, errR, errG)
}

func (b *builder) loadConfig() error {
	cfg, err := config.Load(filepath.Join(b.opts.Root, config.FileName))
	if err != nil {
		return err
	}
	if b.opts.BaseURL != "" {
		cfg.BaseURL = b.opts.BaseURL
	}
	if cfg.BaseURL != "" && !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	b.cfg = cfg
	b.baseURL = cfg.BaseURL
	b.res.Config = cfg
	return nil
}

func (b *builder) load() error {
	site, ds := content.Load(filepath.Join(b.opts.Root, "content"), content.Options{Drafts: b.opts.Drafts, Root: b.opts.Root})
	b.diags.Add(ds...)
	if site == nil {
		return &BuildError{Diagnostics: ds}
	}
	b.site = site
	b.res.Pages = len(site.Pages)
	return nil
}

func (b *builder) loadTheme() error {
	b.min = render.NewMinifier()
	dir := filepath.Join(b.opts.Root, "themes")
	var key string
	if c := b.opts.Cache; c != nil {
		key = themeKey(dir)
		if t := c.cachedTheme(key); t != nil {
			b.theme = t
			return nil
		}
	}
	theme, err := render.LoadTheme(dir, markdown.HighlightCSS(), template.FuncMap{}, b.min)
	if err != nil {
		return err
	}
	if c := b.opts.Cache; c != nil {
		c.putTheme(key, theme)
	}
	b.theme = theme
	return nil
}

func (b *builder) parse() error {
	tips := b.tipOptions()
	if err := tips.Validate(); err != nil {
		file := orDefault(b.cfg.File, config.FileName)
		return b.fatal(diag.At(file, lineOfKey(file, "tipboxes"), "tipboxes: %v", err))
	}
	opts := markdown.Options{RawHTML: *b.cfg.RawHTML, TipBoxes: tips}
	if b.svc != nil {
		opts.Services = b.svc.matcher
	}
	b.conv = markdown.New(opts)
	b.targets = markdown.NewTargets(b.site)
	b.docs = make([]*markdown.Document, len(b.site.Pages))
	total := 0
	for _, p := range b.site.Pages {
		total += len(p.Body)
	}
	// Syntax trees take about ten times the memory of their markdown. Up to keepTreesBelow bytes of notes
	// they are kept from pass 1 to pass 2; above, each is dropped after pass 1 and parsed again to render,
	// trading about a tenth of the build's time for a flat memory profile.
	keep := total <= keepTreesBelow || b.opts.Cache != nil
	var tk string
	if c := b.opts.Cache; c != nil {
		c.reset(settingKey(b.cfg, b.theme, b.opts, b.catalogData))
		tk = targetsKey(b.site)
	}
	forEach(len(b.site.Pages), func(i int) {
		p := b.site.Pages[i]
		if c := b.opts.Cache; c != nil {
			if d := c.doc(p, tk); d != nil {
				b.docs[i] = d
				return
			}
		}
		d := b.conv.Parse(p, b.targets)
		if !keep {
			d.Release()
		}
		if c := b.opts.Cache; c != nil {
			c.putDoc(p, tk, d)
		}
		b.docs[i] = d
	})
	b.byURL = make(map[string]*markdown.Document, len(b.docs))
	b.desc = make(map[*markdown.Document]string, len(b.docs))
	for _, d := range b.docs {
		b.desc[d] = describe(d)
		b.diags.Add(d.Diagnostics...)
		b.byURL[d.Page.URL] = d
	}
	return nil
}

// keepTreesBelow is the size of a site's notes, in bytes, up to which parsed trees are kept between passes.
const keepTreesBelow = 4 << 20

// checkLinks reports links to anchors that do not exist; links to missing notes were reported while parsing.
func (b *builder) checkLinks() error {
	for _, d := range b.docs {
		for _, l := range d.Links {
			if l.Fragment == "" {
				continue
			}
			target, ok := b.byURL[l.TargetURL]
			if !ok {
				continue // a file, not a note
			}
			if !target.Anchors[l.Fragment] {
				b.diags.Add(diag.Diagnostic{File: d.Page.File, Line: l.Line, Offset: -1, Severity: diag.Warning,
					Msg: fmt.Sprintf("broken link %q: %s has no heading or anchor %q", l.Dest, target.Page.File, l.Fragment)})
			}
		}
	}
	return nil
}

// write sends one file to the sink, counting it.
func (b *builder) write(rel string, data []byte) error {
	if c := b.opts.Cache; c != nil {
		// Scan the page as cached, with the search placeholder, so an unchanged page keeps its scan even
		// though the index it names was renamed; then put the real name in, in the page and its scan.
		scan := c.scan(rel, data)
		if b.searchEntry != "" && strings.HasSuffix(rel, ".html") && bytes.Contains(data, []byte(searchPlaceholder)) {
			data = bytes.ReplaceAll(data, []byte(searchPlaceholder), []byte(b.searchEntry))
			scan = withSearchEntry(scan, b.searchEntry)
		}
		b.links.AddScanned(rel, scan)
	} else {
		b.links.Add(rel, data)
	}
	b.files.Add(1)
	b.bytes.Add(int64(len(data)))
	return b.sink.WriteFile(rel, data)
}

// searchEntryForPages is what pages name as the search index: the real name, or with a Cache the
// placeholder that write replaces.
func (b *builder) searchEntryForPages() string {
	if b.opts.Cache != nil {
		return searchPlaceholder
	}
	return b.searchEntry
}

// outPath is the file a page URL is written to.
func outPath(url string) string { return url + "index.html" }

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
	pages := b.site.Pages
	entries := make([]render.NavEntry, len(pages))
	for i, p := range pages {
		entries[i] = render.NavEntry{Title: b.docs[i].Title, URL: p.URL, Dir: p.Dir, IsIndex: p.IsIndex}
	}
	folders := map[string]render.FolderInfo{}
	for _, s := range b.site.Sections {
		folders[s.Dir] = render.FolderInfo{Title: s.Title, URL: s.URL}
	}
	nav := render.NewNavTree(entries, folders)
	b.rend = &render.Renderer{Theme: b.theme, Site: b.siteData(), Nav: nav, InlineMax: b.cfg.Nav.InlineMax, Min: b.min}

	// Pages in reading order, for previous/next links: notes, with generated folder pages where a folder
	// has no index.md of its own.
	list := b.pageList()
	errc := make([]error, len(list))
	forEach(len(list), func(i int) {
		errc[i] = b.renderOne(list, i)
	})
	return errors.Join(firstOfEach(errc), b.render404())
}

// listed is one page of the site in reading order: a note, or a generated folder page.
type listed struct {
	doc     *markdown.Document // nil for a generated folder page
	section *content.Section
	url     string
	title   string
}

func (b *builder) pageList() []listed {
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
	for _, d := range b.docs {
		emitFolder(d.Page.Dir)
		out = append(out, listed{doc: d, url: d.Page.URL, title: d.Title})
	}
	if _, ok := b.byURL[""]; !ok {
		out = append([]listed{{section: sections["."], url: "", title: b.cfg.Title}}, out...)
	}
	return out
}

func (b *builder) renderOne(list []listed, i int) error {
	it := list[i]
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
		if d.AST == nil {
			b.conv.Reparse(d, b.targets)
		}
		if b.svc != nil {
			crosslink.Resolve(d.AST, d.Page.URL, b.svc.homes, b.svc.mode, nil)
			if refs := crosslink.PageServices(b.svc.cat, b.svc.homes, d.Mentions); len(refs) > 0 {
				p.Services = refs
			}
		}
		var html bytes.Buffer
		if err := b.conv.Render(&html, d); err != nil {
			return fmt.Errorf("%s: cannot render: %w", d.Page.File, err)
		}
		p.Content = template.HTML(html.String())
		p.Description = b.desc[d]
		p.HasH1 = startsWithH1(d)
		for _, h := range d.Headings {
			if h.Level == 2 || h.Level == 3 {
				p.TOC = append(p.TOC, render.TOCEntry{Level: h.Level, ID: h.ID, Text: h.Text})
			}
		}
		b.condenseForSheet(d)
		if b.opts.Cache == nil {
			d.Release()
		}
	}
	return b.renderPage(p)
}

// renderPage renders a page through the theme, or takes it from the cache when every input is the same.
//
// With a Cache, pages are rendered with a placeholder where the search index's fingerprinted name goes, and
// the name is put in as the page is written: otherwise every edit of any note, which renames the index,
// would change every page and defeat the cache.
func (b *builder) renderPage(p *render.PageData) error {
	c := b.opts.Cache
	if c == nil {
		html, err := b.rend.Page(p)
		if err != nil {
			return err
		}
		return b.write(outPath(p.URL), html)
	}
	key := pageKey(p, b.rend.Site, b.rend.Nav, b.rend.InlineMax)
	html, ok := c.page(outPath(p.URL), key)
	if !ok {
		var err error
		if html, err = b.rend.Page(p); err != nil {
			return err
		}
		c.putPage(outPath(p.URL), key, html)
	}
	return b.write(outPath(p.URL), html)
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
			if doc := b.byURL[s.Index.URL]; doc != nil {
				title = doc.Title
			}
		}
		out = append([]render.Link{{URL: s.URL, Title: title}}, out...)
	}
	if self != "" {
		home := b.cfg.Title
		if d := b.byURL[""]; d != nil {
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
	for _, d := range b.docs {
		p := d.Page
		if p.Dir == dir {
			if !p.IsIndex {
				out = append(out, render.Link{URL: p.URL, Title: d.Title, Description: b.desc[d]})
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
			if doc := b.byURL[s.Index.URL]; doc != nil {
				title, desc = doc.Title, b.desc[doc]
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

// startsWithH1 reports whether a note's first block is a level-1 heading, which then serves as the page's
// title heading.
func startsWithH1(d *markdown.Document) bool {
	if d.AST == nil || d.AST.FirstChild() == nil {
		return false
	}
	return len(d.Headings) > 0 && d.Headings[0].Level == 1 && d.AST.FirstChild().Kind().String() == "Heading"
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
	return errors.Join(b.writeSearchPage(), b.writeServicePages(), b.renderCheatsheet())
}

// tipOptions maps lectern.yaml's tipboxes section onto the extension's options.
func (b *builder) tipOptions() tipbox.Options {
	c := b.cfg.TipBoxes
	o := tipbox.Options{QuoteKind: c.QuoteKind, KeyPoints: *c.KeyPoints, KeyPointMinWords: c.KeyPointMinWords}
	for _, k := range c.Custom {
		o.Custom = append(o.Custom, tipbox.Kind{Name: k.Name, Title: k.Title, Icon: k.Icon, Colour: k.Colour})
	}
	return o
}

// writeAssets copies the notes' own files and the theme's static files, and writes the bundles.
func (b *builder) writeAssets() error {
	var errs []error
	errc := make([]error, len(b.site.Assets))
	forEach(len(b.site.Assets), func(i int) {
		a := b.site.Assets[i]
		data, err := os.ReadFile(a.Src)
		if err != nil {
			errc[i] = diag.At(a.File, 0, "cannot copy: %v", err)
			return
		}
		errc[i] = b.write(a.Rel, data)
	})
	for _, e := range errc {
		if e != nil {
			errs = append(errs, e)
		}
	}
	var buf bytes.Buffer
	for _, a := range b.theme.Static {
		data := a.Data
		if mt := render.MediaType(a.Path); mt != "" {
			data = bytes.Clone(b.min.Bytes(&buf, mt, a.Data))
		}
		if err := b.write(a.Path, data); err != nil {
			errs = append(errs, err)
		}
	}
	for _, a := range []render.Asset{b.theme.CSS, b.theme.JS} {
		if err := b.write(a.Path, a.Data); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
