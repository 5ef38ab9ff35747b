package cheatsheet

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Extract condenses one parsed note for the sheet. It needs the note's syntax tree, so the pipeline
// calls it in pass 1, after rendering the note's page (markdown.Converter.Prerender) and before
// Document.Release; it leaves the tree as it found it. Service mentions are left as the renderer's
// markers, for Note.Linked to link once every service's home is known. An error names the note's file.
func Extract(conv *markdown.Converter, d *markdown.Document, opts Options) (Note, error) {
	n := Note{Title: d.Title, URL: d.Page.URL, Anchor: AnchorFor(d.Page.URL)}
	if d.AST == nil {
		return n, fmt.Errorf("%s: cheat sheet: the syntax tree was released before the note was condensed", d.Page.File)
	}
	x := &extractor{conv: conv, doc: d, opts: opts, prefix: n.Anchor + "__"}
	var err error
	if opts.tipsOnly() {
		err = x.tipsOnly()
	} else {
		err = x.all()
	}
	if err != nil {
		return n, fmt.Errorf("%s: cheat sheet: %w", d.Page.File, err)
	}
	n.Body = template.HTML(x.out.String())
	n.Tips = x.tips
	n.Kinds = kindsIn(d.Tips)
	return n, nil
}

// kindsIn lists the tip-box kinds of a note's tips, and KeyPointKind when it has key points, sorted.
// Parse lists every box and key point of the tree in Document.Tips (tipbox.KindKeyPointItem is
// KeyPointKind), so the tree is not walked again for them.
func kindsIn(tips []markdown.Tip) []string {
	out := make([]string, 0, min(len(tips), 4))
	for i := range tips {
		k := tips[i].Kind
		if i, found := slices.BinarySearch(out, k); !found {
			out = slices.Insert(out, i, k)
		}
	}
	return out
}

// AnchorFor is the id of a note's section on the sheet: "cs-" and its URL with '/' as '_' ("cs-emr_spark"),
// "cs_home" for the home page. Note URLs never hold '_', so the ids cannot collide.
func AnchorFor(url string) string {
	url = strings.TrimSuffix(url, "/")
	if url == "" {
		return "cs_home"
	}
	return "cs-" + strings.ReplaceAll(url, "/", "_")
}

// extractor condenses one document.
type extractor struct {
	conv   *markdown.Converter
	doc    *markdown.Document
	opts   Options
	prefix string // put before every id rendered, so ids stay unique on the sheet
	out    bytes.Buffer
	tips   int

	sawHeading bool
	pending    []outlineHeading // tips mode: headings above the next tip, not written yet
}

type outlineHeading struct {
	level   int
	text    string
	id      string
	written bool
}

