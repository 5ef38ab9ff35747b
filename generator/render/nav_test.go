package render

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// oldWriteView is WriteView as it was before it copied folders' strips: it walks the tree and writes every
// link of the page afresh. It is the oracle the copying writer is compared with.
func (t *NavTree) oldWriteView(b *strings.Builder, url, root string, inlineMax int) {
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

// randomNavSite is a site of random shape: folders up to four deep, one of up to 120 entries (so the
// window of 2×siblingWindow is met at both ends and in the middle), index pages, titles and URLs that need escaping,
// and URLs that do not follow the folders (a note's URL under another note's, one not ending in "/", a
// folder with no page of its own and no URL).
func randomNavSite(r *rand.Rand) (*NavTree, []string) {
	titles := []string{"Plain", `A & B`, `<b>bold</b>`, `"quoted"`, "it's > that", "Ünïcode", ""}
	title := func(i int) string { return fmt.Sprintf("%s %d", titles[r.IntN(len(titles))], i) }
	var dirs []string
	var grow func(dir string, depth int)
	grow = func(dir string, depth int) {
		for i := range r.IntN(4) {
			if depth < 4 {
				d := fmt.Sprintf("d%d", i)
				if dir != "." {
					d = dir + "/" + d
				}
				dirs = append(dirs, d)
				grow(d, depth+1)
			}
		}
	}
	grow(".", 0)
	dirs = append(dirs, ".")
	folders := map[string]FolderInfo{}
	for _, d := range dirs {
		switch r.IntN(8) {
		case 0: // a folder without a page or a title
		case 1:
			folders[d] = FolderInfo{Title: title(0), URL: d + `&"x"/`}
		default:
			folders[d] = FolderInfo{Title: title(0), URL: d + "/"}
		}
	}
	pages := []NavEntry{{Title: "Home", URL: "", Dir: ".", IsIndex: true}}
	var urls []string
	big := dirs[r.IntN(len(dirs))] // half the notes, so that its window meets both ends and neither
	for i := range 40 + r.IntN(200) {
		d := dirs[r.IntN(len(dirs))]
		if r.IntN(2) == 0 {
			d = big
		}
		prefix := d + "/"
		if d == "." {
			prefix = ""
		}
		e := NavEntry{Title: title(i), Dir: d, URL: fmt.Sprintf("%sn%d/", prefix, i)}
		switch r.IntN(20) {
		case 0:
			e.IsIndex, e.URL = true, prefix
		case 1: // under an earlier page's URL
			if len(urls) > 0 {
				e.URL = urls[r.IntN(len(urls))] + fmt.Sprintf("m%d/", i)
			}
		case 2:
			e.URL = fmt.Sprintf("%sn%d.html", prefix, i)
		case 3:
			e.URL = fmt.Sprintf("%sq&%d\"/", prefix, i)
		case 4: // in another folder than its URL says
			e.Dir = dirs[r.IntN(len(dirs))]
		}
		if e.URL == "" {
			continue
		}
		pages = append(pages, e)
		urls = append(urls, e.URL)
	}
	for _, f := range folders {
		urls = append(urls, f.URL)
	}
	urls = append(urls, "", "nowhere/", "404.html", "deep/er/than/any/")
	return NewNavTree(pages, folders), urls
}

// The copying writer writes what the walking one wrote, for every page of random sites, seen from its own
// folder, an absolute root (the 404 page's) or a relative root that is not its own, on large and small
// sites (inlineMax around the entry count), with each tree's strips kept from page to page as in a build.
func TestWriteViewMatchesOldWriter(t *testing.T) {
	t.Parallel()
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	for seed := range seeds {
		r := rand.New(rand.NewPCG(uint64(seed), 9))
		tree, urls := randomNavSite(r)
		inlines := []int{0, tree.Len() - 1, tree.Len()} // large, just large, small
		for _, url := range urls {
			for _, root := range []string{RootFor(url), "/site/", `https://e.x/a&b"c/`, "../"} {
				for _, inline := range inlines {
					var want, got strings.Builder
					tree.oldWriteView(&want, url, root, inline)
					tree.WriteView(&got, url, root, inline)
					if got.String() != want.String() {
						t.Fatalf("seed %d url=%q root=%q inline=%d:\n got %s\nwant %s", seed, url, root, inline, got.String(), want.String())
					}
				}
			}
		}
	}
}

// Pages render concurrently, so strips are made while other pages read them (run with -race).
func TestWriteViewConcurrent(t *testing.T) {
	t.Parallel()
	tree, urls := randomNavSite(rand.New(rand.NewPCG(3, 4)))
	want := make([]string, len(urls))
	for i, url := range urls {
		var b strings.Builder
		tree.oldWriteView(&b, url, RootFor(url), 10)
		want[i] = b.String()
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, url := range urls {
				var b strings.Builder
				tree.WriteView(&b, url, RootFor(url), 10)
				if b.String() != want[i] {
					t.Errorf("url %q: got %s\nwant %s", url, b.String(), want[i])
				}
			}
		})
	}
	wg.Wait()
}

// relativeFrom is writeRelativeURL for every page in a folder of base, to any URL not under the page's
// folder.
func TestRelativeFrom(t *testing.T) {
	t.Parallel()
	urls := []string{"", "a/", "a/b/", "a/bc/", "a/b/c/", "ab/", "a/b", "x.html", "a/b/c/d/", "z/y/", "a//", "a/b/x.html"}
	for _, from := range urls {
		dir := from[:strings.LastIndexByte(from, '/')+1]
		if dir == "" {
			continue
		}
		base := dir[:strings.LastIndexByte(dir[:len(dir)-1], '/')+1]
		for _, to := range urls {
			if strings.HasPrefix(to, dir) {
				continue
			}
			var want, got strings.Builder
			writeRelativeURL(&want, from, to)
			up, rest := relativeFrom(base, to)
			got.WriteString(strings.Repeat("../", up) + rest)
			if got.String() != want.String() {
				t.Errorf("from %q (base %q) to %q: got %q, want %q", from, base, to, got.String(), want.String())
			}
		}
	}
}

func TestIsRootFor(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"", "404.html", "a/", "a/b/", "a/b/c.html", "a/b/c/d/"} {
		for _, root := range []string{"", "./", "../", "../../", "../../../", "..//", "/site/", "../../../../", ".../"} {
			if got, want := isRootFor(root, url), root == RootFor(url); got != want {
				t.Errorf("isRootFor(%q, %q) = %v, want %v", root, url, got, want)
			}
		}
	}
}
