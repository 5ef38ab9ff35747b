package devserver

import (
	"hash/maphash"
	"maps"
	"math"
	"net/url"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// snapshot is one successfully built site, never modified once made: the handler serves from it while
// the next build makes another.
type snapshot struct {
	gen   int               // build number, counting from 1
	base  string            // URL path the site is served under: "/" or "/notes/"
	files map[string][]byte // slash path relative to the site root → bytes
	sums  map[string]uint64 // slash path → content hash
	// retired are fingerprinted files of earlier builds, still served (see retiredFile); retiredSize
	// is their bytes.
	retired     map[string]retiredFile
	retiredSize int
	// finish, when set, turns a file as built into the file served (Output.Finish); seed hashes what
	// it returns, and finished remembers the pages finished so far, by path.
	finish   func(rel string, data []byte) []byte
	seed     maphash.Seed
	finished sync.Map // rel → finishedFile
}

type finishedFile struct {
	data []byte
	sum  uint64
}

// newSnapshot hashes a build's files. A file whose bytes are the very slice prev holds (an incremental
// builder reusing an unchanged page) keeps its hash without being read again. With d, the delta from
// prev's files to these, only the files d lists are looked at.
func newSnapshot(gen int, base string, files map[string][]byte, prev *snapshot, seed maphash.Seed, d *delta) *snapshot {
	s := &snapshot{gen: gen, base: base, files: files, seed: seed}
	if d != nil {
		s.sums = maps.Clone(prev.sums)
		for _, p := range d.removed {
			delete(s.sums, p)
		}
		for _, p := range d.written {
			s.sums[p] = maphash.Bytes(seed, files[p])
		}
		return s
	}
	s.sums = make(map[string]uint64, len(files))
	for p, data := range files {
		if prev != nil {
			if old, ok := prev.files[p]; ok && sameSlice(old, data) {
				s.sums[p] = prev.sums[p]
				continue
			}
		}
		s.sums[p] = maphash.Bytes(seed, data)
	}
	return s
}

func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// sameMap reports whether a and b are the one map, not merely equal ones.
func sameMap(a, b map[string][]byte) bool {
	return a != nil && b != nil && reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// basePath is the path part of a base URL, the prefix the site is served under: "/notes/" for
// "https://user.github.io/notes/", "/" when there is none.
func basePath(baseURL string) string {
	if baseURL == "" {
		return "/"
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	p := path.Clean("/" + u.Path)
	if p == "/" {
		return p
	}
	return p + "/"
}

// target is what a URL path resolves to in a snapshot.
type target struct {
	status   int    // 200, 302 or 404
	file     string // the file served: the page, the site's 404.html, or "" for a bare 404
	location string // where a 302 points
}

// resolve maps a clean URL path to a file of the snapshot, the way a static host does: folders serve
// their index.html, a folder named without its slash is redirected to it, anything else missing gets
// the site's 404.html. Outside the base path there is nothing but a redirect from "/" to it.
func (s *snapshot) resolve(p string) target {
	if !strings.HasPrefix(p, s.base) {
		if p == "/" || p+"/" == s.base {
			return target{status: 302, location: s.base}
		}
		return s.notFound()
	}
	rel := p[len(s.base):]
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if _, _, ok := s.file(rel); ok {
		return target{status: 200, file: rel}
	}
	if !strings.HasSuffix(p, "/") {
		if _, ok := s.files[rel+"/index.html"]; ok {
			return target{status: 302, location: p + "/"}
		}
	}
	return s.notFound()
}

func (s *snapshot) notFound() target {
	if _, ok := s.files["404.html"]; ok {
		return target{status: 404, file: "404.html"}
	}
	return target{status: 404}
}

// version names what a tab showing URL path p has: the hash of the file served there. Two snapshots give
// one page the same version exactly when the page's bytes are the same.
func (s *snapshot) version(p string) string {
	if s == nil {
		return "none"
	}
	t := s.resolve(p)
	switch {
	case t.status == 302:
		return "redirect"
	case t.file == "":
		return "missing"
	}
	_, sum, _ := s.served(t.file)
	return hashString(sum)
}

func hashString(h uint64) string {
	return strconv.FormatUint(h, 16)
}

// rename is a fingerprinted file replaced by its next version (assets/style.1a2b3c4d5e.css →
// assets/style.6f7a8b9c0d.css, search/index.….js → search/index.….js), as the browser is told about it:
// site paths for matching elements, root-relative paths for rewriting their attributes in place.
type rename struct {
	From    string `json:"from"`
	To      string `json:"to"`
	FromRel string `json:"fromRel"`
	ToRel   string `json:"toRel"`
}

// changes is what one rebuild changed.
type changes struct {
	files   []string // added, modified and removed files, sorted
	renames []rename // fingerprinted files replaced by their next version
	refresh []string // site paths of stylesheets modified under the same name

	replace    *strings.Replacer // made by replacer when first needed
	lengthKept bool              // every rename keeps the name's length; set with replace
}

// stem is a fingerprinted name without its hash ("assets/style.css" for "assets/style.da965e1387.css"),
// or "" for other names: the hash is at least 8 lowercase hex digits between the last two dots, before an
// extension of letters and digits. Such a file never changes under its name, so it can be paired with
// its successor, and served after it was replaced. Written out rather than as a regular expression:
// a save can rename hundreds of search index files, and each is looked at.
func stem(p string) string {
	dot := strings.LastIndexByte(p, '.')
	if dot < 0 || dot == len(p)-1 {
		return ""
	}
	for i := dot + 1; i < len(p); i++ {
		if c := p[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return ""
		}
	}
	prev := strings.LastIndexByte(p[:dot], '.')
	if prev < 0 || dot-prev-1 < 8 {
		return ""
	}
	for i := prev + 1; i < dot; i++ {
		if c := p[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return ""
		}
	}
	return p[:prev] + p[dot:]
}

// diff compares two snapshots (old may be nil). With d, the delta from old's files to cur's, only the
// files d lists are compared: the others are the very bytes old had.
func diff(old, cur *snapshot, d *delta) changes {
	var c changes
	removed := map[string]string{} // stem → path; "" when two removed files share a stem
	noteRemoved := func(p string) {
		c.files = append(c.files, p)
		if st := stem(p); st != "" {
			if _, dup := removed[st]; dup {
				removed[st] = ""
			} else {
				removed[st] = p
			}
		}
	}
	// A file is added when old lacks it (or holds it empty: nil bytes), modified when its hash changed.
	added := map[string]int{} // stem → how many added files have it
	noteCurrent := func(p string, sum uint64) {
		if old != nil {
			if was, ok := old.sums[p]; ok {
				if was != sum {
					c.files = append(c.files, p)
					if strings.HasSuffix(p, ".css") {
						c.refresh = append(c.refresh, cur.base+p)
					}
				}
				return
			}
		}
		c.files = append(c.files, p)
		if st := stem(p); st != "" && added[st] == 1 && removed[st] != "" {
			from := removed[st]
			c.renames = append(c.renames, rename{From: old.base + from, To: cur.base + p, FromRel: from, ToRel: p})
		}
	}
	if d != nil {
		for _, p := range d.removed {
			noteRemoved(p)
		}
		for _, p := range d.written {
			if old.files[p] == nil {
				added[stem(p)]++
			}
		}
		for _, p := range d.written {
			noteCurrent(p, cur.sums[p])
		}
	} else {
		if old != nil {
			for p := range old.files {
				if _, ok := cur.files[p]; !ok {
					noteRemoved(p)
				}
			}
		}
		for p := range cur.files {
			if old == nil || old.files[p] == nil {
				added[stem(p)]++
			}
		}
		for p, sum := range cur.sums {
			noteCurrent(p, sum)
		}
	}
	sort.Strings(c.files)
	sort.Strings(c.refresh)
	sort.Slice(c.renames, func(i, j int) bool { return c.renames[i].From < c.renames[j].From })
	return c
}

// onlyRenamed reports whether a page's old and new bytes differ only by references to renamed files,
// so the tab can update those references instead of reloading. When every rename keeps the name's
// length (the hashes of one stem have one length), so does such a page: an edit that changed its length
// is known without rewriting it.
func (c *changes) onlyRenamed(old, cur []byte) bool {
	r := c.replacer()
	if r == nil || c.lengthKept && len(old) != len(cur) {
		return false
	}
	return r.Replace(string(old)) == string(cur)
}

// replacer is one pass over a page that puts every renamed file's new name in place of its old one,
// made once per build (notify runs on one goroutine): a save can rename hundreds of search index files,
// and a ReplaceAll per rename per open tab would cost more than the build.
func (c *changes) replacer() *strings.Replacer {
	if len(c.renames) == 0 {
		return nil
	}
	if c.replace == nil {
		pairs := make([]string, 0, 2*len(c.renames))
		c.lengthKept = true
		for _, r := range c.renames {
			pairs = append(pairs, r.FromRel, r.ToRel)
			c.lengthKept = c.lengthKept && len(r.FromRel) == len(r.ToRel)
		}
		c.replace = strings.NewReplacer(pairs...)
	}
	return c.replace
}

// retiredFile is a fingerprinted file of an earlier build, kept so that tabs which were not reloaded
// (their page did not change) can still load what their page names, such as the search index chunks
// of the build they were loaded from. Its name says its content, so serving it is never stale.
type retiredFile struct {
	data []byte
	sum  uint64
	gen  int // the last build that had it
}

// retiredBudget bounds the bytes kept in retired files; the oldest builds' files go first.
const retiredBudget = 32 << 20

// retire carries old's retired files into cur, adds old's fingerprinted files that cur no longer has, and
// trims the lot to retiredBudget. With d, the delta from old's files to cur's, it looks only at the
// files d lists: a retired file is in cur only when cur added it.
func retire(old, cur *snapshot, d *delta) {
	if old == nil {
		cur.retired = map[string]retiredFile{}
		return
	}
	keep := func(p string) {
		if stem(p) != "" {
			cur.retired[p] = retiredFile{data: old.files[p], sum: old.sums[p], gen: old.gen}
			cur.retiredSize += len(old.files[p])
		}
	}
	if d != nil {
		cur.retired = maps.Clone(old.retired)
		cur.retiredSize = old.retiredSize
		for _, p := range d.written {
			if f, ok := cur.retired[p]; ok {
				cur.retiredSize -= len(f.data)
				delete(cur.retired, p)
			}
		}
		for _, p := range d.removed {
			keep(p)
		}
	} else {
		cur.retired = make(map[string]retiredFile, len(old.retired))
		for p, f := range old.retired {
			if _, ok := cur.files[p]; !ok {
				cur.retired[p] = f
				cur.retiredSize += len(f.data)
			}
		}
		for p := range old.files {
			if _, ok := cur.files[p]; !ok {
				keep(p)
			}
		}
	}
	if cur.retiredSize > retiredBudget {
		cur.trimRetired()
	}
}

// trimRetired drops retired files, the oldest build's first and in path order within a build, until
// they fit retiredBudget. Only the files of the one build that is partly dropped are sorted: once over
// budget, every later build trims, and retired files can number thousands.
func (s *snapshot) trimRetired() {
	byGen := map[int]int{} // build → bytes of its retired files
	for _, f := range s.retired {
		byGen[f.gen] += len(f.data)
	}
	// Builds before keepFrom go whole; of build partly, files go in path order while over budget.
	keepFrom, partly := math.MaxInt, 0
	for _, g := range slices.Sorted(maps.Keys(byGen)) {
		if s.retiredSize-byGen[g] <= retiredBudget {
			keepFrom, partly = g, g
			break
		}
		s.retiredSize -= byGen[g]
	}
	var paths []string
	for p, f := range s.retired {
		switch {
		case f.gen < keepFrom:
			delete(s.retired, p)
		case f.gen == partly:
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		if s.retiredSize <= retiredBudget {
			return
		}
		s.retiredSize -= len(s.retired[p].data)
		delete(s.retired, p)
	}
}

// served returns a file as the server sends it, finished (see Output.Finish), with its hash: finishing is
// done when a file is first asked for, so a build that changed one page costs one page's work however
// many pages name the renamed search index.
func (s *snapshot) served(rel string) ([]byte, uint64, bool) {
	data, sum, ok := s.file(rel)
	if !ok || s.finish == nil {
		return data, sum, ok
	}
	if f, ok := s.finished.Load(rel); ok {
		f := f.(finishedFile)
		return f.data, f.sum, true
	}
	out := s.finish(rel, data)
	if !sameSlice(out, data) {
		sum = maphash.Bytes(s.seed, out)
	}
	s.finished.Store(rel, finishedFile{out, sum})
	return out, sum, true
}

// file returns a file's bytes and hash as built: one of this build's, or a retired one.
func (s *snapshot) file(rel string) ([]byte, uint64, bool) {
	if data, ok := s.files[rel]; ok {
		return data, s.sums[rel], true
	}
	if f, ok := s.retired[rel]; ok {
		return f.data, f.sum, true
	}
	return nil, 0, false
}
