package render

import (
	"fmt"
	"html/template"
	"strings"
	"testing"
)

// benchPage is a page like an average one of the da corpus: a few kilobytes of content, three headings
// in its table of contents, three breadcrumbs, previous and next links, in a folder of 300 notes.
func benchPage() *PageData {
	var content strings.Builder
	for i := range 12 {
		fmt.Fprintf(&content, "<h2 id=\"s%d\">Section %d</h2>\n<p>Some text of the note, with <code>code</code> and a <a href=\"../x/\">link</a>.</p>\n<ul>\n<li>one item</li>\n<li>two items</li>\n</ul>\n", i, i)
	}
	return &PageData{Kind: "page", URL: "big/p150/", Title: "Using the Glue Data Catalog", Description: "How Athena uses the Glue Data Catalog",
		Canonical: "https://e.x/big/p150/", File: "content/big/p150.md", Content: template.HTML(content.String()),
		TOC:    []TOCEntry{{Level: 2, ID: "limits", Text: "Limits"}, {Level: 2, ID: "best-practices", Text: "Best practices"}, {Level: 3, ID: "partitions", Text: "Partitions & projections"}},
		Prev:   &Link{URL: "big/p149/", Title: "Page 149"},
		Next:   &Link{URL: "big/p151/", Title: "Page 151"},
		Crumbs: []Link{{URL: "", Title: "Home"}, {URL: "big/", Title: "Big"}, {URL: "big/", Title: "Big again"}},
	}
}

// BenchmarkRenderPage renders one note page through the default theme as a build does (Renderer.Page).
func BenchmarkRenderPage(b *testing.B) {
	mf := NewMinifier()
	th, err := LoadTheme("", "", template.FuncMap{}, mf)
	if err != nil {
		b.Fatal(err)
	}
	r := &Renderer{Theme: th, Min: mf, InlineMax: 300, Nav: navSite(300),
		Site: &SiteData{Title: "Notes", Description: "Exam notes", Language: "en", CSS: "assets/s.css", JS: "assets/a.js",
			SearchEntry: "search/head.js", HasCheatsheet: true, HasServices: true}}
	p := benchPage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Page(p); err != nil {
			b.Fatal(err)
		}
	}
}
