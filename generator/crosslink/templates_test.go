package crosslink

import (
	"bytes"
	"html/template"
	"os"
	"path/filepath"
	"testing"
)

// tplData mirrors the fields of the renderer's data that the service templates use.
type tplData struct {
	Page struct {
		Title    string
		Data     any
		Services any
	}
	Root string
}

// execTheme runs one of the theme's service templates with stub versions of the base templates it calls.
func execTheme(t *testing.T, file, name string, data tplData) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "themes", "default", "templates", file))
	if err != nil {
		t.Fatal(err)
	}
	tpl := template.Must(template.New("stubs").Parse(`{{define "crumbs"}}<nav class="crumbs"></nav>{{end}}`))
	if _, err := tpl.New(file).Parse(string(src)); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var b bytes.Buffer
	if err := tpl.ExecuteTemplate(&b, name, data); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return b.String()
}

// TestTemplates renders the services index, two service pages and a note's service list from the sample
// notes with the theme's templates and compares them with golden files.
func TestTemplates(t *testing.T) {
	t.Parallel()
	_, cat, _, homes, pms := buildSeed(t)
	index, pages := BuildPages(cat, homes, pms)
	var out bytes.Buffer

	var d tplData
	d.Root = "../"
	d.Page.Title = "Services"
	d.Page.Data = index
	out.WriteString("<!-- services.html -->\n" + execTheme(t, "services.html", "main", d) + "\n")

	for _, p := range pages {
		if p.Slug == "redshift" || p.Slug == "hive" || p.Slug == "glue-studio" {
			d := tplData{Root: "../../"}
			d.Page.Title = p.Name
			d.Page.Data = p
			out.WriteString("<!-- service.html " + p.Slug + " -->\n" + execTheme(t, "service.html", "main", d) + "\n")
		}
	}

	for _, pm := range pms {
		if pm.Page.URL == "aws-lambda/" {
			d = tplData{Root: "../"}
			d.Page.Services = PageServices(cat, homes, pm.Mentions)
			out.WriteString("<!-- pageservices.html " + pm.Page.URL + " -->\n" + execTheme(t, "pageservices.html", "page-services", d) + "\n")
		}
	}
	d.Page.Services = []ServiceRef(nil)
	if got := execTheme(t, "pageservices.html", "page-services", d); got != "" {
		t.Errorf("empty service list rendered %q", got)
	}
	golden(t, "templates.golden.html", out.Bytes())
}
