package publish

import (
	"strings"
)

// A Check without a cache resolves every reference of every page, and most are the same navigation
// links page after page. A relative URL's answer depends only on the folder it climbs to: "../glue/"
// leads to the same file from every page of one folder, and a worker's pages come in sorted order, so
// siblings follow one another. So a worker remembers, for each URL of the Checker's table, the latest
// answer and the folder it was found from, and a reference whose URL climbs to that same folder takes it
// as it is.

// urlMemo is what a worker remembers of one URL of the table.
type urlMemo struct {
	class        memoClass
	up           int32 // for climbing: how many "../" the path starts with
	rootRelative bool  // the kind of reference class was worked out for
	set          bool  // scope, whole and broken hold an answer
	whole        bool  // scope is the whole folder of the page the answer was found on
	scope        string
	broken       *problem // nil when the URL leads somewhere
}

// memoClass says what the answer for a URL depends on besides the output.
type memoClass uint8

const (
	memoUnknown memoClass = iota // not worked out yet
	memoPage                     // the page itself ("", "#intro", "?q"): never remembered
	memoSite                     // nothing: root-relative, root-absolute or absolute
	memoClimb                    // the folder up levels above the page's: "../../glue/"
	memoFolder                   // the page's folder, whole: a relative path of another form
)

// classify works out m's class for a reference of URL u, root-relative or not, as resolve reads it.
func (m *urlMemo) classify(u string, rootRelative bool) {
	*m = urlMemo{rootRelative: rootRelative}
	switch {
	case u == "" || strings.HasPrefix(u, "#:~:"):
		m.class = memoPage // resolved at once, not worth remembering
		return
	case rootRelative:
		m.class = memoSite
		return
	}
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	switch {
	case u == "":
		m.class = memoPage
	case isExternal(u) || strings.HasPrefix(u, "/"):
		m.class = memoSite
	default:
		m.class = memoFolder
		if strings.IndexByte(u, '%') >= 0 {
			return
		}
		up := 0
		for strings.HasPrefix(u, "../") {
			u = u[3:]
			up++
		}
		if plainPath(u) {
			m.class, m.up = memoClimb, int32(up)
		}
	}
}

// pageFolder is the folder of the page being resolved, with the folders above it that its references
// climbed to so far.
type pageFolder struct {
	dir   string   // path.Dir of the page
	plain bool     // joinRelative reads dir (it is below the root, without '%')
	above []string // above[i] is the folder i+1 levels up, "" for the root
}

func newPageFolder(dir string) pageFolder {
	f := pageFolder{dir: dir, plain: dir == "." || dir != "" && dir[0] != '/' && dir != ".." &&
		!strings.HasPrefix(dir, "../") && strings.IndexByte(dir, '%') < 0}
	return f
}

// climb is the folder up levels above the page's ("" for the root), as joinRelative finds it; false when
// joinRelative would not answer (the folder is not plain, or up climbs above the root).
func (f *pageFolder) climb(up int) (string, bool) {
	if !f.plain {
		return "", false
	}
	d := f.dir
	if d == "." {
		d = ""
	}
	if up == 0 {
		return d, true
	}
	for len(f.above) < up {
		cur := d
		if n := len(f.above); n > 0 {
			cur = f.above[n-1]
		}
		if cur == "" {
			return "", false
		}
		f.above = append(f.above, cur[:max(strings.LastIndexByte(cur, '/'), 0)])
	}
	return f.above[up-1], true
}

// resolveMemo is v.resolve(rel, ref) for reference i of the page rel, whose scan is s and folder f: the
// answer remembered for its URL when it was found from the folder this one depends on.
func (w *checkWorker) resolveMemo(rel string, f *pageFolder, s *Scan, i int, ref Ref) (problem, bool) {
	if s.urls != w.memoTable {
		if w.memoTable != nil {
			return w.v.resolve(rel, ref) // scans with tables of their own (AddScanned): nothing shared
		}
		w.memoTable, w.memo = s.urls, make([]urlMemo, len(s.urls.urls))
	}
	m := &w.memo[s.refs[i]&urlMask]
	if m.class == memoUnknown || m.rootRelative != ref.RootRelative {
		m.classify(ref.URL, ref.RootRelative)
	}
	var scope string
	whole := false
	switch m.class {
	case memoPage:
		return w.v.resolve(rel, ref)
	case memoSite:
		scope = rootScope
	case memoClimb:
		var ok bool
		if scope, ok = f.climb(int(m.up)); !ok {
			scope, whole = f.dir, true
		}
	default:
		scope, whole = f.dir, true
	}
	if m.set && m.whole == whole && m.scope == scope {
		if m.broken == nil {
			return problem{}, true
		}
		return *m.broken, false
	}
	x, ok := w.v.resolve(rel, ref)
	m.set, m.whole, m.scope, m.broken = true, whole, scope, nil
	if !ok {
		m.broken = heapProblem(x)
	}
	return x, ok
}
