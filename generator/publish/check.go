package publish

import (
	"bytes"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/lectern/lectern/generator/diag"
)

// Checker sees every file a build writes and, once the build has written them all, reports the internal
// links and anchors in the output that lead nowhere. Its zero value is ready to use; Add and Require may
// be called from many goroutines at once, Check once at the end.
type Checker struct {
	mu       sync.Mutex
	files    map[string]bool
	pages    map[string]*Scan
	others   []string // the files that are not pages, in the order added
	sorted   []string // the pages, sorted, once Pages or Check has sorted them; nil after a page is added
	required []requiredSet
	// urls holds the URLs of the pages Add scanned, each once: most are the same navigation and theme
	// links on page after page, and holding one copy of each keeps the checker's memory proportional to
	// distinct links.
	urls *urlTable
}

// requiredSet is URLs another stage promises will work (search results, say), from one file; what names
// them in messages ("search result").
type requiredSet struct {
	file string
	what string
	rs   []Required
}

// Add records one written file; HTML files (by their .html name) are scanned for ids and URLs. rel is the
// slash path under the output folder. The Scan it keeps holds less than ScanHTML's: its URLs are in the
// Checker's table, and the references to the page itself that lead somewhere on it are left out, as
// nothing Check reports depends on them.
func (c *Checker) Add(rel string, data []byte) {
	var s *Scan
	if strings.HasSuffix(rel, ".html") {
		z := newScanner(data)
		z.run() // outside the lock: this is the expensive part
		s = z.finish(true)
		c.mu.Lock()
		if c.urls == nil {
			c.urls = newURLTable()
		}
		z.pack(s, c.urls)
		c.mu.Unlock()
		z.release()
	}
	c.AddScanned(rel, s)
}

// AddScanned records a written file whose HTML was scanned before (nil for a file that is not HTML):
// the dev server's incremental builds keep the scans of pages that did not change. s is not modified.
func (c *Checker) AddScanned(rel string, s *Scan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[string]bool{}
		c.pages = map[string]*Scan{}
	}
	n := len(c.files)
	c.files[rel] = true
	if s != nil {
		if _, ok := c.pages[rel]; !ok {
			c.sorted = nil
		}
		c.pages[rel] = s
	} else if len(c.files) > n {
		c.others = append(c.others, rel)
	}
}

// Require records a root-relative URL ("glue/#job-bookmarks") that something other than an HTML page
// will lead a reader to, such as a search result; what names it in messages ("search result") and file
// and line say where it came from.
func (c *Checker) Require(file string, line int, url, what string) {
	c.mu.Lock()
	c.required = append(c.required, requiredSet{file, what, []Required{{line, url}}})
	c.mu.Unlock()
}

// Required is a URL for RequireAll: root-relative, with the line of the file it came from.
type Required struct {
	Line int
	URL  string
}

// RequireAll is Require for many URLs from one file, under one lock. It keeps rs, which must not be
// modified afterwards (the dev server hands over the same list build after build).
func (c *Checker) RequireAll(file, what string, rs []Required) {
	c.mu.Lock()
	c.required = append(c.required, requiredSet{file, what, rs})
	c.mu.Unlock()
}

// Pages lists the HTML files written, sorted, leaving out those marked noindex.
func (c *Checker) Pages() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return indexed(c.sortedPages(), c.pages)
}

// Pages is c.Pages() for the dev server's builds: when c holds the same pages as the previous Check with
// this cache, it takes that Check's sorted list rather than sorting again.
func (k *CheckCache) Pages(c *Checker) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	k.mu.Lock()
	defer k.mu.Unlock()
	rels, _, _ := k.pageList(c)
	return indexed(rels, c.pages)
}

// sortedPages returns the pages' output paths, sorted once per set of pages. The caller holds c.mu.
func (c *Checker) sortedPages() []string {
	if c.sorted == nil {
		c.sorted = make([]string, 0, len(c.pages))
		for rel := range c.pages {
			c.sorted = append(c.sorted, rel)
		}
		sort.Strings(c.sorted)
	}
	return c.sorted
}

