package publish

import (
	"path"
	"slices"
	"sort"
	"sync"

	"github.com/lectern/lectern/generator/diag"
)

// CheckCache carries the link check's work from one build to the next, so that the dev server, which
// rebuilds the whole site on every save, checks again only what the save changed. Pass the same CheckCache
// in CheckOptions.Cache to the Check of every build of one site; its zero value is ready, and it serves
// one Check at a time.
//
// It keeps two things. A resolution is the answer for one URL in one scope (the page's folder for a
// relative URL, the site for the rest) together with what the answer read: the presence of at most two
// output files and, for a fragment, the ids of the target page. A page result is a page's broken
// references, together with its Scan and the resolutions they came from. Each Check first compares the
// files written and the Scan of every page with the previous build's, stamping each file whose presence or
// ids changed (a page with a new *Scan is compared id by id, so editing a note's text leaves the links
// into it alone); a resolution is reused when nothing it read was stamped since it was made, and a page
// result when, besides, the page has the very same *Scan as before. So the cache decides by comparing
// inputs, never by trusting a list of changed files, and Check returns with it exactly what it returns
// without. A Scan handed to the Checker must therefore never be modified afterwards: an unchanged page is
// known by its pointer. A page that changed is resolved again from the resolutions it used before, and
// costs little more than looking them up.
//
// A page result also carries what Check made of its broken references: the warnings at the note's lines
// and the problems left to the theme. They are kept while the page's Source stays the same (the same
// *Source, or the same File, BodyLine and Links and the very same Body slice, which is therefore never
// modified either) and CheckOptions.Reported answers the questions asked of it the same way; so the
// Source and Reported of a page with a broken link are called on every Check, and must stay cheap. The
// sorted warnings are kept too, and sorted again only when they change.
//
// A resolution is kept while a page or required URL of the latest Check uses it, and a file's stamps while
// a kept resolution read it or the latest build wrote it, so memory follows the latest build only. A
// change of base URL starts afresh.
type CheckCache struct {
	mu  sync.Mutex
	gen uint64 // number of the latest Check
	// stampedAt is the latest Check that stamped a file a kept resolution read: a result made in it or
	// after holds as it is, which spares checking each of its resolutions after a save that changed no
	// ids and no presence they read. A file no kept resolution reads (refs 0) cannot unsettle one: every
	// resolution a Check may reuse is kept, and reads its files from the Check that made it. So the files
	// a save renames that no page names (the search index's chunks) leave every page's result alone.
	stampedAt uint64
	base      string // base URL the entries were made with
	files     map[string]*fileState
	urls      map[resKey]*resolution // one per key, each used by the latest Check
	rels      []string               // the latest Check's pages, sorted
	pages     []*pageResult          // their results, one per rels
	states    []*fileState           // their files, one per rels
	others    []*fileState           // the other files the latest build wrote
	required  []*resolution          // what the latest Check's required URLs used
	reqLists  []reqList              // the latest Check's lists of required URLs, one per set
	unsorted  []diag.Diagnostic      // the latest Check's warnings, before sorting
	sorted    []diag.Diagnostic      // and after
}

// fileState is what the cache knows of one output path: whether the latest build wrote it and with which
// Scan, and in which Check each last changed.
type fileState struct {
	path      string
	exists    bool
	scan      *Scan
	presentAt uint64 // Check in which exists last changed
	idsAt     uint64 // Check in which the ids changed, or the file became or ceased to be a page
	seenAt    uint64 // latest Check whose build wrote the file
	refs      int32  // kept resolutions that read it
}

// resKey names a resolution: the URL as written and its scope, the folder of the page it is on or
// rootScope.
type resKey struct{ scope, url string }

// resolution is the answer for one resKey and what it read.
type resolution struct {
	key    resKey
	gen    uint64   // Check that made it
	broken *problem // nil when the URL leads somewhere
	read   [2]*fileState
	ids    *fileState // the page whose ids decided the fragment, one of read; nil when none did
	refs   int32      // uses by page results and required URLs of the latest Check
}

