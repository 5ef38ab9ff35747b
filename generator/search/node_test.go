package search

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNode builds indexes with Build and runs the JavaScript engine's tests on them under Node's test
// runner (testdata/node/*.test.js): tokenizer parity, query features on the fixture in both formats,
// one-file/split agreement on the sample notes, and relevance on the sample notes and, unless -short
// or the corpora are missing, the da corpus. It skips when node is not installed.
func TestNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found in PATH; the JavaScript engine tests need it")
	}
	dir := t.TempDir()
	write := func(name string, docs []Doc, opts Options) {
		files, entry, err := Build(docs, opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		writeSite(t, filepath.Join(dir, name), files)
		if err := os.WriteFile(filepath.Join(dir, name, "entry.txt"), []byte(strings.Join(entry, " ")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	syn := map[string][]string{"emr": {"elastic mapreduce"}}
	write("fixture-single", fixtureDocs(), Options{Synonyms: syn})
	write("fixture-split", fixtureDocs(), Options{Synonyms: syn, SplitAbove: 1})
	if _, err := os.Stat(filepath.Join(sharedDirOrEmpty(), "seed-notes.md")); err == nil {
		seed := seedDocs(t)
		write("seed", seed, Options{})
		write("seed-split", seed, Options{SplitAbove: 1})
	}
	if !testing.Short() && sharedDirOrEmpty() != "" {
		docs, _ := daDocs(t)
		write("da", docs, Options{})
	}
	tests, _ := filepath.Glob(filepath.Join("testdata", "node", "*.test.js"))
	cmd := exec.Command(node, append([]string{"--test", "--test-reporter=spec"}, tests...)...)
	cmd.Env = append(os.Environ(), "LECTERN_SEARCH_INDEX="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "relevance ") || strings.HasPrefix(strings.TrimSpace(l), "ℹ") {
			t.Log(strings.TrimSpace(l))
		}
	}
}

// sharedDirOrEmpty is sharedDir without skipping.
func sharedDirOrEmpty() string {
	dir, _ := filepath.Abs(".")
	for {
		if st, err := os.Stat(filepath.Join(dir, "shared", "corpora")); err == nil && st.IsDir() {
			return filepath.Join(dir, "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
