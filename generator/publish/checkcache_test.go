package publish

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// model is a site's output between builds, as the dev server sees it: HTML pages and other files by
// output path, the base URL and the URLs other stages require. build hands it to a Checker the way the
// site package does with its cache: a page whose HTML is unchanged keeps its *Scan.
type model struct {
	files    map[string]string // output path → content
	base     string
	required []string
	scans    map[string]*Scan
	seen     map[string]string // the HTML each scan was made from
	touched  map[string]bool   // pages to scan again even though unchanged (a new *Scan, same content)
	// notes are the sources of pages a note made, by output path; a note keeps its Body slice until
	// edited. salts decide, per note file, which of its links an earlier stage reported.
	notes map[string]*Source
	salts map[string]int
	lists [2][]Required // the lists of required URLs of the latest build
}

func newModel() *model {
	return &model{files: map[string]string{}, scans: map[string]*Scan{}, seen: map[string]string{}, touched: map[string]bool{},
		notes: map[string]*Source{}, salts: map[string]int{}}
}

// options are the CheckOptions of the model's current build: like the site's, Source makes a new Source
// with new Links on every call, and Reported reads a snapshot of the salts.
func (m *model) options() CheckOptions {
	notes, salts := maps.Clone(m.notes), maps.Clone(m.salts)
	return CheckOptions{
		BaseURL: m.base,
		Source: func(rel string) *Source {
			n := notes[rel]
			if n == nil {
				return nil
			}
			src := *n
			src.Links = slices.Clone(n.Links)
			return &src
		},
		Reported: func(file string, line int, dest string) bool {
			return (len(dest)+line+salts[file])%3 == 0
		},
	}
}

func (m *model) build() *Checker {
	c := &Checker{}
	for rel, data := range m.files {
		if !strings.HasSuffix(rel, ".html") {
			c.AddScanned(rel, nil)
			continue
		}
		s := m.scans[rel]
		if s == nil || m.seen[rel] != data || m.touched[rel] {
			s = ScanHTML([]byte(data))
			m.scans[rel], m.seen[rel] = s, data
		}
		c.AddScanned(rel, s)
	}
	for rel := range m.scans {
		if _, ok := m.files[rel]; !ok {
			delete(m.scans, rel)
			delete(m.seen, rel)
		}
	}
	clear(m.touched)
	// The first URL by Require, the rest by RequireAll in two lists, as the site hands over notes' search
	// results: a list whose URLs are unchanged is handed over again, the very same slice.
	var rest [2][]Required
	for i, u := range m.required {
		if i == 0 {
			c.Require("content/required.md", i+1, u, "search result")
		} else {
			rest[i%2] = append(rest[i%2], Required{Line: i + 1, URL: u})
		}
	}
	for i, rs := range rest {
		if !slices.Equal(rs, m.lists[i]) {
			m.lists[i] = rs
		}
		c.RequireAll(fmt.Sprintf("content/required%d.md", i), "search result", m.lists[i])
	}
	return c
}

// sources attributes pages under a/ to a note, so that attribution runs on cached results too; every
// call returns the same Body, as the site does for a note that did not change.
func sources(rel string) *Source {
	if strings.HasPrefix(rel, "a/") {
		return &Source{File: "content/" + strings.TrimSuffix(rel, "/index.html") + ".md", Body: sourceBody, BodyLine: 3}
	}
	return nil
}

var sourceBody = []byte("see ../b/#h1 and [x](lost.md)\n")

