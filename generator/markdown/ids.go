package markdown

import (
	"bytes"
	"strconv"

	"github.com/lectern/lectern/generator/content"
	"github.com/yuin/goldmark/ast"
)

// nextAnchorName finds, from offset i of html on, the next `<a name="x">` or `<a id="x">`, and returns x
// (part of html) and the offset after the match; end is -1 when there is none. It finds what the regular
// expression (?i)<a\s+(?:name|id)\s*=\s*["']([^"']+)["'] finds (leftmost, matches not overlapping; the
// tests compare the two), but is written out: every raw HTML tag of every page goes through it, and the
// expression cost more than the rest of heading ids.
func nextAnchorName(html []byte, i int) (name []byte, end int) {
	for ; i < len(html); i++ {
		j := bytes.IndexByte(html[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if name, end := anchorNameAt(html, i); end >= 0 {
			return name, end
		}
	}
	return nil, -1
}

// anchorNameAt matches at html[i], which is '<'.
func anchorNameAt(html []byte, i int) (name []byte, end int) {
	i++
	if i >= len(html) || html[i]|0x20 != 'a' {
		return nil, -1
	}
	i++
	j := skipRESpace(html, i)
	if j == i {
		return nil, -1
	}
	i = j
	switch {
	case hasPrefixFold(html[i:], "name"):
		i += 4
	case hasPrefixFold(html[i:], "id"):
		i += 2
	default:
		return nil, -1
	}
	i = skipRESpace(html, i)
	if i >= len(html) || html[i] != '=' {
		return nil, -1
	}
	i = skipRESpace(html, i+1)
	if i >= len(html) || html[i] != '"' && html[i] != '\'' {
		return nil, -1
	}
	i++
	start := i
	for i < len(html) && html[i] != '"' && html[i] != '\'' {
		i++
	}
	if i == start || i >= len(html) {
		return nil, -1
	}
	return html[start:i], i + 1
}

// skipRESpace skips what \s matches in a regular expression: tab, newline, form feed, carriage return, space.
func skipRESpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\f' || b[i] == '\r') {
		i++
	}
	return i
}

// hasPrefixFold reports whether b starts with lower, a lower-case ASCII word, in any case.
func hasPrefixFold(b []byte, lower string) bool {
	if len(b) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if b[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

// headingIDs gives every heading an id that is unique within the page and stable across builds. An id the
// author chose wins: `{#x}` after the heading, or an `<a name="x"></a>` inside it (the AWS guides' style).
// Others are slugs of the heading's text, not of its markdown source, so `*Overview*` becomes "overview".
//
// It is one part of noteTransformer's walk: it sees the raw HTML outside headings (rawHTML) and the
// headings (heading) in document order, then gives the headings left without an id theirs (finish).
type headingIDs struct {
	used     map[string]bool // every id and anchor name of the page
	headings map[string]bool // the ids headings took
	auto     []*ast.Heading  // headings that get a slug of their text
}

// rawHTML records the anchors raw HTML outside headings defines, which slugs must not take.
func (h *headingIDs) rawHTML(rh *ast.RawHTML, src []byte) {
	for i := 0; i < rh.Segments.Len(); i++ {
		seg := rh.Segments.At(i)
		v := seg.Value(src)
		for name, end := nextAnchorName(v, 0); end >= 0; name, end = nextAnchorName(v, end) {
			h.used[string(name)] = true
		}
	}
}

// heading keeps the id of a heading that has one, else takes the anchor written inside it, else leaves
// it for finish.
func (h *headingIDs) heading(hd *ast.Heading, src []byte) {
	if id, ok := hd.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok && !h.headings[string(b)] {
			h.used[string(b)] = true
			h.headings[string(b)] = true
			return
		}
	}
	if name := headingAnchor(hd, src); name != nil && !h.headings[string(name)] {
		// The author's anchor becomes the heading's id, once: a second heading reusing the
		// same anchor gets a slug of its own, so ids stay unique.
		hd.SetAttributeString("id", name)
		h.headings[string(name)] = true
		h.used[string(name)] = true
		return
	}
	h.auto = append(h.auto, hd)
}

// finish gives the remaining headings slugs of their text, unique among every id and anchor of the page.
func (h *headingIDs) finish(src []byte) {
	for _, hd := range h.auto {
		text := plainText(hd, src)
		base := content.Slug(text)
		if base == "page" && text == "" {
			base = "section"
		}
		id := base
		for i := 1; h.used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
		}
		h.used[id] = true
		hd.SetAttributeString("id", []byte(id))
	}
}

// headingAnchor returns the name of the first `<a name="...">` written inside a heading (not nested in
// other inline markup), nil if there is none. The name is part of src.
func headingAnchor(h *ast.Heading, src []byte) []byte {
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		if rh, ok := c.(*ast.RawHTML); ok {
			for i := 0; i < rh.Segments.Len(); i++ {
				seg := rh.Segments.At(i)
				if name, end := nextAnchorName(seg.Value(src), 0); end >= 0 {
					return name
				}
			}
		}
	}
	return nil
}