// indexed is the pages rels (sorted) without those marked noindex.
func indexed(rels []string, pages map[string]*Scan) []string {
	out := make([]string, 0, len(rels))
	for _, rel := range rels {
		if !pages[rel].NoIndex {
			out = append(out, rel)
		}
	}
	return out
}

// Source is what the checker knows about where an output page came from.
type Source struct {
	// File names the page's source as the user knows it: the note ("content/glue.md"), or for a page no
	// note made (home, folder and 404 pages without a note of their own) a description of it.
	File string
	// Body is the note's markdown after the front matter, starting at line BodyLine of File; nil when
	// there is no note. It is never modified afterwards: with a CheckCache, a page whose Source has the
	// very same Body slice (and the same File, BodyLine and Links) as in the previous build keeps the
	// attribution of its broken links.
	Body     []byte
	BodyLine int
	// Unread says that File is a note whose markdown was not at hand (a build lets go of it after
	// parsing, and it could not be read again, or its file changed since): a broken reference that
	// Links do not account for is then reported at the note's first line, unless Reported knows of it
	// at any line of the note, since where its text holds the reference cannot be told.
	Unread bool
	// Links are the note's links as the markdown stage resolved them.
	Links []SourceLink
}

// SourceLink is a link written in a note, as the markdown stage saw it.
type SourceLink struct {
	Line     int
	Dest     string // as written
	Target   string // root-relative URL of the page or file it resolved to ("glue/", "img/a%20b.png")
	Fragment string // without '#'
}

// CheckOptions tell Check how to read URLs and where pages came from.
type CheckOptions struct {
	// BaseURL is the absolute URL the site is published at, ending in "/"; "" when unknown. Absolute
	// URLs under it, and root-absolute paths under its path, are internal.
	BaseURL string
	// Source returns where the output HTML file rel came from; nil or a nil result means unknown.
	Source func(rel string) *Source
	// Reported says whether an earlier stage already reported a problem with a link written as dest at
	// file:line, so it is not reported twice; nil means nothing was. Line 0 asks about any line of file.
	Reported func(file string, line int, dest string) bool
	// Cache, when set, carries resolutions and page results from the previous build's Check to this one,
	// so that a rebuild after a small edit re-checks only what the edit could change (see CheckCache). The
	// result is the same with or without it.
	Cache *CheckCache
}

// problem is one broken reference found in the output, before it is attributed to a source.
type problem struct {
	ref    Ref
	nth    int    // how many earlier refs on the page had the same URL
	target string // output file the URL resolves to
	frag   string
	why    string
}