// checkCached runs Check on c with the cache and without, and fails when they differ, or when the cache
// holds anything a cache that only saw this build would not.
func checkCached(t *testing.T, step string, c *Checker, opts CheckOptions, cache *CheckCache) []string {
	t.Helper()
	pages := cache.Pages(c) // before the Check, as the site asks
	var want []string
	for rel, s := range c.pages {
		if !s.NoIndex {
			want = append(want, rel)
		}
	}
	sort.Strings(want)
	if !slices.Equal(pages, want) {
		t.Fatalf("%s: the cache lists the pages\n  %q\nwhere they are\n  %q", step, pages, want)
	}
	fresh := c.Check(opts)
	opts.Cache = cache
	cached := c.Check(opts)
	if !reflect.DeepEqual(cached, fresh) {
		t.Fatalf("%s: with the cache\n  %v\nwithout\n  %v", step, cached, fresh)
	}
	once := &CheckCache{}
	opts.Cache = once
	c.Check(opts)
	for _, x := range []struct {
		what       string
		kept, want []string
	}{
		{"resolutions", keysOf(cache.urls), keysOf(once.urls)},
		{"files", keysOf(cache.files), keysOf(once.files)},
		{"pages", append([]string(nil), cache.rels...), append([]string(nil), once.rels...)},
	} {
		if !reflect.DeepEqual(x.kept, x.want) {
			t.Fatalf("%s: the cache keeps %s\n  %q\nwhere this build alone needs\n  %q", step, x.what, x.kept, x.want)
		}
	}
	for _, r := range cache.urls {
		if r.refs <= 0 {
			t.Fatalf("%s: resolution %q kept with %d uses", step, r.key, r.refs)
		}
	}
	var got []string
	for _, d := range cached {
		got = append(got, d.Error())
	}
	return got
}

func keysOf[K comparable, V any](m map[K]V) []string {
	var out []string
	for k := range m {
		out = append(out, fmt.Sprint(k))
	}
	sort.Strings(out)
	return out
}

