package search

import (
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// themeFile reads a file of the default theme that belongs to search.
func themeFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "themes", "default", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestClientInsertsNoHTML keeps index data out of the HTML parser: search.js builds results with
// text nodes and elements only.
func TestClientInsertsNoHTML(t *testing.T) {
	t.Parallel()
	js := themeFile(t, "static/js/search.js")
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(js, bad) {
			t.Errorf("search.js uses %s", bad)
		}
	}
	if !strings.Contains(js, "module.exports = api") || !strings.Contains(js, "root.LecternSearch = api") {
		t.Error("search.js must export its API to Node and to the browser as LecternSearch")
	}
}

// TestSearchTemplates checks the markup search.js relies on and that both templates parse.
func TestSearchTemplates(t *testing.T) {
	t.Parallel()
	box := themeFile(t, "templates/searchbox.html")
	page := themeFile(t, "templates/search.html")
	for _, c := range []struct{ name, src, want string }{
		{"searchbox", box, `{{define "searchbox"}}`},
		{"searchbox", box, `role="search" aria-label="Search all notes" action="{{.Root}}search/" method="get"`},
		{"searchbox", box, `name="q"`},
		{"searchbox", box, `role="combobox"`},
		{"searchbox", box, `aria-expanded="false"`},
		{"searchbox", box, `aria-controls="lectern-search-listbox"`},
		{"searchbox", box, `id="lectern-search-listbox"`},
		{"searchbox", box, `role="listbox"`},
		{"searchbox", box, `role="status"`},
		{"search page", page, `{{define "main"}}`},
		{"search page", page, `id="lectern-search-page"`},
		{"search page", page, `name="q"`},
	} {
		if !strings.Contains(c.src, c.want) {
			t.Errorf("%s template lacks %s", c.name, c.want)
		}
	}
	for name, src := range map[string]string{"searchbox.html": box, "search.html": page} {
		if _, err := template.New(name).Parse(src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// every class search.js looks up exists in the templates
	js := themeFile(t, "static/js/search.js")
	for _, m := range regexp.MustCompile(`querySelector\('\.(lectern-[a-z_-]+)'\)`).FindAllStringSubmatch(js, -1) {
		if !strings.Contains(box+page, m[1]) {
			t.Errorf("search.js looks for .%s, which no template has", m[1])
		}
	}
}
