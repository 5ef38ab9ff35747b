package publish

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/diag"
)

func TestScanHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		html    string
		ids     []string
		refs    []string // tag.attr=url, with a trailing ^ for root-relative ones
		noindex bool
	}{
		{
			name: "links, assets and ids",
			html: `<html><head><link rel=stylesheet href="../a.css"><script defer src='../app.js'></script></head>
<body><h2 id="intro">Intro</h2><a href="../glue/#x">g</a><img src="i.png" srcset="i.png 1x, i@2x.png 2x"><a name="old"></a></body></html>`,
			ids:  []string{"intro", "old"},
			refs: []string{"link.href=../a.css", "script.src=../app.js", "a.href=../glue/#x", "img.src=i.png", "img.srcset=i.png", "img.srcset=i@2x.png"},
		},
		{
			name: "entities are decoded and unquoted values read",
			html: `<a href="a.html?x=1&amp;y=2">x</a><a href=b.html>y</a><p id=p1>`,
			ids:  []string{"p1"},
			refs: []string{"a.href=a.html?x=1&y=2", "a.href=b.html"},
		},
		{
			name:    "meta: search index entries are root-relative, social URLs absolute, robots noindex",
			html:    `<meta content="search/a.js search/b.js" name="lectern-search"><meta property="og:url" content="https://x.io/n/"><meta name="robots" content="noindex, follow"><meta name="description" content="not/a/url">`,
			refs:    []string{"meta.content=search/a.js^", "meta.content=search/b.js^", "meta.content=https://x.io/n/"},
			noindex: true,
		},
		{
			name: "forms, media and objects",
			html: `<form action="../search/"><button formaction="go/">b</button></form><video src="v.mp4" poster="p.jpg"><track src="t.vtt"></video><object data="d.svg"></object><iframe src="f.html"></iframe>`,
			refs: []string{"form.action=../search/", "button.formaction=go/", "video.src=v.mp4", "video.poster=p.jpg", "track.src=t.vtt", "object.data=d.svg", "iframe.src=f.html"},
		},
		{
			name: "text, comments and scripts are not markup",
			html: `<p>write &lt;a href="x"&gt;</p><!-- <a href="y"> --><script>var s = '<a href="z">';</script><pre>&lt;img src=w&gt;</pre>`,
		},
		{
			name: "name on other elements is not an anchor; empty ids are ignored",
			html: `<input name="q"><div id="">x</div><A NAME="Up">u</A>`,
			ids:  []string{"Up"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := ScanHTML([]byte(tt.html))
			var ids []string
			for _, id := range s.IDs() {
				ids = append(ids, id)
			}
			sortStrings(ids)
			want := append([]string(nil), tt.ids...)
			sortStrings(want)
			if !reflect.DeepEqual(ids, want) && !(len(ids) == 0 && len(want) == 0) {
				t.Errorf("ids = %q, want %q", ids, want)
			}
			var refs []string
			for _, r := range s.Refs() {
				x := r.Tag + "." + r.Attr + "=" + r.URL
				if r.RootRelative {
					x += "^"
				}
				refs = append(refs, x)
			}
			if !reflect.DeepEqual(refs, tt.refs) && !(len(refs) == 0 && len(tt.refs) == 0) {
				t.Errorf("refs =\n  %q\nwant\n  %q", refs, tt.refs)
			}
			if s.NoIndex != tt.noindex {
				t.Errorf("NoIndex = %v, want %v", s.NoIndex, tt.noindex)
			}
		})
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// site is a small output tree: every page links somewhere; the test adds one more page with the link
// under test.
var site = map[string]string{
	"index.html":             `<a href="glue/">Glue</a><a href="./">home</a><a href="#top">top</a><h1 id="welcome">W</h1>`,
	"glue/index.html":        `<h2 id="crawler">C</h2><h2 id="caf%C3%A9-ids">x</h2><h2 id="café">y</h2><a href="../">home</a>`,
	"emr/index.html":         `<a name="legacy"></a>`,
	"img/a b.png":            "png",
	"assets/style.css":       "css",
	"search/index.html":      `<form action="./"></form>`,
	"docs/guide.html":        `<p id="g">`,
	"files/report.pdf":       "pdf",
	"404.html":               `<h1>Page not found</h1>`,
	"search/idx.1234abcd.js": "js",
}

func TestCheckResolves(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		page string // where the reference is
		html string
		base string
		want string // "" when the link works, else a substring of the one diagnostic
	}{
		{"relative page link", "emr/index.html", `<a href="../glue/">`, "", ""},
		{"anchor on another page", "emr/index.html", `<a href="../glue/#crawler">`, "", ""},
		{"missing anchor", "emr/index.html", `<a href="../glue/#crawlers">`, "", `glue/ has no element with id "crawlers"`},
		{"same-page anchor", "emr/index.html", `<a href="#legacy">`, "", ""},
		{"missing same-page anchor", "emr/index.html", `<a href="#nope">`, "", `emr/ has no element with id "nope"`},
		{"#top needs no id", "emr/index.html", `<a href="#top">`, "", ""},
		{"percent-encoded anchor", "emr/index.html", `<a href="../glue/#caf%C3%A9">`, "", ""},
		{"anchor into a file that is not HTML", "emr/index.html", `<a href="../files/report.pdf#page=2">`, "", ""},
		{"missing page", "emr/index.html", `<a href="../lambda/">`, "", "the site has no page or file at lambda/"},
		{"folder without trailing slash", "emr/index.html", `<a href="../glue">`, "", ""},
		{"escaped file name", "emr/index.html", `<img src="../img/a%20b.png">`, "", ""},
		{"missing image", "emr/index.html", `<img src="../img/c.png">`, "", `broken image "../img/c.png"`},
		{"srcset", "emr/index.html", `<img src="../img/a%20b.png" srcset="../img/a%20b.png 1x, ../img/x2.png 2x">`, "", "img/x2.png"},
		{"query is ignored", "emr/index.html", `<a href="../glue/?q=1#crawler">`, "", ""},
		{"above the root", "emr/index.html", `<a href="../../x/">`, "", "points above the site's root"},
		{"external links are not fetched", "emr/index.html", `<a href="https://example.com/nope">x</a><a href="mailto:a@b.c">m</a><a href="//cdn.example.com/x.js">c</a>`, "", ""},
		{"absolute URL under the base", "emr/index.html", `<link rel="canonical" href="https://u.github.io/notes/glue/">`, "https://u.github.io/notes/", ""},
		{"absolute URL under the base, missing", "emr/index.html", `<meta property="og:url" content="https://u.github.io/notes/lambda/">`, "https://u.github.io/notes/", "no page or file at lambda/"},
		{"absolute URL of another site", "emr/index.html", `<a href="https://u.github.io/other/">`, "https://u.github.io/notes/", ""},
		{"the base URL itself, without its slash", "emr/index.html", `<a href="https://u.github.io/notes">`, "https://u.github.io/notes/", ""},
		{"root-absolute path under the base path", "404.html", `<a href="/notes/glue/#crawler">`, "https://u.github.io/notes/", ""},
		{"root-absolute path outside the base path", "404.html", `<a href="/glue/">`, "https://u.github.io/notes/", "outside the site, which is published under /notes/"},
		{"root-absolute path without a base URL", "404.html", `<a href="/glue/">`, "", ""},
		{"search index entries are root-relative", "emr/index.html", `<meta name="lectern-search" content="search/idx.1234abcd.js">`, "", ""},
		{"missing search index entry", "emr/index.html", `<meta name="lectern-search" content="search/idx.0000.js">`, "", `broken search index "search/idx.0000.js"`},
		{"form target", "glue/index.html", `<form action="../search/">`, "", ""},
		{"missing form target", "glue/index.html", `<form action="../find/">`, "", `broken form target "../find/"`},
		{"empty href is the page itself", "glue/index.html", `<a href="">`, "", ""},
		{"page at the root", "index.html", `<a href="docs/guide.html#g">`, "", ""},
		{"dot segments", "glue/index.html", `<a href="./../emr/./#legacy">`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c Checker
			for rel, data := range site {
				c.Add(rel, []byte(data))
			}
			page := tt.page
			body := []byte(site[page] + tt.html)
			c.Add(page, body)
			ds := c.Check(CheckOptions{BaseURL: tt.base})
			var got []string
			for _, d := range ds {
				got = append(got, d.Error())
			}
			switch {
			case tt.want == "" && len(ds) > 0:
				t.Errorf("want no diagnostics, got %q", got)
			case tt.want != "" && (len(ds) != 1 || !strings.Contains(ds[0].Msg, tt.want)):
				t.Errorf("want one diagnostic containing %q, got %q", tt.want, got)
			case len(ds) == 1 && ds[0].Severity != diag.Warning:
				t.Errorf("severity = %v, want warning", ds[0].Severity)
			}
		})
	}
}