// Check resolves every URL of every page, and every required URL, against the files written, and returns
// one warning per broken link, sorted. External URLs are not fetched.
func (c *Checker) Check(opts CheckOptions) []diag.Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	cache, keep := opts.Cache, true
	if cache == nil {
		cache, keep = &CheckCache{}, false
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	rels, results, requiredBroken := cache.check(c, parseBase(opts.BaseURL), keep)

	// Attribute each page's broken references to its source, reusing the attributions that still hold.
	attrs := make([]*attribution, len(rels))
	n := 0
	for i, rel := range rels {
		p := results[i]
		if len(p.broken) == 0 {
			continue
		}
		var src *Source
		if opts.Source != nil {
			src = opts.Source(rel)
		}
		if src == nil {
			src = &Source{File: rel}
		}
		a := p.attr
		if !a.holds(src, opts.Reported) {
			a = attributeAll(src, p.broken, opts.Reported)
			if keep {
				p.attr = a
			}
		}
		attrs[i] = a
		n += len(a.diags)
	}

	// Problems that are not in a note are reported once for all the pages that carry them.
	theme := map[string]*themeProblem{}
	var themeOrder []string
	for i, a := range attrs {
		if a == nil {
			continue
		}
		for _, t := range a.theme {
			tp := theme[t.group]
			if tp == nil {
				tp = &themeProblem{first: *t.p, file: a.file}
				theme[t.group] = tp
				themeOrder = append(themeOrder, t.group)
			}
			if tp.last != rels[i] {
				tp.pages++
				tp.last = rels[i]
			}
		}
	}
	// A theme problem whose target a note's own text holds is a generated page quoting the note (the
	// cheat sheet quotes notes): it is reported at the note.
	inNotes := make(map[string]bool, len(themeOrder))
	for _, key := range themeOrder {
		inNotes[theme[key].first.target+"#"+theme[key].first.frag] = false
	}
	for _, a := range attrs {
		if a == nil {
			continue
		}
		for _, key := range a.inNotes {
			if _, ok := inNotes[key]; ok {
				inNotes[key] = true
			}
		}
	}

	out := make([]diag.Diagnostic, 0, n+len(themeOrder))
	for _, a := range attrs {
		if a != nil {
			out = append(out, a.diags...)
		}
	}
	for _, key := range themeOrder {
		tp := theme[key]
		if inNotes[tp.first.target+"#"+tp.first.frag] {
			continue
		}
		msg := fmt.Sprintf("broken %s %q: %s", kindOf(tp.first.ref), tp.first.ref.URL, tp.first.why)
		if tp.pages > 1 {
			msg += fmt.Sprintf(" (on %d pages; it is not in the note, so it comes from the theme or a generated link)", tp.pages)
		} else {
			msg += " (it is not in the note, so it comes from the theme or a generated link)"
		}
		out = append(out, diag.WarnAt(tp.file, 0, "%s", msg))
	}
	i := 0
	for _, set := range c.required {
		for _, r := range set.rs {
			if p := requiredBroken[i]; p != nil {
				out = append(out, diag.WarnAt(set.file, r.Line, "broken %s %q: %s", set.what, r.URL, p.why))
			}
			i++
		}
	}
	if len(out) == 0 {
		return nil
	}
	if !keep {
		diag.Sort(out)
		return out
	}
	// The warnings seldom change from one save to the next: sort them only when they did.
	if !slices.Equal(out, cache.unsorted) {
		cache.unsorted = out
		cache.sorted = slices.Clone(out)
		diag.Sort(cache.sorted)
	}
	return slices.Clone(cache.sorted)
}

// attribution is what one page's broken references come to once attributed to the page's source: the
// warnings at the note's lines, the targets the note holds, and the problems it does not (the theme's or
// a generated page's, gathered across pages by Check). A CheckCache keeps it with the page result, for as
// long as the page's Source and the Reported answers it asked for stay the same.
type attribution struct {
	src      *Source // the Source it was made from
	file     string
	body     []byte
	bodyLine int
	unread   bool
	links    []SourceLink
	asked    []question
	diags    []diag.Diagnostic
	inNotes  []string // target#frag of each problem found in the note
	theme    []themeRef
}

// question is one question put to CheckOptions.Reported, and its answer.
type question struct {
	line int
	dest string
	yes  bool
}

// themeRef is a broken reference that is not in the note, with its group: problems of one target, one
// fragment and one reason are reported once for all pages.
type themeRef struct {
	group string
	p     *problem
}

// attributeAll attributes the broken references of a page whose source is src.
func attributeAll(src *Source, broken []problem, reported func(file string, line int, dest string) bool) *attribution {
	a := &attribution{src: src, file: src.File, body: src.Body, bodyLine: src.BodyLine, unread: src.Unread, links: slices.Clone(src.Links)}
	for i := range broken {
		p := &broken[i]
		if line, dest, found := attribute(src, *p); found {
			a.inNotes = append(a.inNotes, p.target+"#"+p.frag)
			yes := reported != nil && reported(src.File, line, dest)
			a.asked = append(a.asked, question{line, dest, yes})
			if !yes {
				a.diags = append(a.diags, diag.WarnAt(src.File, max(line, 1), "broken %s %q: %s", kindOf(p.ref), p.ref.URL, p.why))
			}
			continue
		}
		a.theme = append(a.theme, themeRef{p.target + "#" + p.frag + "\x00" + p.why, p})
	}
	return a
}

