// Package scaffold creates a new Lectern site (`lectern new DIR`): a content/ folder with a starter note
// that shows every feature (tip boxes, key points, service mentions), a small service catalog,
// lectern.yaml with every key explained, the GitHub Pages workflow and a .gitignore.
//
// It stands outside the build pipeline: its input is a folder, its output the files of a site that
// `lectern build --strict` builds without a warning. The files are embedded from site/ (go:embed), so the
// binary needs nothing beside it. A file named dot-X there becomes .X (so the repository's own git and
// GitHub do not act on the templates); a file ending in .tmpl is a text/template with [[ ]] delimiters
// (the workflow's ${{ }} expressions stay as they are) and loses the suffix.
//
// Create never overwrites: when any file it would write exists, it writes nothing and names them all.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"unicode"
)

//go:embed all:site
var siteFS embed.FS

// Module is the module path `go run` installs Lectern from in the generated workflow.
const Module = "github.com/lectern/lectern"

// Options fill the templates.
type Options struct {
	// Title is the site title; empty means one made from the folder's name ("exam-notes" → "Exam notes").
	Title string
	// Version is the Lectern version the workflow runs; empty or "dev" means the latest release.
	Version string
}

// File is one file of the new site.
type File struct {
	Path string // slash path relative to the site folder
	Data []byte
}

// Files renders the new site's files, sorted by path, without touching the disk.
func Files(opts Options) ([]File, error) {
	data := map[string]string{"Title": opts.Title, "Module": Module, "Version": opts.Version}
	if data["Version"] == "" || data["Version"] == "dev" {
		data["Version"] = "latest"
	}
	funcs := template.FuncMap{"yaml": yamlString}
	var files []File
	err := fs.WalkDir(siteFS, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := siteFS.ReadFile(p)
		if err != nil {
			return err
		}
		rel := outName(strings.TrimPrefix(p, "site/"))
		if name, ok := strings.CutSuffix(rel, ".tmpl"); ok {
			t, err := template.New(p).Delims("[[", "]]").Funcs(funcs).Option("missingkey=error").Parse(string(raw))
			if err != nil {
				return fmt.Errorf("scaffold template %s: %w", p, err)
			}
			var b bytes.Buffer
			if err := t.Execute(&b, data); err != nil {
				return fmt.Errorf("scaffold template %s: %w", p, err)
			}
			rel, raw = name, b.Bytes()
		}
		files = append(files, File{Path: rel, Data: raw})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, err
}

// outName turns dot-X path elements into .X.
func outName(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if rest, ok := strings.CutPrefix(s, "dot-"); ok {
			parts[i] = "." + rest
		}
	}
	return path.Join(parts...)
}

// yamlString quotes s as a YAML double-quoted scalar (JSON strings are valid YAML).
func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TitleFromDir makes a site title from a folder name: "aws-exam_notes" → "Aws exam notes".
func TitleFromDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err == nil {
		dir = abs
	}
	name := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return ' '
		}
		return r
	}, filepath.Base(dir))
	name = strings.Join(strings.Fields(name), " ")
	if name == "" || name == string(filepath.Separator) {
		return "Notes"
	}
	r := []rune(name)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// ErrExists is wrapped by Create's error when files are in the way.
var ErrExists = errors.New("file exists")

// Create writes a new site into dir, creating dir when needed, and returns the paths written. When any
// of the files exists already it writes nothing and returns an error naming every one of them.
func Create(dir string, opts Options) ([]string, error) {
	if opts.Title == "" {
		opts.Title = TitleFromDir(dir)
	}
	files, err := Files(opts)
	if err != nil {
		return nil, err
	}
	var clash []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(p); err == nil {
			clash = append(clash, p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot check %s: %w", p, err)
		}
	}
	if len(clash) > 0 {
		return nil, fmt.Errorf("%w, not overwriting: %s (move them away or pick another folder)", ErrExists, strings.Join(clash, ", "))
	}
	var written []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return written, fmt.Errorf("cannot create %s: %w", filepath.Dir(p), err)
		}
		// O_EXCL: a file that appeared since the check above is still not overwritten.
		w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, fmt.Errorf("cannot create %s: %w", p, err)
		}
		_, err = w.Write(f.Data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, fmt.Errorf("cannot write %s: %w", p, err)
		}
		written = append(written, p)
	}
	return written, nil
}
