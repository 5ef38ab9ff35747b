package tipbox

import (
	"fmt"

	"github.com/yuin/goldmark/ast"
)

// Syntax names which markdown syntax produced a TipBox; it is kept for diagnostics and tests, the
// rendering is the same for all of them.
type Syntax string

// The syntaxes a TipBox can come from.
const (
	SyntaxAlert      Syntax = "alert"     // GitHub alert or Obsidian callout: > [!type]
	SyntaxAdmonition Syntax = "mkdocs"    // MkDocs admonition: !!! type / ??? type
	SyntaxContainer  Syntax = "container" // Docusaurus / VitePress container: :::type
	SyntaxQuote      Syntax = "quote"     // plain blockquote
	SyntaxLabel      Syntax = "label"     // AWS documentation label paragraph: **Note**
)

// KindTipBox is the node kind of TipBox.
var KindTipBox = ast.NewNodeKind("TipBox")

// TipBox is one tip box, whatever syntax it was written in. Its children are an optional TipTitle
// (an explicit title with inline markdown) followed by the body blocks.
type TipBox struct {
	ast.BaseBlock
	TipKind      string // canonical kind, used as CSS class and data-kind
	RawType      string // the type as written ("TIP", "hint", "tpi"); "" for plain quotes
	DefaultTitle string // shown when there is no TipTitle child
	NoTitle      bool   // MkDocs `!!! note ""`: no title row at all
	Foldable     bool   // rendered as <details>
	Open         bool   // <details open>
	Syntax       Syntax
	ID           string // assigned by the transformer, unique in the document, prefixed "tip-"
	Title        string // plain-text title (explicit or default), set by the transformer
	Icon         string // icon markup
	Colour       string // CSS colour of a custom kind, "" for built-in kinds styled by the stylesheet
	Unknown      bool   // the type was not recognised and renders as a note
}

// Kind implements ast.Node.
func (n *TipBox) Kind() ast.NodeKind { return KindTipBox }

// IsRaw implements ast.Node: the body is parsed markdown.
func (n *TipBox) IsRaw() bool { return false }

// TitleNode returns the explicit title node, or nil when the box shows its default title.
func (n *TipBox) TitleNode() *TipTitle {
	if t, ok := n.FirstChild().(*TipTitle); ok {
		return t
	}
	return nil
}

// Dump implements ast.Node.
func (n *TipBox) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{
		"TipKind":  n.TipKind,
		"RawType":  n.RawType,
		"Syntax":   string(n.Syntax),
		"ID":       n.ID,
		"Title":    n.Title,
		"Foldable": fmt.Sprint(n.Foldable),
		"Open":     fmt.Sprint(n.Open),
	}, nil)
}

// newTipBox makes a box of a resolved kind.
func newTipBox(def *kindDef, typ, title string, syntax Syntax, known bool) *TipBox {
	return &TipBox{
		TipKind:      def.name,
		RawType:      typ,
		DefaultTitle: title,
		Syntax:       syntax,
		Icon:         def.icon,
		Colour:       def.colour,
		Unknown:      !known,
	}
}

// KindTipTitle is the node kind of TipTitle.
var KindTipTitle = ast.NewNodeKind("TipTitle")

// TipTitle is the explicit title of a TipBox. It is a block whose single line goldmark parses as
// inline markdown, so titles may carry emphasis, code and links.
type TipTitle struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *TipTitle) Kind() ast.NodeKind { return KindTipTitle }

// IsRaw implements ast.Node.
func (n *TipTitle) IsRaw() bool { return false }

// Dump implements ast.Node.
func (n *TipTitle) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}

// KindKeyPoint is the node kind of KeyPoint.
var KindKeyPoint = ast.NewNodeKind("KeyPoint")

// KeyPoint is a key sentence: a paragraph (or a tight list item's text) that was one backticked
// sentence of prose. Its children are plain ast.Text nodes taken from the code span, so later
// transformers (cross-links) can work on them like on any text.
type KeyPoint struct {
	ast.BaseBlock
	Tight bool   // replaced the text block of a tight list item: rendered inline, without <p>
	ID    string // assigned by the transformer, unique in the document, prefixed "key-"
}

// Kind implements ast.Node.
func (n *KeyPoint) Kind() ast.NodeKind { return KindKeyPoint }

// IsRaw implements ast.Node.
func (n *KeyPoint) IsRaw() bool { return false }

// Dump implements ast.Node.
func (n *KeyPoint) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"ID": n.ID, "Tight": fmt.Sprint(n.Tight)}, nil)
}
