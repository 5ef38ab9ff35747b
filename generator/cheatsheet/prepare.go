package cheatsheet

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// edits are the changes made to a tree to render a piece of it for the sheet, with what undoes them.
type edits struct {
	undo []func()
	// rootMore is the number of lines cut from the rendered block itself when it is a code block; its
	// marker is written after the block's HTML, since a sibling of the root would not be rendered.
	rootMore int
}

// revert undoes the edits, last first, so every node goes back next to the siblings it had.
func (e *edits) revert() {
	for i := len(e.undo) - 1; i >= 0; i-- {
		e.undo[i]()
	}
	e.undo = nil
}

func (e *edits) remove(n ast.Node) {
	parent, next := n.Parent(), n.NextSibling()
	if parent == nil {
		return
	}
	parent.RemoveChild(parent, n)
	e.undo = append(e.undo, func() {
		if next != nil {
			parent.InsertBefore(parent, next, n)
		} else {
			parent.AppendChild(parent, n)
		}
	})
}

func (e *edits) insertAfter(ref, n ast.Node) {
	parent := ref.Parent()
	parent.InsertAfter(parent, ref, n)
	e.undo = append(e.undo, func() { parent.RemoveChild(parent, n) })
}

// keepAttrs restores n's attributes as they are now when the edits are reverted: some renderers add
// to them while rendering (goldmark's table cells append their alignment style each time).
func (e *edits) keepAttrs(n ast.Node) {
	attrs := n.Attributes()
	if _, isCell := n.(*east.TableCell); !isCell && attrs == nil {
		return
	}
	saved := append([]ast.Attribute(nil), attrs...)
	e.undo = append(e.undo, func() {
		n.RemoveAttributes()
		for _, a := range saved {
			n.SetAttribute(a.Name, a.Value)
		}
	})
}

func (e *edits) setAttr(n ast.Node, name string, value []byte) {
	old, _ := n.Attribute([]byte(name))
	n.SetAttribute([]byte(name), value)
	e.undo = append(e.undo, func() { n.SetAttribute([]byte(name), old) })
}

func (e *edits) set(p *string, v string) {
	old := *p
	*p = v
	e.undo = append(e.undo, func() { *p = old })
}

func (e *edits) setBool(p *bool, v bool) {
	old := *p
	*p = v
	e.undo = append(e.undo, func() { *p = old })
}

func (e *edits) setBytes(p *[]byte, v []byte) {
	old := *p
	*p = v
	e.undo = append(e.undo, func() { *p = old })
}

func (e *edits) setLines(n ast.Node, lines *text.Segments) {
	old := *n.Lines() // Lines points into the node: keep a copy
	n.SetLines(lines)
	e.undo = append(e.undo, func() { n.SetLines(&old) })
}

