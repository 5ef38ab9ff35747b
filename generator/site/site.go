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
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/content"
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
	// Changed, with a Cache, lists the slash paths under Root of every file created, written, removed
	// or renamed since the Cache's last build, as the dev server's watcher reports them; nil when
	// unknown. Given it, notes not listed are taken from the Cache without looking at their files.
	Changed []string
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
	// SearchEntry is the search index's entry file. A build with a Cache writes HTML pages naming
	// SearchPlaceholder instead, so that an edit, which renames the index, leaves every other page's
	// bytes alone; Finish puts the name in.
	SearchEntry string
	cached      bool
}

// Finish returns a written file as `lectern build` would have written it: with a Cache, HTML pages name
// SearchPlaceholder where the search index's entry goes (see Result.SearchEntry). Without one, and for
// other files, data is returned as it is.
func (r *Result) Finish(rel string, data []byte) []byte {
	if !r.cached || r.SearchEntry == "" || !strings.HasSuffix(rel, ".html") {
		return data
	}
	return bytes.ReplaceAll(data, []byte(SearchPlaceholder), []byte(r.SearchEntry))
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
	opts Options
	cfg  config.Config
	site *content.Site
	conv *markdown.Converter
	docs []*markdown.Document
	// notes are the docs' cache entries, by position (nil without a Cache).
	notes []*cachedDoc
	// shape indexes the notes by URL (see siteShape); byURL is its map.
	shape   *siteShape
	byURL   map[string]int
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
	// spill holds the notes' HTML between the passes of a build without a Cache (see spill).
	spill *spill
	// descs holds each note's description, by position, worked out once: section text is let go after
	// the search index.
	descs []string
	// homesKey identifies the service homes of this build, for cached cheat-sheet notes.
	homesKey string
	// searchDocs and searchOpts are the search index's input, gathered before pages render.
	searchDocs []search.Doc
	searchOpts search.Options
	// searchEntry names the search index scripts every page loads.
	searchEntry string
	// sameStructure says the Cache's pages were made with this build's structure key (see structureKey).
	sameStructure bool
	// navSum is the navigation tree's hash, for cached pages (see navKey).
	navOnce sync.Once
	navSum  [32]byte
	// siteJSON is the site data's JSON, for page keys (see siteKey).
	siteJSON     sync.Once
	siteJSONData []byte
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
	b.spill.close()
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
			b.res.Stages = append(b.res.Stages, Stage{"update destination", time.Since(t)})
		}
	}
	if c := opts.Cache; c != nil && err == nil {
		c.prune(len(b.notes))
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
	// The theme depends on nothing the notes hold: it loads (and minifies its stylesheets and scripts) on
	// another core while the notes are listed and the catalog read, which on a small site are no longer
	// than it.
	type loaded struct {
		err  error
		took time.Duration
	}
	themed := make(chan loaded, 1)
	go func() {
		t := time.Now()
		err := b.loadTheme()
		themed <- loaded{err, time.Since(t)}
	}()
	if err := b.stage("load", b.load); err != nil {
		<-themed
		return b.fatal(err)
	}
	if err := b.stage("catalog", b.loadCatalog); err != nil {
		<-themed
		return b.fatal(err)
	}
	th := <-themed
	b.res.Stages = append(b.res.Stages, Stage{"theme", th.took})
	if th.err != nil {
		return b.fatal(th.err)
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
	opts := content.Options{Drafts: b.opts.Drafts, Root: b.opts.Root}
	if c := b.opts.Cache; c != nil {
		opts.Cache = &c.notes
		if b.opts.Changed != nil {
			opts.Changed = []string{}
			for _, p := range b.opts.Changed {
				if rel, ok := strings.CutPrefix(p, "content/"); ok {
					opts.Changed = append(opts.Changed, rel)
				} else if p == "content" {
					opts.Changed = nil // the folder itself: walk it again
					break
				}
			}
		}
	}
	site, ds := content.Load(filepath.Join(b.opts.Root, "content"), opts)
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

// parse is pass 1: each note is parsed, rendered (mentions as markers, see crosslink.PageLinks.Apply),
// condensed for the cheat sheet and has its syntax tree released, so that no note is parsed twice and
// the build never holds every tree (trees take about ten times the memory of their markdown). Pass 2
// (renderPages) needs only what this leaves on each Document.
func (b *builder) parse() error {
	tips := b.tipOptions()
	if err := tips.Validate(); err != nil {
		file := orDefault(b.cfg.File, config.FileName)
		return b.fatal(diag.At(file, b.cfg.Line("tipboxes"), "tipboxes: %v", err))
	}
	opts := markdown.Options{RawHTML: *b.cfg.RawHTML, TipBoxes: tips}
	if b.svc != nil {
		opts.Services = b.svc.matcher
	}
	b.conv = markdown.New(opts)
	b.docs = make([]*markdown.Document, len(b.site.Pages))
	c := b.opts.Cache
	var tk string
	if c != nil {
		c.begin(settingKey(b.cfg, b.theme, b.opts, b.catalogData))
		b.shape = c.shapeFor(b.site)
		tk = b.shape.key
		b.notes = make([]*cachedDoc, len(b.site.Pages))
	} else {
		b.shape = newShape(b.site, false)
	}
	b.targets = b.shape.targets
	b.byURL = b.shape.byURL
	sheetOpts := b.sheetOptions() // depends on the number of notes: b.docs is sized
	sheetKey := fmt.Sprintf("%#v", sheetOpts)
	if c != nil {
		sheetKey = c.intern(sheetKey)
	}
	b.sheet.size(len(b.docs))
	b.descs = make([]string, len(b.docs))
	if c == nil {
		b.spill = newSpill(len(b.docs))
	}
	errs := make([]error, len(b.site.Pages))
	forEach(len(b.site.Pages), func(i int) {
		p := b.site.Pages[i]
		sheet := b.cheatsheetOn() && cheatsheet.NewFilter(b.cfg.Cheatsheet.Include).Includes(p)
		if c != nil {
			if e := c.doc(i, p, tk, b.shape); e != nil {
				// A reused note keeps its HTML; its condensed note is cached by the options it was made
				// with. When those changed (the site crossed largeSheet notes) its tree is gone, and
				// the note is parsed again below.
				n, ok := e.sheetNote(sheetKey)
				if !sheet || ok {
					if sheet {
						b.sheet.putMarked(i, n)
					}
					b.docs[i] = e.doc
					b.notes[i] = e
					return
				}
			}
		}
		d := b.conv.Parse(p, b.targets)
		b.docs[i] = d
		var err error
		if c == nil {
			// The HTML goes to the spill below, which copies it: until then it stays in a lent buffer.
			buf := htmlBufs.Get().(*bytes.Buffer)
			defer htmlBufs.Put(buf)
			err = b.conv.PrerenderInto(buf, d)
		} else {
			err = b.conv.Prerender(d)
		}
		if err != nil {
			errs[i] = fmt.Errorf("%s: cannot render: %w", d.Page.File, err)
			d.Release()
			return // not cached: the next build reports it again
		}
		var n cheatsheet.Note
		if sheet {
			// After Prerender, as the page was always rendered before the sheet's pieces.
			n, err = cheatsheet.Extract(b.conv, d, sheetOpts)
			b.sheet.putMarkedOrErr(i, n, err)
		}
		d.Release()
		if c == nil {
			// Nothing reads the markdown again but the link check, for a page with a broken link, and it
			// reads the file again (rereadSource); a Cache compares it with the next build's.
			d.DropSource()
			if b.spill.put(i, d.HTML) {
				d.HTML = "" // read back by noteBody
			} else {
				d.HTML = strings.Clone(d.HTML) // out of the lent buffer
			}
			// The description is the last reader of the sections' text but the search index, which
			// reads it back (searchText).
			b.descs[i] = describe(d)
			if b.spill.putText(i, d.Sections) {
				for k := range d.Sections {
					d.Sections[k].Body, d.Sections[k].Emphasis = "", ""
				}
			}
			return
		}
		e := c.putDoc(p, tk, d)
		b.notes[i] = e
		if sheet && err == nil {
			e.sheet = &cachedSheetNote{homes: sheetKey, note: n}
		}
	})
	b.spill.flush()
	if err := firstOfEach(errs); err != nil {
		return err
	}
	if c != nil {
		c.mu.Lock()
		b.shape.entries = b.notes
		c.mu.Unlock()
	}
	for i, d := range b.docs {
		if c != nil {
			b.descs[i] = b.notes[i].description()
		}
		b.diags.Add(d.Diagnostics...)
	}
	return nil
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

// write sends one file to the sink, counting it.
func (b *builder) write(rel string, data []byte) error {
	if c := b.opts.Cache; c != nil && strings.HasSuffix(rel, ".html") {
		return b.writeOutput(c.output(rel), data)
	}
	b.links.Add(rel, data)
	return b.send(rel, data)
}

// htmlBufs are the buffers pass 1 renders notes into before the spill copies them.
var htmlBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeLent is write, without a Cache, for bytes lent by their maker: done gives them back once nothing
// uses them (the link check's scan keeps none of them).
func (b *builder) writeLent(rel string, data []byte, done func()) error {
	b.links.Add(rel, data)
	return b.sendLent(rel, data, done)
}

// writeOutput is write for an HTML file whose Cache entry the caller holds. An unchanged page keeps
// its scan (and the very bytes it had), which is what makes the dev server's rebuild and its diff of
// the output cost little.
func (b *builder) writeOutput(e *cachedOutput, data []byte) error {
	b.links.AddScanned(e.rel, b.opts.Cache.scan(e, data))
	return b.send(e.rel, data)
}

func (b *builder) send(rel string, data []byte) error { return b.sendLent(rel, data, nil) }

// sendLent is send for bytes lent when done is not nil: done is called once the sink no longer uses
// them (at once, after a copy, for a sink that cannot be lent bytes).
func (b *builder) sendLent(rel string, data []byte, done func()) error {
	b.files.Add(1)
	b.bytes.Add(int64(len(data)))
	if done == nil {
		return b.sink.WriteFile(rel, data)
	}
	if l, ok := b.sink.(output.Lender); ok {
		return l.WriteLent(rel, data, done)
	}
	defer done()
	return b.sink.WriteFile(rel, bytes.Clone(data))
}

// searchEntryForPages is what pages name as the search index: the real name, or with a Cache the
// placeholder that write replaces.
func (b *builder) searchEntryForPages() string {
	if b.opts.Cache != nil {
		return SearchPlaceholder
	}
	return b.searchEntry
}

// outPath is the file a page URL is written to.
func outPath(url string) string { return url + "index.html" }
