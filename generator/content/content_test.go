package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestURLFor(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"glue.md":               "glue/",
		"emr/index.md":          "emr/",
		"index.md":              "",
		"Step Functions.md":     "step-functions/",
		"a/b/c.markdown":        "a/b/c/",
		"notes/What? #1.md":     "notes/what-1/",
		"Über/straße.md":        "über/straße/",
		"guide/README.md":       "guide/",
		"m5.xlarge.md":          "m5.xlarge/",
		"weird/-._-.md":         "weird/_/",
		"docs/_index.md":        "docs/",
		"UPPER/Case File.md":    "upper/case-file/",
		"emoji/🚀 launch.md":     "emoji/launch/",
		"dots/v1.2 notes.md":    "dots/v1.2-notes/",
		"spaces/  trailing .md": "spaces/trailing/",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := URLFor(in); got != want {
				t.Errorf("URLFor(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestRel(t *testing.T) {
	t.Parallel()
	cases := []struct{ from, to, want string }{
		{"", "glue/", "glue/"},
		{"", "", "./"},
		{"glue/", "emr/", "../emr/"},
		{"glue/", "", "../"},
		{"a/b/", "c/", "../../c/"},
		{"a/b/", "a/b/#x", "../../a/b/#x"},
	}
	for _, c := range cases {
		if got := Rel(c.from, c.to); got != c.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}

func TestSplit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, fm, body string
		line               int
		err                string
	}{
		{name: "none", in: "# Title\n", body: "# Title\n", line: 1},
		{name: "simple", in: "---\ntitle: x\n---\nbody\n", fm: "title: x\n", body: "body\n", line: 4},
		{name: "crlf", in: "---\r\ntitle: x\r\n---\r\nbody\r\n", fm: "title: x\r\n", body: "body\r\n", line: 4},
		{name: "bom", in: "\xef\xbb\xbf---\ntitle: x\n---\nbody", fm: "title: x\n", body: "body", line: 4},
		{name: "dots close", in: "---\na: 1\n...\nb", fm: "a: 1\n", body: "b", line: 4},
		{name: "only front matter", in: "---\ntitle: x\n---\n", fm: "title: x\n", body: "", line: 4},
		{name: "only front matter no newline", in: "---\ntitle: x\n---", fm: "title: x\n", body: "", line: 4},
		{name: "empty block", in: "---\n---\nbody", fm: "", body: "body", line: 3},
		{name: "unclosed", in: "---\ntitle: x\nbody\n", err: "never closed"},
		{name: "thematic break later", in: "text\n---\n", body: "text\n---\n", line: 1},
		{name: "empty file", in: "", body: "", line: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fm, body, line, err := Split([]byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(fm) != c.fm || string(body) != c.body || line != c.line {
				t.Errorf("Split = %q, %q, %d; want %q, %q, %d", fm, body, line, c.fm, c.body, c.line)
			}
		})
	}
}

func TestParseFrontMatter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in, err, warn string
		want                FrontMatter
	}{
		{name: "all keys", in: "title: Glue\ndescription: d\nweight: 3\ndraft: true\naliases: [a, b]\nservice: glue\n",
			want: FrontMatter{Title: "Glue", Description: "d", Weight: 3, Draft: true, Aliases: []string{"a", "b"}, Service: "glue"}},
		{name: "wrong type", in: "title: x\nweight: high\n", err: "note.md:3: wrong type"},
		{name: "malformed", in: "title: [x\n", err: "note.md:"},
		{name: "not a mapping", in: "- a\n- b\n", err: "must be a mapping"},
		{name: "unknown key warns", in: "layout: post\n", warn: `note.md:2: warning: unknown front matter key "layout"`},
		{name: "crlf", in: "title: x\r\nweight: 2\r\n", want: FrontMatter{Title: "x", Weight: 2}},
		{name: "empty", in: "", want: FrontMatter{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, warns, err := ParseFrontMatter("note.md", []byte(c.in))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.warn != "" && (len(warns) == 0 || !strings.Contains(warns[0], c.warn)) {
				t.Errorf("warnings = %q, want %q", warns, c.warn)
			}
			if got.Title != c.want.Title || got.Weight != c.want.Weight || got.Draft != c.want.Draft ||
				got.Description != c.want.Description || got.Service != c.want.Service || strings.Join(got.Aliases, ",") != strings.Join(c.want.Aliases, ",") {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadOrderAndSections(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"index.md":          "# Home",
		"b.md":              "# B",
		"a.md":              "---\nweight: 5\n---\n# A",
		"emr/index.md":      "---\nweight: 2\n---\n# EMR",
		"emr/hive.md":       "# Hive",
		"emr/spark.md":      "---\nweight: 1\n---\n# Spark",
		"misc/z.md":         "# Z",
		"draft.md":          "---\ndraft: true\n---\n# D",
		"_services.yaml":    "services: []",
		"img/diagram.png":   "png",
		".hidden/secret.md": "# no",
	})
	site, ds := Load(dir, Options{})
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	var got []string
	for _, p := range site.Pages {
		got = append(got, p.Rel)
	}
	want := "index.md emr/index.md emr/spark.md emr/hive.md a.md b.md misc/z.md"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %s\nwant    %s", strings.Join(got, " "), want)
	}
	if len(site.Assets) != 1 || site.Assets[0].Rel != "img/diagram.png" {
		t.Errorf("assets = %+v", site.Assets)
	}
	if _, ok := site.DataFiles["_services.yaml"]; !ok {
		t.Errorf("data files = %v", site.DataFiles)
	}
	site, _ = Load(dir, Options{Drafts: true})
	found := false
	for _, p := range site.Pages {
		found = found || p.Rel == "draft.md"
	}
	if !found {
		t.Error("--drafts did not include the draft")
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"non-utf8", map[string]string{"bad.md": "# ok\nline \xff\xfe"}, "bad.md:2: not valid UTF-8"},
		{"binary", map[string]string{"bin.md": "abc\x00def"}, "bin.md:1: this looks like a binary file"},
		{"same URL", map[string]string{"a.md": "# A", "a/index.md": "# A2"}, "both want the URL /a/"},
		{"bad yaml", map[string]string{"x.md": "---\ntitle: [\n---\n"}, "x.md:"},
		{"unclosed", map[string]string{"u.md": "---\ntitle: x\n"}, "u.md:1: front matter opened with --- on line 1 is never closed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, c.files)
			_, ds := Load(dir, Options{Root: dir})
			var msgs []string
			for _, d := range ds {
				msgs = append(msgs, d.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
				t.Errorf("diagnostics %q do not contain %q", msgs, c.want)
			}
		})
	}
}

func TestLoadMissingContent(t *testing.T) {
	t.Parallel()
	_, ds := Load(filepath.Join(t.TempDir(), "content"), Options{})
	if len(ds) != 1 || !strings.Contains(ds[0].Msg, "no content folder") {
		t.Fatalf("got %v", ds)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"---\ntitle: x\n---\nbody", "---\r\n---\r\n", "\xef\xbb\xbf---\na: b\n...\n", "# x", "---"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fm, body, line, err := Split(data)
		if err != nil {
			return
		}
		if line < 1 {
			t.Fatalf("line %d", line)
		}
		if len(fm)+len(body) > len(data) {
			t.Fatalf("split grew the input")
		}
		ParseFrontMatter("f.md", fm)
	})
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Step Functions", "m5.xlarge", "..", "Über", "#?", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Slug(s)
		if out == "" || strings.ContainsAny(out, "/?# \\") || strings.HasPrefix(out, ".") {
			t.Fatalf("Slug(%q) = %q", s, out)
		}
		if Slug(out) != out {
			t.Fatalf("Slug not idempotent: %q → %q → %q", s, out, Slug(out))
		}
	})
}
