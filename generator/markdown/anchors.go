package markdown

import (
	"strconv"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// headingRenderer writes headings with a visible-on-hover anchor link, so any section can be linked to.
// The link is a real, labelled link (not aria-hidden) so keyboard and screen-reader users can copy it too.
type headingRenderer struct{}

func (headingRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
}

// labels are renderHeading's scratch for a heading's text: a buffer on the stack escapes to the heap
// once handed to the writer, which is an interface.
var labels = sync.Pool{New: func() any { return new([]byte) }}

func renderHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := strconv.Itoa(n.Level)
	if entering {
		w.WriteString("<h")
		w.WriteString(level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, node, html.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			w.WriteString(`<a class="anchor" href="#`)
			writeEscaped(w, b)
			w.WriteString(`" aria-label="Link to this section: `)
			label := labels.Get().(*[]byte)
			*label = appendPlainText((*label)[:0], n, source)
			writeEscaped(w, *label)
			labels.Put(label)
			w.WriteString(`">#</a>`)
		}
	}
	w.WriteString("</h")
	w.WriteString(level)
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}
