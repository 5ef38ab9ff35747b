package markdown

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
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

// fixRawHTML applies the tag filter and link rewriting to raw HTML text; changed reports a difference, and
// then out is a slice of its own. Most tags (`<a name>`, `</a>`, `<b>`) can match neither expression, which
// two quick scans tell without running them.
func (st *docState) fixRawHTML(pc parser.Context, text []byte, offset int) (out []byte, changed bool) {
	out = text
	if mayFilterTag(text) {
		out = tagFilter.ReplaceAll(text, []byte("&lt;$1$2$3"))
	}
	hasURL := mayHaveURLAttr(text) && urlAttr.Match(text)
	if st != nil && st.targets != nil && hasURL {
		out = urlAttr.ReplaceAllFunc(out, func(m []byte) []byte {
			g := urlAttr.FindSubmatch(m)
			quote := g[2][0]
			dest := string(g[2][1 : len(g[2])-1])
			if dest == "" || dest[0] == '#' || isExternal(dest) {
				return m
			}
			image := len(g[1]) > 0 && (g[1][1] == 's' || g[1][1] == 'S')
			rewritten, _ := st.rewrite(pc, dest, offset, image)
			return append(append(append(append([]byte{}, g[1]...), quote), rewritten...), quote)
		})
	}
	// A raw tag with a link becomes a RawOut even when its text is unchanged: later stages (the cheat
	// sheet) rebase RawOut links, and RawHTML segments cannot be rewritten.
	changed = string(out) != string(text) || hasURL
	if changed && len(out) > 0 && len(text) > 0 && &out[0] == &text[0] {
		out = bytes.Clone(out)
	}
	return out, changed
}

// mayFilterTag reports whether tagFilter can match text: it needs '<', maybe '/', then the first letter
// of an element name (or a non-ASCII byte: under (?i), 's' also matches 'ſ').
func mayFilterTag(text []byte) bool {
	for i := 0; i < len(text)-1; i++ {
		if text[i] != '<' {
			continue
		}
		c := text[i+1]
		if c == '/' && i+2 < len(text) {
			c = text[i+2]
		}
		switch c | 0x20 {
		case 't', 's', 'x', 'i', 'n', 'p':
			return true
		}
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// mayHaveURLAttr reports whether urlAttr can match text: it needs "href" or "src" in any case. Under (?i)
// 's' also matches 'ſ', so only "ref" and "rc" are looked for: none of their letters folds to anything but
// its other ASCII case.
func mayHaveURLAttr(text []byte) bool {
	for i := 0; i < len(text)-1; i++ {
		if text[i]|0x20 != 'r' {
			continue
		}
		if c := text[i+1] | 0x20; c == 'c' || c == 'e' && i+2 < len(text) && text[i+2]|0x20 == 'f' {
			return true
		}
	}
	return false
}

// fixRaw applies fixRawHTML to the raw HTML nodes of a page (*ast.RawHTML and *ast.HTMLBlock), in
// document order, and puts a RawOut in the place of each that changed.
func (st *docState) fixRaw(pc parser.Context, nodes []ast.Node, src []byte) {
	var raw []byte // scratch: fixRawHTML returns a slice of its own for a node it replaces
	for _, n := range nodes {
		raw = raw[:0]
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
		}
		if out, changed := st.fixRawHTML(pc, raw, offset); changed {
			n.Parent().ReplaceChild(n.Parent(), n, &RawOut{HTML: out, Block: block})
		}
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
