// Package content is the load stage: it walks a site's content/ folder and returns its notes as Pages
// (front matter parsed, URL assigned, body still markdown) and every other file as an Asset to copy.
//
// Input: the content directory. Output: a Site value, sorted into navigation order, plus diagnostics.
// Nothing here knows about markdown or HTML; later stages take the Pages from here.
package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/diag"
)

// Page is one note.
type Page struct {
	File     string // path shown to the user (relative to the site root, e.g. "content/glue.md")
	Rel      string // slash path under content/, e.g. "glue.md"
	Dir      string // slash folder under content/, "." at the top
	URL      string // root-relative pretty URL, "glue/"; "" is the home page
	Front    FrontMatter
	Title    string // front matter title; filled from the first heading by the markdown stage when empty
	Body     []byte // markdown after the front matter
	BodyLine int    // line of the file where Body starts (1-based)
	IsIndex  bool   // an index.md: the page of its folder
}

// Asset is a file copied as it is (images, PDFs, ...).
type Asset struct {
	File string // path shown to the user
	Src  string // path on disk
	Rel  string // slash path under content/, also its path in the output
}

// Section is a folder of content/ that holds notes.
type Section struct {
	Dir   string // slash folder under content/
	URL   string
	Index *Page // its index.md, if any
	Title string
}

// Site is everything the load stage found.
type Site struct {
	Pages    []*Page // in navigation order
	Assets   []Asset
	Sections []*Section // sorted by Dir; "." is the top
	// DataFiles are underscore files (e.g. _services.yaml): data, not pages, keyed by slash path.
	DataFiles map[string]string
	// Drafts are the slash paths under content/ of notes left out because they are drafts, so that a
	// link to one can say so instead of calling the note missing.
	Drafts []string
}

// Options tune loading.
type Options struct {
	Drafts bool   // include notes with draft: true
	Root   string // site root, used to show paths relative to it
	// Cache, when set, hands notes whose files are unchanged over from the last Load with it.
	Cache *Cache
	// Changed, with a Cache, lists the slash paths under dir of every file created, written, removed or
	// renamed since the Cache's last Load, as a file watcher reports them; nil means unknown. Given it,
	// Load asks the file system only about those files: when they are all notes or files it already
	// knew, it keeps the last listing of the folder instead of walking it, and takes every other note
	// from the cache without looking at its file.
	Changed []string
}

// MaxNoteSize is the largest note read; larger files are refused rather than risking the build's memory.
// A 50 MB note took 6.5 minutes and 1.2 GB to build (one page of 140 MB with its search index), while the
// largest page of the AWS guides is 0.9 MB: 16 MB leaves real notes ample room and keeps a stray dump
// from stalling the build.
const MaxNoteSize = 16 << 20

