// Package tipbox is the goldmark extension that turns every callout syntax a study note may use into
// one tip box component, and backticked key sentences into key points. It belongs to the markdown
// stage: the markdown package adds New(opts) to its goldmark instance; pass 1 calls Extract on each
// parsed document to hand the boxes and key points to the cheat sheet and search stages.
//
// Syntaxes, all parsed into the syntax tree (never by rewriting rendered HTML):
//
//   - GitHub alerts and Obsidian callouts: `> [!TIP] Title`, any case, every Obsidian type and alias,
//     `+`/`-` after the type for foldable boxes (a block parser before goldmark's blockquote parser);
//   - MkDocs admonitions: `!!! type "Title"`, `??? type`, `???+ type`, body indented four spaces;
//   - Docusaurus and VitePress containers: `:::tip`, `:::tip[Title]`, `::: tip Title` … `:::`;
//   - plain blockquotes, as a box of Options.QuoteKind (an AST transformer);
//   - AWS label paragraphs: `**Note**` alone on the first line or followed by a colon (transformer);
//   - key points: a paragraph or list item that is one code span of prose (transformer).
//
// Unknown types render as note boxes and are reported with diag.Reportf, with a suggestion.
// All per-document state lives in the parser.Context; the extension itself is immutable.
package tipbox

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Kind is a custom box kind declared in lectern.yaml. Icon is inline SVG markup or the name of a
// built-in icon: one per built-in kind (note, tip, important, warning, caution, abstract, info, todo,
// success, question, failure, danger, bug, example, quote) plus star, flag, book, clock, lock, key,
// dollar, flame, pin, link and eye, and aliases such as lightbulb, alert, check, x, zap, cost and
// security; an unknown name shows the note icon. Colour is a CSS colour used in light and dark mode.
type Kind struct{ Name, Title, Icon, Colour string }

// Options configures the extension; the zero value means: plain quotes are tip boxes, no key points.
type Options struct {
	QuoteKind        string // kind for plain `> quotes`: "tip" (default when ""), any kind name, "quote", or "none" (plain blockquote untouched)
	KeyPoints        bool   // backticked whole-sentence key points on/off
	KeyPointMinWords int    // default 4 when 0
	Custom           []Kind
}

// Priorities of the parts the extension registers, exported so the composition root can order its
// own parts around them: a transformer that must see key points as text runs after TransformerPriority.
const (
	ContainerParserPriority  = 99  // before definition lists (101), whose ':' would take `:::`
	AdmonitionParserPriority = 750 // after indented code (500), so indented `!!!` stays code
	AlertParserPriority      = 790 // just before goldmark's blockquote parser (800)
	TransformerPriority      = 100 // after inline parsing; the cross-link transformer goes later
	RendererPriority         = 500
)

// Validate reports options a user got wrong in lectern.yaml; New accepts them anyway (an unknown
// QuoteKind renders as a tip box, a bad custom kind is skipped) so a typo never stops a build.
func (o Options) Validate() error {
	k := newKinds(o.Custom)
	q := strings.ToLower(strings.TrimSpace(o.QuoteKind))
	if q != "" && q != "none" {
		if _, _, ok := k.resolve(q); !ok {
			return fmt.Errorf("tipbox: quote kind %q is not a known kind (known: %s)", o.QuoteKind, strings.Join(k.names, ", "))
		}
	}
	if o.KeyPointMinWords < 0 {
		return fmt.Errorf("tipbox: key point minimum words %d is negative", o.KeyPointMinWords)
	}
	for i, c := range o.Custom {
		if !validTypeName(strings.ToLower(strings.TrimSpace(c.Name))) {
			return fmt.Errorf("tipbox: custom kind %d: name %q must be letters, digits, '-' or '_'", i+1, c.Name)
		}
		if icon := strings.TrimSpace(c.Icon); icon != "" && !strings.HasPrefix(icon, "<svg") && !knownIcon(icon) {
			return fmt.Errorf("tipbox: custom kind %q: icon %q is neither inline <svg> markup nor a built-in icon", c.Name, c.Icon)
		}
		if c.Colour != "" && safeColour(c.Colour) == "" {
			return fmt.Errorf("tipbox: custom kind %q: colour %q is not a plain CSS colour", c.Name, c.Colour)
		}
	}
	return nil
}

func newConfig(o Options) *config {
	cfg := &config{kinds: newKinds(o.Custom), keyPoints: o.KeyPoints, minWords: o.KeyPointMinWords}
	if cfg.minWords <= 0 {
		cfg.minWords = 4
	}
	q := strings.ToLower(strings.TrimSpace(o.QuoteKind))
	if q == "" {
		q = "tip"
	}
	if q != "none" {
		def, title, ok := cfg.kinds.resolve(q)
		if !ok {
			q = "tip"
			def, title, _ = cfg.kinds.resolve(q)
		}
		cfg.quote, cfg.quoteType, cfg.quoteTitle = def, q, title
	}
	return cfg
}

type extender struct{ cfg *config }

// New returns the extension. It is immutable and safe to share between goroutines.
func New(opts Options) goldmark.Extender {
	return &extender{cfg: newConfig(opts)}
}

// Extend implements goldmark.Extender.
func (e *extender) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(
			util.Prioritized(&containerParser{cfg: e.cfg}, ContainerParserPriority),
			util.Prioritized(&admonitionParser{cfg: e.cfg}, AdmonitionParserPriority),
			util.Prioritized(&alertParser{cfg: e.cfg}, AlertParserPriority),
		),
		parser.WithASTTransformers(
			util.Prioritized(&transformer{cfg: e.cfg}, TransformerPriority),
		),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(&htmlRenderer{Config: html.NewConfig()}, RendererPriority),
	))
}