// holds reports whether the attribution is still the one of a page whose source is now src: the same
// Source (a Source is never modified), or one with the same note file, the very same body bytes (a
// Source's Body is never modified, so an unchanged note is known by its slice) and the same links; and
// the same Reported answers. A Source without its Body (Unread) is known by nothing but its pointer.
func (a *attribution) holds(src *Source, reported func(file string, line int, dest string) bool) bool {
	if a == nil {
		return false
	}
	if src != a.src && (a.file != src.File || a.bodyLine != src.BodyLine || a.unread || src.Unread ||
		!sameSlice(a.body, src.Body) || !slices.Equal(a.links, src.Links)) {
		return false
	}
	for _, q := range a.asked {
		if (reported != nil && reported(a.file, q.line, q.dest)) != q.yes {
			return false
		}
	}
	return true
}

// sameSlice reports whether a and b are the very same bytes: one slice of one array, or both nil.
func sameSlice(a, b []byte) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0]
}

// parallel splits [0, n) into contiguous ranges and runs fn on each, on every core.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+63)/64)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+per, n))
	}
	wg.Wait()
}

// themeProblem gathers one broken target that appears outside the notes' text, often on every page.
type themeProblem struct {
	first problem
	file  string
	pages int    // distinct pages carrying it
	last  string // the last page counted
}

// kindOf names a reference for messages.
func kindOf(r Ref) string {
	switch {
	case r.Tag == "img" || r.Tag == "source" && r.Attr == "srcset" || r.Attr == "poster":
		return "image"
	case r.Tag == "a" || r.Tag == "area":
		return "link"
	case r.Tag == "form" || r.Attr == "formaction":
		return "form target"
	case r.Tag == "meta" && r.RootRelative:
		return "search index"
	case r.Tag == "link" || r.Tag == "meta":
		return "link"
	}
	return "reference"
}

// attribute finds the line of the note that wrote a broken reference: through the markdown stage's
// links when the reference is one of them, else by its text in the note. It returns the line and the
// destination as the author wrote it; line 0, somewhere in the note, when its text is not at hand
// (Source.Unread).
func attribute(src *Source, p problem) (int, string, bool) {
	if src.Body == nil && !src.Unread {
		return 0, "", false
	}
	var match *SourceLink
	n := 0
	for i := range src.Links {
		l := &src.Links[i]
		if l.Fragment != p.frag || linkFile(l.Target) != p.target {
			continue
		}
		if match = l; n == p.nth {
			break
		}
		n++
	}
	if match != nil {
		return match.Line, match.Dest, true
	}
	if src.Unread {
		return 0, p.ref.URL, true
	}
	candidates := []string{p.ref.URL}
	if u, err := url.PathUnescape(p.ref.URL); err == nil && u != p.ref.URL {
		candidates = append(candidates, u)
	}
	for _, text := range candidates {
		if off := nthIndex(src.Body, text, p.nth); off >= 0 {
			return src.BodyLine + bytes.Count(src.Body[:off], []byte("\n")), text, true
		}
	}
	return 0, "", false
}

// linkFile is the output file a markdown link's target URL names.
func linkFile(target string) string {
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if target == "" {
		return "index.html"
	}
	if strings.HasSuffix(target, "/") {
		return target + "index.html"
	}
	return target
}

// nthIndex is the offset of the n-th (0-based) occurrence of s in b, or of the last one when there are
// fewer; -1 when there is none.
func nthIndex(b []byte, s string, n int) int {
	last, from := -1, 0
	needle := []byte(s)
	for i := 0; i <= n; i++ {
		j := bytes.Index(b[from:], needle)
		if j < 0 {
			break
		}
		last = from + j
		from = last + len(s)
	}
	return last
}