// all keeps the outline and the compact blocks of the note (Content "all").
func (x *extractor) all() error {
	for n := x.doc.AST.FirstChild(); n != nil; n = n.NextSibling() {
		var err error
		switch v := n.(type) {
		case *ast.Heading:
			if x.isTitle(v) {
				continue
			}
			x.heading(v.Level, x.headingText(v), idOf(v))
		case *tipbox.TipBox:
			if x.opts.wants(v.TipKind) {
				err = x.render(v)
			}
		case *tipbox.KeyPoint, *ast.List, *east.Table, *ast.FencedCodeBlock, *ast.CodeBlock:
			err = x.render(v)
		case *ast.Paragraph, *ast.Blockquote, *east.DefinitionList:
			if w := countWords(v, x.doc.Source, MaxProseWords+1); w > 0 && w <= MaxProseWords {
				err = x.render(v)
			}
		default:
			// Thematic breaks, raw HTML blocks, footnotes and unknown block kinds are left out.
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tipsOnly keeps the tip boxes and key points, each preceded by the headings that lead to it that
// were not written yet (Content "tips").
func (x *extractor) tipsOnly() error {
	if len(x.doc.Tips) == 0 {
		return nil // Parse found no box or key point: nothing to write, not even a heading
	}
	var err error
	_ = ast.Walk(x.doc.AST, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Heading:
			if !x.isTitle(v) {
				x.push(v.Level, x.headingText(v), idOf(v))
			}
			return ast.WalkSkipChildren, nil
		case *tipbox.TipBox:
			if !x.opts.wants(v.TipKind) {
				return ast.WalkContinue, nil // a box of a kept kind may sit inside
			}
			x.flush()
			if err = x.render(v); err != nil {
				return ast.WalkStop, nil
			}
			return ast.WalkSkipChildren, nil
		case *tipbox.KeyPoint:
			if x.opts.wants(KeyPointKind) {
				x.flush()
				if v.Tight {
					x.out.WriteString(`<p class="cs-keypoint">`)
				}
				if err = x.render(v); err != nil {
					return ast.WalkStop, nil
				}
				if v.Tight {
					x.out.WriteString("</p>\n")
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		if fc := n.FirstChild(); fc != nil && fc.Type() == ast.TypeInline {
			// A paragraph's or a cell's inline nodes hold no block, so no heading, box or key point:
			// most of the tree's nodes are these.
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return err
}

// isTitle reports whether h is the note's title heading, which the sheet shows as the note's title:
// a level-1 heading before any other heading, with the note's title as text.
func (x *extractor) isTitle(h *ast.Heading) bool {
	first := !x.sawHeading
	x.sawHeading = true
	return first && h.Level == 1 && strings.EqualFold(strings.TrimSpace(x.headingText(h)), strings.TrimSpace(x.doc.Title))
}

func (x *extractor) headingText(h *ast.Heading) string {
	if id := idOf(h); id != "" {
		for _, dh := range x.doc.Headings {
			if dh.ID == id {
				return dh.Text
			}
		}
	}
	return plainText(h, x.doc.Source)
}

func (x *extractor) push(level int, text, id string) {
	for len(x.pending) > 0 && x.pending[len(x.pending)-1].level >= level {
		x.pending = x.pending[:len(x.pending)-1]
	}
	x.pending = append(x.pending, outlineHeading{level: level, text: text, id: id})
}

func (x *extractor) flush() {
	for i := range x.pending {
		if !x.pending[i].written {
			x.heading(x.pending[i].level, x.pending[i].text, x.pending[i].id)
			x.pending[i].written = true
		}
	}
}

// heading writes one line of the outline: the note's level-2 headings become h3, and so on down to h6,
// linked to the section on the note's page.
func (x *extractor) heading(level int, text, id string) {
	h := min(max(level+1, 3), 6)
	href := content.Rel(x.opts.sheetURL(), x.doc.Page.URL)
	if id != "" {
		href += "#" + id
	}
	fmt.Fprintf(&x.out, `<h%d class="cs-h cs-l%d"><a href="%s">%s</a></h%d>`+"\n",
		h, min(max(level, 1), 6), template.HTMLEscapeString(href), template.HTMLEscapeString(text), h)
}

// render writes one block (and everything in it) with the build's converter, after preparing it for
// the sheet.
func (x *extractor) render(n ast.Node) error {
	e := x.prepare(n)
	defer e.revert()
	if err := x.conv.RenderNodeTo(&x.out, x.doc, n); err != nil {
		return err // Extract drops x.out
	}
	if e.rootMore > 0 {
		x.out.WriteString(moreLinesHTML(e.rootMore))
	}
	return nil
}

func moreLinesHTML(n int) string {
	return `<p class="cs-more">` + template.HTMLEscapeString(moreLines(n)) + "</p>\n"
}

// moreLines is the marker after a cut code block.
func moreLines(n int) string {
	if n == 1 {
		return "… 1 more line"
	}
	return fmt.Sprintf("… %d more lines", n)
}

func idOf(n ast.Node) string {
	if v, ok := n.AttributeString("id"); ok {
		switch id := v.(type) {
		case []byte:
			return string(id)
		case string:
			return id
		}
	}
	return ""
}

// plainText is the text a reader sees in n, whitespace collapsed; images count as nothing.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if c.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *markdown.RawOut:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			val := v.Segment.Value(src)
			if !v.IsRaw() {
				val = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(val)))
			}
			b.Write(val)
			if v.SoftLineBreak() || v.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(v.Value)
		case *ast.AutoLink:
			b.Write(v.Label(src))
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := 0; i < v.Lines().Len(); i++ {
				seg := v.Lines().At(i)
				b.Write(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// countWords counts the words a reader sees in n (images count as nothing), stopping at limit: it
// decides, for every paragraph of every note, whether the paragraph is short enough for the sheet.
func countWords(n ast.Node, src []byte, limit int) int {
	words, inWord := 0, false
	count := func(b []byte) {
		for _, c := range b {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				inWord = false
			} else if !inWord {
				inWord = true
				words++
			}
		}
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if words >= limit {
			return ast.WalkStop, nil
		}
		if !entering {
			if c.Type() == ast.TypeBlock {
				inWord = false
			}
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *markdown.RawOut:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			count(v.Segment.Value(src))
			if v.SoftLineBreak() || v.HardLineBreak() {
				inWord = false
			}
		case *ast.String:
			count(v.Value)
		case *ast.AutoLink:
			count(v.Label(src))
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := 0; i < v.Lines().Len(); i++ {
				seg := v.Lines().At(i)
				count(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return words
}
