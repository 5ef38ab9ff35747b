package markdown

import (
	"regexp"
	"strconv"

	"github.com/lectern/lectern/generator/content"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// headingIDs gives every heading an id that is unique within the page and stable across builds. An id the
// author chose wins: `{#x}` after the heading, or an `<a name="x"></a>` inside it (the AWS guides' style).
// Others are slugs of the heading's text, not of its markdown source, so `*Overview*` becomes "overview".
type headingIDs struct{}

var anchorName = regexp.MustCompile(`(?i)<a\s+(?:name|id)\s*=\s*["']([^"']+)["']`)

func (headingIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	used := map[string]bool{}
	headingIDs := map[string]bool{}
	var auto []*ast.Heading
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if rh, ok := n.(*ast.RawHTML); ok {
			for i := 0; i < rh.Segments.Len(); i++ {
				seg := rh.Segments.At(i)
				for _, m := range anchorName.FindAllSubmatch(seg.Value(src), -1) {
					used[string(m[1])] = true
				}
			}
		}
		h, ok := n.(*ast.Heading)
		if !ok {
			return ast.WalkContinue, nil
		}
		if id, ok := h.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok && !headingIDs[string(b)] {
				used[string(b)] = true
				headingIDs[string(b)] = true
				return ast.WalkSkipChildren, nil
			}
		}
		if name := headingAnchor(h, src); name != "" && !headingIDs[name] {
			// The author's anchor becomes the heading's id, once: a second heading reusing the
			// same anchor gets a slug of its own, so ids stay unique.
			h.SetAttributeString("id", []byte(name))
			headingIDs[name] = true
			used[name] = true
			return ast.WalkSkipChildren, nil
		}
		auto = append(auto, h)
		return ast.WalkSkipChildren, nil
	})
	for _, h := range auto {
		base := content.Slug(plainText(h, src))
		if base == "page" && plainText(h, src) == "" {
			base = "section"
		}
		id := base
		for i := 1; used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
	}
}

// headingAnchor returns the name of an `<a name="...">` written inside a heading.
func headingAnchor(h *ast.Heading, src []byte) string {
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		if rh, ok := c.(*ast.RawHTML); ok {
			for i := 0; i < rh.Segments.Len(); i++ {
				seg := rh.Segments.At(i)
				if m := anchorName.FindSubmatch(seg.Value(src)); m != nil {
					return string(m[1])
				}
			}
		}
	}
	return ""
}
