package render

import (
	"strings"
	"sync"
	"sync/atomic"
)

// NavNode is one entry of the site's navigation tree: a note, or a folder of notes.
type NavNode struct {
	Title    string
	URL      string // root-relative; a folder's URL is its index page or generated list page
	Children []*NavNode
	parent   *NavNode
	idx      int // where it is in its parent's Children (or the Root)
}

// NavTree is the whole navigation, built once per build.
type NavTree struct {
	Root  []*NavNode
	byURL map[string]*NavNode
	count int
	// written is the length of the last page's navigation HTML: the next one is written into a buffer of
	// about that size, instead of one grown by doubling (which was a tenth of a large site's garbage).
	written atomic.Int64

	stripMu sync.RWMutex
	strips  map[stripKey]*navStrip // see WriteView
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
			n.parent, n.idx = p, len(p.Children)
			p.Children = append(p.Children, n)
		} else {
			n.idx = len(t.Root)
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
			n.parent, n.idx = p, len(p.Children)
			p.Children = append(p.Children, n)
		} else {
			n.idx = len(t.Root)
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
// items was as costly as writing them. Most of it is copied: an entry off the page's branch reads the same
// on every page whose folder is in the same folder (see navStrip), so each folder's entries are written
// once per such folder and a page writes afresh only its branch (open, marked current) and the entries
// below its own URL. The tree must not change once a view of it has been written.
func (t *NavTree) WriteView(b *strings.Builder, url, root string, inlineMax int) {
	w := navWriter{t: t, v: t.view(url, root, inlineMax), b: b}
	if v := &w.v; v.root != "" {
		w.key, w.cache = stripKey{abs: true, base: v.root}, true
	} else if dir := url[:strings.LastIndexByte(url, '/')+1]; dir != "" {
		// A page served from "a/b/" links to every entry not under "a/b/" as a page served from any other
		// folder of "a/" does (see relativeFrom).
		w.dir = dir
		w.key, w.cache = stripKey{base: dir[:strings.LastIndexByte(dir[:len(dir)-1], '/')+1]}, true
	} // else the page is served from the top ("", "404.html"): every entry is under it, and written afresh
	w.list(nil, t.Root, 0)
}

// navWriter writes one page's navigation (WriteView).
type navWriter struct {
	t     *NavTree
	v     navView
	b     *strings.Builder
	dir   string   // the folder the page is served from, when links are relative; entries under it are written afresh
	key   stripKey // the strips this page copies from, when cache
	cache bool
}

// list writes the entries of parent (nil: the top level), which are nodes, at depth d.
func (w *navWriter) list(parent *NavNode, nodes []*NavNode, d int) {
	var on *NavNode // the entry of nodes on the page's branch, if any
	if d < len(w.v.path) {
		on = w.v.path[len(w.v.path)-1-d]
	}
	lo, hi := 0, len(nodes)
	if !w.v.full && len(nodes) > 2*siblingWindow {
		// the window shown (see navView.shown): in a tree made by NewNavTree on is the only one of nodes
		// on the page's branch, and on.idx says where it is
		at := 0
		if on != nil && on.idx < len(nodes) && nodes[on.idx] == on {
			at = on.idx
		} else {
			for i, n := range nodes {
				if n == on {
					at = i
				}
			}
		}
		lo, hi = max(0, at-siblingWindow), min(len(nodes), at+siblingWindow)
	}
	w.b.WriteString("<ul>")
	var s *navStrip
	from := lo // nodes[from:i] are still to be copied from s
	for i := lo; i < hi; i++ {
		n := nodes[i]
		// copied unless on the branch, open (a folder on a small site) or under the page's folder
		if w.cache && n != on && (!w.v.full || len(n.Children) == 0) && (w.dir == "" || !strings.HasPrefix(n.URL, w.dir)) {
			continue
		}
		if from < i {
			if s == nil {
				s = w.t.strip(parent, nodes, w.key)
			}
			w.b.WriteString(s.html[s.at[from]:s.at[i]])
		}
		w.item(n, n == on, d)
		from = i + 1
	}
	if from < hi {
		if s == nil {
			s = w.t.strip(parent, nodes, w.key)
		}
		w.b.WriteString(s.html[s.at[from]:s.at[hi]])
	}
	w.b.WriteString("</ul>")
}

// item writes one entry afresh: on the page's branch (on), a folder listed open on a small site, or one a
// strip does not have right.
func (w *navWriter) item(n *NavNode, on bool, d int) {
	cur := n == w.v.cur
	writeItemStart(w.b, cur)
	if len(n.Children) > 0 && (w.v.full || on) {
		writeDetailsStart(w.b, on)
		w.v.writeLink(w.b, n, cur)
		w.b.WriteString("</summary>")
		w.list(n, n.Children, d+1)
		w.b.WriteString("</details>")
	} else {
		w.v.writeLink(w.b, n, cur)
	}
	w.b.WriteString("</li>")
}

// stripKey names the pages a strip is right for: those served from a folder of base (links relative to
// the page), or those seen from the absolute root base (abs).
type stripKey struct {
	parent *NavNode // whose entries; nil for the top level
	abs    bool
	base   string
}

// navStrip is the HTML of a folder's entries, each closed (as an entry off the page's branch is shown on
// a large site), as pages of one stripKey show them: entry i is html[at[i]:at[i+1]]. A strip is about as
// large as its folder's part of one page; there is one for each folder and each folder its entries are
// seen from (a few dozen on a site of three thousand pages), not one for each page.
type navStrip struct {
	once sync.Once
	html string
	at   []uint32
}

// strip returns the strip of parent's entries (nodes) for key's pages, made by the first page that needs
// it. Pages are rendered concurrently: stripMu guards only the map, and a page that needs a strip another
// is making waits for it in its sync.Once rather than making it again.
func (t *NavTree) strip(parent *NavNode, nodes []*NavNode, key stripKey) *navStrip {
	key.parent = parent
	t.stripMu.RLock()
	s := t.strips[key]
	t.stripMu.RUnlock()
	if s == nil {
		t.stripMu.Lock()
		if s = t.strips[key]; s == nil {
			if t.strips == nil {
				t.strips = map[stripKey]*navStrip{}
			}
			s = &navStrip{}
			t.strips[key] = s
		}
		t.stripMu.Unlock()
	}
	s.once.Do(func() { s.make(nodes, key) })
	return s
}

func (s *navStrip) make(nodes []*NavNode, key stripKey) {
	var b strings.Builder
	// at most the strip's length unless titles need escaping, so that it is made in one piece
	link := len(key.base) // the most a link adds to the URL
	if !key.abs {
		link = 3 * (strings.Count(key.base, "/") + 1)
	}
	size := 0
	for _, n := range nodes {
		size += len(`<li><a href=""></a></li>`) + link + len(n.URL) + len(n.Title)
	}
	b.Grow(size)
	s.at = make([]uint32, 0, len(nodes)+1)
	for _, n := range nodes {
		s.at = append(s.at, uint32(b.Len()))
		// the link escaped as writeLink escapes it; "../" needs no escaping, so only the URL's part is
		b.WriteString(`<li><a href="`)
		if key.abs {
			writeEscaped(&b, key.base, true)
			writeEscaped(&b, n.URL, true)
		} else {
			up, rest := relativeFrom(key.base, n.URL)
			for range up {
				b.WriteString("../")
			}
			writeEscaped(&b, rest, true)
		}
		writeLinkEnd(&b, n.Title, false)
		b.WriteString("</li>")
	}
	s.at = append(s.at, uint32(b.Len()))
	s.html = b.String()
}

// relativeFrom is the link from any page served from a folder of base ("a/b/" of "a/") to the
// root-relative url to, which is not under the page's folder: up times "../", then rest. It is
// writeRelativeURL's link: the longest common prefix of the page's folder and to that ends a folder name
// cannot reach past base, since to is not under the page's folder, so it is base's, and the page's folder
// is one more level to climb.
func relativeFrom(base, to string) (up int, rest string) {
	common := 0
	for i := 0; i < len(base) && i < len(to) && base[i] == to[i]; i++ {
		if base[i] == '/' {
			common = i + 1
		}
	}
	return strings.Count(base[common:], "/") + 1, to[common:]
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
	depth := 0
	for n := v.cur; n != nil; n = n.parent {
		depth++
	}
	v.path = make([]*NavNode, 0, depth)
	for n := v.cur; n != nil; n = n.parent {
		v.path = append(v.path, n)
	}
	if isRootFor(root, url) {
		v.root = ""
	}
	return v
}

// isRootFor is root == RootFor(url), without making RootFor's string for each page.
func isRootFor(root, url string) bool {
	d := strings.Count(url, "/")
	if d == 0 {
		return root == "./"
	}
	if len(root) != 3*d {
		return false
	}
	for i := 0; i < len(root); i += 3 {
		if root[i:i+3] != "../" {
			return false
		}
	}
	return true
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