// TestCheckCacheScripted walks through the edits the brief of the cache names, one build each, and checks
// both that the cached Check equals a fresh one and that it finds what the edit broke or fixed.
func TestCheckCacheScripted(t *testing.T) {
	t.Parallel()
	m := newModel()
	theme := func(depth int, search string) string {
		up := strings.Repeat("../", depth)
		return `<link href="` + up + `style.css"><meta name="lectern-search" content="` + search + `"><a href="#main">skip</a>` +
			`<a href="` + up + `">home</a><a href="` + up + `a/">a</a><a href="` + up + `b/">b</a><main id="main">`
	}
	search := "search/idx.1.js"
	page := func(rel, body string) {
		m.files[rel] = theme(strings.Count(rel, "/"), search) + body
	}
	setup := func() {
		m.files["style.css"] = "css"
		m.files[search] = "js"
		page("index.html", `<h1 id="top-heading">Home</h1>`)
		page("a/index.html", `<a href="../b/#h1">b h1</a>`)
		page("a/p1/index.html", `<h2 id="x1">X</h2><a href="../../b/p2/#y2">y2</a><a href="#x1">self</a><a href="../p2">p2 without slash</a>`)
		page("a/p2/index.html", `<h2 id="x2">X</h2><a href="../p1/#x1">x1</a>`)
		page("b/index.html", `<h2 id="h1">H</h2>`)
		page("b/p2/index.html", `<h2 id="y2">Y</h2><img src="../../img/pic.png">`)
		m.files["img/pic.png"] = "png"
		m.required = []string{"b/#h1", "a/p1/#x1"}
	}
	setup()
	cache := &CheckCache{}
	steps := []struct {
		name  string
		edit  func()
		wants []string // substrings the diagnostics must contain, in order
	}{
		{"first build", func() {}, nil},
		{"unchanged rebuild", func() {}, nil},
		{"edit a page's text", func() { page("a/p2/index.html", `<h2 id="x2">X</h2><a href="../p1/#x1">x1</a><p>more`) }, nil},
		{"remove an id other pages link to", func() { page("b/index.html", `<h2 id="h1-renamed">H</h2>`) },
			[]string{`content/a.md:3: warning: broken link "../b/#h1"`, `required.md:1: warning: broken search result "b/#h1"`}},
		{"add it back", func() { page("b/index.html", `<h2 id="h1">H</h2>`) }, nil},
		{"remove a page", func() { delete(m.files, "b/p2/index.html") }, []string{`broken link "../../b/p2/#y2": the site has no page or file at b/p2/`}},
		{"add it back", func() { page("b/p2/index.html", `<h2 id="y2">Y</h2><img src="../../img/pic.png">`) }, nil},
		{"break a link in a page", func() { page("a/p2/index.html", `<a href="../p3/">p3</a>`) }, []string{`broken link "../p3/"`}},
		{"add the page it names", func() { page("a/p3/index.html", ``) }, nil},
		{"a file that shadows a folder", func() { m.files["a/p2"] = "file" }, nil},
		{"and goes again", func() { delete(m.files, "a/p2") }, nil},
		{"remove the image, pages unchanged", func() { delete(m.files, "img/pic.png") }, []string{`broken image "../../img/pic.png"`}},
		{"a page where the image was", func() { m.files["img/pic.png"] = "png" }, nil},
		{"rename the search index, pages follow", func() {
			delete(m.files, search)
			search = "search/idx.2.js"
			m.files[search] = "js"
			for rel, data := range m.files {
				if strings.HasSuffix(rel, ".html") {
					m.files[rel] = strings.Replace(data, "search/idx.1.js", search, 1)
				}
			}
		}, nil},
		{"rename the search index, pages stale", func() {
			delete(m.files, search)
			m.files["search/idx.3.js"] = "js"
		}, []string{`broken search index "search/idx.2.js"`}},
		{"the index is back", func() { m.files[search] = "js" }, nil},
		{"a base URL", func() {
			m.base = "https://u.github.io/notes/"
			page("a/p3/index.html", `<link rel="canonical" href="https://u.github.io/notes/a/p3/"><a href="/notes/b/#h1">abs</a><a href="/elsewhere/">out</a>`)
		}, []string{`broken link "/elsewhere/": it is outside the site`}},
		{"another base URL", func() { m.base = "https://u.github.io/other/" }, []string{`broken link "/elsewhere/"`, `broken link "/notes/b/#h1"`}},
		{"no base URL", func() { m.base = "" }, []string{`broken link "/elsewhere/": the site has no page or file at elsewhere/`,
			`broken link "/notes/b/#h1": the site has no page or file at notes/b/`}},
		{"and no such links", func() { page("a/p3/index.html", ``) }, nil},
		{"require what is missing", func() { m.required = append(m.required, "c/", "a/p1/#nope") }, []string{
			`required0.md:3: warning: broken search result "c/"`, `required1.md:4: warning: broken search result "a/p1/#nope"`}},
		{"and what is there", func() { m.required = m.required[:2] }, nil},
		{"the same scans, new pointers", func() {
			for rel := range m.scans {
				m.touched[rel] = true
			}
		}, nil},
		{"everything goes", func() { clear(m.files); m.required = nil }, nil},
		{"and comes back", setup, nil},
	}
	for i, st := range steps {
		st.edit()
		name := fmt.Sprintf("step %d (%s)", i, st.name)
		got := checkCached(t, name, m.build(), CheckOptions{BaseURL: m.base, Source: sources}, cache)
		if len(got) != len(st.wants) {
			t.Fatalf("%s: got %d diagnostics, want %d:\n  %s", name, len(got), len(st.wants), strings.Join(got, "\n  "))
		}
		for j, w := range st.wants {
			if !strings.Contains(got[j], w) {
				t.Errorf("%s: diagnostic %d is\n  %s\nwant it to contain\n  %s", name, j, got[j], w)
			}
		}
	}
}

// TestCheckCacheUnnamedFilesLeaveResults renames files no page names, as a save renames search index
// chunks: every page's result is kept as it was, without its resolutions being looked at, and a page
// that comes to name such a file sees it.
func TestCheckCacheUnnamedFilesLeaveResults(t *testing.T) {
	t.Parallel()
	m := newModel()
	m.files["index.html"] = `<a href="a/">a</a><a href="a/#x">x</a>`
	m.files["a/index.html"] = `<h2 id="x">X</h2><a href="../">home</a>`
	m.files["search/d0.1.js"] = "chunk"
	cache := &CheckCache{}
	checkCached(t, "first build", m.build(), m.options(), cache)
	before, stampedAt := slices.Clone(cache.pages), cache.stampedAt
	for i := 2; i < 5; i++ {
		delete(m.files, fmt.Sprintf("search/d0.%d.js", i-1))
		m.files[fmt.Sprintf("search/d0.%d.js", i)] = "chunk"
		m.files["a/index.html"] += "<p>more text"
		checkCached(t, fmt.Sprint("rename ", i), m.build(), m.options(), cache)
		if cache.stampedAt != stampedAt {
			t.Errorf("rename %d: stampedAt %d, want %d: no kept resolution reads the chunk", i, cache.stampedAt, stampedAt)
		}
		if cache.pages[1] != before[1] { // index.html; a/index.html changed
			t.Errorf("rename %d: the unchanged page's result was made again", i)
		}
	}
	m.files["index.html"] += `<a href="search/d0.4.js">chunk</a><a href="search/d0.5.js">next</a>`
	if got := checkCached(t, "name the chunks", m.build(), m.options(), cache); len(got) != 1 || !strings.Contains(got[0], `"search/d0.5.js"`) {
		t.Fatalf("naming the chunks: %q, want the missing one reported", got)
	}
	delete(m.files, "search/d0.4.js")
	m.files["search/d0.5.js"] = "chunk"
	if got := checkCached(t, "rename a named chunk", m.build(), m.options(), cache); len(got) != 1 || !strings.Contains(got[0], `"search/d0.4.js"`) {
		t.Fatalf("renaming a named chunk: %q, want the old name reported", got)
	}
}

