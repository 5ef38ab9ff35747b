package publish

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// base is the parsed base URL.
type base struct {
	abs  string // "https://user.github.io/notes/", or ""
	path string // "/notes/"; "/" without a base URL
}

func parseBase(s string) base {
	b := base{abs: s, path: "/"}
	if s == "" {
		return b
	}
	if !strings.HasSuffix(b.abs, "/") {
		b.abs += "/"
	}
	if u, err := url.Parse(b.abs); err == nil && u.Path != "" {
		b.path = u.Path
	} else if strings.HasPrefix(b.abs, "/") {
		b.path = b.abs
	}
	return b
}

// resolver resolves references against the files one build wrote. When read is set, it notes there what
// each resolution looked at, so that a CheckCache can tell in a later build whether the answer still holds.
// A resolver serves one goroutine: it keeps scratch buffers from one resolution to the next, so that a
// reference that leads somewhere costs no allocation.
type resolver struct {
	b     base
	files map[string]bool
	pages map[string]*Scan
	read  *consulted

	path, clean []byte // the path a reference names, and the file it leads to
	rel, dir    string // the page of the latest resolution, and its folder
}

// consulted is what one resolution looked at besides its URL and scope: the output files whose presence
// decided it (at most two: "glue" and then "glue/index.html"), and the page whose ids decided its fragment.
type consulted struct {
	files [2]string
	n     int
	ids   string // "" when no fragment was looked up
}

// has reports whether the build wrote the file p, noting that the answer depends on it.
func (v *resolver) has(p []byte) bool {
	if w := v.read; w != nil && (w.n == 0 || w.files[0] != string(p)) && (w.n < 2 || w.files[1] != string(p)) {
		w.files[w.n] = string(p) // resolvePath reads at most two distinct files: a third is a bug, and panics here
		w.n++
	}
	return v.files[string(p)]
}

// page returns the scan of the HTML file p (nil for other files), noting that the answer depends on its ids.
func (v *resolver) page(p []byte) *Scan {
	if v.read != nil {
		v.read.ids = string(p)
	}
	return v.pages[string(p)]
}

// dirOf is path.Dir(rel), worked out once for the references of one page.
func (v *resolver) dirOf(rel string) string {
	if rel != v.rel || v.dir == "" {
		v.rel, v.dir = rel, path.Dir(rel)
	}
	return v.dir
}

// scopeOf says what, besides the output, the resolution of reference r on a page in folder dir depends
// on: the folder for a relative path (the scope is dir), nothing for root-relative, root-absolute and
// absolute URLs (rootScope). shared is false for references to the page itself ("", "#intro", "?q"),
// which only the page's own ids decide.
func scopeOf(dir string, r Ref) (scope string, shared bool) {
	u := r.URL
	if u == "" || strings.HasPrefix(u, "#:~:") {
		return "", false
	}
	if r.RootRelative {
		return rootScope, true
	}
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	switch {
	case u == "":
		return "", false
	case isExternal(u) || strings.HasPrefix(u, "/"):
		return rootScope, true
	}
	return dir, true
}

// rootScope is the scope of references that resolve the same from every page; no folder is named so.
const rootScope = "\x00"

// resolve decides whether one reference on page rel ("" for root-relative references) leads somewhere.
// It returns ok for external URLs; otherwise the problem holds the target and, when broken, why.
func (v *resolver) resolve(rel string, r Ref) (problem, bool) {
	b := v.b
	u := r.URL
	if u == "" || strings.HasPrefix(u, "#:~:") {
		return problem{}, true
	}
	u, frag, _ := strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	if isExternal(u) {
		if _, ok := b.local(u); !ok {
			return problem{}, true // another site: not fetched
		}
	}
	target := v.clean[:0]
	if u != "" || r.RootRelative || rel == "" {
		var p problem
		var ok bool
		if target, p, ok = v.resolvePath(rel, u, r.RootRelative); !ok {
			p.frag = frag
			return p, false
		}
	} else {
		target = append(target, rel...) // a reference to the page itself ("#frag")
		v.clean = target
	}
	if frag == "" {
		return problem{}, true
	}
	s := v.page(target)
	if s == nil {
		return problem{}, true // an anchor into a file that is not HTML: nothing to check
	}
	if s.hasFragment(frag) {
		return problem{}, true
	}
	t := string(target)
	return problem{target: t, frag: frag, why: fmt.Sprintf("%s has no element with id %q", pageName(t), fragmentID(frag))}, false
}

