package render

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"
)

// compiledAndTemplate renders data through a set both ways: compiled (ok false when the program gave up
// on it) and by html/template.
func compiledAndTemplate(t testing.TB, set *template.Template, p *program, data any) (compiled []byte, ok bool, want []byte, err error) {
	t.Helper()
	var a, b bytes.Buffer
	a.WriteString("kept") // what was in the buffer before stays, whether or not the program ran
	ok = p.run(&a, data)
	if !strings.HasPrefix(a.String(), "kept") || !ok && a.Len() != 4 {
		t.Fatalf("the buffer's earlier bytes were changed, or a program that gave up left output: %q", a.String())
	}
	err = set.ExecuteTemplate(&b, "base", data)
	return a.Bytes()[4:], ok, b.Bytes(), err
}

// TestCompiledMatchesTemplates: every kind of the default theme is compiled, and a compiled page is the
// bytes html/template writes for it, for pages with values each escaper changes.
func TestCompiledMatchesTemplates(t *testing.T) {
	t.Parallel()
	r := testRenderer(t, "")
	for _, k := range []string{"page", "list", "home", "404", "search"} {
		if r.Theme.compiledFast[k] == nil {
			t.Errorf("the default theme's %q pages are not compiled", k)
		}
	}
	// the kinds rendered from the templates as written (and minified whole)
	for _, k := range Kinds {
		if r.Theme.compiled[k] == nil {
			t.Errorf("the default theme's %q templates are not compiled", k)
		}
	}
	// the sets as written, on pages without the kind's own data: the compiled set gives a page up where
	// html/template fails on it, and writes its bytes otherwise
	for _, k := range Kinds {
		for _, p := range append(fastCases(), benchPage()) {
			q := *p
			q.Kind = k
			got, ok, want, err := compiledAndTemplate(t, r.Theme.sets[k], r.Theme.compiled[k], r.data(&q, RootFor(q.URL)))
			if ok && (err != nil || !bytes.Equal(got, want)) {
				t.Errorf("%s page %q as written: compiled %s\nhtml/template (%v): %s", k, q.Title, got, err, want)
			}
		}
	}
	pages := append(fastCases(), benchPage())
	odd := *benchPage()
	odd.URL, odd.Canonical = "a b/ü'(x)/", "javascript:alert(1)"
	odd.TOC = []TOCEntry{{Level: 2, ID: "a b/c?d#e&f%41%zz", Text: "x\x00y + z"}}
	odd.Crumbs = []Link{{URL: "q?x=1&y=\"2\"", Title: "<b>'"}}
	odd.Prev, odd.Next = nil, &Link{URL: "HTTP://e.x/%7e", Title: "next"}
	pages = append(pages, &odd)
	for _, p := range pages {
		for _, kind := range []string{p.Kind, "404"} {
			q := *p
			q.Kind = kind
			data := r.data(&q, RootFor(q.URL))
			got, ok, want, err := compiledAndTemplate(t, r.Theme.fast[kind], r.Theme.compiledFast[kind], data)
			if err != nil || !ok {
				t.Fatalf("%s page %q: compiled ran %v, html/template: %v", kind, q.Title, ok, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s page %q:\ncompiled:      %s\nhtml/template: %s", kind, q.Title, got, want)
			}
		}
	}
}

// testData is what the test theme below renders: a value of each kind a template may meet.
type testData struct {
	S, Empty string
	H        template.HTML
	U        template.URL
	C        template.CSS
	N, Zero  int
	B        bool
	L        []Link
	P, Nil   *Link
	I, NilI  any
	M        map[string]string
	//lint:ignore U1000 read by the templates under test, which must refuse it
	unexported string
}

func (d *testData) Method() string         { return "m<" + d.S }
func (d testData) ValueMethod() int        { return d.N + 1 }
func (d *testData) Fails() (string, error) { return "", errors.New("fails") }
func (d *testData) Panics() string         { panic("panics") }

// testTheme uses every construct the compiler compiles, in every context html/template escapes for.
const testTheme = `{{define "base"}}<!doctype html><title>{{.S}} {{.H}}</title>
<p title="{{.S}}" data-n="{{.N}}" data-b="{{.B}}">{{.S}}|{{.H}}|{{.N}}|{{.B}}|{{.Method}}|{{.ValueMethod}}|{{.I}}</p>
<a href="{{.S}}">1</a><a href="{{.U}}">2</a><a href="/x/{{.S}}">3</a><a href="?q={{.S}}">4</a><a href="#{{.S}}">5</a><a href="{{.U}}#{{.U}}">6</a>
{{if .B}}b{{else if .N}}n{{else}}neither{{end}} {{if not .Empty}}empty{{end}} {{if and .S .N .B}}all{{end}} {{if or .Empty .Zero .NilI}}any{{else}}none{{end}}
{{if eq .S "x" .Empty}}eq{{end}} {{if ne .N 3}}ne{{end}} {{if eq .B true}}true{{end}} {{with .P}}{{.Title}}{{end}} {{with .Nil}}nil{{else}}no link{{end}}
<ul>{{range .L}}<li><a href="{{$.S}}{{.URL}}">{{.Title}}</a>{{template "desc" .}}</li>{{else}}<li>none</li>{{end}}</ul>
{{with .I}}{{.}}{{end}}{{template "rec" .L}}
{{range $i, $l := .L}}{{if $i}}, {{end}}{{$i}}:{{$l.Title}}<a href="{{$.S}}{{$l.URL}}">{{$.N}}</a>{{end}} {{range $l := .L}}[{{$l.URL}}]{{else}}none{{end}}
{{with $p := .P}}{{$p.Title}}{{.Title}}{{end}} {{if $n := .N}}{{$n}}{{else}}{{$n}} zero{{end}} {{with $x := .Empty}}{{else}}[{{$x}}]{{end}}
{{range $l := .L}}{{range $m := $.L}}{{$l.Title}}{{$m.Title}}{{end}}{{end}}
<style>p{margin:{{.N}}px;color:{{.S}}}{{.C}}</style><p style="color: {{.S}}; width: {{.N}}em; {{.C}}">css</p>
{{if gt .N 3}}gt{{end}} {{if eq .N 0x10 'a' 0X1E}}hex{{end}} {{if lt .S "m"}}lt{{end}} {{if le (len .L) 2}}le{{end}} {{if ge (len .S) 1}}ge{{end}} {{len .S}} {{len .L}} {{eq (len .Empty) 0}}{{end}}
{{define "desc"}}{{with .Description}}<i>{{.}}</i>{{end}}{{end}}
{{define "rec"}}{{range .}}[{{.Title}}]{{end}}{{end}}`

func testSet(t testing.TB, text string) (*template.Template, *program) {
	t.Helper()
	set, err := template.New("").Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return set, compile(set)
}

func testValues(s string) *testData {
	return &testData{S: s, H: template.HTML("<b>" + s + "</b>"), U: template.URL(s), C: template.CSS("b{x:" + s + "}"), N: len(s), B: len(s)%2 == 0,
		L: []Link{{URL: s, Title: s, Description: s}, {URL: "a/", Title: "A"}}, P: &Link{Title: s}, I: s}
}

func TestCompiledConstructs(t *testing.T) {
	t.Parallel()
	set, p := testSet(t, testTheme)
	if p == nil {
		t.Fatal("the test theme is not compiled")
	}
	for _, s := range []string{"", "x", "a b&c<d>\"e'f+g", "javascript:alert(1)", "mailto:me@x", "ü%41%g/é?#", "\x00\xff",
		"red", "#fff", "1.5em -2px", "a--b", "Expression", "moz-Binding", "é-x_1", "x;y"} {
		got, ok, want, err := compiledAndTemplate(t, set, p, testValues(s))
		if err != nil || !ok {
			t.Fatalf("%q: compiled ran %v, html/template: %v", s, ok, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\ncompiled:      %s\nhtml/template: %s", s, got, want)
		}
	}
}

// TestCompiledGivesUp: what is not compiled is left to html/template, the whole set or the one page.
func TestCompiledGivesUp(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		`{{printf "%s" .S}}`, `{{$x := .S}}{{$x}}`, `{{.S | html}}`, `{{index .L 0}}`, `{{range $i, $l := .L}}{{else}}{{$l}}{{end}}`,
		`{{range $l := .L}}{{$l = .}}{{end}}`,
		`{{range .L}}{{break}}{{end}}`, `{{(.P).Title}}`, `{{1.5}}`, `{{if eq .N 1.0}}{{end}}`, `{{if lt .N 1e1}}{{end}}`, `{{if eq .N 0x1p0}}{{end}}`, `<script>var s = {{.S}};</script>`,
		`<a onclick="{{template "t"}}">x</a>{{end}}{{define "t"}}`,
	} {
		if _, p := testSet(t, `{{define "base"}}`+text+`{{end}}`); p != nil {
			t.Errorf("%s: compiled", text)
		}
	}
	for _, text := range []string{`{{.Nil.Title}}`, `{{.NilI.Title}}`, `<a title="{{.H}}">`, `{{.Fails}}`, `{{.Panics}}`, `{{.P}}`,
		`{{range .P}}{{end}}`, `{{if eq .S .N}}{{end}}`, `{{if eq .S "x" .Nil.Title}}{{end}}`, `{{.M}}`, `{{.M.key}}`, `{{.Missing}}`, `{{.unexported}}`, `{{range .Zero}}{{end}}`,
		`{{if lt .S .N}}{{end}}`, `{{len .N}}`, `{{len .Nil}}`, `{{range $k, $v := .M}}{{end}}`} {
		set, p := testSet(t, `{{define "base"}}before {{.S}} `+text+`{{end}}`)
		if p == nil {
			t.Fatalf("%s: not compiled", text)
		}
		if _, ok, _, _ := compiledAndTemplate(t, set, p, testValues("x")); ok {
			t.Errorf("%s: rendered, want the page left to html/template", text)
		}
	}
}

// FuzzCompiledMatchesTemplates: whatever the values, a compiled template writes html/template's bytes,
// or gives the page up.
func FuzzCompiledMatchesTemplates(f *testing.F) {
	for _, s := range []string{"", "a b&c<d>\"e'f+g", "javascript:x", "%41%4", "\x00é\xff", "http://e.x/?a=1#f", "red", "a\\28", "e-x-p"} {
		f.Add(s, s+"/")
	}
	set, p := testSet(f, testTheme)
	r := testRenderer(f, "")
	f.Fuzz(func(t *testing.T, a, b string) {
		got, ok, want, err := compiledAndTemplate(t, set, p, testValues(a))
		if ok && (err != nil || !bytes.Equal(got, want)) {
			t.Fatalf("%q: compiled %s\nhtml/template (%v): %s", a, got, err, want)
		}
		page := &PageData{Kind: "page", URL: b, Title: a, Description: b, Canonical: a, Content: template.HTML(a),
			TOC: []TOCEntry{{Level: len(a), ID: a, Text: b}}, Crumbs: []Link{{URL: a, Title: b}}, Prev: &Link{URL: b, Title: a}}
		if strings.Count(b, "/") > 0 {
			page.URL = b[:strings.LastIndexByte(b, '/')+1]
		}
		got, ok, want, err = compiledAndTemplate(t, r.Theme.fast["page"], r.Theme.compiledFast["page"], r.data(page, RootFor(page.URL)))
		if ok && (err != nil || !bytes.Equal(got, want)) {
			t.Fatalf("page %+v: compiled %s\nhtml/template (%v): %s", page, got, err, want)
		}
	})
}

// TestCompiledFuncsReplaced: a set whose functions replace a builtin the compiled templates call is not
// compiled (text/template would call the set's own).
func TestCompiledFuncsReplaced(t *testing.T) {
	t.Parallel()
	text := `{{define "base"}}{{if eq .S "x"}}eq{{end}} {{len .S}}{{end}}`
	for _, name := range []string{"eq", "len", "_html_template_htmlescaper"} {
		funcs := template.FuncMap{name: func(...any) string { return "mine" }}
		set := template.Must(template.New("").Funcs(funcs).Parse(text))
		if p := compileSets(map[string]*template.Template{"page": set}, funcs)["page"]; p != nil {
			t.Errorf("%s replaced: compiled", name)
		}
	}
	funcs := template.FuncMap{"yaml": func(...any) string { return "" }}
	set := template.Must(template.New("").Funcs(funcs).Parse(text))
	if compileSets(map[string]*template.Template{"page": set}, funcs)["page"] == nil {
		t.Error("a set with a function of its own, not called, is not compiled")
	}
}
