// Package corpora finds the real markdown written by others that ../shared/corpora holds beside the
// project, for the tests that need it: fuzz seeds, scale and robustness builds. Nothing from the corpora
// is ever copied into the repository; tests read them at run time and skip when they are absent.
package corpora

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// Dir finds shared/corpora by walking up from the working directory (a package folder, under go test);
// "" when there is none.
func Dir() string {
	dir, _ := os.Getwd()
	for {
		if st, err := os.Stat(filepath.Join(dir, "shared", "corpora")); err == nil && st.IsDir() {
			return filepath.Join(dir, "shared", "corpora")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// NotesFiles lists the markdown files of the personal notes corpus (Jekyll front matter, <details>), sorted.
func NotesFiles() []string {
	dir := Dir()
	if dir == "" {
		return nil
	}
	var files []string
	filepath.WalkDir(filepath.Join(dir, "notes-ccp-kananinirav"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".md" {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files
}

// GuidePages picks perGuide pages, evenly spaced, from each AWS developer guide.
func GuidePages(perGuide int) []string {
	dir := Dir()
	if dir == "" {
		return nil
	}
	guides, _ := filepath.Glob(filepath.Join(dir, "aws-*", "doc_source"))
	sort.Strings(guides)
	var files []string
	for _, g := range guides {
		pages, _ := filepath.Glob(filepath.Join(g, "*.md"))
		sort.Strings(pages)
		for i := 0; i < len(pages) && i < perGuide; i++ {
			files = append(files, pages[i*len(pages)/perGuide])
		}
	}
	return files
}

// SeedFiles is every notes file and perGuide pages of each guide: the usual fuzz seed set.
func SeedFiles(perGuide int) []string { return append(NotesFiles(), GuidePages(perGuide)...) }

// Paragraphs returns a few paragraphs of each file (every eighth of the first forty, under 2 KB), for
// targets that see text a paragraph at a time.
func Paragraphs(files []string) [][]byte {
	var out [][]byte
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		paras := bytes.Split(b, []byte("\n\n"))
		for i := 0; i < len(paras) && i < 40; i += 8 {
			if len(paras[i]) > 0 && len(paras[i]) < 2048 {
				out = append(out, paras[i])
			}
		}
	}
	return out
}

// ProjectRoot is the folder holding go.mod, found by walking up from the working directory (a package
// folder, under go test): the sample notes live in its content/. "" when there is none.
func ProjectRoot() string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Site lays out a site from the corpora in dir with ../shared/bench/corpus.sh (name: seed, da, all, or a
// number of pages), unless dir already holds one (it has a content/ folder): the benchmarks and the tests
// over whole corpora build the very sites ../shared/bench's scripts time. skip says why there is none,
// when shared/ is not beside the project.
func Site(name, dir string) (skip string, err error) {
	corpora := Dir()
	if corpora == "" {
		return "no shared/corpora above the test's folder: run from a checkout with shared/ beside it", nil
	}
	script := filepath.Join(filepath.Dir(corpora), "bench", "corpus.sh")
	if _, err := os.Stat(script); err != nil {
		return "no corpus script at " + script, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		return "", nil
	}
	if out, err := exec.Command("bash", script, name, dir).CombinedOutput(); err != nil {
		return "", fmt.Errorf("corpus.sh %s: %v\n%s", name, err, out)
	}
	return "", nil
}