// resolvePath finds the output file the path part u of a reference on page rel names; when there is
// none, the problem says why. The file's path is in v.clean, until the next resolution.
func (v *resolver) resolvePath(rel, u string, rootRelative bool) ([]byte, problem, bool) {
	var clean []byte
	var dirLike bool
	fast := false
	if !isExternal(u) && !strings.HasPrefix(u, "/") && !rootRelative && rel != "" && strings.IndexByte(u, '%') < 0 {
		// A relative path on a page, the most common reference by far: the page's folder is clean
		// already, so only u's elements need reading.
		clean, fast = joinRelative(v.clean[:0], v.dirOf(rel), u)
		dirLike = isDirLike(u)
	}
	if !fast {
		p, pr, ok := v.pathOf(rel, u, rootRelative)
		if !ok {
			return nil, pr, false
		}
		dirLike = isDirLike(string(p))
		clean = cleanPath(append(v.clean[:0], p...))
		if string(clean) == ".." || bytes.HasPrefix(clean, []byte("../")) {
			return nil, problem{target: string(p), why: "it points above the site's root"}, false
		}
		if string(clean) == "." {
			clean = clean[:0]
		}
	}
	n := len(clean)
	switch {
	case n == 0:
		clean = append(clean, "index.html"...)
	case dirLike:
		clean = append(clean, "/index.html"...)
	case !v.has(clean):
		if clean = append(clean, "/index.html"...); !v.has(clean) {
			clean = clean[:n]
		}
	}
	v.clean = clean
	if !v.has(clean) {
		shown := string(clean[:n])
		if dirLike && n > 0 {
			shown += "/"
		}
		return nil, problem{target: string(clean), why: fmt.Sprintf("the site has no page or file at %s", orRoot(shown))}, false
	}
	return clean, problem{}, true
}

// pathOf is the slash path under the output folder that the path part u of a reference on page rel
// names, before cleaning ("" for the root): in v.path, until the next resolution. A root-absolute path
// outside the site's is a problem.
func (v *resolver) pathOf(rel, u string, rootRelative bool) ([]byte, problem, bool) {
	b := v.b
	p := v.path[:0]
	switch {
	case isExternal(u):
		local, _ := b.local(u) // resolve is not called for other sites
		p = append(p, local...)
	case strings.HasPrefix(u, "/"):
		if !strings.HasPrefix(u, b.path) && !(len(b.path) == len(u)+1 && strings.HasPrefix(b.path, u) && b.path[len(u)] == '/') {
			return nil, problem{target: u, why: fmt.Sprintf("it is outside the site, which is published under %s", b.path)}, false
		}
		p = append(p, strings.TrimPrefix(u, strings.TrimSuffix(b.path, "/"))...)
	case rootRelative || rel == "":
		p = append(p, u...)
	default:
		if dir := v.dirOf(rel); dir != "." {
			p = append(append(p, dir...), '/')
		}
		p = append(p, u...)
	}
	if k := len(p) - len(bytes.TrimLeft(p, "/")); k > 0 {
		p = append(p[:0], p[k:]...)
	}
	if bytes.IndexByte(p, '%') >= 0 { // without one, unescaping changes nothing and cannot fail
		if unescaped, err := url.PathUnescape(string(p)); err == nil {
			p = append(p[:0], unescaped...)
		}
	}
	v.path = p
	return p, problem{}, true
}

// isDirLike reports whether the path p names a folder by its form: empty, ".", "..", or ending in "/",
// "/." or "/..".
func isDirLike(p string) bool {
	return len(p) == 0 || p == "." || p == ".." ||
		strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
}