// TestCheckCacheRandomEdits makes hundreds of random edits to a small site, one build each, and compares
// the cached Check with a fresh one after every build.
func TestCheckCacheRandomEdits(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(seed, 7))
			m := newModel()
			cache := &CheckCache{}
			for step := range 300 {
				what := randomEdit(rng, m)
				checkCached(t, fmt.Sprintf("step %d (%s)", step, what), m.build(), m.options(), cache)
			}
		})
	}
}

// randomPages are the pages and files a random site may hold; the sets of ids and links are small so
// that edits often make and mend broken links.
var (
	randomPages = []string{"index.html", "a/index.html", "a/p1/index.html", "a/p2/index.html", "a/p1/q/index.html",
		"b/index.html", "b/p1/index.html", "docs/guide.html", "404.html"}
	// search/d0.1.js is a target too, so that a file no page names (a search index chunk) comes to be
	// named, and the other way round.
	randomFiles = []string{"img/pic.png", "a/p2", "style.css", "docs/guide.html", "search/idx.1.js", "search/idx.2.js",
		"search/d0.1.js", "search/d1.1.js"}
	randomTargets = []string{"", "a/", "a/p1/", "a/p2", "a/p2/", "a/p1/q/", "b/", "b/p1/", "docs/guide.html", "img/pic.png",
		"style.css", "missing/", "a/p1/q", "docs/", "search/d0.1.js"}
	randomBases = []string{"", "https://u.github.io/notes/", "/notes/", "https://u.github.io/"}
)

// randomEdit changes the model the way a save might, and says how.
func randomEdit(rng *rand.Rand, m *model) string {
	switch n := rng.IntN(22); {
	case n < 8:
		rel := randomPages[rng.IntN(len(randomPages))]
		m.files[rel] = randomPage(rng, rel, m.base)
		return "write " + rel
	case n < 10:
		rel := randomPages[rng.IntN(len(randomPages))]
		delete(m.files, rel)
		return "remove " + rel
	case n < 12:
		rel := randomFiles[rng.IntN(len(randomFiles))]
		if _, ok := m.files[rel]; ok {
			delete(m.files, rel)
			return "remove " + rel
		}
		m.files[rel] = "data"
		return "write " + rel
	case n < 14:
		var req []string
		for range rng.IntN(4) {
			req = append(req, randomTargets[rng.IntN(len(randomTargets))]+randomFragment(rng))
		}
		m.required = req
		return fmt.Sprint("require ", req)
	case n < 15:
		m.base = randomBases[rng.IntN(len(randomBases))]
		return "base " + m.base
	case n < 16:
		for rel := range m.files {
			if rng.IntN(2) == 0 {
				m.touched[rel] = true
			}
		}
		return "rescan unchanged pages"
	case n < 17:
		return "nothing"
	case n < 19:
		return randomNoteEdit(rng, m)
	default:
		k := rng.IntN(4)
		for range k {
			rel := randomPages[rng.IntN(len(randomPages))]
			m.files[rel] = randomPage(rng, rel, m.base)
		}
		return fmt.Sprint("write ", k, " pages")
	}
}