// Load walks dir (the content folder) and reads every note in parallel.
func Load(dir string, opts Options) (*Site, []diag.Diagnostic) {
	site := &Site{DataFiles: map[string]string{}}
	var ds []diag.Diagnostic
	show := func(p string) string {
		if opts.Root != "" {
			if r, err := filepath.Rel(opts.Root, p); err == nil && !strings.HasPrefix(r, "..") {
				return filepath.ToSlash(r)
			}
		}
		return filepath.ToSlash(p)
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, []diag.Diagnostic{diag.At(show(dir), 0, "no content folder: create %s and put your markdown notes in it", show(dir))}
	}
	var l *listing
	if opts.Cache != nil && opts.Changed != nil {
		l = opts.Cache.listingFor(dir, opts.Changed)
	}
	if l == nil {
		l = walk(dir, show)
		if opts.Cache != nil {
			opts.Cache.putListing(dir, l)
		}
	}
	ds = append(ds, l.diags...)
	site.Assets = append(site.Assets, l.assets...)
	for rel, p := range l.dataFiles {
		site.DataFiles[rel] = p
	}
	notes := make([]*Page, len(l.notes))
	for i := range l.notes {
		p := l.notes[i]
		notes[i] = &p
	}
	var changed map[string]bool
	if opts.Changed != nil {
		changed = make(map[string]bool, len(opts.Changed))
		for _, c := range opts.Changed {
			changed[c] = true
		}
		for _, c := range l.linked {
			changed[c] = true
		}
	}

	// Read and split in parallel: on large sites reading is a real share of the build. Notes known
	// unchanged are taken from the cache first, here: handing each to a worker would cost more than
	// taking it.
	srcs := l.sources(dir)
	errs := make([][]diag.Diagnostic, len(notes))
	todo := make([]int, 0, len(notes))
	if opts.Cache != nil {
		opts.Cache.begin()
	}
	for i := range notes {
		if opts.Cache != nil && changed != nil && !changed[notes[i].Rel] {
			if ds, ok := opts.Cache.unchanged(srcs[i], notes[i]); ok {
				errs[i] = ds
				continue
			}
		}
		todo = append(todo, i)
	}
	read := func(i int) { errs[i] = readNote(notes[i], srcs[i], opts.Cache) }
	if workers := min(runtime.GOMAXPROCS(0), len(todo)); workers <= 1 {
		for _, i := range todo {
			read(i)
		}
	} else {
		var wg sync.WaitGroup
		next := make(chan int, workers)
		for range workers {
			wg.Go(func() {
				for i := range next {
					read(i)
				}
			})
		}
		for _, i := range todo {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	if opts.Cache != nil {
		opts.Cache.done()
	}
	for i, p := range notes {
		ds = append(ds, errs[i]...)
		if p.Body == nil && p.BodyLine == 0 {
			continue // unreadable
		}
		if p.Front.Draft && !opts.Drafts {
			site.Drafts = append(site.Drafts, p.Rel)
			continue
		}
		site.Pages = append(site.Pages, p)
	}
	ds = append(ds, assignURLs(site, l.urlFor)...)
	site.Sections = sections(site.Pages)
	Order(site)
	return site, ds
}

// listing is what a walk of the content folder found: notes (only their names filled in), assets, data
// files, and what could not be used.
type listing struct {
	notes     []Page
	assets    []Asset
	dataFiles map[string]string
	diags     []diag.Diagnostic
	known     map[string]bool // every path above, made by Cache.listingFor when first needed
	// urls memoizes URLFor: a listing kept by a Cache serves many Loads.
	urls map[string]string
	// linked are the notes that are symbolic links: a watcher reports a change to the file linked to,
	// not to the link, so these are always looked at.
	linked []string
	// srcs are the notes' paths on disk, made once: a listing kept by a Cache serves many Loads.
	srcs    []string
	srcsDir string
}

// sources returns the paths on disk of the listing's notes in the folder dir.
func (l *listing) sources(dir string) []string {
	if l.srcs == nil || l.srcsDir != dir {
		l.srcs = make([]string, len(l.notes))
		for i, p := range l.notes {
			l.srcs[i] = filepath.Join(dir, filepath.FromSlash(p.Rel))
		}
		l.srcsDir = dir
	}
	return l.srcs
}

// urlFor is URLFor, worked out once per note of the listing.
func (l *listing) urlFor(rel string) string {
	if u, ok := l.urls[rel]; ok {
		return u
	}
	if l.urls == nil {
		l.urls = map[string]string{}
	}
	u := URLFor(rel)
	l.urls[rel] = u
	return u
}

// walk lists the content folder dir; show names a path for messages.
func walk(dir string, show func(string) string) *listing {
	l := &listing{dataFiles: map[string]string{}}
	ds := &l.diags
	absRoot, _ := filepath.Abs(dir)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			*ds = append(*ds, diag.At(show(p), 0, "cannot read: %v", unwrapPath(err)))
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if rel != "." && !d.IsDir() && isEditorTemp(name) {
			return nil
		}
		if rel != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if !d.IsDir() && strings.HasPrefix(name, "_") {
				l.dataFiles[rel] = p
			}
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				*ds = append(*ds, diag.At(show(p), 0, "broken or looping symbolic link: %v", unwrapPath(err)))
				return nil
			}
			abs, _ := filepath.Abs(target)
			if r, err := filepath.Rel(absRoot, abs); err != nil || strings.HasPrefix(r, "..") {
				*ds = append(*ds, diag.At(show(p), 0, "symbolic link points outside the content folder (to %s); refusing to publish it", target))
				return nil
			}
			st, err := os.Stat(target)
			if err != nil || st.IsDir() {
				return nil // links to folders are not followed: they could loop
			}
			if !st.Mode().IsRegular() {
				*ds = append(*ds, diag.WarnAt(show(p), 0, "skipped: it links to %s, which is not a regular file", describeMode(st.Mode())))
				return nil
			}
		} else if !d.Type().IsRegular() {
			// Reading a named pipe or a device would block the build or never end.
			*ds = append(*ds, diag.WarnAt(show(p), 0, "skipped: it is %s, not a regular file", describeMode(d.Type())))
			return nil
		}
		if isNote(name) {
			l.notes = append(l.notes, Page{File: show(p), Rel: rel, Dir: path.Dir(rel)})
			if d.Type()&fs.ModeSymlink != 0 {
				l.linked = append(l.linked, rel)
			}
		} else {
			l.assets = append(l.assets, Asset{File: show(p), Src: p, Rel: rel})
		}
		return nil
	})
	if err != nil {
		*ds = append(*ds, diag.At(show(dir), 0, "cannot walk content: %v", err))
	}

	return l
}

