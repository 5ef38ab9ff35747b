package scaffold

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/output"
	"github.com/lectern/lectern/generator/site"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestFiles(t *testing.T) {
	t.Parallel()
	files, err := Files(Options{Title: `Exam "notes"`, Version: "v1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var all bytes.Buffer
	for _, f := range files {
		names = append(names, f.Path)
		all.WriteString("==> " + f.Path + " <==\n")
		all.Write(f.Data)
	}
	want := []string{".github/workflows/pages.yml", ".gitignore", "content/_services.yaml", "content/first-note.md", "content/index.md", "lectern.yaml"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
	p := filepath.Join("testdata", "site.golden")
	if *update || os.Getenv("LECTERN_UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(p, all.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(all.Bytes(), golden) {
		t.Errorf("the scaffold differs from %s (go test -update rewrites it)", p)
	}
}

// settingLine is a commented-out setting in lectern.yaml: "# key: value", "#   key:" or "#     - item".
// Prose comments start with a capital letter, so they never match.
var settingLine = regexp.MustCompile(`^# ( *)([a-z_]+:.*|- .*)$`)

// uncomment turns every commented-out setting of lectern.yaml into a live one.
func uncomment(yml string) string {
	var b strings.Builder
	for _, line := range strings.Split(yml, "\n") {
		if settingLine.MatchString(line) {
			line = strings.TrimPrefix(line, "# ")
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// TestConfigDocumentsEveryKey keeps lectern.yaml's template in sync with generator/config: with every
// commented-out setting switched on, it must parse (no unknown key, no wrong type, no invalid value), and
// every key of config.Config must appear in it.
func TestConfigDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	files, err := Files(Options{Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	var yml string
	for _, f := range files {
		if f.Path == config.FileName {
			yml = string(f.Data)
		}
	}
	live := uncomment(yml)
	if _, err := config.Parse("lectern.yaml (uncommented)", []byte(live)); err != nil {
		t.Fatalf("with every setting switched on, lectern.yaml does not parse: %v\n%s", err, live)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(live), &doc); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				have[prefix+k] = true
				walk(prefix+k+".", x)
			}
		case []any:
			for _, x := range v {
				walk(prefix, x)
			}
		}
	}
	walk("", doc)
	var missing []string
	for _, key := range configKeys("", reflect.TypeOf(config.Config{})) {
		if !have[key] {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		t.Errorf("lectern.yaml's template does not document %s; add them to generator/scaffold/site/lectern.yaml.tmpl", strings.Join(missing, ", "))
	}
}

// configKeys lists the YAML keys of a configuration struct, dotted ("tipboxes.custom.name").
func configKeys(prefix string, typ reflect.Type) []string {
	var out []string
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, prefix+name)
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, configKeys(prefix+name+".", ft)...)
		}
	}
	sort.Strings(out)
	return out
}

func TestTitleFromDir(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"exam-notes":            "Exam notes",
		"/home/me/aws_da.notes": "Aws da notes",
		"notes":                 "Notes",
		"über--notizen":         "Über notizen",
	} {
		if got := TitleFromDir(in); got != want {
			t.Errorf("TitleFromDir(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCreateRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing []string
	}{
		{"a note", []string{"content/index.md"}},
		{"the configuration and the workflow", []string{"lectern.yaml", ".github/workflows/pages.yml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for _, rel := range tt.existing {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			written, err := Create(dir, Options{})
			if !errors.Is(err, ErrExists) || len(written) > 0 {
				t.Fatalf("Create over existing files = %v, %v; want ErrExists and nothing written", written, err)
			}
			for _, rel := range tt.existing {
				if !strings.Contains(err.Error(), filepath.Join(dir, filepath.FromSlash(rel))) {
					t.Errorf("error does not name %s: %v", rel, err)
				}
				if data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel))); string(data) != "mine" {
					t.Errorf("%s was overwritten", rel)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, ".gitignore")); err == nil {
				t.Error(".gitignore written although Create refused")
			}
		})
	}
}

// TestCreateThenBuildStrict: a new site builds with --strict, and its starter note shows every feature.
func TestCreateThenBuildStrict(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "exam-notes")
	written, err := Create(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 6 {
		t.Errorf("wrote %d files, want 6: %v", len(written), written)
	}
	mem := output.NewMemory()
	res, err := site.Build(site.Options{Root: dir, Sink: mem, Strict: true})
	if err != nil {
		t.Fatalf("lectern build --strict of a new site failed:\n%v", err)
	}
	if len(res.Diagnostics) > 0 {
		t.Errorf("a new site builds with diagnostics: %v", res.Diagnostics)
	}
	if res.Config.Title != "Exam notes" {
		t.Errorf("title %q, want the folder's name", res.Config.Title)
	}
	page, ok := mem.Get("first-note/index.html")
	if !ok {
		t.Fatalf("no first-note/index.html in %v", mem.Paths())
	}
	for what, marker := range map[string]string{
		"tip box":      `class="tipbox tipbox-tip"`,
		"admonition":   `class="tipbox tipbox-note"`,
		"key point":    `class=keypoint`,
		"service link": `href=../services/redis/`,
	} {
		if !strings.Contains(normal(page), normal([]byte(marker))) {
			t.Errorf("the starter note shows no %s (%s)", what, marker)
		}
	}
}

// normal drops the quotes the minifier may or may not keep around attribute values.
func normal(b []byte) string { return strings.ReplaceAll(string(b), `"`, "") }
