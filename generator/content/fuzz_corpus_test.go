package content

import (
	"bytes"
	"errors"
	"github.com/lectern/lectern/generator/corpora"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/diag"
)

// corpusFiles returns every file of the kananinirav notes and the first pages of each AWS guide, with
// their paths under the corpus folder, for fuzz seeds. Nothing is copied into the repository.
func corpusFiles() (paths []string, data [][]byte) {
	dir := corpora.Dir()
	if dir == "" {
		return nil, nil
	}
	add := func(p string, limit int) {
		b, err := os.ReadFile(p)
		if err != nil {
			return
		}
		if len(b) > limit {
			b = b[:limit]
		}
		rel, _ := filepath.Rel(dir, p)
		paths = append(paths, filepath.ToSlash(rel))
		data = append(data, b)
	}
	for _, p := range corpora.NotesFiles() {
		add(p, 1<<20)
	}
	for _, p := range corpora.GuidePages(8) {
		add(p, 2048)
	}
	return paths, data
}

// FuzzFrontMatter splits and decodes front matter as the load stage does, seeded with every kananinirav
// note (Jekyll front matter) and AWS pages (none). Beyond not panicking: the body is a suffix of the
// input, BodyLine counts the lines before it, and every error names the file and a line of it.
func FuzzFrontMatter(f *testing.F) {
	_, seeds := corpusFiles()
	for _, s := range seeds {
		f.Add(s)
	}
	for _, s := range []string{
		"---\ntitle: x\n---\nbody", "\xef\xbb\xbf---\r\ntitle: x\r\nweight: 2\r\n---\r\n# h\r\n",
		"---\nweight: high\n---\n", "---\ntitle: [\n---\n", "---\nlayout: post\ntags: [a]\n---\n",
		"---\n- a\n- b\n---\n", "---\n---\n", "---\ntitle: x\n", "---\n...\n", "---\ntitle: &a x\nd: *a\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fm, body, line, err := Split(data)
		if err != nil {
			if line != 0 || body != nil {
				t.Fatalf("error %v with body line %d", err, line)
			}
			return
		}
		trimmed := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		if !bytes.HasSuffix(trimmed, body) {
			t.Fatalf("body is not the end of the file")
		}
		// An empty body after a closing --- with no newline starts on the line after it, which the file
		// does not have; no diagnostic can point there, so only a non-empty body must match exactly.
		if want := bytes.Count(trimmed[:len(trimmed)-len(body)], []byte("\n")) + 1; line != want && (len(body) > 0 || line != want+1) {
			t.Fatalf("body line %d, want %d", line, want)
		}
		if len(fm) > 0 && !bytes.Contains(trimmed, fm) {
			t.Fatalf("front matter is not part of the file")
		}
		// YAML also ends a line at a lone \r, as old editors do.
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		_, warnings, err := ParseFrontMatter("n.md", fm)
		for _, w := range warnings {
			if !strings.HasPrefix(w, "n.md:") {
				t.Fatalf("warning without file: %q", w)
			}
		}
		if err == nil {
			return
		}
		var d diag.Diagnostic
		if !errors.As(err, &d) || d.File != "n.md" || d.Line < 1 || d.Line > lines {
			t.Fatalf("error %q does not name n.md and a line in 1..%d", err, lines)
		}
		if utf8.Valid(data) && !utf8.ValidString(err.Error()) {
			t.Fatalf("error message is not valid UTF-8: %q", err)
		}
	})
}

// FuzzURLFor checks the URL of any note path: slugged elements only, so a URL never carries '#', '?',
// a space, "..", an empty element or a leading slash, and it is stable (the URL of a URL is itself).
func FuzzURLFor(f *testing.F) {
	paths, _ := corpusFiles()
	for _, p := range paths {
		f.Add(p)
	}
	for _, s := range []string{"glue.md", "emr/index.md", "index.md", "a b/c#d?.md", "../x.md", "/a//b/.md", "Über/README.md", "a/_index.md", "..md", "a/./b.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rel string) {
		u := URLFor(rel)
		if u == "" {
			return
		}
		if !strings.HasSuffix(u, "/") || strings.HasPrefix(u, "/") || strings.ContainsAny(u, "?# \\") {
			t.Fatalf("URLFor(%q) = %q", rel, u)
		}
		for _, el := range strings.Split(strings.TrimSuffix(u, "/"), "/") {
			if el == "" || el == "." || el == ".." || Slug(el) != el {
				t.Fatalf("URLFor(%q) = %q has element %q", rel, u, el)
			}
		}
		if utf8.ValidString(rel) && !utf8.ValidString(u) {
			t.Fatalf("URLFor(%q) = %q is not UTF-8", rel, u)
		}
		if last := path.Base(u); last == "index" || last == "_index" {
			return // "Index.md" is a note at /index/; the file index.md would be its folder's page
		}
		if again := URLFor(strings.TrimSuffix(u, "/") + ".md"); again != u {
			t.Fatalf("URLFor not stable: %q → %q → %q", rel, u, again)
		}
	})
}
