package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/themes"
)

// Kinds are the page kinds a theme renders; templates/<kind>.html defines that kind's "main" block.
var Kinds = []string{"page", "home", "list", "404", "search", "services", "service", "cheatsheet"}

// Theme is a loaded theme: one template set per page kind, the bundled stylesheet and script, and the
// static files to copy.
type Theme struct {
	sets map[string]*template.Template
	// fast is the same templates parsed from their minified text (Minifier.Template), so that a page
	// needs no minifying of its own beyond its note's content (see Renderer.renderFast); nil when some
	// template could not be minified, and then every page is minified whole.
	fast map[string]*template.Template
	// compiled and compiledFast are the sets and the fast sets compiled (compiled.go), for the kinds
	// whose templates use only what is compiled.
	compiled, compiledFast map[string]*program
	signature              string  // hash of every template file's text
	CSS                    Asset   // bundled stylesheet
	JS                     Asset   // bundled script
	Static                 []Asset // other static files
}

// Asset is one output file of the theme.
type Asset struct {
	Path string // root-relative output path
	Data []byte
}

// LoadTheme reads the embedded default theme, then the site's own themes/ folder (userDir, may be absent)
// on top of it: a user template file may redefine any block, a user static file replaces the default one
// of the same path. extraCSS is appended to the bundled stylesheet (the code-highlighting palette).
// A theme is loaded per build: html/template cannot parse more definitions after it has executed.
func LoadTheme(userDir string, extraCSS string, funcs template.FuncMap, mf *Minifier) (*Theme, error) {
	def, _ := fs.Sub(themes.Default, "default")
	layers := []layer{{fsys: def, name: "(built-in theme)"}}
	if userDir != "" {
		if st, err := os.Stat(userDir); err == nil && st.IsDir() {
			layers = append(layers, layer{fsys: os.DirFS(userDir), name: userDir})
		}
	}
	// The two halves are independent and each takes milliseconds (parsing, minifying and compiling the
	// templates; minifying the bundled script and stylesheet): a small site waits for its theme.
	t := &Theme{}
	static := make(chan error, 1)
	go func() { static <- t.loadStatic(layers, extraCSS, mf) }()
	errT := t.loadTemplates(layers, funcs, mf)
	if errS := <-static; errT == nil && errS != nil {
		errT = errS
	}
	if errT != nil {
		return nil, errT
	}
	return t, nil
}

type layer struct {
	fsys fs.FS
	name string // for error messages
}

func isKind(name string) bool {
	for _, k := range Kinds {
		if name == k+".html" {
			return true
		}
	}
	return false
}

// loadTemplates reads every layer's templates and builds the sets twice: from the files as written (the
// sets that report errors, by the lines the user wrote) and from their minified text (the fast sets).
func (t *Theme) loadTemplates(layers []layer, funcs template.FuncMap, mf *Minifier) error {
	sig := sha256.New()
	defer func() { t.signature = hex.EncodeToString(sig.Sum(nil)) }()
	var all []fileText
	for _, l := range layers {
		files, err := templateFiles(l)
		if err != nil {
			return err
		}
		for _, f := range files {
			sig.Write([]byte(f.name + "\x00" + f.text + "\x00"))
		}
		all = append(all, files...)
	}
	sets, err := buildSets(all, funcs)
	if err != nil {
		return err
	}
	t.sets = sets
	t.compiled = compileSets(sets, funcs)
	small := make([]fileText, len(all))
	for i, f := range all {
		text, err := mf.Template(f.text)
		if err != nil {
			return nil // the theme still works, each page minified whole
		}
		small[i] = fileText{name: f.name, text: text}
	}
	if fast, err := buildSets(small, funcs); err == nil {
		t.fast = fast
		t.compiledFast = compileSets(fast, funcs)
	}
	return nil
}

// buildSets builds the shared set (every non-kind template file, base.html first, defaults before the
// user's) and then one clone per kind with that kind's file(s) parsed on top.
func buildSets(files []fileText, funcs template.FuncMap) (map[string]*template.Template, error) {
	root := template.New("").Funcs(funcs)
	kindFiles := map[string][]fileText{}
	for _, f := range files {
		if isKind(path.Base(f.name)) {
			k := strings.TrimSuffix(path.Base(f.name), ".html")
			kindFiles[k] = append(kindFiles[k], f)
			continue
		}
		if _, err := root.New(f.name).Parse(f.text); err != nil {
			return nil, templateError(f, err)
		}
	}
	sets := map[string]*template.Template{}
	for _, k := range Kinds {
		set, err := root.Clone()
		if err != nil {
			return nil, err
		}
		for _, f := range kindFiles[k] {
			if _, err := set.New(f.name).Parse(f.text); err != nil {
				return nil, templateError(f, err)
			}
		}
		if set.Lookup("base") == nil {
			return nil, diag.At("themes/templates/base.html", 0, `the theme has no "base" template`)
		}
		if len(kindFiles[k]) > 0 && set.Lookup("main") == nil {
			return nil, diag.At(kindFiles[k][len(kindFiles[k])-1].name, 0, `template for %q pages defines no "main" block`, k)
		}
		sets[k] = set
	}
	return sets, nil
}