// describeMode names the kind of a file that is not a regular file or folder, for messages.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

func isNote(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// MaxNestingCost bounds the sum, over a note's lines, of the square of each line's container prefix (its
// leading indentation, '>' quote markers and list markers, in columns). The markdown parser checks every
// open list and quote on every line, so its time grows with depth × indentation per line: a list nested
// 1,000 levels deep, one level a line, takes 15 s and 2,000 levels over 3 minutes. Real notes stay
// several orders of magnitude below this limit; a note above it is refused at the line where it crosses.
const MaxNestingCost = 100_000_000

// nestingCost returns the 1-based line of body at which the nesting cost crosses MaxNestingCost and that
// line's prefix width, or 0 when it never does.
func nestingCost(body []byte) (line, width int) {
	cost := 0
	n := 1
	for len(body) > 0 {
		w, col := 0, 0
	prefix:
		for _, c := range body {
			switch c {
			case ' ', '>', '-', '*', '+', '.', ')', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				col++
			case '\t':
				col += 4 - col%4
			default:
				break prefix
			}
			w = col
		}
		cost += w * w
		if cost > MaxNestingCost {
			return n, w
		}
		i := bytes.IndexByte(body, '\n')
		if i < 0 {
			break
		}
		body = body[i+1:]
		n++
	}
	return 0, 0
}

// readNote fills p from its file, or from c when the file is unchanged since c read it; a page it cannot
// use gets BodyLine 0.
func readNote(p *Page, src string, c *Cache) []diag.Diagnostic {
	if c == nil {
		data, size, err := readNoteFile(src, MaxNoteSize)
		switch {
		case err != nil:
			return []diag.Diagnostic{diag.At(p.File, 0, "cannot read note: %v", err)}
		case size > MaxNoteSize:
			return tooLarge(p, size)
		}
		return parseNoteData(p, data)
	}
	st, err := os.Stat(src)
	if err == nil && st.Size() > MaxNoteSize {
		return tooLarge(p, st.Size())
	}
	if err != nil {
		return parseNote(p, src)
	}
	if cached, ds, ok := c.get(src, st); ok {
		*p = cached
		return ds
	}
	read := time.Now()
	ds := parseNote(p, src)
	c.put(src, st, read, p, ds)
	return ds
}

// tooLarge is the error of a note of size bytes, over MaxNoteSize.
func tooLarge(p *Page, size int64) []diag.Diagnostic {
	return []diag.Diagnostic{diag.At(p.File, 0, "note is %d bytes, over the limit of %d MB (%d bytes); split it into several notes", size, MaxNoteSize>>20, MaxNoteSize)}
}

// parseNote reads a note's file and splits off and parses its front matter.
func parseNote(p *Page, src string) []diag.Diagnostic {
	data, err := os.ReadFile(src)
	if err != nil {
		return []diag.Diagnostic{diag.At(p.File, 0, "cannot read note: %v", unwrapPath(err))}
	}
	return parseNoteData(p, data)
}

// parseNoteData splits off and parses the front matter of a note's file, data.
func parseNoteData(p *Page, data []byte) []diag.Diagnostic {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return []diag.Diagnostic{diag.At(p.File, lineAt(data, i), "this looks like a binary file, not markdown (it contains a NUL byte)")}
	}
	if !utf8.Valid(data) {
		i := firstInvalid(data)
		return []diag.Diagnostic{diag.At(p.File, lineAt(data, i), "not valid UTF-8 (byte 0x%02x at offset %d); save the file as UTF-8", data[i], i)}
	}
	fm, body, bodyLine, err := Split(data)
	if err != nil {
		return []diag.Diagnostic{diag.At(p.File, 1, "%v", err)}
	}
	if line, depth := nestingCost(body); line > 0 {
		return []diag.Diagnostic{diag.At(p.File, bodyLine+line-1, "nested too deeply: this line starts with %d columns of indentation, quote and list markers, after many deep lines; the markdown parser's time grows with the square of the depth, so this note would take minutes to build; flatten the nesting", depth)}
	}
	front, ds, err := parseFrontMatter(p.File, fm)
	if err != nil {
		return []diag.Diagnostic{toDiag(err)}
	}
	p.Front = front
	p.Title = strings.TrimSpace(front.Title)
	p.Body = body
	if p.Body == nil {
		p.Body = []byte{}
	}
	p.BodyLine = bodyLine
	base := strings.TrimSuffix(path.Base(p.Rel), path.Ext(p.Rel))
	p.IsIndex = base == "index" || base == "_index" || base == "README"
	return ds
}

