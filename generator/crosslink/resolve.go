package crosslink

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Home is where the notes talk about a service: a page (Anchor "") or a heading on a page.
type Home struct {
	URL    string // page URL relative to the site root, e.g. "glue/" ("" is the home page)
	Anchor string // heading id, "" when the whole page is the home
	Title  string // page title or heading text, for "Home: ..." links
}

// Target returns the root-relative link to the home: "glue/#job-bookmarks" or "glue/".
func (h Home) Target() string {
	if h.Anchor == "" {
		return h.URL
	}
	return h.URL + "#" + h.Anchor
}

// Mode decides how many mentions of a service become links.
type Mode int

const (
	// FirstPerSection links the first mention of each service in each section (the default).
	FirstPerSection Mode = iota
	// FirstPerPage links the first mention of each service on a page.
	FirstPerPage
	// All links every mention.
	All
)

// ParseMode reads the lectern.yaml spelling of a mode: "first-per-section" (or ""), "first-per-page"
// or "all".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "", "first-per-section":
		return FirstPerSection, nil
	case "first-per-page":
		return FirstPerPage, nil
	case "all":
		return All, nil
	}
	return FirstPerSection, fmt.Errorf("unknown cross-link mode %q (known: first-per-section, first-per-page, all)", s)
}

// String returns the lectern.yaml spelling of the mode.
func (m Mode) String() string {
	switch m {
	case FirstPerPage:
		return "first-per-page"
	case All:
		return "all"
	}
	return "first-per-section"
}

// ServiceURL is the root-relative URL of a service's page.
func ServiceURL(slug string) string { return "services/" + slug + "/" }

// Resolve decides, in pass 2, which mentions in doc (the page at pageURL) become links and where they
// point: to the service's home, or to its service page when it has none. A mention inside the service's
// own home section (from the home heading to the next heading of the same or a higher level, or the
// whole page when the page is the home) never links. mode limits links per section or page.
//
// Href is set root-relative; RelHref, which the renderer writes, is relative(Href) when relative is not
// nil (the renderer's own root-relative-to-page function) and Relative(pageURL, Href) otherwise. Resolve
// may run again on the same document (the dev server), and is safe to run on different documents
// concurrently.
func Resolve(doc ast.Node, pageURL string, homes map[string]Home, mode Mode, relative func(rootRelative string) string) {
	if relative == nil {
		relative = func(target string) string { return Relative(pageURL, target) }
	}
	type open struct {
		level int
		id    string
	}
	var stack []open
	section := ""
	linked := map[[2]string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			for len(stack) > 0 && stack[len(stack)-1].level >= n.Level {
				stack = stack[:len(stack)-1]
			}
			id := headingID(n)
			stack = append(stack, open{n.Level, id})
			section = id
			return ast.WalkSkipChildren, nil
		case *Mention:
			n.Linked = false
			home, hasHome := homes[n.Slug]
			if hasHome {
				n.Href = home.Target()
			} else {
				n.Href = ServiceURL(n.Slug)
			}
			n.RelHref = relative(n.Href)
			if hasHome && home.URL == pageURL {
				if home.Anchor == "" {
					return ast.WalkSkipChildren, nil
				}
				for _, o := range stack {
					if o.id == home.Anchor {
						return ast.WalkSkipChildren, nil
					}
				}
			}
			key := [2]string{n.Slug, ""}
			switch mode {
			case FirstPerSection:
				key[1] = section
			case All:
				n.Linked = true
				return ast.WalkSkipChildren, nil
			}
			if !linked[key] {
				linked[key] = true
				n.Linked = true
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

func headingID(h *ast.Heading) string {
	v, ok := h.AttributeString("id")
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return ""
}

// Relative writes a root-relative target ("glue/#job-bookmarks") relative to the page at pageURL
// ("lambda/"), so the site works from file:// and under any sub-path: "../glue/#job-bookmarks". A target
// on the same page becomes just its fragment.
func Relative(pageURL, target string) string {
	path, frag, hasFrag := strings.Cut(target, "#")
	if path == pageURL {
		if hasFrag {
			return "#" + frag
		}
		return "./"
	}
	dir := pageURL[:strings.LastIndexByte(pageURL, '/')+1]
	out := strings.Repeat("../", strings.Count(dir, "/")) + target
	if out == "" || out[0] == '#' {
		out = "./" + out
	}
	return out
}