// randomNoteEdit changes a note the way a save might (its text, its links, or what the markdown stage
// reported of it), or gives a page a note or takes it away, and says how.
func randomNoteEdit(rng *rand.Rand, m *model) string {
	rel := randomPages[rng.IntN(len(randomPages))]
	n := m.notes[rel]
	switch k := rng.IntN(7); {
	case n == nil || k == 0:
		file := "content/" + strings.TrimSuffix(strings.TrimSuffix(rel, "index.html"), "/") + ".md"
		n = &Source{File: file, BodyLine: 1 + rng.IntN(3)}
		m.notes[rel] = n
		fallthrough
	case k == 1: // new text, often the same as before: a new slice all the same
		var b strings.Builder
		for range rng.IntN(6) {
			u := randomTargets[rng.IntN(len(randomTargets))] + randomFragment(rng)
			if rng.IntN(2) == 0 {
				u = strings.Repeat("../", strings.Count(rel, "/")) + u
			}
			fmt.Fprintf(&b, "see %s\n", u)
		}
		n.Body = []byte(b.String())
		return "edit the note of " + rel
	case k == 2:
		n.Links = nil
		for range rng.IntN(4) {
			n.Links = append(n.Links, SourceLink{Line: 1 + rng.IntN(5), Dest: fmt.Sprint("d", rng.IntN(3), ".md"),
				Target: randomTargets[rng.IntN(len(randomTargets))], Fragment: strings.TrimPrefix(randomFragment(rng), "#")})
		}
		return "new links in the note of " + rel
	case k == 3:
		m.salts[n.File]++
		return "other links reported in the note of " + rel
	case k == 4:
		delete(m.notes, rel)
		return "no note for " + rel
	case k == 5: // the note's text could not be read again, or is at hand again
		n.Unread = !n.Unread
		n.Body = nil
		return fmt.Sprintf("unread %v: the note of %s", n.Unread, rel)
	}
	cp := *n // a new Source with the same fields
	m.notes[rel] = &cp
	return "the same note for " + rel
}

// randomPage is a page at rel with a few ids and links of every kind the check knows.
func randomPage(rng *rand.Rand, rel, base string) string {
	var b strings.Builder
	for range rng.IntN(3) {
		fmt.Fprintf(&b, `<h2 id="h%d">h</h2>`, rng.IntN(3))
	}
	up := strings.Repeat("../", strings.Count(rel, "/"))
	fmt.Fprintf(&b, `<meta name="lectern-search" content="search/idx.%d.js">`, 1+rng.IntN(2))
	if rng.IntN(5) == 0 {
		b.WriteString(`<meta name="robots" content="noindex">`)
	}
	for range rng.IntN(8) {
		target := randomTargets[rng.IntN(len(randomTargets))] + randomFragment(rng)
		var u string
		switch rng.IntN(8) {
		case 0:
			u = "/notes/" + target
		case 1:
			u = base + target
		case 2:
			u = "#h" + fmt.Sprint(rng.IntN(3))
		case 3:
			u = "?q=1" + randomFragment(rng)
		case 4:
			u = "https://example.com/" + target
		default:
			u = up + target
		}
		fmt.Fprintf(&b, `<a href="%s">x</a>`, u)
	}
	if rng.IntN(2) == 0 {
		fmt.Fprintf(&b, `<img src="%simg/pic.png" srcset="%simg/pic.png 1x, %simg/big.png 2x">`, up, up, up)
	}
	return b.String()
}

func randomFragment(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return ""
	}
	return fmt.Sprintf("#h%d", rng.IntN(3))
}