// toDiag keeps a diagnostic as it is and wraps anything else.
func toDiag(err error) diag.Diagnostic {
	if d, ok := err.(diag.Diagnostic); ok {
		return d
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return toDiag(j.Unwrap()[0])
	}
	return diag.Diagnostic{Severity: diag.Error, Offset: -1, Msg: err.Error()}
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

func lineAt(b []byte, off int) int { return bytes.Count(b[:off], []byte("\n")) + 1 }

// assignURLs gives every page its URL and reports two notes claiming the same one.
// A README.md is its folder's page only when the folder has no index.md or _index.md: repositories of
// documentation (the AWS guides) carry both, and the README then is a page of its own at readme/.
func assignURLs(site *Site, urlFor func(rel string) string) []diag.Diagnostic {
	var ds []diag.Diagnostic
	hasIndex := map[string]bool{}
	for _, p := range site.Pages {
		if base := strings.TrimSuffix(path.Base(p.Rel), path.Ext(p.Rel)); p.IsIndex && base != "README" {
			hasIndex[p.Dir] = true
		}
	}
	byURL := map[string]*Page{}
	for _, p := range site.Pages {
		p.URL = urlFor(p.Rel)
		if p.IsIndex && hasIndex[p.Dir] && strings.TrimSuffix(path.Base(p.Rel), path.Ext(p.Rel)) == "README" {
			p.IsIndex = false
			p.URL = DirURL(p.Dir) + Slug("README") + "/"
		}
		if other, ok := byURL[p.URL]; ok {
			a, b := other, p
			if a.File > b.File {
				a, b = b, a
			}
			ds = append(ds, diag.At(b.File, 1, "%s and %s both want the URL /%s; rename or move one of them", a.File, b.File, p.URL))
			continue
		}
		byURL[p.URL] = p
	}
	for _, a := range site.Assets {
		if url, ok := strings.CutSuffix(a.Rel, "index.html"); ok {
			if p := byURL[url]; p != nil {
				ds = append(ds, diag.At(a.File, 0, "%s and %s both want the file %s", a.File, p.File, a.Rel))
			}
		}
	}
	return ds
}

func sections(pages []*Page) []*Section {
	byDir := map[string]*Section{}
	var ensure func(dir string) *Section
	ensure = func(dir string) *Section {
		if s, ok := byDir[dir]; ok {
			return s
		}
		s := &Section{Dir: dir, URL: DirURL(dir), Title: titleFromName(path.Base(dir))}
		if dir == "." {
			s.Title = ""
		}
		byDir[dir] = s
		if dir != "." {
			ensure(path.Dir(dir))
		}
		return s
	}
	ensure(".")
	for _, p := range pages {
		s := ensure(p.Dir)
		if p.IsIndex {
			s.Index = p
		}
	}
	out := make([]*Section, 0, len(byDir))
	for _, s := range byDir {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// titleFromName turns a file or folder name into a readable title: "step-functions" → "Step functions".
func titleFromName(name string) string {
	name = strings.TrimSuffix(name, path.Ext(name))
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	name = strings.TrimSpace(name)
	if name == "" {
		return "Untitled"
	}
	r, n := utf8.DecodeRuneInString(name)
	return strings.ToUpper(string(r)) + name[n:]
}

// FallbackTitle is the title of a page with neither a front-matter title nor a heading: its file name,
// or its folder's name for an index page.
func FallbackTitle(p *Page) string {
	if p.IsIndex {
		if p.Dir == "." {
			return "Home"
		}
		return titleFromName(path.Base(p.Dir))
	}
	return titleFromName(path.Base(p.Rel))
}

// Order sorts pages into navigation order, depth first: within a folder, its index page comes first, then
// its notes and sub-folders together by weight (unweighted last; a folder weighs what its index.md says),
// then by name. Order never uses titles, so it stays stable while a note is edited.
func Order(site *Site) {
	type node struct {
		key    string
		weight int
		index  *Page
		pages  []*Page
		dirs   map[string]*node
	}
	root := &node{dirs: map[string]*node{}}
	var dirNode func(dir string) *node
	dirNode = func(dir string) *node {
		if dir == "." {
			return root
		}
		parent := dirNode(path.Dir(dir))
		n, ok := parent.dirs[dir]
		if !ok {
			n = &node{key: path.Base(dir), dirs: map[string]*node{}}
			parent.dirs[dir] = n
		}
		return n
	}
	for _, p := range site.Pages {
		n := dirNode(p.Dir)
		if p.IsIndex && n.index == nil {
			n.index = p
			n.weight = p.Front.Weight
		} else {
			n.pages = append(n.pages, p)
		}
	}
	type entry struct {
		key    string
		weight int
		page   *Page
		dir    *node
	}
	var out []*Page
	var walk func(n *node)
	walk = func(n *node) {
		if n.index != nil {
			out = append(out, n.index)
		}
		var es []entry
		for _, p := range n.pages {
			es = append(es, entry{key: path.Base(p.Rel), weight: p.Front.Weight, page: p})
		}
		for _, d := range n.dirs {
			es = append(es, entry{key: d.key, weight: d.weight, dir: d})
		}
		sort.Slice(es, func(i, j int) bool {
			wi, wj := weightKey(es[i].weight), weightKey(es[j].weight)
			if wi != wj {
				return wi < wj
			}
			return es[i].key < es[j].key
		})
		for _, e := range es {
			if e.page != nil {
				out = append(out, e.page)
			} else {
				walk(e.dir)
			}
		}
	}
	walk(root)
	site.Pages = out
}

func weightKey(w int) int {
	if w == 0 {
		return 1 << 30
	}
	return w
}

// String is for debugging and test failure messages.
func (p *Page) String() string { return fmt.Sprintf("%s → /%s", p.Rel, p.URL) }

// isEditorTemp recognises the files editors leave beside a note while saving (glue.md~, #glue.md#,
// glue.md.swp, glue.md___jb_tmp___, vim's 4913 probe): they must never be published.
func isEditorTemp(name string) bool {
	switch {
	case strings.HasSuffix(name, "~"), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"), strings.HasSuffix(name, ".tmp"),
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"), name == "4913":
		return true
	}
	return false
}
