package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// workflow is the part of a GitHub Actions workflow the Pages checks read.
type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Needs       any               `yaml:"needs"`
		Environment map[string]string `yaml:"environment"`
		Steps       []struct {
			ID   string            `yaml:"id"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]any    `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// checkPagesWorkflow checks what a Pages deployment needs: the permissions, configure-pages's base URL
// handed to the build, the public/ folder uploaded, and a deploy job in the github-pages environment.
// (actionlint checks the rest in CI.)
func checkPagesWorkflow(t *testing.T, name string, data []byte) {
	t.Helper()
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, ok := w.On["push"]; !ok {
		t.Errorf("%s: does not run on push", name)
	}
	for k, v := range map[string]string{"contents": "read", "pages": "write", "id-token": "write"} {
		if w.Permissions[k] != v {
			t.Errorf("%s: permission %s is %q, want %q", name, k, w.Permissions[k], v)
		}
	}
	build, deploy := w.Jobs["build"], w.Jobs["deploy"]
	var configured, built, uploaded bool
	for _, s := range build.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/configure-pages@"):
			configured = s.ID == "pages"
		case strings.Contains(s.Run, " build ") && strings.Contains(s.Run, `--base-url "$BASE_URL"`):
			built = configured && s.Env["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
		case strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@"):
			uploaded = built && s.With["path"] == "public"
		}
	}
	if !configured || !built || !uploaded {
		t.Errorf("%s: configure-pages (id pages) %v, build with its base URL %v, upload public/ %v; want all, in that order", name, configured, built, uploaded)
	}
	if deploy.Needs != "build" || deploy.Environment["name"] != "github-pages" || len(deploy.Steps) != 1 || !strings.HasPrefix(deploy.Steps[0].Uses, "actions/deploy-pages@") {
		t.Errorf("%s: the deploy job must need build, run in the github-pages environment and use deploy-pages", name)
	}
}

func TestScaffoldWorkflow(t *testing.T) {
	t.Parallel()
	files, err := Files(Options{Title: "T", Version: "v1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == ".github/workflows/pages.yml" {
			checkPagesWorkflow(t, f.Path, f.Data)
			if !strings.Contains(string(f.Data), "go run "+Module+"@v1.0.0 build") {
				t.Errorf("the workflow does not run the Lectern version that made it:\n%s", f.Data)
			}
			return
		}
	}
	t.Fatal("no workflow in the scaffold")
}

// TestRepositoryWorkflow checks this repository's own Pages workflow, which publishes the sample notes,
// and that it takes Go's version from go.mod with the module cache on.
func TestRepositoryWorkflow(t *testing.T) {
	t.Parallel()
	dir, _ := os.Getwd()
	for !fileExists(filepath.Join(dir, "go.mod")) {
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = filepath.Dir(dir)
	}
	p := filepath.Join(dir, ".github", "workflows", "pages.yml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	checkPagesWorkflow(t, p, data)
	var w workflow
	yaml.Unmarshal(data, &w)
	for _, s := range w.Jobs["build"].Steps {
		if strings.HasPrefix(s.Uses, "actions/setup-go@") {
			if s.With["go-version-file"] != "go.mod" || s.With["cache"] != true {
				t.Errorf("%s: setup-go must read go-version-file: go.mod with cache: true, has %v", p, s.With)
			}
			return
		}
	}
	t.Errorf("%s: no setup-go step", p)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