// realisticSites are two builds of a site of n notes laid out as the theme lays them out: sections of
// folders of notes, each page with the theme's links (assets, search index, navigation, a sidebar of its
// folder, breadcrumbs), a table of contents of its own headings and links to other notes' headings, and a
// search result required for each heading. Between the two builds one note loses a heading that five other
// notes link to, and a content-hashed file changes its name; every other page keeps its *Scan.
func realisticSites(n int) (before, after *Checker) {
	const sections, sidebar, headings = 7, 55, 10
	perSection := n / sections
	files := map[string]*Scan{"favicon.svg": nil, "assets/style.css": nil, "assets/app.js": nil, "search/index.js": nil}
	var required []string
	note := func(s, i int) string { return fmt.Sprintf("s%d/doc_source/note-%03d/", s, i) }
	page := func(rel, dir string, body string) {
		up := strings.Repeat("../", strings.Count(dir, "/"))
		var b strings.Builder
		fmt.Fprintf(&b, `<link rel="icon" href="%sfavicon.svg"><link rel="stylesheet" href="%sassets/style.css">`, up, up)
		fmt.Fprintf(&b, `<meta name="lectern-search" content="search/index.js"><script src="%sassets/app.js"></script>`, up)
		fmt.Fprintf(&b, `<a href="#main">skip</a><a href="%s">home</a><form action="%ssearch/"></form><a href="%scheatsheet/">sheet</a>`, up, up, up)
		for s := range sections {
			fmt.Fprintf(&b, `<a href="%ss%d/">section</a>`, up, s)
		}
		b.WriteString(body)
		files[rel] = ScanHTML([]byte(b.String()))
	}
	page("index.html", "", `<main id="main">`)
	page("search/index.html", "search/", `<main id="main">`)
	page("cheatsheet/index.html", "cheatsheet/", `<main id="main">`)
	page("404.html", "", `<main id="main">`)
	for s := range sections {
		page(fmt.Sprintf("s%d/index.html", s), fmt.Sprintf("s%d/", s), `<main id="main">`)
		page(fmt.Sprintf("s%d/doc_source/index.html", s), fmt.Sprintf("s%d/doc_source/", s), `<main id="main">`)
		for i := range perSection {
			dir := note(s, i)
			var b strings.Builder
			for j := range min(sidebar, perSection) {
				fmt.Fprintf(&b, `<a href="../../../%s">sibling</a>`, note(s, (i+j+perSection-min(sidebar, perSection)/2)%perSection))
			}
			fmt.Fprintf(&b, `<a href="../../../">home</a><a href="../../../s%d/">section</a><a href="../../../s%d/doc_source/">folder</a><main id="main">`, s, s)
			for h := range headings {
				fmt.Fprintf(&b, `<a href="#h%d">toc</a>`, h)
			}
			for h := range headings {
				fmt.Fprintf(&b, `<h2 id="h%d">heading</h2><p>text`, h)
				required = append(required, dir+fmt.Sprintf("#h%d", h))
			}
			for j := 1; j <= 5; j++ {
				fmt.Fprintf(&b, `<a href="../note-%03d/#h%d">see</a>`, (i+j)%perSection, j)
			}
			// Broken links, as the da guides have: two the note's text holds (one through its markdown
			// links, one only as text), one the theme adds.
			fmt.Fprintf(&b, `<a href="../gone-%03d/">gone</a><a href="../../../old/page-%d.html">old</a>`, i, i)
			fmt.Fprintf(&b, `<a href="../../../s%d/edit/">edit</a>`, s)
			b.WriteString(`<img src="diagram.png">`)
			files[dir+"diagram.png"] = nil
			page(dir+"index.html", dir, b.String())
		}
	}
	build := func(files map[string]*Scan) *Checker {
		c := &Checker{}
		for rel, s := range files {
			c.AddScanned(rel, s)
		}
		for i, u := range required {
			c.Require("content/x.md", i, u, "search result")
		}
		return c
	}
	files["search/shard.1.js"] = nil
	before = build(files)
	// Note 0 of section 0 loses its heading h5, which note perSection-5 links to (j = 5).
	edited := note(0, 0) + "index.html"
	files[edited] = withoutID(files[edited], "h5")
	delete(files, "search/shard.1.js")
	files["search/shard.2.js"] = nil
	after = build(files)
	return before, after
}

