package markdown

import (
	"regexp"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Raw HTML in notes is the author's own and is kept, with two corrections made in the syntax tree:
//
//   - GFM's tag filter: the raw-text elements <script>, <style>, <textarea>, <title>, <xmp>, <iframe>,
//     <noembed>, <noframes> and <plaintext> are escaped, because one left open ("surrounded by <script>
//     tags" in running text) swallows the rest of the page;
//   - relative href and src attributes are resolved like markdown links, since a note's page lives one
//     folder below its file.

// KindRawOut is the kind of RawOut.
var KindRawOut = ast.NewNodeKind("RawOut")

// RawOut replaces a raw HTML node whose text had to change; it renders HTML as it is.
type RawOut struct {
	ast.BaseInline
	HTML  []byte
	Block bool
}

// Kind implements ast.Node.
func (*RawOut) Kind() ast.NodeKind { return KindRawOut }

// Dump implements ast.Node.
func (n *RawOut) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// Type reports a block when it replaced an HTML block, so paragraphs are not opened around it.
func (n *RawOut) Type() ast.NodeType {
	if n.Block {
		return ast.TypeBlock
	}
	return ast.TypeInline
}

var (
	tagFilter = regexp.MustCompile(`(?i)<(/?)(title|textarea|style|xmp|iframe|noembed|noframes|script|plaintext)([\s/>]|$)`)
	urlAttr   = regexp.MustCompile(`(?i)(\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*')`)
)

// fixRawHTML applies the tag filter and link rewriting to raw HTML text; changed reports a difference.
func (st *docState) fixRawHTML(pc parser.Context, text []byte, offset int) (out []byte, changed bool) {
	out = tagFilter.ReplaceAll(text, []byte("&lt;$1$2$3"))
	if st != nil && st.targets != nil {
		out = urlAttr.ReplaceAllFunc(out, func(m []byte) []byte {
			g := urlAttr.FindSubmatch(m)
			quote := g[2][0]
			dest := string(g[2][1 : len(g[2])-1])
			if dest == "" || dest[0] == '#' || IsExternal(dest) {
				return m
			}
			image := len(g[1]) > 0 && (g[1][1] == 's' || g[1][1] == 'S')
			rewritten := st.rewrite(pc, dest, offset, image)
			return append(append(append(append([]byte{}, g[1]...), quote), rewritten...), quote)
		})
	}
	// A raw tag with a link becomes a RawOut even when its text is unchanged: later stages (the cheat
	// sheet) rebase RawOut links, and RawHTML segments cannot be rewritten.
	return out, string(out) != string(text) || urlAttr.Match(text)
}

// rawHTMLFixer is the transformer that applies fixRawHTML to every raw HTML node.
type rawHTMLFixer struct{}

func (rawHTMLFixer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*docState)
	src := reader.Source()
	var replace []struct{ old, new ast.Node }
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var raw []byte
		offset := -1
		block := false
		switch t := n.(type) {
		case *ast.RawHTML:
			for i := 0; i < t.Segments.Len(); i++ {
				seg := t.Segments.At(i)
				if offset < 0 {
					offset = seg.Start
				}
				raw = append(raw, seg.Value(src)...)
			}
		case *ast.HTMLBlock:
			block = true
			for i := 0; i < t.Lines().Len(); i++ {
				seg := t.Lines().At(i)
				if offset < 0 {
					offset = seg.Start
				}
				raw = append(raw, seg.Value(src)...)
			}
			if t.HasClosure() {
				raw = append(raw, t.ClosureLine.Value(src)...)
			}
		default:
			return ast.WalkContinue, nil
		}
		if out, changed := st.fixRawHTML(pc, raw, offset); changed {
			replace = append(replace, struct{ old, new ast.Node }{n, &RawOut{HTML: out, Block: block}})
		}
		return ast.WalkSkipChildren, nil
	})
	for _, r := range replace {
		r.old.Parent().ReplaceChild(r.old.Parent(), r.old, r.new)
	}
}

// rawOutRenderer writes RawOut nodes, or nothing when raw HTML is switched off.
type rawOutRenderer struct{ unsafe bool }

func (r rawOutRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindRawOut, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if !r.unsafe {
			w.WriteString("<!-- raw HTML omitted -->")
			return ast.WalkSkipChildren, nil
		}
		w.Write(n.(*RawOut).HTML)
		return ast.WalkSkipChildren, nil
	})
}