// prepare readies the tree under root for the sheet and counts the tips in it: images (markdown or
// HTML), raw HTML blocks and boxes of excluded kinds are detached, long code cut, ids prefixed, foldable
// boxes opened, relative links rewritten for the sheet's URL. Service mentions render as markers, which
// Note.Linked turns into links for the sheet's URL in pass 2. The caller reverts the edits after
// rendering.
func (x *extractor) prepare(root ast.Node) *edits {
	e := &edits{}
	var drop, code []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		e.keepAttrs(n)
		if id := idOf(n); id != "" {
			e.setAttr(n, "id", []byte(x.prefix+id))
		}
		switch v := n.(type) {
		case *ast.Image:
			drop = append(drop, imageOrItsLink(v))
			return ast.WalkSkipChildren, nil
		case *tipbox.TipBox:
			if !x.opts.wants(v.TipKind) && n != root {
				drop = append(drop, v)
				return ast.WalkSkipChildren, nil
			}
			x.tips++
			if v.ID != "" {
				e.set(&v.ID, x.prefix+v.ID)
			}
			if v.Foldable {
				e.setBool(&v.Open, true) // the sheet shows every tip: foldable boxes start open
			}
		case *tipbox.KeyPoint:
			if x.opts.wants(KeyPointKind) {
				x.tips++
			}
			if v.ID != "" {
				e.set(&v.ID, x.prefix+v.ID)
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			code = append(code, v)
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			drop = append(drop, v) // raw HTML blocks stay on the note's page, wherever they are
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if isImageTag(v.Segments.Value(x.doc.Source)) {
				drop = append(drop, v)
			}
		case *markdown.RawOut: // raw HTML the markdown stage corrected (links resolved, tag filter)
			if v.Block || isImageTag(v.HTML) {
				drop = append(drop, v)
				return ast.WalkSkipChildren, nil
			}
			e.setBytes(&v.HTML, rawURLAttr.ReplaceAllFunc(v.HTML, func(m []byte) []byte {
				g := rawURLAttr.FindSubmatch(m)
				q := g[2][0]
				return []byte(string(g[1]) + string(q) + x.rebase(string(g[2][1:len(g[2])-1])) + string(q))
			}))
		case *ast.Link:
			e.setBytes(&v.Destination, []byte(x.rebase(string(v.Destination))))
		}
		return ast.WalkContinue, nil
	})
	for _, n := range drop {
		if n != root {
			e.remove(n)
		}
	}
	for _, n := range code {
		x.cut(e, root, n)
	}
	return e
}

// rawURLAttr finds the href and src attributes of raw HTML, to rebase them like markdown links.
var rawURLAttr = regexp.MustCompile(`(?i)(\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*')`)

// isImageTag reports whether inline raw HTML is an image tag (<img>, or a <picture> and its parts).
func isImageTag(raw []byte) bool {
	t := strings.ToLower(strings.TrimSpace(string(raw)))
	for _, p := range []string{"<img", "<picture", "</picture", "<source"} {
		if strings.HasPrefix(t, p) && (len(t) == len(p) || strings.ContainsRune(" \t\n/>", rune(t[len(p)]))) {
			return true
		}
	}
	return false
}

// imageOrItsLink is what leaving out an image removes: the image, or the link around it when the
// link holds nothing else (a badge), so no empty link is left behind.
func imageOrItsLink(img *ast.Image) ast.Node {
	l, ok := img.Parent().(*ast.Link)
	if !ok {
		return img
	}
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		if _, isImg := c.(*ast.Image); !isImg {
			return img
		}
	}
	return l
}

// cut keeps the first MaxCodeLines lines of a code block and puts a marker after it.
func (x *extractor) cut(e *edits, root, n ast.Node) {
	max := x.opts.MaxCodeLines
	lines := n.Lines()
	if max <= 0 || lines.Len() <= max {
		return
	}
	hidden := lines.Len() - max
	kept := text.NewSegments()
	for i := 0; i < max; i++ {
		kept.Append(lines.At(i))
	}
	e.setLines(n, kept)
	if n == root || n.Parent() == nil {
		e.rootMore = hidden
		return
	}
	p := ast.NewParagraph()
	p.SetAttributeString("class", []byte("cs-more"))
	p.AppendChild(p, ast.NewString([]byte(moreLines(hidden))))
	e.insertAfter(n, p)
}

// rebase rewrites a link destination written relative to the note's page so that it works from the
// sheet. External links, root-absolute paths and unparsable destinations stay as they are.
func (x *extractor) rebase(dest string) string {
	if dest == "" || markdown.IsExternal(dest) || strings.HasPrefix(dest, "/") {
		return dest
	}
	ref, err := url.Parse(dest)
	if err != nil {
		return dest
	}
	base := &url.URL{Path: "/" + x.doc.Page.URL}
	abs := base.ResolveReference(ref)
	out := content.Rel(x.opts.sheetURL(), strings.TrimPrefix(abs.EscapedPath(), "/"))
	if abs.RawQuery != "" {
		out += "?" + abs.RawQuery
	}
	if abs.Fragment != "" {
		out += "#" + abs.EscapedFragment()
	}
	return out
}
