package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewThenBuildStrict is the path a new user takes: lectern new, then lectern build --strict.
func TestNewThenBuildStrict(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "exam-notes")
	code, stdout, stderr := run("new", dir)
	if code != ExitOK {
		t.Fatalf("lectern new: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"created " + filepath.ToSlash(filepath.Join(dir, "lectern.yaml")), "Settings → Pages → Source: GitHub Actions", "https://USER.github.io/REPOSITORY/"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("lectern new's output lacks %q:\n%s", want, stdout)
		}
	}
	code, _, stderr = run("build", "--source", dir, "--strict", "--quiet")
	if code != ExitOK || stderr != "" {
		t.Fatalf("lectern build --strict of a new site: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "first-note", "index.html")); err != nil {
		t.Errorf("the build wrote no starter note: %v", err)
	}
}

func TestNewArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   func(dir string) []string
		code   int
		stderr string // part of the error output ("" when none is expected)
		stdout string
		titled string // the folder, under dir, whose lectern.yaml must carry the title "My notes"
	}{
		{"no folder", func(string) []string { return []string{"new"} }, ExitUsage, "name one folder", "", ""},
		{"two folders", func(d string) []string { return []string{"new", d + "/a", d + "/b"} }, ExitUsage, "name one folder", "", ""},
		{"unknown flag", func(d string) []string { return []string{"new", "--colour", "red", d} }, ExitUsage, "flag provided but not defined", "", ""},
		{"help", func(string) []string { return []string{"new", "--help"} }, ExitOK, "", "Usage: lectern new [flags] DIR", ""},
		{"title before the folder", func(d string) []string { return []string{"new", "--title", "My notes", d + "/x"} }, ExitOK, "", "created", "x"},
		{"title after the folder", func(d string) []string { return []string{"new", d + "/y", "--title", "My notes"} }, ExitOK, "", "created", "y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			code, stdout, stderr := run(tt.args(dir)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if tt.stderr != "" && !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if tt.titled != "" {
				cfg, err := os.ReadFile(filepath.Join(dir, tt.titled, "lectern.yaml"))
				if err != nil || !strings.Contains(string(cfg), `title: "My notes"`) {
					t.Errorf("lectern.yaml does not carry the title: %v\n%s", err, cfg)
				}
			}
		})
	}
}

func TestNewRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	note := filepath.Join(dir, "content", "index.md")
	os.MkdirAll(filepath.Dir(note), 0o755)
	if err := os.WriteFile(note, []byte("# Mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run("new", dir)
	if code != ExitBuild || !strings.Contains(stderr, "not overwriting") || !strings.Contains(stderr, filepath.ToSlash(note)) && !strings.Contains(stderr, note) {
		t.Errorf("exit %d, stderr %q; want 1 and the existing file named", code, stderr)
	}
	if b, _ := os.ReadFile(note); string(b) != "# Mine\n" {
		t.Error("the existing note was overwritten")
	}
	if _, err := os.Stat(filepath.Join(dir, "lectern.yaml")); err == nil {
		t.Error("lectern.yaml written although lectern new refused")
	}
}
