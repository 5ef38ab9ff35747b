package site

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/publish"
)

// linkChecker sees every file the build writes (write feeds it) and checks the output's links at the
// end; an alias so that the builder's field needs no import of its own.
type linkChecker = publish.Checker

// publish is the last stage: it writes the files GitHub Pages needs beside the pages (.nojekyll,
// sitemap.xml, robots.txt, CNAME) and reports every broken internal link or anchor in the output. It
// must run after every other stage has written its files.
func (b *builder) publish() error {
	var pages []string
	if c := b.opts.Cache; c != nil {
		pages = c.links.Pages(&b.links)
	} else {
		pages = b.links.Pages()
	}
	files, err := publish.Files(publish.Options{BaseURL: b.baseURL, CNAME: b.cfg.CNAME, Pages: pages})
	if err != nil {
		b.diags.Add(diag.At(orDefault(b.cfg.File, "lectern.yaml"), b.cfg.Line("cname"), "%v", err))
		return nil
	}
	for _, f := range files {
		if err := b.write(f.Path, f.Data); err != nil {
			return err
		}
	}
	b.requireSearchResults()
	opts := publish.CheckOptions{
		BaseURL:  b.baseURL,
		Source:   b.pageSources(),
		Reported: reportedBefore(b.diags.Sorted()),
	}
	if c := b.opts.Cache; c != nil {
		opts.Cache = &c.links
	}
	b.diags.Add(b.links.Check(opts)...)
	return nil
}

// requireSearchResults hands the link check the URL of every search result: the search index is built
// from the notes' sections (buildSearch), and a result links to its page and section anchor, so each must
// lead to an element of the output. With a Cache, a note's list is made once, not on every save.
func (b *builder) requireSearchResults() {
	for i, d := range b.docs {
		var reqs []publish.Required
		if b.notes != nil {
			reqs = b.notes[i].searchResults()
		} else {
			reqs = searchResults(d)
		}
		b.links.RequireAll(d.Page.File, "search result", reqs)
	}
}

// searchResults lists the URLs of a note's search results.
func searchResults(d *markdown.Document) []publish.Required {
	out := make([]publish.Required, len(d.Sections))
	for i, s := range d.Sections {
		u := d.Page.URL
		if s.Anchor != "" {
			u += "#" + s.Anchor
		}
		out[i] = publish.Required{Line: s.Line, URL: u}
	}
	return out
}

// pageSources tells the link check which note each output page was made from, so that a broken link is
// reported at the note's line; pages no note made are named by their output path. A page's source is
// made only when the check asks for it: only pages with a broken link need one, and the index of the
// notes by output path is made on the first ask (and kept by the shape while the notes' URLs are).
func (b *builder) pageSources() func(rel string) *publish.Source {
	dest := b.opts.Dest
	if r, err := filepath.Rel(b.opts.Root, dest); err == nil && !strings.HasPrefix(r, "..") {
		dest = r
	}
	shape, notes, docs, contentDir := b.shape, b.notes, b.docs, filepath.Join(b.opts.Root, "content")
	return func(rel string) *publish.Source {
		i, ok := shape.fileIndex(rel)
		if !ok {
			return &publish.Source{File: filepath.ToSlash(filepath.Join(dest, rel))}
		}
		if notes != nil {
			return notes[i].sourceOf()
		}
		return rereadSource(contentDir, docs[i])
	}
}

// sourceOf is what the link check is told of a note, whose markdown is body. It must not be changed
// once handed over.
func sourceOf(d *markdown.Document, body []byte) *publish.Source {
	src := &publish.Source{File: d.Page.File, Body: body, BodyLine: d.Page.BodyLine,
		Links: make([]publish.SourceLink, 0, len(d.Links))}
	for _, l := range d.Links {
		src.Links = append(src.Links, publish.SourceLink{Line: l.Line, Dest: l.Dest, Target: l.TargetURL, Fragment: l.Fragment})
	}
	return src
}

// rereadSource is sourceOf for a note of a build without a Cache, which lets go of every note's markdown
// after pass 1 (Document.DropSource): the markdown is read again from the note's file in contentDir.
// When the file cannot be read or no longer holds the text the note was built from, the link check is
// told that the text is not at hand (Source.Unread).
func rereadSource(contentDir string, d *markdown.Document) *publish.Source {
	if d.Page.Body != nil {
		return sourceOf(d, d.Page.Body)
	}
	data, err := os.ReadFile(filepath.Join(contentDir, filepath.FromSlash(d.Page.Rel)))
	var body []byte
	if err == nil {
		_, body, _, err = content.Split(data)
	}
	if err != nil || !d.SameSource(body) {
		src := sourceOf(d, nil)
		src.Unread = true
		return src
	}
	return sourceOf(d, body)
}

// reportedBefore says whether an earlier stage already reported a link written as dest at file:line, or
// at any line of file when line is 0 (the markdown stage reports links to missing notes, files and
// headings), so the link check stays quiet about it.
func reportedBefore(ds []diag.Diagnostic) func(file string, line int, dest string) bool {
	type at struct {
		file string
		line int
	}
	msgs := map[at][]string{}
	for _, d := range ds {
		msgs[at{d.File, d.Line}] = append(msgs[at{d.File, d.Line}], d.Msg)
		if d.Line != 0 {
			msgs[at{d.File, 0}] = append(msgs[at{d.File, 0}], d.Msg)
		}
	}
	return func(file string, line int, dest string) bool {
		q := strconv.Quote(dest)
		for _, m := range msgs[at{file, line}] {
			if strings.Contains(m, q) {
				return true
			}
		}
		return false
	}
}