// holdsSince reports whether nothing the resolution read has changed since Check g.
func (r *resolution) holdsSince(g uint64) bool {
	for _, f := range r.read {
		if f != nil && f.presentAt > g {
			return false
		}
	}
	return r.ids == nil || r.ids.idsAt <= g
}

// holds reports whether nothing the resolution r read has changed since it was made.
func (k *CheckCache) holds(r *resolution) bool {
	return k.stampedAt <= r.gen || r.holdsSince(r.gen)
}

// pageResult is one page's broken references, in document order.
type pageResult struct {
	scan   *Scan
	gen    uint64
	uses   []*resolution // one per reference of scan; nil for a reference to the page itself
	broken []problem
	attr   *attribution // what Check made of broken, kept while the page's Source stays the same
}

// holds reports whether the result is still the page's when its scan is s.
func (p *pageResult) holds(s *Scan) bool {
	if p.scan != s {
		return false
	}
	for _, r := range p.uses {
		if r != nil && !r.holdsSince(p.gen) {
			return false
		}
	}
	return true
}

// check returns the pages (sorted output paths), the result of each, and the broken reference of each
// required URL (nil when it works), reusing what still holds. With keep, it keeps what it made for the
// next Check; without, k is a zero CheckCache that only lends check its code, so that Check without a
// cache takes the same path, minus the bookkeeping. The caller holds k.mu.
func (k *CheckCache) check(c *Checker, b base, keep bool) ([]string, []*pageResult, []*problem) {
	if keep && (k.files == nil || k.base != b.abs) {
		k.base, k.files, k.urls = b.abs, map[string]*fileState{}, map[resKey]*resolution{}
		k.rels, k.pages, k.states, k.others, k.required = nil, nil, nil, nil, nil
		k.reqLists = nil
	}
	rels, scans, same := k.pageList(c)
	olds := k.pages // the previous results, one per rels
	if !same {
		olds = k.match(rels)
	}
	if keep {
		k.gen++
		k.stamp(c, rels, scans, same)
	}

	// Resolving is the costly part and reads only the output and the cache: do it on every core. The
	// cache's maps are only read here; what the workers make is kept afterwards, in one goroutine.
	results := make([]*pageResult, len(rels))
	var mu sync.Mutex
	var workers []*checkWorker
	parallel(len(rels), func(lo, hi int) {
		w := k.worker(c, b, keep)
		w.lo = lo
		for i := lo; i < hi; i++ {
			var old *pageResult
			if olds != nil {
				old = olds[i]
			}
			if old != nil && old.scan == scans[i] && (k.stampedAt <= old.gen || old.holds(scans[i])) {
				results[i] = old
				continue
			}
			results[i] = w.page(rels[i], scans[i], old)
		}
		mu.Lock()
		workers = append(workers, w)
		mu.Unlock()
	})
	if keep {
		sort.Slice(workers, func(i, j int) bool { return workers[i].lo < workers[j].lo })
		k.keepPages(rels, results, olds, same, workers)
	}
	return rels, results, k.checkRequired(c, b, keep)
}

// pageList returns the output paths of c's pages, sorted, and their scans. When they are the pages of the
// previous Check (same), it returns that Check's list rather than sorting again. The caller holds c.mu.
func (k *CheckCache) pageList(c *Checker) (rels []string, scans []*Scan, same bool) {
	scans = make([]*Scan, len(c.pages))
	if len(k.rels) == len(c.pages) {
		same = true
		for i, rel := range k.rels {
			if scans[i] = c.pages[rel]; scans[i] == nil {
				same = false
				break
			}
		}
		if same {
			c.sorted = k.rels
			return k.rels, scans, true
		}
	}
	rels = c.sortedPages()
	for i, rel := range rels {
		scans[i] = c.pages[rel]
	}
	return rels, scans, false
}

