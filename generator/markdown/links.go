package markdown

import (
	"net/url"
	"path"
	"strings"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// Targets is everything a relative link may point at, built once per build from the load stage's output.
type Targets struct {
	Pages  map[string]*content.Page // by slash path under content/
	Assets map[string]bool          // by slash path under content/
	Dirs   map[string]string        // folder under content/ → its section URL
	// Drafts are notes left out of this build; a link to one is reported as such, not as missing.
	Drafts map[string]bool
}

// NewTargets indexes a loaded site.
func NewTargets(site *content.Site) *Targets {
	t := &Targets{Pages: map[string]*content.Page{}, Assets: map[string]bool{}, Dirs: map[string]string{}, Drafts: map[string]bool{}}
	for _, p := range site.Pages {
		t.Pages[p.Rel] = p
	}
	for _, a := range site.Assets {
		t.Assets[a.Rel] = true
	}
	for _, s := range site.Sections {
		t.Dirs[s.Dir] = s.URL
	}
	for _, r := range site.Drafts {
		t.Drafts[r] = true
	}
	return t
}

// Link is an internal link found in a note, kept for the link check after every page is known.
type Link struct {
	Line      int
	Dest      string // as written
	TargetURL string // root-relative URL of the target page or file
	Fragment  string // anchor, without '#'
	Image     bool
	offset    int
}

// IsExternal reports whether a destination leaves the site (has a scheme or is protocol-relative).
func IsExternal(dest string) bool { return isExternal(dest) }

// isExternal is IsExternal for a string or the bytes of a link node, which need not be copied to ask. A
// scheme is what `^[a-zA-Z][a-zA-Z0-9+.-]*:` matches.
func isExternal[T string | []byte](dest T) bool {
	if len(dest) >= 2 && dest[0] == '/' && dest[1] == '/' {
		return true
	}
	if len(dest) == 0 || !isASCIILetter(dest[0]) {
		return false
	}
	for i := 1; i < len(dest); i++ {
		switch c := dest[i]; {
		case c == ':':
			return true
		case isASCIILetter(c), c >= '0' && c <= '9', c == '+', c == '.', c == '-':
		default:
			return false
		}
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// link rewrites the destination of a markdown link or image; external ones are left alone without looking
// further.
func (st *docState) link(pc parser.Context, n ast.Node, dest *[]byte, image bool, src []byte) {
	if len(*dest) == 0 || isExternal(*dest) {
		return
	}
	if st.resolveLink(pc, string(*dest), offsetOf(n, src), image) {
		*dest = append([]byte(nil), st.out...)
	}
}

// rewrite resolves one destination; broken ones are reported and left as written (changed false).
func (st *docState) rewrite(pc parser.Context, dest string, offset int, image bool) (out string, changed bool) {
	if !st.resolveLink(pc, dest, offset, image) {
		return dest, false
	}
	return string(st.out), true
}

// resolveLink is rewrite with the new destination left in st.out, so that the caller copies it once,
// into the string or the bytes it needs (a markdown link's destination is bytes): it reports whether
// the destination changed.
func (st *docState) resolveLink(pc parser.Context, dest string, offset int, image bool) bool {
	if dest == "" || isExternal(dest) {
		return false
	}
	p := st.page
	rawPath, frag, _ := strings.Cut(dest, "#")
	rawPath, query, hasQuery := strings.Cut(rawPath, "?")
	link := Link{Dest: dest, Fragment: frag, Image: image, offset: offset}
	if rawPath == "" { // same-page anchor
		link.TargetURL = p.URL
		st.links = append(st.links, link)
		return false
	}
	unescaped, err := url.PathUnescape(rawPath)
	if err != nil {
		unescaped = rawPath
	}
	var rel string
	if strings.HasPrefix(unescaped, "/") {
		rel = path.Clean(strings.TrimPrefix(unescaped, "/"))
	} else {
		rel = st.join(p.Dir, unescaped)
	}
	if rel == ".." || strings.HasPrefix(rel, "../") {
		diag.Reportf(pc, offset, "link %q points outside the site's content folder", dest)
		return false
	}
	target, ok := st.resolve(rel)
	if !ok {
		what := "note or file"
		if image {
			what = "image"
		}
		if st.targets.Drafts[rel] {
			diag.Reportf(pc, offset, "broken link %q: the note is a draft and is not published (build with --drafts to include it)", dest)
		} else {
			diag.Reportf(pc, offset, "broken link %q: no %s at content/%s", dest, what, rel)
		}
		return false
	}
	link.TargetURL = target
	st.links = append(st.links, link)
	// content.Rel(p.URL, target), then the query and fragment, in one buffer.
	out := st.out[:0]
	if depth := strings.Count(p.URL, "/"); depth == 0 && target == "" {
		out = append(out, "./"...)
	} else {
		for range depth {
			out = append(out, "../"...)
		}
		out = append(out, target...)
	}
	if hasQuery {
		out = append(append(out, '?'), query...)
	}
	if frag != "" {
		out = append(append(out, '#'), frag...)
	}
	st.out = out
	return true
}

// join is path.Clean(path.Join(dir, name)) for the folder of a note (dir, clean, as content.Page.Dir
// is) and the path of a link from it. Most links name a note of the same folder ("glue-intro.md"),
// which is joined without cleaning.
func (st *docState) join(dir, name string) string {
	if name != "." && name != ".." && strings.IndexByte(name, '/') < 0 {
		switch {
		case dir == "." || dir == "":
			return name
		case dir != "/" && st.cleanDir(dir):
			return dir + "/" + name
		}
	}
	return path.Clean(path.Join(dir, name))
}

// cleanDir reports whether dir, the note's folder, is clean, asking path.Clean once per note.
func (st *docState) cleanDir(dir string) bool {
	if st.dirKnown != dir {
		st.dirKnown, st.dirClean = dir, path.Clean(dir) == dir
	}
	return st.dirClean
}

// resolve finds the URL of a note, file or folder at rel (a slash path under content/).
func (st *docState) resolve(rel string) (string, bool) {
	t := st.targets
	if pg, ok := t.Pages[rel]; ok {
		return pg.URL, true
	}
	if t.Assets[rel] {
		return escapePath(rel), true
	}
	for _, idx := range []string{"index.md", "_index.md", "README.md"} {
		if pg, ok := t.Pages[path.Join(rel, idx)]; ok {
			return pg.URL, true
		}
	}
	if u, ok := t.Dirs[rel]; ok {
		return u, true
	}
	// A link written as a pretty URL ("glue/" or "glue") to a note.
	for _, ext := range []string{".md", ".markdown"} {
		if pg, ok := t.Pages[strings.TrimSuffix(rel, "/")+ext]; ok {
			return pg.URL, true
		}
	}
	return "", false
}

// escapePath percent-encodes each element of a file path for use in an href.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// offsetOf finds a byte offset for an inline node from its first text descendant, else its block.
func offsetOf(n ast.Node, src []byte) int {
	var found = -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if found >= 0 {
		return found
	}
	for b := n; b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines() != nil && b.Lines().Len() > 0 {
			return b.Lines().At(0).Start
		}
	}
	return -1
}