// joinRelative appends to out what cleanPath makes of dir + "/" + u, "" for the root, for the folder dir
// of a page (path.Dir of it, so already clean; "." for the root) and a relative path u without '%': dir is
// copied whole and u's elements applied to it, rather than every byte of both read again. It reports false,
// leaving the work to cleanPath, for what it does not cover: a dir that is not below the root (or holds a
// '%', which pathOf would unescape), and a u that climbs above the root.
func joinRelative(out []byte, dir, u string) ([]byte, bool) {
	if dir == "." {
		dir = ""
	} else if dir == "" || dir[0] == '/' || dir == ".." || strings.HasPrefix(dir, "../") || strings.IndexByte(dir, '%') >= 0 {
		return out, false
	}
	out = append(out[:0], dir...)
	// Most references climb a few folders ("../../glue/") and then name plain elements: those are
	// read byte by byte here, the rest element by element below.
	for len(u) >= 3 && u[0] == '.' && u[1] == '.' && u[2] == '/' {
		if len(out) == 0 {
			return out, false
		}
		out = out[:max(bytes.LastIndexByte(out, '/'), 0)]
		u = u[3:]
	}
	if plainPath(u) {
		u = strings.TrimSuffix(u, "/")
		if len(out) > 0 && len(u) > 0 {
			out = append(out, '/')
		}
		return append(out, u...), true
	}
	for len(u) > 0 {
		elem := u
		if i := strings.IndexByte(u, '/'); i >= 0 {
			elem, u = u[:i], u[i+1:]
		} else {
			u = ""
		}
		switch elem {
		case "", ".":
		case "..":
			if len(out) == 0 {
				return out, false
			}
			out = out[:max(bytes.LastIndexByte(out, '/'), 0)]
		default:
			if len(out) > 0 {
				out = append(out, '/')
			}
			out = append(out, elem...)
		}
	}
	return out, true
}

// plainPath reports whether no element of the relative path u is empty or starts with a dot (so none is
// "." or ".."), but for an empty last one: cleaning it only drops a trailing slash.
func plainPath(u string) bool {
	prev := byte('/')
	for i := 0; i < len(u); i++ {
		c := u[i]
		if prev == '/' && (c == '/' || c == '.') {
			return false
		}
		prev = c
	}
	return true
}

// cleanPath is path.Clean for a path that does not start with a slash, in place: the cleaned path is
// never longer than what it has read of p, so it can overwrite p as it goes.
func cleanPath(p []byte) []byte {
	if len(p) == 0 {
		return append(p, '.')
	}
	n := len(p)
	r, w, dotdot := 0, 0, 0
	for r < n {
		switch {
		case p[r] == '/':
			r++ // empty path element
		case p[r] == '.' && (r+1 == n || p[r+1] == '/'):
			r++ // . element
		case p[r] == '.' && p[r+1] == '.' && (r+2 == n || p[r+2] == '/'):
			r += 2 // .. element: remove to the last slash
			if w > dotdot {
				w--
				for w > dotdot && p[w] != '/' {
					w--
				}
			} else {
				if w > 0 {
					p[w] = '/'
					w++
				}
				p[w], p[w+1] = '.', '.'
				w += 2
				dotdot = w
			}
		default:
			if w != 0 {
				p[w] = '/'
				w++
			}
			for ; r < n && p[r] != '/'; r++ {
				p[w] = p[r]
				w++
			}
		}
	}
	if w == 0 {
		return append(p[:0], '.')
	}
	return p[:w]
}

// local turns an absolute URL under the base URL into a path under the output folder.
func (b base) local(u string) (string, bool) {
	if b.abs == "" {
		return "", false
	}
	if strings.HasPrefix(u, "//") {
		if i := strings.Index(b.abs, "://"); i >= 0 {
			u = b.abs[:i+1] + u
		}
	}
	if u+"/" == b.abs {
		return "", true
	}
	if rest, ok := strings.CutPrefix(u, b.abs); ok {
		return rest, true
	}
	return "", false
}

// isExternal reports whether a URL has a scheme or is protocol-relative.
func isExternal(u string) bool {
	if strings.HasPrefix(u, "//") {
		return true
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == ':':
			return i > 0
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// pageName shows an output HTML file as the URL a reader knows: "glue/" for glue/index.html.
func pageName(rel string) string {
	if u := PageURL(rel); u != "" {
		return u
	}
	return "the home page"
}

func orRoot(p string) string {
	if p == "" {
		return "the root"
	}
	return p
}