// realisticOptions are the CheckOptions the site passes with realisticSites(n): each note's page comes
// from a note whose markdown links name the pages it links to (and one that is gone); the markdown stage
// reported the gone links of half the notes already. after is for the second build, in which note 0 of
// section 0 has new text; every other note keeps its very Body, as the site's cache does. Like the site's,
// Source makes a new Source, with new Links, on every call.
func realisticOptions(n int) (before, after CheckOptions) {
	const sections = 7
	perSection := n / sections
	type note struct {
		file  string
		body  []byte
		links []SourceLink // what the markdown stage resolved, converted on every call as the site does
	}
	notes := map[string]*note{}
	reported := map[string]bool{}
	for s := range sections {
		for i := range perSection {
			nt := &note{file: fmt.Sprintf("content/s%d/note-%03d.md", s, i)}
			body := fmt.Sprintf("Intro.\n\nSee [gone](gone-%03d.md), and ../../../old/page-%d.html for history.\n\n", i, i)
			nt.links = append(nt.links, SourceLink{Line: 5, Dest: fmt.Sprintf("gone-%03d.md", i),
				Target: fmt.Sprintf("s%d/doc_source/gone-%03d/", s, i)})
			for j := 1; j <= 5; j++ {
				k := (i + j) % perSection
				body += fmt.Sprintf("See [it](note-%03d.md#h%d).\n", k, j)
				nt.links = append(nt.links, SourceLink{Line: 6 + j, Dest: fmt.Sprintf("note-%03d.md#h%d", k, j),
					Target: fmt.Sprintf("s%d/doc_source/note-%03d/", s, k), Fragment: fmt.Sprint("h", j)})
			}
			nt.body = []byte(body)
			notes[fmt.Sprintf("s%d/doc_source/note-%03d/index.html", s, i)] = nt
			if i%2 == 0 {
				reported[fmt.Sprintf("%s:%d:gone-%03d.md", nt.file, 5, i)] = true
			}
		}
	}
	options := func(notes map[string]*note) CheckOptions {
		return CheckOptions{
			Source: func(rel string) *Source {
				nt := notes[rel]
				if nt == nil {
					return &Source{File: "public/" + rel}
				}
				src := &Source{File: nt.file, Body: nt.body, BodyLine: 3}
				for _, l := range nt.links {
					src.Links = append(src.Links, l)
				}
				return src
			},
			Reported: func(file string, line int, dest string) bool {
				return reported[file+":"+strconv.Itoa(line)+":"+dest]
			},
		}
	}
	edited := maps.Clone(notes)
	rel := "s0/doc_source/note-000/index.html"
	nt := *notes[rel]
	nt.body = append(slices.Clip(nt.body), "An edit.\n"...)
	edited[rel] = &nt
	return options(notes), options(edited)
}

// BenchmarkCheckRealistic is a Check of 1,000 notes without a cache: what every build paid before
// CheckCache, and what a full build still pays.
func BenchmarkCheckRealistic(b *testing.B) {
	c, _ := realisticSites(1000)
	opts, _ := realisticOptions(1000)
	for b.Loop() {
		c.Check(opts)
	}
}

// BenchmarkCheckCached is the dev server's case: builds of 1,000 notes alternating between two versions
// of one note (so one page, and the pages linking to its headings, change every time), with a CheckCache.
func BenchmarkCheckCached(b *testing.B) {
	before, after := realisticSites(1000)
	optsBefore, optsAfter := realisticOptions(1000)
	optsBefore.Cache = &CheckCache{}
	optsAfter.Cache = optsBefore.Cache
	alternate(b, before, optsBefore, after, optsAfter)
}

// BenchmarkCheckCachedTextEdit is the most common save: builds of 1,000 notes alternating between two
// versions of one note's text, its headings unchanged (its page has a new *Scan with the same ids), with
// a CheckCache.
func BenchmarkCheckCachedTextEdit(b *testing.B) {
	before, _ := realisticSites(1000)
	optsBefore, optsAfter := realisticOptions(1000)
	after := &Checker{files: before.files, pages: maps.Clone(before.pages), others: before.others, required: before.required}
	rel := "s0/doc_source/note-000/index.html"
	s := *after.pages[rel]
	after.pages[rel] = &s
	optsBefore.Cache = &CheckCache{}
	optsAfter.Cache = optsBefore.Cache
	alternate(b, before, optsBefore, after, optsAfter)
}

// alternate checks the two versions of a site in turn, as the dev server does when one note is saved
// again and again, the first check outside the timing.
func alternate(b *testing.B, before *Checker, optsBefore CheckOptions, after *Checker, optsAfter CheckOptions) {
	before.Check(optsBefore)
	i := 0
	for b.Loop() {
		c, opts := after, optsAfter
		if i++; i%2 == 0 {
			c, opts = before, optsBefore
		}
		c.Check(opts)
	}
}

