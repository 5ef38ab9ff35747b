package render

import (
	"strings"
	"sync/atomic"
)

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
	// written is the length of the last page's navigation HTML: the next one is written into a buffer of
	// about that size, instead of one grown by doubling (which was a tenth of a large site's garbage).
	written atomic.Int64
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
	v := t.view(url, root, inlineMax)
	var conv func(nodes []*NavNode) []*NavItem
	conv = func(nodes []*NavNode) []*NavItem {
		shown := v.shown(nodes)
		items := make([]*NavItem, 0, len(shown))
		for _, n := range shown {
			var href strings.Builder
			v.writeHref(&href, n)
			it := &NavItem{Title: n.Title, URL: n.URL, Href: href.String(), Current: n == v.cur, Open: v.onPath(n)}
			if v.expand(n) {
				it.Children = conv(n.Children)
			}
			items = append(items, it)
		}
		return items
	}
	return conv(t.Root)
}

// WriteView writes the HTML of View(url, root, inlineMax) as WriteNavHTML would, without making the
// items: the default theme shows the navigation on every page, and on a large site making each page's
// items was as costly as writing them.
func (t *NavTree) WriteView(b *strings.Builder, url, root string, inlineMax int) {
	v := t.view(url, root, inlineMax)
	var write func(nodes []*NavNode)
	write = func(nodes []*NavNode) {
		b.WriteString("<ul>")
		for _, n := range v.shown(nodes) {
			cur := n == v.cur
			writeItemStart(b, cur)
			if v.expand(n) {
				writeDetailsStart(b, v.onPath(n))
				v.writeLink(b, n, cur)
				b.WriteString("</summary>")
				write(n.Children)
				b.WriteString("</details>")
			} else {
				v.writeLink(b, n, cur)
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	write(t.Root)
}

// navView is one page's view of the tree: what it shows, and how it links to it.
type navView struct {
	cur  *NavNode
	path []*NavNode // cur and the folders above it
	full bool
	url  string
	root string // "" when links are relative to url (see RelativeURL)
}

func (t *NavTree) view(url, root string, inlineMax int) navView {
	v := navView{cur: t.byURL[url], full: t.count <= inlineMax, url: url, root: root}
	for n := v.cur; n != nil; n = n.parent {
		v.path = append(v.path, n)
	}
	if root == RootFor(url) {
		v.root = ""
	}
	return v
}

func (v *navView) onPath(n *NavNode) bool {
	for _, p := range v.path {
		if p == n {
			return true
		}
	}
	return false
}

// shown is the part of a folder's entries the page lists: all, or on a large site a window around the
// current branch.
func (v *navView) shown(nodes []*NavNode) []*NavNode {
	if v.full || len(nodes) <= 2*siblingWindow {
		return nodes
	}
	at := 0
	for i, n := range nodes {
		if v.onPath(n) {
			at = i
		}
	}
	return nodes[max(0, at-siblingWindow):min(len(nodes), at+siblingWindow)]
}

// expand says whether a folder's entries are listed: on a large site only the current branch's (a
// collapsed folder's own page lists its notes).
func (v *navView) expand(n *NavNode) bool {
	return len(n.Children) > 0 && (v.full || v.onPath(n))
}

func (v *navView) writeHref(b *strings.Builder, n *NavNode) {
	if v.root != "" {
		b.WriteString(v.root)
		b.WriteString(n.URL)
		return
	}
	writeRelativeURL(b, v.url, n.URL)
}

func (v *navView) writeLink(b *strings.Builder, n *NavNode, cur bool) {
	b.WriteString(`<a href="`)
	if v.root != "" || strings.ContainsAny(n.URL, `&"`) {
		var h strings.Builder
		v.writeHref(&h, n)
		writeEscaped(b, h.String(), true)
	} else {
		v.writeHref(b, n)
	}
	writeLinkEnd(b, n.Title, cur)
}

// RelativeURL is the shortest relative link from the page at root-relative url from to the root-relative
// url to: "../glue/" rather than "../../glue/" from "emr/hive/". Sibling notes in a deep folder are most
// of a large site's navigation, and each link was as long as the path from the site's root.
func RelativeURL(from, to string) string {
	var b strings.Builder
	writeRelativeURL(&b, from, to)
	return b.String()
}

func writeRelativeURL(b *strings.Builder, from, to string) {
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
		b.WriteString("./")
		return
	}
	for range up {
		b.WriteString("../")
	}
	b.WriteString(rest)
}

// WriteNavHTML writes the navigation list as HTML. The default theme's sidebar uses it instead of a
// template loop: on large sites the navigation is most of a page, and html/template's reflection made it
// the slowest part of a build. The markup is what the "nav-list" and "nav-item" blocks would produce.
func WriteNavHTML(b *strings.Builder, items []*NavItem) {
	b.WriteString("<ul>")
	for _, it := range items {
		writeItemStart(b, it.Current)
		if len(it.Children) > 0 {
			writeDetailsStart(b, it.Open)
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

func writeItemStart(b *strings.Builder, current bool) {
	if current {
		b.WriteString(`<li class="current">`)
	} else {
		b.WriteString("<li>")
	}
}

func writeDetailsStart(b *strings.Builder, open bool) {
	if open {
		b.WriteString("<details open><summary>")
	} else {
		b.WriteString("<details><summary>")
	}
}

func writeNavLink(b *strings.Builder, it *NavItem) {
	b.WriteString(`<a href="`)
	writeEscaped(b, it.Href, true)
	writeLinkEnd(b, it.Title, it.Current)
}

// writeLinkEnd closes a link's href and writes the rest of the link.
func writeLinkEnd(b *strings.Builder, title string, current bool) {
	if current {
		b.WriteString(`" aria-current="page">`)
	} else {
		b.WriteString(`">`)
	}
	writeEscaped(b, title, false)
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
