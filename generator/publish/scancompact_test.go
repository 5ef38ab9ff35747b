package publish

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestURLTable(t *testing.T) {
	t.Parallel()
	urls := make([]string, 5000) // enough to grow the hash table a few times
	for i := range urls {
		urls[i] = fmt.Sprintf("../p%d/#h%d", i%97, i)
	}
	tab := newURLTable()
	for round := range 2 { // the second time round, every URL is found
		for i, u := range urls {
			if got := tab.add([]byte(u)); got != uint32(i) {
				t.Fatalf("round %d: add(%q) = %d, want %d", round, u, got, i)
			}
		}
	}
	if !slices.Equal(tab.urls, urls) {
		t.Fatalf("the table holds %d URLs, want the %d added, once each", len(tab.urls), len(urls))
	}
	if got := tab.add(nil); got != uint32(len(urls)) || tab.add([]byte("")) != got {
		t.Fatalf("the empty URL is not held once")
	}

	var plain urlTable // ScanHTML's: one URL per reference, never looked up
	for i, u := range []string{"a", "b", "a"} {
		if got := plain.add([]byte(u)); got != uint32(i) {
			t.Fatalf("add(%q) = %d, want %d", u, got, i)
		}
	}
}

func TestScanIDs(t *testing.T) {
	t.Parallel()
	s := ScanHTML([]byte(`<p id="b"><p id="a"><a name="c" id="b"></a><p id=""><p id="&amp;x"><div name="d">`))
	if got, want := s.IDs(), []string{"&x", "a", "b", "c"}; !slices.Equal(got, want) {
		t.Fatalf("IDs() = %q, want %q (sorted, each once)", got, want)
	}
	for _, id := range []string{"a", "b", "c", "&x"} {
		if !s.HasID(id) {
			t.Errorf("HasID(%q) = false", id)
		}
	}
	for _, id := range []string{"", "ab", "d", "&amp;x", "B", "0", "z"} {
		if s.HasID(id) {
			t.Errorf("HasID(%q) = true", id)
		}
	}
	same := ScanHTML([]byte(`<a name="c"></a><p id="a"><p id="&#38;x"><p id="b">`))
	other := ScanHTML([]byte(`<p id="ab"><p id="c"><p id="&amp;x">`))
	if !s.sameIDs(same) || s.sameIDs(other) || s.sameIDs(ScanHTML(nil)) || !ScanHTML(nil).sameIDs(ScanHTML([]byte("<p>"))) {
		t.Fatal("sameIDs does not tell the same ids from others")
	}
}

// TestIsSelf keeps isSelf, which the scan reads off a URL's bytes, equal to scopeOf's notion of a
// reference to the page itself.
func TestIsSelf(t *testing.T) {
	t.Parallel()
	for _, u := range selfURLs {
		for _, v := range []string{u, "x" + u, "/" + u, "https://x.io/" + u, "../a/" + u} {
			_, shared := scopeOf("dir", Ref{URL: v})
			if isSelf([]byte(v)) == shared {
				t.Errorf("isSelf(%q) = %v, scopeOf says shared = %v", v, isSelf([]byte(v)), shared)
			}
		}
	}
}

// selfURLs are references to a page itself, of every sort resolve tells apart.
var selfURLs = []string{"", "#", "#a", "#A", "#b", "#top", "#TOP", "#caf%C3%A9", "#café", "#%zz", "#a%20b", "?q", "?q#a",
	"?q#zz", "#:~:text=a", "#zz", "#a#b"}

// TestAddMatchesScanHTML compares Check over pages added with Add, which leaves out the references to a
// page itself that lead somewhere on it, with Check over the same pages scanned whole by ScanHTML (as the
// dev server's do), with and without a CheckCache, on random pages: every sort of reference to the page
// itself, working and broken, repeated so that which occurrence the note holds matters, and root-relative
// search index URLs with the very text of one.
func TestAddMatchesScanHTML(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 4))
	ids := []string{"a", "b", "café", "caf%C3%A9", "a b", "top-x", "A"}
	for round := range 40 {
		pages := map[string]string{}
		bodies := map[string][]byte{}
		for p := range 6 {
			rel := fmt.Sprintf("d%d/p%d/index.html", p%2, p)
			if p == 0 {
				rel = "index.html"
			}
			var b, body strings.Builder
			for range 1 + rng.IntN(25) {
				switch rng.IntN(6) {
				case 0:
					id := ids[rng.IntN(len(ids))]
					if rng.IntN(3) == 0 {
						fmt.Fprintf(&b, `<a name="%s"></a>`, id)
					} else {
						fmt.Fprintf(&b, `<h2 id="%s">x</h2>`, strings.ReplaceAll(id, "é", "&eacute;"))
					}
				case 1:
					u := selfURLs[rng.IntN(len(selfURLs))]
					fmt.Fprintf(&b, `<a href="%s">x</a>`, u)
					if rng.IntN(2) == 0 {
						fmt.Fprintf(&body, "see [x](%s)\n", u)
					}
				case 2:
					fmt.Fprintf(&b, `<meta name="lectern-search" content="%s search/a.js">`, selfURLs[rng.IntN(len(selfURLs))])
				case 3:
					fmt.Fprintf(&b, `<a href="../p%d/%s">x</a>`, rng.IntN(6), selfURLs[rng.IntN(len(selfURLs))])
				case 4:
					fmt.Fprintf(&b, `<img src="%s">`, selfURLs[rng.IntN(len(selfURLs))])
				default:
					u := fmt.Sprintf("/n/d%d/p%d/#b", rng.IntN(2), rng.IntN(6))
					fmt.Fprintf(&b, `<a href="%s">x</a>`, u)
					fmt.Fprintf(&body, "[y](%s)\n", u)
				}
			}
			pages[rel], bodies[rel] = b.String(), []byte(body.String())
		}
		pages["search/a.js"] = ""
		opts := CheckOptions{
			BaseURL: "https://x.io/n/",
			Source: func(rel string) *Source {
				if bodies[rel] == nil {
					return nil
				}
				return &Source{File: "content/" + rel + ".md", Body: bodies[rel], BodyLine: 3}
			},
		}
		var added, scanned Checker
		dropped := 0
		for rel, html := range pages {
			if !strings.HasSuffix(rel, ".html") {
				added.Add(rel, []byte(html))
				scanned.AddScanned(rel, nil)
				continue
			}
			added.Add(rel, []byte(html))
			s := ScanHTML([]byte(html))
			scanned.AddScanned(rel, s)
			dropped += len(s.refs) - len(added.pages[rel].refs)
			if got, want := ValuesOf(added.pages[rel]).IDs, s.IDs(); !slices.Equal(got, want) {
				t.Fatalf("round %d, %s: Add's ids %q, ScanHTML's %q", round, rel, got, want)
			}
		}
		want := scanned.Check(opts)
		if got := added.Check(opts); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: Check of the pages added\n  %v\nof the pages scanned whole\n  %v\npages: %q", round, got, want, pages)
		}
		opts.Cache = &CheckCache{}
		if got := added.Check(opts); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: Check of the pages added, with a cache\n  %v\nwithout\n  %v\npages: %q", round, got, want, pages)
		}
		if round == 0 && (dropped == 0 || len(want) == 0) {
			t.Fatalf("round 0 left out %d references and found %d broken: not the case under test", dropped, len(want))
		}
	}
}
