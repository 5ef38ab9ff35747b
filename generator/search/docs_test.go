package search

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// This file turns markdown into Docs with a plain goldmark walk, standing in for the markdown stage so
// the search stage can be tested on real corpora on its own.

var anchorName = regexp.MustCompile(`<a\s+name="([^"]+)"`)

var testMarkdown = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(parser.WithAutoHeadingID()))

// markdownDocs returns the Docs of one page: a preamble, then one Doc per heading.
func markdownDocs(url, fallbackTitle string, src []byte) []Doc {
	doc := testMarkdown.Parser().Parse(text.NewReader(src))
	var docs []Doc
	cur := &Doc{URL: url}
	docs = append(docs, *cur)
	cur = &docs[0]
	var stack []Doc
	var body, emph strings.Builder
	flush := func() {
		cur.Body = strings.TrimSpace(body.String())
		cur.Emphasis = strings.TrimSpace(emph.String())
		body.Reset()
		emph.Reset()
	}
	title := ""
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			flush()
			heading, anchor := headingText(h, src)
			if anchor == "" {
				if id, ok := h.AttributeString("id"); ok {
					anchor = string(id.([]byte))
				}
			}
			if title == "" && h.Level == 1 {
				title = heading
			}
			for len(stack) > 0 && stack[len(stack)-1].Level >= h.Level {
				stack = stack[:len(stack)-1]
			}
			var path []string
			for _, s := range stack {
				path = append(path, s.Heading)
			}
			d := Doc{URL: url, Anchor: anchor, Level: h.Level, Heading: heading, Path: append(path, heading)}
			stack = append(stack, d)
			docs = append(docs, d)
			cur = &docs[len(docs)-1]
			continue
		}
		var b strings.Builder
		blockText(n, src, &b)
		body.WriteString(b.String())
		body.WriteByte('\n')
		if n.Kind() == ast.KindBlockquote {
			emph.WriteString(b.String())
			emph.WriteByte('\n')
		}
	}
	flush()
	if title == "" {
		title = fallbackTitle
	}
	seen := map[string]bool{}
	out := docs[:0]
	for _, d := range docs {
		d.Page = title
		if d.Level > 0 && (d.Anchor == "" || seen[d.Anchor]) {
			continue
		}
		seen[d.Anchor] = true
		out = append(out, d)
	}
	return out
}

func headingText(h *ast.Heading, src []byte) (string, string) {
	var b strings.Builder
	anchor := ""
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		if r, ok := c.(*ast.RawHTML); ok {
			var raw bytes.Buffer
			for i := 0; i < r.Segments.Len(); i++ {
				seg := r.Segments.At(i)
				raw.Write(seg.Value(src))
			}
			if m := anchorName.FindSubmatch(raw.Bytes()); m != nil {
				anchor = string(m[1])
			}
			continue
		}
		inlineText(c, src, &b)
	}
	return strings.Join(strings.Fields(b.String()), " "), anchor
}

func inlineText(n ast.Node, src []byte, b *strings.Builder) {
	switch t := n.(type) {
	case *ast.Text:
		b.Write(util.UnescapePunctuations(t.Segment.Value(src)))
		if t.SoftLineBreak() || t.HardLineBreak() {
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		b.Write(t.Value)
		return
	case *ast.RawHTML, *ast.HTMLBlock:
		b.WriteByte(' ')
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		inlineText(c, src, b)
	}
}

func blockText(n ast.Node, src []byte, b *strings.Builder) {
	switch n.Kind() {
	case ast.KindFencedCodeBlock, ast.KindCodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		b.WriteByte('\n')
		return
	case ast.KindHTMLBlock:
		return
	case ast.KindThematicBreak:
		return
	}
	if n.Type() == ast.TypeBlock && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeInline {
		inlineText(n, src, b)
		b.WriteByte('\n')
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		blockText(c, src, b)
		b.WriteByte(' ')
	}
}

// sharedDir walks up from the package to the folder holding shared/, or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, _ := filepath.Abs(".")
	for {
		if st, err := os.Stat(filepath.Join(dir, "shared", "corpora")); err == nil && st.IsDir() {
			return filepath.Join(dir, "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/ (seed notes and corpora) not found above the package; skipping")
		}
		dir = parent
	}
}

// seedDocs are the sample notes as the site's "notes/" page.
func seedDocs(t testing.TB) []Doc {
	src, err := os.ReadFile(filepath.Join(sharedDir(t), "seed-notes.md"))
	if err != nil {
		t.Skipf("seed notes unreadable: %v", err)
	}
	return markdownDocs("notes/", "Notes", src)
}

var daGuides = []string{"aws-lambda", "aws-glue", "aws-kinesis-streams", "aws-redshift", "aws-athena", "aws-emr", "aws-s3"}

// daDocs are the seven data-analytics guides laid out as corpus.sh da does: <guide>/<path>/ per file.
func daDocs(t testing.TB) ([]Doc, int) { return daPages(t, -1) }

// daPages are the first n pages of the da guides (all of them when n < 0), in corpus.sh order: its
// "1000" corpus is daPages(t, 1000), as the dev server's benchmark site holds it.
func daPages(t testing.TB, n int) ([]Doc, int) {
	corpora := filepath.Join(sharedDir(t), "corpora")
	var docs []Doc
	size, pages := 0, 0
	for _, g := range daGuides {
		base := filepath.Join(corpora, g)
		var paths []string
		err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "_license" {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".md") {
				paths = append(paths, p)
			}
			return nil
		})
		if err != nil {
			t.Skipf("corpus %s unreadable: %v", g, err)
		}
		sort.Strings(paths)
		for _, p := range paths {
			if pages == n {
				return docs, size
			}
			pages++
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			size += len(src)
			rel, _ := filepath.Rel(corpora, p)
			rel = filepath.ToSlash(strings.TrimSuffix(rel, ".md"))
			if strings.HasSuffix(rel, "/index") {
				rel = strings.TrimSuffix(rel, "index")
			} else {
				rel += "/"
			}
			docs = append(docs, markdownDocs(rel, filepath.Base(rel), src)...)
		}
	}
	return docs, size
}

// writeSite writes the index files under dir.
func writeSite(t testing.TB, dir string, files []File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWriteIndexes writes the seed and da indexes to $LECTERN_SEARCH_OUT (for the node benchmark and
// manual checks); without the variable it does nothing.
func TestWriteIndexes(t *testing.T) {
	out := os.Getenv("LECTERN_SEARCH_OUT")
	if out == "" {
		t.Skip("set LECTERN_SEARCH_OUT=DIR to write the seed and da indexes there")
	}
	for _, c := range []struct {
		name string
		docs func(testing.TB) []Doc
	}{
		{"seed", seedDocs},
		{"da", func(t testing.TB) []Doc { d, _ := daDocs(t); return d }},
	} {
		files, entry, err := Build(c.docs(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(out, c.name)
		os.RemoveAll(dir)
		writeSite(t, dir, files)
		if err := os.WriteFile(filepath.Join(dir, "entry.txt"), []byte(strings.Join(entry, " ")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