func TestCheckAttributesToNotes(t *testing.T) {
	t.Parallel()
	body := "Intro\n\nSee [the crawler](glue.md#crawlers).\n\n<img src=\"pics/missing.png\">\n\n[again](glue.md#crawlers) and [lost](lost.md)\n"
	src := &Source{
		File: "content/emr.md", Body: []byte(body), BodyLine: 5,
		Links: []SourceLink{
			{Line: 7, Dest: "glue.md#crawlers", Target: "glue/", Fragment: "crawlers"},
			{Line: 11, Dest: "glue.md#crawlers", Target: "glue/", Fragment: "crawlers"},
		},
	}
	page := `<nav><a href="../glue/">nav</a><form action="../find/"></form></nav>` +
		`<p>See <a href="../glue/#crawlers">the crawler</a>.</p><img src="pics/missing.png">` +
		`<p><a href="../glue/#crawlers">again</a> and <a href="lost.md">lost</a> <a href="../svc/s3/">S3</a></p>`
	tests := []struct {
		name     string
		reported func(file string, line int, dest string) bool
		want     []string
	}{
		{
			name: "every problem at its line; theme links once per target",
			want: []string{
				`content/emr.md: warning: broken form target "../find/": the site has no page or file at find/ (on 2 pages; it is not in the note, so it comes from the theme or a generated link)`,
				`content/emr.md: warning: broken link "../svc/s3/": the site has no page or file at svc/s3/ (it is not in the note, so it comes from the theme or a generated link)`,
				`content/emr.md:7: warning: broken link "../glue/#crawlers": glue/ has no element with id "crawlers"`,
				`content/emr.md:9: warning: broken image "pics/missing.png": the site has no page or file at emr/pics/missing.png`,
				`content/emr.md:11: warning: broken link "../glue/#crawlers": glue/ has no element with id "crawlers"`,
				`content/emr.md:11: warning: broken link "lost.md": the site has no page or file at emr/lost.md`,
			},
		},
		{
			name: "what the markdown stage reported is not repeated",
			reported: func(file string, line int, dest string) bool {
				return file == "content/emr.md" && (line == 7 && dest == "glue.md#crawlers" || line == 11 && dest == "lost.md")
			},
			want: []string{
				`content/emr.md: warning: broken form target "../find/": the site has no page or file at find/ (on 2 pages; it is not in the note, so it comes from the theme or a generated link)`,
				`content/emr.md: warning: broken link "../svc/s3/": the site has no page or file at svc/s3/ (it is not in the note, so it comes from the theme or a generated link)`,
				`content/emr.md:9: warning: broken image "pics/missing.png": the site has no page or file at emr/pics/missing.png`,
				`content/emr.md:11: warning: broken link "../glue/#crawlers": glue/ has no element with id "crawlers"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c Checker
			c.Add("glue/index.html", []byte(`<h2 id="crawler">`))
			c.Add("emr/index.html", []byte(page))
			c.Add("lambda/index.html", []byte(`<form action="../find/"></form>`))
			ds := c.Check(CheckOptions{
				Source: func(rel string) *Source {
					if rel == "emr/index.html" {
						return src
					}
					return nil
				},
				Reported: tt.reported,
			})
			var got []string
			for _, d := range ds {
				got = append(got, d.Error())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestCheckUnreadNote: when a note's text is not at hand (Source.Unread), its parsed links still give
// their lines, and every other broken reference of its page is reported at the note's first line, unless
// an earlier stage reported it at any line of the note.
func TestCheckUnreadNote(t *testing.T) {
	t.Parallel()
	src := &Source{File: "content/emr.md", BodyLine: 5, Unread: true,
		Links: []SourceLink{{Line: 7, Dest: "glue.md#crawlers", Target: "glue/", Fragment: "crawlers"}}}
	var c Checker
	c.Add("glue/index.html", []byte(`<h2 id="crawler">`))
	c.Add("emr/index.html", []byte(`<a href="../glue/#crawlers">c</a><img src="pics/missing.png"><a href="lost.md">l</a>`))
	var asked []int
	ds := c.Check(CheckOptions{
		Source: func(rel string) *Source {
			if rel == "emr/index.html" {
				return src
			}
			return nil
		},
		Reported: func(file string, line int, dest string) bool {
			asked = append(asked, line)
			return file == "content/emr.md" && line == 0 && dest == "lost.md"
		},
	})
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	want := []string{
		`content/emr.md:1: warning: broken image "pics/missing.png": the site has no page or file at emr/pics/missing.png`,
		`content/emr.md:7: warning: broken link "../glue/#crawlers": glue/ has no element with id "crawlers"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if !reflect.DeepEqual(asked, []int{7, 0, 0}) {
		t.Errorf("Reported was asked about lines %v, want [7 0 0]", asked)
	}
}

func TestRequire(t *testing.T) {
	t.Parallel()
	var c Checker
	c.Add("glue/index.html", []byte(`<h2 id="crawler">`))
	c.Require("content/glue.md", 3, "glue/#crawler", "search result")
	c.Require("content/glue.md", 9, "glue/#gone", "search result")
	c.Require("content/emr.md", 1, "emr/", "search result")
	var got []string
	for _, d := range c.Check(CheckOptions{}) {
		got = append(got, d.Error())
	}
	want := []string{
		`content/emr.md:1: warning: broken search result "emr/": the site has no page or file at emr/`,
		`content/glue.md:9: warning: broken search result "glue/#gone": glue/ has no element with id "gone"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestPages(t *testing.T) {
	t.Parallel()
	var c Checker
	c.Add("b/index.html", nil)
	c.Add("a.css", nil)
	c.Add("index.html", nil)
	c.Add("hidden/index.html", []byte(`<meta name="robots" content="noindex">`))
	if got, want := c.Pages(), []string{"b/index.html", "index.html"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Pages() = %q, want %q", got, want)
	}
}

// TestCheckIsDeterministic adds pages from many goroutines and expects the same report every time.
func TestCheckIsDeterministic(t *testing.T) {
	t.Parallel()
	var first []diag.Diagnostic
	for run := 0; run < 5; run++ {
		var c Checker
		done := make(chan bool)
		for i := 0; i < 20; i++ {
			go func(i int) {
				c.Add(fmt.Sprintf("p%d/index.html", i), []byte(fmt.Sprintf(`<a href="../p%d/">x</a><a href="../missing/">m</a>`, (i+1)%25)))
				done <- true
			}(i)
		}
		for i := 0; i < 20; i++ {
			<-done
		}
		ds := c.Check(CheckOptions{})
		if run == 0 {
			first = ds
			if len(ds) != 2 { // p20 and missing/, each reported once however many pages link to it
				t.Fatalf("got %d diagnostics, want 2: %v", len(ds), ds)
			}
			continue
		}
		if !reflect.DeepEqual(ds, first) {
			t.Fatalf("run %d differs:\n%v\n%v", run, ds, first)
		}
	}
}

// benchPages is a 2,000-page site whose pages each hold 50 headings and 50 links to other pages' headings.
func benchPages() [][]byte {
	pages := make([][]byte, 2000)
	for i := range pages {
		var s strings.Builder
		for j := 0; j < 50; j++ {
			fmt.Fprintf(&s, `<h2 id="h%d">H</h2><p>text <a href="../p%d/#h%d">link</a></p>`, j, (i+j)%len(pages), j)
		}
		pages[i] = []byte(s.String())
	}
	return pages
}

func BenchmarkScanHTML(b *testing.B) {
	pages := benchPages()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for _, p := range pages {
			ScanHTML(p)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	pages := benchPages()
	var c Checker
	for i, p := range pages {
		c.Add(fmt.Sprintf("p%d/index.html", i), p)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if ds := c.Check(CheckOptions{}); len(ds) != 0 {
			b.Fatal(ds)
		}
	}
}

func FuzzScanHTML(f *testing.F) {
	for _, s := range site {
		f.Add(s)
	}
	f.Add(`<a href="x" id="y" name="z"><meta name=lectern-search content="a b"><img srcset=",,, 1x">`)
	f.Add(`<svg><a href="q"/></svg><math></math><template><a href=t></template>`)
	f.Fuzz(func(t *testing.T, html string) {
		s := ScanHTML([]byte(html))
		var c, whole Checker
		c.Add("a/index.html", []byte(html))
		whole.AddScanned("a/index.html", s)
		want := whole.Check(CheckOptions{BaseURL: "https://x.io/n/"})
		if got := c.Check(CheckOptions{BaseURL: "https://x.io/n/"}); !reflect.DeepEqual(got, want) {
			t.Errorf("Check after Add\n  %v\nafter AddScanned(ScanHTML)\n  %v", got, want)
		}
		c.Check(CheckOptions{BaseURL: "https://x.io/n/", Cache: &CheckCache{}}) // notes what each resolution reads
		ids := s.IDs()
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("IDs() = %q: not sorted, each once", ids)
		}
		for _, id := range ids {
			if !s.HasID(id) {
				t.Errorf("HasID(%q) = false", id)
			}
		}
		for _, r := range s.Refs() {
			if r.URL != strings.TrimSpace(r.URL) && r.Attr != "content" {
				t.Errorf("ref %q not trimmed", r.URL)
			}
		}
	})
}
