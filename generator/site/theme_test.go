package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/output"
)

// TestThemeOverrides: a site's themes/ folder replaces one block or one static file of the built-in
// theme and leaves the rest as it is.
func TestThemeOverrides(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string]string{
		"content/index.md":               "# Home\n",
		"content/glue.md":                "# Glue\n\nText.\n",
		"themes/templates/footer.html":   `{{define "footer"}}<footer class="mine">My footer for {{.Page.Title}}</footer>{{end}}`,
		"themes/templates/page.html":     `{{define "main"}}<article class="custom-page">{{.Page.Content}}</article>{{end}}`,
		"themes/static/favicon.svg":      `<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>`,
		"themes/static/css/zz-mine.css":  `.mine{color:rebeccapurple}`,
		"themes/static/robots-extra.txt": "extra file",
		"themes/static/js/.DS_Store":     "junk",
	}
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	mem := output.NewMemory()
	if _, err := Build(Options{Root: root, Sink: mem}); err != nil {
		t.Fatal(err)
	}
	glue, _ := mem.Get("glue/index.html")
	home, _ := mem.Get("index.html")
	for _, want := range []string{`<footer class="mine">My footer for Glue</footer>`, `<article class="custom-page">`, `class="site-header"`} {
		if !strings.Contains(string(glue), want) {
			t.Errorf("note page lacks %s", want)
		}
	}
	if strings.Contains(string(home), "custom-page") || !strings.Contains(string(home), "My footer for") {
		t.Errorf("home page: page.html must apply to notes only, footer.html to every page")
	}
	if fav, _ := mem.Get("favicon.svg"); !strings.Contains(string(fav), "circle") {
		t.Errorf("favicon not replaced: %s", fav)
	}
	if _, ok := mem.Get("robots-extra.txt"); !ok {
		t.Error("an added static file was not copied")
	}
	css := regexp.MustCompile(`assets/style\.[0-9a-f]+\.css`).FindString(string(glue))
	if data, _ := mem.Get(css); !strings.Contains(string(data), "rebeccapurple") || !strings.Contains(string(data), ".tipbox") {
		t.Errorf("the stylesheet bundle should hold the built-in CSS and the site's own")
	}
	for _, p := range mem.Paths() {
		if strings.Contains(p, "DS_Store") {
			t.Errorf("dotfile %s published", p)
		}
	}
}
