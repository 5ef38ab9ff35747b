package devserver

import (
	"bytes"
	"hash/maphash"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// snapshot is one successfully built site, never modified once made: the handler serves from it while
// the next build makes another.
type snapshot struct {
	gen   int               // build number, counting from 1
	base  string            // URL path the site is served under: "/" or "/notes/"
	files map[string][]byte // slash path relative to the site root → bytes
	sums  map[string]uint64 // slash path → content hash
}

// newSnapshot hashes a build's files. A file whose bytes are the very slice prev holds (an incremental
// builder reusing an unchanged page) keeps its hash without being read again.
func newSnapshot(gen int, base string, files map[string][]byte, prev *snapshot, seed maphash.Seed) *snapshot {
	s := &snapshot{gen: gen, base: base, files: files, sums: make(map[string]uint64, len(files))}
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
	if _, ok := s.files[rel]; ok {
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
	return hashString(s.sums[t.file])
}

func hashString(h uint64) string {
	return strconv.FormatUint(h, 16)
}

// cssSwap is a fingerprinted stylesheet replaced by another (assets/style.1a2b.css → assets/style.3c4d.css),
// as the browser is told about it: site paths for matching <link> elements, root-relative paths for
// rewriting their href in place.
type cssSwap struct {
	From    string `json:"from"`
	To      string `json:"to"`
	FromRel string `json:"fromRel"`
	ToRel   string `json:"toRel"`
}

// changes is what one rebuild changed.
type changes struct {
	files   []string  // added, modified and removed files, sorted
	swaps   []cssSwap // fingerprinted stylesheets renamed
	refresh []string  // site paths of stylesheets modified under the same name
}

// fingerprint matches the content hash in a bundle's name, so a renamed bundle can be paired with its
// predecessor.
var fingerprint = regexp.MustCompile(`\.[0-9a-f]{6,}(\.css)$`)

// diff compares two snapshots (old may be nil).
func diff(old, cur *snapshot) changes {
	var c changes
	removed := map[string]string{} // stylesheet stem → path
	if old != nil {
		for p := range old.files {
			if _, ok := cur.files[p]; !ok {
				c.files = append(c.files, p)
				if strings.HasSuffix(p, ".css") {
					removed[fingerprint.ReplaceAllString(p, "$1")] = p
				}
			}
		}
	}
	for p, sum := range cur.sums {
		if old != nil {
			if was, ok := old.sums[p]; ok {
				if was != sum {
					c.files = append(c.files, p)
					if strings.HasSuffix(p, ".css") {
						c.refresh = append(c.refresh, cur.base+p)
					}
				}
				continue
			}
		}
		c.files = append(c.files, p)
		if from, ok := removed[fingerprint.ReplaceAllString(p, "$1")]; ok && strings.HasSuffix(p, ".css") {
			c.swaps = append(c.swaps, cssSwap{From: old.base + from, To: cur.base + p, FromRel: from, ToRel: p})
		}
	}
	sort.Strings(c.files)
	sort.Strings(c.refresh)
	sort.Slice(c.swaps, func(i, j int) bool { return c.swaps[i].From < c.swaps[j].From })
	return c
}

// cssOnly reports whether a page's old and new bytes differ only by the renamed stylesheets, so the
// tab can swap its <link> instead of reloading.
func cssOnly(old, cur []byte, swaps []cssSwap) bool {
	if len(swaps) == 0 {
		return false
	}
	for _, s := range swaps {
		old = bytes.ReplaceAll(old, []byte(s.FromRel), []byte(s.ToRel))
	}
	return bytes.Equal(old, cur)
}
