package publish

import (
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
type resolver struct {
	b     base
	files map[string]bool
	pages map[string]*Scan
	read  *consulted
}

// consulted is what one resolution looked at besides its URL and scope: the output files whose presence
// decided it (at most two: "glue" and then "glue/index.html"), and the page whose ids decided its fragment.
type consulted struct {
	files [2]string
	n     int
	ids   string // "" when no fragment was looked up
}

// has reports whether the build wrote the file p, noting that the answer depends on it.
func (v *resolver) has(p string) bool {
	if w := v.read; w != nil && (w.n == 0 || w.files[0] != p) && (w.n < 2 || w.files[1] != p) {
		w.files[w.n] = p // resolvePath reads at most two distinct files: a third is a bug, and panics here
		w.n++
	}
	return v.files[p]
}

// page returns the scan of the HTML file p (nil for other files), noting that the answer depends on its ids.
func (v *resolver) page(p string) *Scan {
	if v.read != nil {
		v.read.ids = p
	}
	return v.pages[p]
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
	target := rel // a reference to the page itself ("#frag")
	if u != "" || r.RootRelative || rel == "" {
		var p problem
		var ok bool
		if target, p, ok = v.resolvePath(rel, u, r.RootRelative); !ok {
			p.frag = frag
			return p, false
		}
	}
	if frag == "" {
		return problem{}, true
	}
	s := v.page(target)
	if s == nil {
		return problem{}, true // an anchor into a file that is not HTML: nothing to check
	}
	id := frag
	if unescaped, err := url.PathUnescape(frag); err == nil {
		id = unescaped
	}
	if s.IDs[id] || s.IDs[frag] || strings.EqualFold(id, "top") {
		return problem{}, true
	}
	return problem{target: target, frag: frag, why: fmt.Sprintf("%s has no element with id %q", pageName(target), id)}, false
}

// resolvePath finds the output file the path part u of a reference on page rel names; when there is
// none, the problem says why.
func (v *resolver) resolvePath(rel, u string, rootRelative bool) (string, problem, bool) {
	b := v.b
	var p string // slash path under the output folder, "" for the root
	switch {
	case isExternal(u):
		p, _ = b.local(u) // resolve is not called for other sites
	case strings.HasPrefix(u, "/"):
		if !strings.HasPrefix(u, b.path) && u+"/" != b.path {
			return "", problem{target: u, why: fmt.Sprintf("it is outside the site, which is published under %s", b.path)}, false
		}
		p = strings.TrimPrefix(u, strings.TrimSuffix(b.path, "/"))
	case rootRelative || rel == "":
		p = u
	default:
		if dir := path.Dir(rel); dir != "." {
			p = dir + "/" + u
		} else {
			p = u
		}
	}
	p = strings.TrimLeft(p, "/")
	if unescaped, err := url.PathUnescape(p); err == nil {
		p = unescaped
	}
	dirLike := p == "" || p == "." || p == ".." || strings.HasSuffix(p, "/") || strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
	clean := path.Clean(p)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", problem{target: p, why: "it points above the site's root"}, false
	}
	if clean == "." {
		clean = ""
	}
	target := clean
	switch {
	case clean == "":
		target = "index.html"
	case dirLike:
		target = clean + "/index.html"
	case !v.has(clean) && v.has(clean+"/index.html"):
		target = clean + "/index.html"
	}
	if !v.has(target) {
		shown := clean
		if dirLike && clean != "" {
			shown += "/"
		}
		return "", problem{target: target, why: fmt.Sprintf("the site has no page or file at %s", orRoot(shown))}, false
	}
	return target, problem{}, true
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
