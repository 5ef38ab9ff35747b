package markdown

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/diag"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
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

var scheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)

// IsExternal reports whether a destination leaves the site (has a scheme or is protocol-relative).
func IsExternal(dest string) bool {
	return scheme.MatchString(dest) || strings.HasPrefix(dest, "//")
}

// linkRewriter rewrites relative links between notes (`glue.md#job-bookmarks`, `../emr/index.md`) to the
// target's URL, written relative to the current page, and records every internal link for the link check.
type linkRewriter struct{}

func (linkRewriter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*docState)
	if st == nil || st.targets == nil {
		return
	}
	src := reader.Source()
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			l.Destination = st.rewrite(pc, string(l.Destination), offsetOf(l, src), false)
		case *ast.Image:
			l.Destination = st.rewrite(pc, string(l.Destination), offsetOf(l, src), true)
		}
		return ast.WalkContinue, nil
	})
}

// rewrite resolves one destination; broken ones are reported and left as written.
func (st *docState) rewrite(pc parser.Context, dest string, offset int, image bool) []byte {
	if dest == "" || IsExternal(dest) {
		return []byte(dest)
	}
	p := st.page
	rawPath, frag, _ := strings.Cut(dest, "#")
	rawPath, query, hasQuery := strings.Cut(rawPath, "?")
	link := Link{Dest: dest, Fragment: frag, Image: image, offset: offset}
	if rawPath == "" { // same-page anchor
		link.TargetURL = p.URL
		st.links = append(st.links, link)
		return []byte(dest)
	}
	unescaped, err := url.PathUnescape(rawPath)
	if err != nil {
		unescaped = rawPath
	}
	var rel string
	if strings.HasPrefix(unescaped, "/") {
		rel = path.Clean(strings.TrimPrefix(unescaped, "/"))
	} else {
		rel = path.Clean(path.Join(p.Dir, unescaped))
	}
	if rel == ".." || strings.HasPrefix(rel, "../") {
		diag.Reportf(pc, offset, "link %q points outside the site's content folder", dest)
		return []byte(dest)
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
		return []byte(dest)
	}
	link.TargetURL = target
	st.links = append(st.links, link)
	out := content.Rel(p.URL, target)
	if hasQuery {
		out += "?" + query
	}
	if frag != "" {
		out += "#" + frag
	}
	return []byte(out)
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
