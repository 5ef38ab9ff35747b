package render

import "strings"

// NavNode is one entry of the site's navigation tree: a note, or a folder of notes.
type NavNode struct {
	Title    string
	URL      string // root-relative; a folder's URL is its index page or generated list page
	Children []*NavNode
	parent   *NavNode
}

// NavTree is the whole navigation, built once per build.
type NavTree struct {
	Root  []*NavNode
	byURL map[string]*NavNode
	count int
}

// NavEntry is what the tree is built from: pages in navigation order.
type NavEntry struct {
	Title   string
	URL     string
	Dir     string // folder under content/ ("." at the top)
	IsIndex bool   // the page of its folder
}

// FolderInfo names a folder for the tree.
type FolderInfo struct {
	Title string
	URL   string
}

// NewNavTree builds the tree from pages in order. folders gives a title and URL to each folder; the home
// page (URL "") is not listed, since the site title links to it.
func NewNavTree(pages []NavEntry, folders map[string]FolderInfo) *NavTree {
	t := &NavTree{byURL: map[string]*NavNode{}}
	dirs := map[string]*NavNode{}
	var dirNode func(dir string) *NavNode
	dirNode = func(dir string) *NavNode {
		if dir == "." || dir == "" {
			return nil
		}
		if n, ok := dirs[dir]; ok {
			return n
		}
		f := folders[dir]
		n := &NavNode{Title: f.Title, URL: f.URL}
		dirs[dir] = n
		parentDir := parentOf(dir)
		if p := dirNode(parentDir); p != nil {
			n.parent = p
			p.Children = append(p.Children, n)
		} else {
			t.Root = append(t.Root, n)
		}
		t.byURL[n.URL] = n
		t.count++
		return n
	}
	for _, e := range pages {
		if e.URL == "" {
			continue
		}
		if e.IsIndex {
			n := dirNode(e.Dir)
			if n != nil {
				n.Title = e.Title
			}
			continue
		}
		n := &NavNode{Title: e.Title, URL: e.URL}
		if p := dirNode(e.Dir); p != nil {
			n.parent = p
			p.Children = append(p.Children, n)
		} else {
			t.Root = append(t.Root, n)
		}
		t.byURL[n.URL] = n
		t.count++
	}
	return t
}

func parentOf(dir string) string {
	for i := len(dir) - 1; i >= 0; i-- {
		if dir[i] == '/' {
			return dir[:i]
		}
	}
	return "."
}

// Len is the number of entries.
func (t *NavTree) Len() int { return t.count }

// NavItem is one entry of the navigation as one page shows it.
type NavItem struct {
	Title    string
	URL      string
	Href     string // relative to the page
	Current  bool
	Open     bool
	Children []*NavItem
}

// siblingWindow is how many neighbours of the current page a large folder shows.
const siblingWindow = 25

// View returns the navigation for the page at url. Small sites (at most inlineMax entries) show every
// entry, with the branch of the current page open; larger ones show the top level, the current branch,
// and up to 2×siblingWindow neighbours of the current page, so a page's size never grows with the site.
func (t *NavTree) View(url, root string, inlineMax int) []*NavItem {
	cur := t.byURL[url]
	onPath := map[*NavNode]bool{}
	for n := cur; n != nil; n = n.parent {
		onPath[n] = true
	}
	full := t.count <= inlineMax
	href := func(to string) string { return root + to }
	if root == RootFor(url) {
		href = func(to string) string { return RelativeURL(url, to) }
	}
	var conv func(nodes []*NavNode, parentOnPath bool) []*NavItem
	conv = func(nodes []*NavNode, parentOnPath bool) []*NavItem {
		lo, hi := 0, len(nodes)
		if !full && len(nodes) > 2*siblingWindow {
			at := 0
			for i, n := range nodes {
				if onPath[n] {
					at = i
				}
			}
			lo, hi = max(0, at-siblingWindow), min(len(nodes), at+siblingWindow)
		}
		items := make([]*NavItem, 0, hi-lo)
		for _, n := range nodes[lo:hi] {
			it := &NavItem{Title: n.Title, URL: n.URL, Href: href(n.URL), Current: n == cur, Open: onPath[n]}
			if len(n.Children) > 0 && (full || onPath[n]) {
				it.Children = conv(n.Children, onPath[n])
			} else if len(n.Children) > 0 {
				// Collapsed folder on a large site: its own page lists its notes.
				it.Children = nil
			}
			items = append(items, it)
		}
		return items
	}
	return conv(t.Root, true)
}

// RelativeURL is the shortest relative link from the page at root-relative url from to the root-relative
// url to: "../glue/" rather than "../../glue/" from "emr/hive/". Sibling notes in a deep folder are most
// of a large site's navigation, and each link was as long as the path from the site's root.
func RelativeURL(from, to string) string {
	dir := from[:strings.LastIndexByte(from, '/')+1] // the folder the page is served from
	// the longest common prefix of the two that ends a folder name
	common := 0
	for i := 0; i < len(dir) && i < len(to) && dir[i] == to[i]; i++ {
		if dir[i] == '/' {
			common = i + 1
		}
	}
	up := strings.Count(dir[common:], "/")
	rest := to[common:]
	if up == 0 && rest == "" {
		return "./"
	}
	return strings.Repeat("../", up) + rest
}

// WriteNavHTML writes the navigation list as HTML. The default theme's sidebar uses it instead of a
// template loop: on large sites the navigation is most of a page, and html/template's reflection made it
// the slowest part of a build. The markup is what the "nav-list" and "nav-item" blocks would produce.
func WriteNavHTML(b *strings.Builder, items []*NavItem) {
	b.WriteString("<ul>")
	for _, it := range items {
		if it.Current {
			b.WriteString(`<li class="current">`)
		} else {
			b.WriteString("<li>")
		}
		if len(it.Children) > 0 {
			if it.Open {
				b.WriteString("<details open><summary>")
			} else {
				b.WriteString("<details><summary>")
			}
			writeNavLink(b, it)
			b.WriteString("</summary>")
			WriteNavHTML(b, it.Children)
			b.WriteString("</details>")
		} else {
			writeNavLink(b, it)
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>")
}

func writeNavLink(b *strings.Builder, it *NavItem) {
	b.WriteString(`<a href="`)
	writeEscaped(b, it.Href, true)
	if it.Current {
		b.WriteString(`" aria-current="page">`)
	} else {
		b.WriteString(`">`)
	}
	writeEscaped(b, it.Title, false)
	b.WriteString("</a>")
}

// writeEscaped writes s as HTML text, or as a double-quoted attribute value, escaping only what must be
// (html.EscapeString also escapes ' and > everywhere): the navigation goes into pages that are not
// minified again (see Renderer.renderFast), and it is half of a large site's bytes.
func writeEscaped(b *strings.Builder, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch c := s[i]; {
		case c == '&':
			esc = "&amp;"
		case c == '<' && !attr:
			esc = "&lt;"
		case c == '"' && attr:
			esc = "&#34;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}
