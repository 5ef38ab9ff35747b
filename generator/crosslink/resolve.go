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

// Resolve decides, on a whole tree, which mentions in doc (the page at pageURL) become links and where
// they point; rendering the tree then writes the links. The pipeline does not use it: it renders each
// note once in pass 1, with markers for the mentions, and links them with PageLinks.Apply in pass 2.
// Both go through the same decider, so the rules below hold for both:
//
// A mention links to the service's home, or to its service page when it has none. A mention inside the
// service's own home section (from the home heading to the next heading of the same or a higher level,
// or the whole page when the page is the home) never links. mode limits links per section or page.
//
// Href is set root-relative; RelHref, which the renderer writes, is relative(Href) when relative is not
// nil (the renderer's own root-relative-to-page function) and Relative(pageURL, Href) otherwise. Resolve
// may run again on the same document, and is safe to run on different documents concurrently.
func Resolve(doc ast.Node, pageURL string, homes map[string]Home, mode Mode, relative func(rootRelative string) string) {
	if relative == nil {
		relative = func(target string) string { return Relative(pageURL, target) }
	}
	dec := newDecider(pageURL, homes, mode)
	var levels []int
	var open []string // ids of the headings open above the walk, outermost first
	section := ""
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			for len(levels) > 0 && levels[len(levels)-1] >= n.Level {
				levels, open = levels[:len(levels)-1], open[:len(open)-1]
			}
			section = headingID(n)
			levels, open = append(levels, n.Level), append(open, section)
			return ast.WalkSkipChildren, nil
		case *Mention:
			n.Href, n.Linked = dec.decide(n.Slug, section, open)
			n.RelHref = relative(n.Href)
			n.resolved = true
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// decider holds the rules for one page: which mentions link, and where to. It is fed the page's
// mentions in document order (Resolve from a tree, Linker.Page from what Mentions recorded in pass 1).
type decider struct {
	pageURL string
	homes   map[string]Home
	mode    Mode
	linked  map[[2]string]bool // services already linked, by slug and section ("" per page)
}

func newDecider(pageURL string, homes map[string]Home, mode Mode) *decider {
	return &decider{pageURL: pageURL, homes: homes, mode: mode}
}

// decide returns the root-relative target of a mention of slug in section (the id of the latest heading)
// under the headings with ids open, and whether it links.
func (d *decider) decide(slug, section string, open []string) (href string, link bool) {
	home, hasHome := d.homes[slug]
	if hasHome {
		href = home.Target()
	} else {
		href = ServiceURL(slug)
	}
	if hasHome && home.URL == d.pageURL {
		if home.Anchor == "" {
			return href, false
		}
		for _, id := range open {
			if id == home.Anchor {
				return href, false
			}
		}
	}
	key := [2]string{slug, ""}
	switch d.mode {
	case FirstPerSection:
		key[1] = section
	case All:
		return href, true
	}
	if d.linked[key] {
		return href, false
	}
	if d.linked == nil {
		d.linked = map[[2]string]bool{}
	}
	d.linked[key] = true
	return href, true
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