// match returns the previous Check's result of each of rels, nil for a new page; nil when there were none.
func (k *CheckCache) match(rels []string) []*pageResult {
	if len(k.rels) == 0 {
		return nil
	}
	olds := make([]*pageResult, len(rels))
	j := 0
	for i, rel := range rels {
		for j < len(k.rels) && k.rels[j] < rel {
			j++
		}
		if j < len(k.rels) && k.rels[j] == rel {
			olds[i] = k.pages[j]
		}
	}
	return olds
}

// worker starts a checkWorker; with keep, it notes what each resolution it makes reads.
func (k *CheckCache) worker(c *Checker, b base, keep bool) *checkWorker {
	return &checkWorker{k: k, v: resolver{b: b, files: c.files, pages: c.pages}, keep: keep, made: map[resKey]*resolution{}}
}

// stamp compares the files written and the pages' scans with the previous build's, stamping what changed
// with the current Check's number. rels and scans are the pages; same says they are the previous
// Check's pages, in which case their states are found by position rather than by path.
func (k *CheckCache) stamp(c *Checker, rels []string, scans []*Scan, same bool) {
	states := k.states
	if !same {
		states = make([]*fileState, len(rels))
		for i, rel := range rels {
			states[i] = k.state(rel)
		}
	}
	for i, f := range states {
		k.stampFile(f, scans[i])
	}
	others := make([]*fileState, 0, len(c.others))
	for _, p := range c.others {
		if c.pages[p] != nil {
			continue // written twice, once as a page: stamped with the pages
		}
		f := k.state(p)
		k.stampFile(f, nil)
		others = append(others, f)
	}
	// What the previous build wrote and this one did not is gone.
	gone := k.others
	if !same {
		gone = slices.Concat(k.others, k.states)
	}
	for _, f := range gone {
		if f.seenAt == k.gen {
			continue
		}
		if f.exists {
			f.exists, f.presentAt = false, k.gen
			k.stamped(f)
		}
		if f.scan != nil {
			f.scan, f.idsAt = nil, k.gen
			k.stamped(f)
		}
		if f.refs == 0 && k.files[f.path] == f {
			delete(k.files, f.path)
		}
	}
	k.states, k.others = states, others
}

// state returns the cache's state of the file p, making it when there is none.
func (k *CheckCache) state(p string) *fileState {
	f := k.files[p]
	if f == nil {
		f = &fileState{path: p}
		k.files[p] = f
	}
	return f
}

// stampFile notes that the current build wrote f, with scan s (nil when it is not a page).
func (k *CheckCache) stampFile(f *fileState, s *Scan) {
	if !f.exists {
		f.exists, f.presentAt = true, k.gen
		k.stamped(f)
	}
	if s != f.scan {
		if s == nil || f.scan == nil || !s.sameIDs(f.scan) {
			f.idsAt = k.gen
			k.stamped(f)
		}
		f.scan = s
	}
	f.seenAt = k.gen
}

// stamped notes that f was stamped in the current Check (see stampedAt).
func (k *CheckCache) stamped(f *fileState) {
	if f.refs > 0 {
		k.stampedAt = k.gen
	}
}

// checkWorker resolves the pages of one range, making the resolutions the cache lacks.
type checkWorker struct {
	k     *CheckCache
	v     resolver
	keep  bool // note what each resolution reads, for keepPages
	lo    int  // first page of the range
	made  map[resKey]*resolution
	order []madeResolution // what made holds, in the order made, with what each read
	read  consulted        // what the resolution being made reads
	// Without keep: the answers remembered for the URLs of memoTable, one per URL (see resolveMemo).
	memoTable *urlTable
	memo      []urlMemo
	above     []string // pageFolder.above's array, from page to page
	scopes    []uint32 // and pageFolder.scopes'
	scopeIDs  map[string]uint32
}

// madeResolution is a resolution made in this Check, with what it read, to be kept afterwards.
type madeResolution struct {
	r    *resolution
	read consulted
}

