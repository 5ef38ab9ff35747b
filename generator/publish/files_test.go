package publish

import (
	"bytes"
	"flag"
	goldenfile "github.com/lectern/lectern/generator/golden"
	"path/filepath"
	"strings"
	"testing"
)

// -update is read by golden.Check (flag.Lookup): defined here, once per test binary.
var _ = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, rewriting it with -update or LECTERN_UPDATE_GOLDEN=1.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

func TestFiles(t *testing.T) {
	t.Parallel()
	pages := []string{"services/s3/index.html", "index.html", "404.html", "glue/index.html", "caf\u00e9 notes/index.html", "docs/a&b.html"}
	tests := []struct {
		name  string
		opts  Options
		files []string // names, in order
	}{
		{"project site", Options{BaseURL: "https://user.github.io/notes/", Pages: pages}, []string{".nojekyll", "sitemap.xml", "robots.txt"}},
		{"base URL without its slash", Options{BaseURL: "https://user.github.io/notes", Pages: pages}, []string{".nojekyll", "sitemap.xml", "robots.txt"}},
		{"custom domain", Options{BaseURL: "https://notes.example.com/", CNAME: "notes.example.com", Pages: pages}, []string{".nojekyll", "sitemap.xml", "robots.txt", "CNAME"}},
		{"no base URL", Options{Pages: pages}, []string{".nojekyll", "robots.txt"}},
		{"root-absolute base URL", Options{BaseURL: "/notes/", Pages: pages}, []string{".nojekyll", "robots.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, err := Files(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			var all bytes.Buffer
			for _, f := range files {
				names = append(names, f.Path)
				all.WriteString("== " + f.Path + "\n")
				all.Write(f.Data)
			}
			if strings.Join(names, " ") != strings.Join(tt.files, " ") {
				t.Errorf("files %q, want %q", names, tt.files)
			}
			golden(t, strings.ReplaceAll(tt.name, " ", "-")+".golden", all.Bytes())
		})
	}
}

func TestDomain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, err string
	}{
		{in: "notes.example.com", want: "notes.example.com"},
		{in: "  Notes.Example.COM ", want: "notes.example.com"},
		{in: "https://notes.example.com/", want: "notes.example.com"},
		{in: "www.x-y.io", want: "www.x-y.io"},
		{in: "localhost", err: "is not a domain name"},
		{in: "notes example.com", err: `may not contain ' '`},
		{in: "notes.example.com/path", err: `may not contain '/'`},
		{in: "-bad.example.com", err: "is not a domain name"},
		{in: "a..b", err: "is not a domain name"},
		{in: "", err: "is not a domain name"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := Domain(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Domain(%q) = %q, %v; want an error containing %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Domain(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestPageURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"index.html": "", "glue/index.html": "glue/", "a/b/index.html": "a/b/", "x.html": "x.html", "a/index.htm": "a/index.htm"} {
		if got := PageURL(in); got != want {
			t.Errorf("PageURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDomain(f *testing.F) {
	for _, s := range []string{"notes.example.com", "https://a.b/", "a..b", "x y", "ÄÖ.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Domain(s)
		if err != nil {
			return
		}
		again, err := Domain(d)
		if err != nil || again != d {
			t.Errorf("Domain(%q) = %q, but Domain(%q) = %q, %v", s, d, d, again, err)
		}
		if strings.ContainsAny(d, " /:\n") {
			t.Errorf("Domain(%q) = %q holds a character a CNAME file cannot", s, d)
		}
	})
}