type fileText struct{ name, text string }

// templateFiles lists a layer's templates/*.html, base.html first so that other files can redefine its blocks.
func templateFiles(l layer) ([]fileText, error) {
	entries, err := fs.ReadDir(l.fsys, "templates")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.name, err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".html") {
			names = append(names, e.Name())
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "base.html") != (names[j] == "base.html") {
			return names[i] == "base.html"
		}
		return names[i] < names[j]
	})
	var out []fileText
	for _, n := range names {
		b, err := fs.ReadFile(l.fsys, "templates/"+n)
		if err != nil {
			return nil, fmt.Errorf("%s/templates/%s: %w", l.name, n, err)
		}
		display := "themes/default/templates/" + n
		if l.name != "(built-in theme)" {
			display = filepath.ToSlash(filepath.Join(l.name, "templates", n))
		}
		out = append(out, fileText{name: display, text: string(b)})
	}
	return out, nil
}

var tmplLine = regexp.MustCompile(`^template: [^:]+:(\d+):(?:(\d+):)? ?(.*)$`)

// templateError turns a template parse error into file:line: message.
func templateError(f fileText, err error) error {
	msg := err.Error()
	if m := tmplLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return diag.At(f.name, line, "template error: %s", strings.TrimSpace(m[3]))
	}
	return diag.At(f.name, 0, "template error: %s", msg)
}

// loadStatic bundles css/*.css and js/*.js of all layers (a user file replaces the default of the same
// name) and collects the other static files.
func (t *Theme) loadStatic(layers []layer, extraCSS string, mf *Minifier) error {
	files := map[string][]byte{}
	for _, l := range layers {
		err := fs.WalkDir(l.fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return nil // .DS_Store and the like are not part of a theme
			}
			b, err := fs.ReadFile(l.fsys, p)
			if err != nil {
				return err
			}
			files[strings.TrimPrefix(p, "static/")] = b
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var css, js bytes.Buffer
	for _, n := range names {
		switch {
		case strings.HasPrefix(n, "css/") && strings.HasSuffix(n, ".css"):
			css.Write(files[n])
			css.WriteByte('\n')
		case strings.HasPrefix(n, "js/") && strings.HasSuffix(n, ".js"):
			js.WriteString(";\n")
			js.Write(files[n])
			js.WriteByte('\n')
		default:
			t.Static = append(t.Static, Asset{Path: n, Data: files[n]})
		}
	}
	css.WriteString(extraCSS)
	var buf bytes.Buffer
	t.CSS = fingerprint("assets/style", ".css", bytes.Clone(mf.Bytes(&buf, "text/css", css.Bytes())))
	t.JS = fingerprint("assets/app", ".js", bytes.Clone(mf.Bytes(&buf, "application/javascript", js.Bytes())))
	return nil
}

// fingerprint names a file after its content, so browsers may cache it forever.
func fingerprint(base, ext string, data []byte) Asset {
	sum := sha256.Sum256(data)
	return Asset{Path: base + "." + hex.EncodeToString(sum[:])[:10] + ext, Data: data}
}

// Execute renders the "base" template of a kind. A template error names the template file and line.
func (t *Theme) Execute(w *bytes.Buffer, kind string, data any) error {
	set := t.sets[kind]
	if set == nil {
		return fmt.Errorf("unknown page kind %q", kind)
	}
	if p := t.compiled[kind]; p != nil && p.run(w, data) {
		return nil
	}
	if err := set.ExecuteTemplate(w, "base", data); err != nil {
		return execError(err)
	}
	return nil
}

var execLine = regexp.MustCompile(`^(?:html/)?template: ?([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)

// execError turns "template: file:line:col: message" into a diagnostic at that place.
func execError(err error) error {
	m := execLine.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	line, _ := strconv.Atoi(m[2])
	d := diag.At(m[1], line, "template error: %s", m[4])
	d.Col, _ = strconv.Atoi(m[3])
	return d
}

// executeFast renders the "base" template of a kind from the minified templates. It reports false when
// the theme has none or the execution failed: Execute then renders the page again, to report the error
// at the line of the template as written.
func (t *Theme) executeFast(w *bytes.Buffer, kind string, data any) bool {
	if p := t.compiledFast[kind]; p != nil && p.run(w, data) {
		return true
	}
	set := t.fast[kind]
	return set != nil && set.ExecuteTemplate(w, "base", data) == nil
}

// Has reports whether the theme can render pages of a kind (it defines that kind's "main" block).
func (t *Theme) Has(kind string) bool {
	set := t.sets[kind]
	return set != nil && set.Lookup("main") != nil
}

// Signature identifies the theme's templates, so a cache can tell when a template changed.
func (t *Theme) Signature() string { return t.signature }