// page resolves every reference of the page rel, whose scan is s; old is the page's previous result, or nil.
func (w *checkWorker) page(rel string, s *Scan, old *pageResult) *pageResult {
	p := &pageResult{scan: s, gen: w.k.gen}
	if w.keep {
		p.uses = make([]*resolution, len(s.refs))
	}
	dir := ""
	var f pageFolder
	if w.keep {
		dir = path.Dir(rel)
	} else {
		f = newPageFolder(w.v.dirOf(rel))
		f.above, f.scopes = w.above[:0], w.scopes[:0]
		defer func() { w.above, w.scopes = f.above, f.scopes }()
	}
	for i := range s.refs {
		ref := s.ref(i)
		var x problem
		ok := true
		if !w.keep {
			x, ok = w.resolveMemo(rel, &f, s, i, ref)
		} else if scope, shared := scopeOf(dir, ref); shared {
			var r *resolution
			// An edit seldom moves the references before it: trying the previous result's resolution at
			// the same place first spares most lookups in the large map of resolutions.
			if old != nil && i < len(old.uses) && old.uses[i] != nil && old.scan.ref(i) == ref && w.k.holds(old.uses[i]) {
				r = old.uses[i]
			} else {
				r = w.resolution(resKey{scope, ref.URL}, rel, ref)
			}
			p.uses[i] = r
			if r.broken != nil {
				x, ok = *r.broken, false
			}
		} else {
			x, ok = w.v.resolve(rel, ref)
		}
		if ok {
			continue
		}
		x.ref = ref
		for j := range i {
			if s.url(j) == ref.URL {
				x.nth++
			}
		}
		p.broken = append(p.broken, x)
	}
	return p
}

// resolution returns the cache's resolution of key when it still holds, else a new one, made from
// reference r on page rel.
func (w *checkWorker) resolution(key resKey, rel string, r Ref) *resolution {
	if !w.keep {
		// Nothing is kept, so URLs that work need no resolution of their own; and nothing is looked up:
		// resolving a URL again costs less than a map of resolutions, whose keys (a relative URL's names
		// its page's folder) are mostly used once.
		p, ok := w.v.resolve(rel, r)
		if ok {
			return works
		}
		return &resolution{broken: heapProblem(p)}
	}
	if x := w.k.urls[key]; x != nil && w.k.holds(x) {
		return x
	}
	if x := w.made[key]; x != nil {
		return x
	}
	x := &resolution{key: key, gen: w.k.gen}
	w.read = consulted{}
	w.v.read = &w.read
	if p, ok := w.v.resolve(rel, r); !ok {
		x.broken = heapProblem(p)
	}
	w.v.read = nil
	w.made[key] = x
	w.order = append(w.order, madeResolution{x, w.read})
	return x
}

// heapProblem returns a copy of p of its own: taking the address of resolve's result directly would move
// it to the heap on every call, broken or not.
func heapProblem(p problem) *problem { return &p }

// works stands for every URL that works in a Check without a cache.
var works = &resolution{}

// keepPages keeps the resolutions made in this Check (one per key, when two workers made the same) and the
// page results, and lets go of what no page of this build uses. olds are the previous results of rels
// (nil when there were none), same says whether rels are the previous Check's pages.
func (k *CheckCache) keepPages(rels []string, results, olds []*pageResult, same bool, workers []*checkWorker) {
	for _, w := range workers {
		for _, m := range w.order {
			if x := k.urls[m.r.key]; x == nil || x.gen != k.gen {
				k.keep(m.r, m.read)
			}
		}
	}
	// Take hold of what the new results use before letting go of what the old ones did, so that a
	// resolution both use is never dropped in between.
	for _, p := range results {
		if p.gen != k.gen {
			continue
		}
		for j, r := range p.uses {
			if r == nil {
				continue
			}
			if r.gen == k.gen && k.urls[r.key] != r {
				r = k.urls[r.key] // another worker's copy was kept
				p.uses[j] = r
			}
			r.refs++
		}
	}
	for i, p := range results {
		if p.gen == k.gen && olds != nil && olds[i] != nil {
			k.release(olds[i].uses)
		}
	}
	if !same { // let go of the pages that are gone
		i := 0
		for j, rel := range k.rels {
			for i < len(rels) && rels[i] < rel {
				i++
			}
			if i == len(rels) || rels[i] != rel {
				k.release(k.pages[j].uses)
			}
		}
	}
	k.rels, k.pages = rels, results
}

