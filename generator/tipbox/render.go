package tipbox

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// htmlRenderer writes every TipBox as one component, whatever syntax it came from:
//
//	<aside class="tipbox tipbox-KIND" data-kind="KIND" id="ID" role="note" aria-label="TITLE">
//	<p class="tipbox-title"><span class="tipbox-icon" aria-hidden="true"><svg…></span><span class="tipbox-title-text">TITLE</span></p>
//	<div class="tipbox-body">…</div>
//	</aside>
//
// Foldable boxes are <details class="tipbox tipbox-KIND tipbox-foldable"> with the title row as
// <summary>, so they open and close without JavaScript. Key points are <p class="keypoint"><strong>…
// or, in a tight list item, <strong class="keypoint">…: strong importance, announced by screen readers.
type htmlRenderer struct {
	html.Config
}

func (r *htmlRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTipBox, r.renderTipBox)
	reg.Register(KindTipTitle, r.renderTipTitle)
	reg.Register(KindKeyPoint, r.renderKeyPoint)
}

func hasBody(box *TipBox) bool {
	c := box.FirstChild()
	if _, ok := c.(*TipTitle); ok {
		c = c.NextSibling()
	}
	return c != nil
}

func writeAttr(w util.BufWriter, name, value string) {
	_ = w.WriteByte(' ')
	_, _ = w.WriteString(name)
	_, _ = w.WriteString(`="`)
	_, _ = w.Write(util.EscapeHTML([]byte(value)))
	_ = w.WriteByte('"')
}

func (r *htmlRenderer) titleOpen(w util.BufWriter, box *TipBox) {
	if box.Foldable {
		_, _ = w.WriteString(`<summary class="tipbox-title">`)
	} else {
		_, _ = w.WriteString(`<p class="tipbox-title">`)
	}
	_, _ = w.WriteString(`<span class="tipbox-icon" aria-hidden="true">`)
	_, _ = w.WriteString(box.Icon)
	_, _ = w.WriteString(`</span><span class="tipbox-title-text">`)
}

func (r *htmlRenderer) titleClose(w util.BufWriter, box *TipBox) {
	if box.Foldable {
		_, _ = w.WriteString("</span></summary>\n")
	} else {
		_, _ = w.WriteString("</span></p>\n")
	}
	if hasBody(box) {
		_, _ = w.WriteString("<div class=\"tipbox-body\">\n")
	}
}

func (r *htmlRenderer) renderTipBox(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	box := node.(*TipBox)
	if !entering {
		if hasBody(box) {
			_, _ = w.WriteString("</div>\n")
		}
		if box.Foldable {
			_, _ = w.WriteString("</details>\n")
		} else {
			_, _ = w.WriteString("</aside>\n")
		}
		return ast.WalkContinue, nil
	}
	title := box.Title
	if title == "" {
		title = box.DefaultTitle
	}
	if box.Foldable {
		_, _ = w.WriteString("<details")
	} else {
		_, _ = w.WriteString("<aside")
	}
	class := "tipbox tipbox-" + box.TipKind
	if box.Foldable {
		class += " tipbox-foldable"
	}
	writeAttr(w, "class", class)
	writeAttr(w, "data-kind", box.TipKind)
	if box.ID != "" {
		writeAttr(w, "id", box.ID)
	}
	if !box.Foldable {
		writeAttr(w, "role", "note")
		writeAttr(w, "aria-label", title)
	} else if box.Open {
		_, _ = w.WriteString(" open")
	}
	if box.Colour != "" {
		writeAttr(w, "style", "--tip-colour:"+box.Colour)
	}
	_, _ = w.WriteString(">\n")
	switch {
	case box.TitleNode() != nil:
	case box.NoTitle && !box.Foldable:
		if hasBody(box) {
			_, _ = w.WriteString("<div class=\"tipbox-body\">\n")
		}
	default:
		r.titleOpen(w, box)
		_, _ = w.Write(util.EscapeHTML([]byte(box.DefaultTitle)))
		r.titleClose(w, box)
	}
	return ast.WalkContinue, nil
}

func (r *htmlRenderer) renderTipTitle(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	box, ok := node.Parent().(*TipBox)
	if !ok {
		return ast.WalkContinue, nil
	}
	if entering {
		r.titleOpen(w, box)
	} else {
		r.titleClose(w, box)
	}
	return ast.WalkContinue, nil
}

func (r *htmlRenderer) renderKeyPoint(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	kp := node.(*KeyPoint)
	if entering {
		if kp.Tight {
			_, _ = w.WriteString(`<strong class="keypoint"`)
		} else {
			_, _ = w.WriteString(`<p class="keypoint"`)
		}
		if kp.ID != "" {
			writeAttr(w, "id", kp.ID)
		}
		if kp.Tight {
			_ = w.WriteByte('>')
		} else {
			_, _ = w.WriteString("><strong>")
		}
		return ast.WalkContinue, nil
	}
	if kp.Tight {
		_, _ = w.WriteString("</strong>")
		if kp.NextSibling() != nil {
			_ = w.WriteByte('\n')
		}
	} else {
		_, _ = w.WriteString("</strong></p>\n")
	}
	return ast.WalkContinue, nil
}
