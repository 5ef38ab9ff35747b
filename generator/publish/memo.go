package publish

import (
	"math"
	"strings"
)

// A Check without a cache resolves every reference of every page, and most are the same navigation
// links page after page. A relative URL's answer depends only on the folder it climbs to: "../glue/"
// leads to the same file from every page of one folder, and a worker's pages come in sorted order, so
// siblings follow one another. So a worker remembers, for each URL of the Checker's table, the latest
// answer and the folder it was found from, and a reference whose URL climbs to that same folder takes it
// as it is.

// urlMemo is what a worker remembers of one URL of the table: sixteen bytes, as a worker holds one per
// URL of the table (35,000 for da, 100,000 for the all corpus).
type urlMemo struct {
	class  memoClass
	flags  uint8    // memoRootRelative, memoSet, memoWhole
	up     uint16   // for climbing: how many "../" the path starts with
	scope  uint32   // the folder the answer was found from, as checkWorker.scopeID numbers it
	broken *problem // nil when the URL leads somewhere
}

// The flags of a urlMemo.
const (
	memoRootRelative = 1 << iota // the kind of reference class was worked out for
	memoSet                      // scope and broken hold an answer
	memoWhole                    // scope is the whole folder of the page the answer was found on
)

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
	*m = urlMemo{}
	if rootRelative {
		m.flags = memoRootRelative
	}
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
		if plainPath(u) && up <= math.MaxUint16 {
			m.class, m.up = memoClimb, uint16(up)
		}
	}
}

// pageFolder is the folder of the page being resolved, with the folders above it that its references
// climbed to so far.
type pageFolder struct {
	dir    string   // path.Dir of the page
	plain  bool     // joinRelative reads dir (it is below the root, without '%')
	above  []string // above[i] is the folder i+1 levels up, "" for the root
	scopes []uint32 // scopes[i] numbers the folder i levels up (scopeID), 0 until asked for
	dirID  uint32   // scopeID of dir, 0 until asked for
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
	if rr := m.flags&memoRootRelative != 0; m.class == memoUnknown || rr != ref.RootRelative {
		m.classify(ref.URL, ref.RootRelative)
	}
	var scope uint32
	var whole uint8
	switch m.class {
	case memoPage:
		return w.v.resolve(rel, ref)
	case memoSite:
		scope = w.scopeID(rootScope)
	case memoClimb:
		if d, ok := f.climb(int(m.up)); ok {
			for len(f.scopes) <= int(m.up) {
				f.scopes = append(f.scopes, 0)
			}
			if f.scopes[m.up] == 0 {
				f.scopes[m.up] = w.scopeID(d)
			}
			scope = f.scopes[m.up]
			break
		}
		fallthrough
	default:
		if f.dirID == 0 {
			f.dirID = w.scopeID(f.dir)
		}
		scope, whole = f.dirID, memoWhole
	}
	if m.flags&memoSet != 0 && m.flags&memoWhole == whole && m.scope == scope {
		if m.broken == nil {
			return problem{}, true
		}
		return *m.broken, false
	}
	x, ok := w.v.resolve(rel, ref)
	m.flags = m.flags&memoRootRelative | memoSet | whole
	m.scope, m.broken = scope, nil
	if !ok {
		m.broken = heapProblem(x)
	}
	return x, ok
}

// scopeID numbers the folder (or rootScope) a remembered answer was found from, from 1 on, so that a
// urlMemo holds four bytes for it rather than a string.
func (w *checkWorker) scopeID(scope string) uint32 {
	id := w.scopeIDs[scope]
	if id == 0 {
		if w.scopeIDs == nil {
			w.scopeIDs = map[string]uint32{}
		}
		id = uint32(len(w.scopeIDs) + 1)
		w.scopeIDs[scope] = id
	}
	return id
}