// TestRealisticSitesBreakOneLink keeps the benchmarks honest: the edit breaks one link from another note
// (the note's own table of contents and the search result for the heading break too), and the cached
// Check sees it, among the site's other broken links.
func TestRealisticSitesBreakOneLink(t *testing.T) {
	t.Parallel()
	before, after := realisticSites(70)
	optsBefore, optsAfter := realisticOptions(70)
	opts := []CheckOptions{optsBefore, optsAfter}
	cache := &CheckCache{}
	var base int
	for i, c := range []*Checker{before, after, before, after} {
		o := opts[i%2]
		fresh := c.Check(o)
		o.Cache = cache
		cached := c.Check(o)
		if !reflect.DeepEqual(cached, fresh) {
			t.Fatalf("build %d: with the cache\n  %v\nwithout\n  %v", i, cached, fresh)
		}
		if i == 0 {
			base = len(fresh)
			if base < 70 {
				t.Fatalf("build 0: %d diagnostics, want the site's broken links: %v", base, fresh)
			}
		}
		if want := base + 3*(i%2); len(fresh) != want {
			t.Fatalf("build %d: %d diagnostics, want %d: %v", i, len(fresh), want, fresh)
		}
	}
	var got []string
	for _, d := range after.Check(opts[1]) {
		if strings.Contains(d.Msg, `link "../note-000/#h5"`) {
			got = append(got, d.Error())
		}
	}
	want := []string{`content/s0/note-005.md:11: warning: broken link "../note-000/#h5"`}
	if len(got) != 1 || !strings.HasPrefix(got[0], want[0]) {
		t.Fatalf("the broken heading link is reported as\n  %q\nwant\n  %q", got, want)
	}
}

// BenchmarkCheckCachedCopiedScans is BenchmarkCheckCached when every page comes with a new *Scan of the
// same content, as when a caller copies scans: nothing is known unchanged by its pointer, so every page is
// resolved again, from the resolutions it used before.
func BenchmarkCheckCachedCopiedScans(b *testing.B) {
	before, _ := realisticSites(1000)
	cache := &CheckCache{}
	before.Check(CheckOptions{Cache: cache})
	for b.Loop() {
		b.StopTimer()
		c := &Checker{}
		for rel := range before.files {
			s := before.pages[rel]
			if s != nil {
				cp := *s
				s = &cp
			}
			c.AddScanned(rel, s)
		}
		c.required = before.required
		b.StartTimer()
		c.Check(CheckOptions{Cache: cache})
	}
}

// BenchmarkRequireAll is what the site's requireSearchResults costs on 1,000 notes of 10 headings each.
func BenchmarkRequireAll(b *testing.B) {
	lists := make([][]Required, 1000)
	for i := range lists {
		for h := range 10 {
			lists[i] = append(lists[i], Required{Line: h + 1, URL: fmt.Sprintf("s0/doc_source/note-%03d/#h%d", i, h)})
		}
	}
	for b.Loop() {
		c := &Checker{}
		for i, rs := range lists {
			c.RequireAll(fmt.Sprint("content/", i, ".md"), "search result", rs)
		}
	}
}

// BenchmarkPages is the sitemap's list of 1,000 notes' pages, sorted on every build.
func BenchmarkPages(b *testing.B) {
	c, _ := realisticSites(1000)
	for b.Loop() {
		c.sorted = nil // a new build's Checker
		c.Pages()
	}
}

// BenchmarkPagesCached is BenchmarkPages in the dev server, which passes the CheckCache of the previous
// build's Check.
func BenchmarkPagesCached(b *testing.B) {
	c, _ := realisticSites(1000)
	cache := &CheckCache{}
	c.Check(CheckOptions{Cache: cache})
	for b.Loop() {
		c.sorted = nil
		cache.Pages(c)
	}
}

// withoutID is a copy of s without the id.
func withoutID(s *Scan, id string) *Scan {
	t := *s
	var ids [][]byte
	for _, x := range s.IDs() {
		if x != id {
			ids = append(ids, []byte(x))
		}
	}
	t.ids, t.idEnd = joinIDs(ids)
	return &t
}
