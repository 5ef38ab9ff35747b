package publish

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestCheckMemoRandom compares the Check of random sites whose pages share the Checker's table of URLs
// (Add), where a Check without a cache remembers answers from page to page (resolveMemo), with the Check
// of the same pages scanned apart (AddScanned of ScanHTML: nothing remembered) and with a cached Check
// (no memo either). The sites have many sibling pages, folders that joinRelative does not read ('%',
// dot names), and references that climb too far, use dot elements, escapes, queries and fragments.
func TestCheckMemoRandom(t *testing.T) {
	t.Parallel()
	folders := []string{"a", "b", "a%20b", ".hid", "c.d", "e"}
	elems := []string{"a", "b", "a%20b", ".hid", "c.d", "e", ".", "..", "", "index.html", "x.png", "%2e%2e"}
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 11))
		var pages []string
		for range 10 + rng.IntN(60) {
			var d []string
			for range rng.IntN(4) {
				d = append(d, folders[rng.IntN(len(folders))])
			}
			pages = append(pages, strings.Join(append(d, "index.html"), "/"))
		}
		files := []string{"x.png", "a/x.png", "a/b/x.png", "e/index.html"}
		link := func() string {
			var u string
			switch rng.IntN(6) {
			case 0:
				u = "/notes/" + strings.TrimSuffix(pages[rng.IntN(len(pages))], "index.html")
			case 1:
				u = "https://u.github.io/notes/" + files[rng.IntN(len(files))]
			default:
				u = strings.Repeat("../", rng.IntN(5))
				var e []string
				for range rng.IntN(4) {
					e = append(e, elems[rng.IntN(len(elems))])
				}
				u += strings.Join(e, "/")
				if rng.IntN(3) == 0 {
					u += "/"
				}
			}
			switch rng.IntN(5) {
			case 0:
				u += fmt.Sprintf("#h%d", rng.IntN(3))
			case 1:
				u += "?q=1"
			}
			return u
		}
		// A few sidebars, each shared by many pages, as the theme's navigation is.
		var sidebars []string
		for range 3 {
			var b strings.Builder
			for range 10 {
				fmt.Fprintf(&b, `<a href="%s">n</a>`, link())
			}
			sidebars = append(sidebars, b.String())
		}
		html := map[string][]byte{}
		for _, rel := range pages {
			var b strings.Builder
			fmt.Fprintf(&b, `<h2 id="h%d">h</h2><meta name="lectern-search" content="%s">`, rng.IntN(3), files[rng.IntN(len(files))])
			b.WriteString(sidebars[rng.IntN(len(sidebars))])
			for range rng.IntN(5) {
				fmt.Fprintf(&b, `<img src="%s">`, link())
			}
			html[rel] = []byte(b.String())
		}
		var shared, apart Checker
		for _, f := range files {
			shared.Add(f, nil)
			apart.Add(f, nil)
		}
		for _, i := range rng.Perm(len(pages)) {
			shared.Add(pages[i], html[pages[i]])
			apart.AddScanned(pages[i], ScanHTML(html[pages[i]]))
		}
		for _, base := range []string{"", "https://u.github.io/notes/", "/notes/"} {
			opts := CheckOptions{BaseURL: base}
			got, want := shared.Check(opts), apart.Check(opts)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d, base %q: pages added\n  %v\npages scanned apart\n  %v", seed, base, got, want)
			}
			opts.Cache = &CheckCache{}
			if cached := shared.Check(opts); !reflect.DeepEqual(got, cached) {
				t.Fatalf("seed %d, base %q: without a cache\n  %v\nwith one\n  %v", seed, base, got, cached)
			}
			if seed == 0 && base == "" && len(got) == 0 {
				t.Fatal("no broken link at all: the sites test little")
			}
		}
	}
}

// TestURLMemoSize: a worker holds one urlMemo per URL of the table; its comment says sixteen bytes.
func TestURLMemoSize(t *testing.T) {
	if n := unsafe.Sizeof(urlMemo{}); n > 16 {
		t.Errorf("a urlMemo takes %d bytes", n)
	}
}
