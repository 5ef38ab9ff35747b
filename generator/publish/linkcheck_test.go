package publish_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/output"
	"github.com/lectern/lectern/generator/site"
)

// writeSite lays out a site root from a map of slash paths to contents.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, data := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// brokenLinks builds a site in memory and returns its link diagnostics ("file:line: message"), sorted.
func brokenLinks(t *testing.T, root string, strict bool) ([]string, error) {
	t.Helper()
	res, err := site.Build(site.Options{Root: root, Sink: output.NewMemory(), Strict: strict})
	if res == nil {
		t.Fatalf("build failed: %v", err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Msg, "broken") || strings.Contains(d.Msg, "link") {
			out = append(out, d.Error())
		}
	}
	sort.Strings(out)
	return out, err
}

// TestLinkCheckReportsAtTheNote builds small sites with one broken link each and expects exactly one
// warning, at the note's file and line, whichever stage finds it.
func TestLinkCheckReportsAtTheNote(t *testing.T) {
	t.Parallel()
	const front = "---\ntitle: Glue\n---\n# Glue\n\n## Crawlers\n\nText.\n\n"
	// The link under test is on line 10 of content/glue.md.
	tests := []struct {
		name string
		line string
		want string // the message after "content/glue.md:10[:col]: warning: "
	}{
		{"broken note link", "See [EMR](emr-missing.md).", `broken link "emr-missing.md"`},
		{"broken anchor in another note", "See [EMR](emr.md#no-such-heading).", `broken link "emr.md#no-such-heading"`},
		{"broken same-page anchor", "See [above](#crawler).", `broken link "#crawler"`},
		{"broken image", "![diagram](img/missing.png)", `broken link "img/missing.png"`},
		// Raw HTML links are resolved from the note's file, like markdown links.
		{"broken link in raw HTML", `<a href="emr.md#raw-anchor">EMR</a>`, `broken link "emr.md#raw-anchor"`},
		{"broken image in raw HTML", `<img src="pics/none.png" alt="">`, `broken link "pics/none.png"`},
		{"raw HTML link to a missing page", `<p><a href="lambda.md">Lambda</a></p>`, `broken link "lambda.md"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := writeSite(t, map[string]string{
				"content/index.md": "# Home\n\n[Glue](glue.md) and [EMR](emr.md).\n",
				"content/glue.md":  front + tt.line + "\n\nMore text.\n",
				"content/emr.md":   "# EMR\n\n## Clusters\n\nText.\n",
			})
			got, _ := brokenLinks(t, root, false)
			if len(got) != 1 {
				t.Fatalf("want one diagnostic, got %d:\n  %s", len(got), strings.Join(got, "\n  "))
			}
			prefix := "content/glue.md:10:"
			if !strings.HasPrefix(got[0], prefix) || !strings.Contains(got[0], "warning: "+tt.want) {
				t.Errorf("got\n  %s\nwant a warning at %s saying %s", got[0], prefix, tt.want)
			}
		})
	}
}

// TestLinkCheckStrict: with --strict a broken link fails the build, and the error names file and line.
func TestLinkCheckStrict(t *testing.T) {
	t.Parallel()
	root := writeSite(t, map[string]string{
		"content/index.md": "# Home\n\nSee <a href=\"nowhere/\">nowhere</a>.\n",
	})
	_, err := brokenLinks(t, root, true)
	var be *site.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("strict build with a broken link: err = %v, want a BuildError", err)
	}
	if !strings.Contains(err.Error(), `content/index.md:3:5: warning: broken link "nowhere/"`) {
		t.Errorf("error does not name the file and line:\n%v", err)
	}
}

// TestLinkCheckQuietOnGoodSites: a site whose links all work gets no link warnings, including links
// written every way the markdown stage accepts and raw HTML links, also as the cheat sheet quotes them.
func TestLinkCheckQuietOnGoodSites(t *testing.T) {
	t.Parallel()
	root := writeSite(t, map[string]string{
		"content/index.md":        "# Home\n\n[Glue](glue.md), [crawlers](glue.md#crawlers), [EMR](emr/), [folder](emr/index.md#clusters)\n\n<a href=\"glue/#crawlers\">raw</a> <img src=\"img/a%20b.png\" alt=\"\">\n\n![pic](img/a%20b.png) [pdf](files/r.pdf#page=2) [top](#home)\n",
		"content/glue.md":         "# Glue\n\n## Crawlers\n\n[Home](index.md) <a name=\"legacy\"></a> [legacy](#legacy)\n",
		"content/emr/index.md":    "# EMR\n\n## Clusters\n\n[Glue](../glue.md#crawlers) [notes](notes.md)\n",
		"content/emr/notes.md":    "# Notes\n\n[back](index.md#clusters)\n",
		"content/img/a b.png":     "png",
		"content/files/r.pdf":     "pdf",
		"content/deep/a/b/c.md":   "# Deep\n\n[home](../../../index.md) [emr](../../../emr/notes.md)\n",
		"content/deep/a/index.md": "# A\n",
	})
	got, err := brokenLinks(t, root, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > 0 {
		t.Errorf("want no link warnings, got:\n  %s", strings.Join(got, "\n  "))
	}
}

// TestLinkCheckThemeLinksOnce: a broken link in the theme is on every page; it is reported once, with the
// number of pages, instead of once per page.
func TestLinkCheckThemeLinksOnce(t *testing.T) {
	t.Parallel()
	root := writeSite(t, map[string]string{
		"content/index.md":        "# Home\n",
		"content/a.md":            "# A\n",
		"content/b.md":            "# B\n",
		"themes/templates/x.html": `{{define "footer"}}<footer><a href="{{.Root}}about/">About</a></footer>{{end}}`,
	})
	got, err := brokenLinks(t, root, false)
	if err != nil {
		t.Fatal(err)
	}
	var about []string
	for _, g := range got {
		if strings.Contains(g, "about/") {
			about = append(about, g)
		}
	}
	if len(about) != 1 || !strings.Contains(about[0], "no page or file at about/") || !strings.Contains(about[0], "pages") {
		t.Errorf("want one warning about about/ naming the number of pages, got:\n  %s", strings.Join(got, "\n  "))
	}
}

// TestPublishFiles checks the files written for GitHub Pages, with and without a base URL and a custom
// domain, and that a bad custom domain is an error naming lectern.yaml's line.
func TestPublishFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		config  string
		want    map[string]string // file → content it must contain ("" only that it exists)
		missing []string
		err     string
	}{
		{
			name:    "no base URL",
			config:  "title: T\n",
			want:    map[string]string{".nojekyll": "", "robots.txt": "User-agent: *", "404.html": "Page not found"},
			missing: []string{"sitemap.xml", "CNAME"},
		},
		{
			name:   "base URL and custom domain",
			config: "title: T\nbase_url: https://notes.example.com/\ncname: notes.example.com\n",
			want: map[string]string{
				"CNAME":       "notes.example.com\n",
				"robots.txt":  "Sitemap: https://notes.example.com/sitemap.xml",
				"sitemap.xml": "<loc>https://notes.example.com/a/</loc>",
			},
		},
		{
			name:   "custom domain written as a URL",
			config: "title: T\ncname: https://Notes.Example.com/\n",
			want:   map[string]string{"CNAME": "notes.example.com\n"},
		},
		{
			name:   "bad custom domain",
			config: "title: T\n\ncname: notes example\n",
			err:    `lectern.yaml:3: cname: "notes example" is not a domain name`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := writeSite(t, map[string]string{
				"content/index.md": "# Home\n",
				"content/a.md":     "# A\n",
				"lectern.yaml":     tt.config,
			})
			mem := output.NewMemory()
			_, err := site.Build(site.Options{Root: root, Sink: mem})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for f, want := range tt.want {
				data, ok := mem.Get(f)
				if !ok {
					t.Errorf("%s not written (files: %v)", f, mem.Paths())
					continue
				}
				if !strings.Contains(string(data), want) {
					t.Errorf("%s = %q, want it to contain %q", f, data, want)
				}
			}
			for _, f := range tt.missing {
				if _, ok := mem.Get(f); ok {
					t.Errorf("%s written, want none", f)
				}
			}
		})
	}
}

// TestLinkCheckSearchResults: every search result (a note's section) must lead to an element of the
// output. A theme that leaves the note's text out of its pages breaks them, and each is reported at the
// section's heading.
func TestLinkCheckSearchResults(t *testing.T) {
	t.Parallel()
	root := writeSite(t, map[string]string{
		"content/index.md":           "# Home\n",
		"content/a.md":               "# A\n\nIntro.\n\n## Section one\n\nText.\n",
		"themes/templates/page.html": `{{define "main"}}<article><h1>{{.Page.Title}}</h1></article>{{end}}{{define "toc"}}{{end}}`,
	})
	got, err := brokenLinks(t, root, false)
	if err != nil {
		t.Fatal(err)
	}
	want := `content/a.md:5: warning: broken search result "a/#section-one": a/ has no element with id "section-one"`
	found := false
	for _, g := range got {
		found = found || g == want
	}
	if !found {
		t.Errorf("want\n  %s\ngot\n  %s", want, strings.Join(got, "\n  "))
	}
}