// keep adds a resolution made in this Check to the cache, with the files it read.
func (k *CheckCache) keep(r *resolution, read consulted) {
	k.urls[r.key] = r
	for i := range read.n {
		f := k.files[read.files[i]]
		if f == nil { // not written by this build (stamp saw every file that was)
			f = &fileState{path: read.files[i], presentAt: k.gen, idsAt: k.gen}
			k.files[f.path] = f
		}
		f.refs++
		r.read[i] = f
	}
	if read.ids != "" {
		r.ids = k.files[read.ids]
	}
}

// release lets go of one use of each of rs, dropping a resolution no longer used and the state of a file
// that is neither written nor read.
func (k *CheckCache) release(rs []*resolution) {
	for _, r := range rs {
		if r != nil {
			k.releaseOne(r)
		}
	}
}

func (k *CheckCache) releaseOne(r *resolution) {
	if r.refs--; r.refs > 0 {
		return
	}
	if k.urls[r.key] == r {
		delete(k.urls, r.key)
	}
	for _, f := range r.read {
		if f == nil {
			continue
		}
		if f.refs--; f.refs == 0 && !f.exists && k.files[f.path] == f {
			delete(k.files, f.path)
		}
	}
}

// reqList is one set of required URLs of a Check: the list as handed over, and the place of its first
// URL among all the required URLs.
type reqList struct {
	start int
	rs    []Required
}

// sameList reports whether a and b are the one list (RequireAll keeps the caller's list, which must not
// be modified afterwards).
func sameList(a, b []Required) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// checkRequired resolves the required URLs, which are root-relative and share the pages' resolutions.
func (k *CheckCache) checkRequired(c *Checker, b base, keep bool) []*problem {
	w := k.worker(c, b, keep)
	n := 0
	for _, set := range c.required {
		n += len(set.rs)
	}
	out := make([]*problem, n)
	uses := make([]*resolution, n)
	// When this Check stamped nothing a kept resolution read, every resolution the previous Check used
	// still holds: a list handed over again, at the same place, has the same answers, taken as a block.
	reuse := keep && k.stampedAt < k.gen
	var lists []reqList
	if keep {
		lists = make([]reqList, len(c.required))
	}
	i := 0
	for j, set := range c.required {
		if keep {
			lists[j] = reqList{i, set.rs}
		}
		if reuse && j < len(k.reqLists) && k.reqLists[j].start == i && sameList(k.reqLists[j].rs, set.rs) {
			for range set.rs {
				uses[i] = k.required[i]
				out[i] = uses[i].broken
				i++
			}
			continue
		}
		for _, req := range set.rs {
			// Stages require the same URLs in the same order build after build: trying the previous
			// build's resolution at the same place first spares most lookups in the large map of
			// resolutions.
			if i < len(k.required) && k.required[i].key.url == req.URL && k.holds(k.required[i]) {
				uses[i] = k.required[i]
			} else {
				uses[i] = w.resolution(resKey{rootScope, req.URL}, "", Ref{URL: req.URL, RootRelative: true})
			}
			out[i] = uses[i].broken
			i++
		}
	}
	if keep {
		for _, m := range w.order {
			k.keep(m.r, m.read)
		}
		// Most required URLs use the same resolution as in the previous Check: count only the changes.
		for i, r := range uses {
			if i >= len(k.required) || k.required[i] != r {
				r.refs++
			}
		}
		for i, r := range k.required {
			if i >= len(uses) || uses[i] != r {
				k.releaseOne(r)
			}
		}
		k.required, k.reqLists = uses, lists
	}
	return out
}
