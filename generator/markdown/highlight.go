package markdown

import (
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Chroma writes class names, not inline colours, so that one stylesheet can carry a light and a dark
// palette and the page can switch between them without re-rendering.
var chromaFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

// codeRenderer renders fenced and indented code blocks, highlighting those that name a known language.
type codeRenderer struct{}

func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderCode)
	reg.Register(ast.KindCodeBlock, renderCode)
}

func renderCode(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var lang []byte
	if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
		lang = f.Language(source)
	}
	var lexer chroma.Lexer
	if len(lang) > 0 {
		lexer = lexerFor(lang)
	}
	lines := n.Lines()
	if lexer == nil {
		w.WriteString("<pre><code")
		if len(lang) > 0 {
			w.WriteString(` class="language-`)
			writeEscaped(w, lang)
			w.WriteString(`"`)
		}
		w.WriteString(">")
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			writeEscaped(w, seg.Value(source))
		}
		w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	var code strings.Builder
	size := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		size += seg.Len()
	}
	code.Grow(size)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	it, err := lexer.Tokenise(nil, code.String())
	if err != nil {
		w.WriteString("<pre><code>")
		writeEscaped(w, []byte(code.String()))
		w.WriteString("</code></pre>\n")
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<pre class="chroma"><code class="language-`)
	writeEscaped(w, []byte(strings.ToLower(string(lang))))
	w.WriteString(`">`)
	if err := chromaFormatter.Format(w, styles.Fallback, it); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// writeEscaped writes v escaped as util.EscapeHTML escapes it, without copying it first: code blocks are
// most of the text of some notes.
func writeEscaped(w util.BufWriter, v []byte) {
	n := 0 // v[n:] is not written yet
	for i, c := range v {
		if e := util.EscapeHTMLByte(c); e != nil {
			w.Write(v[n:i])
			w.Write(e)
			n = i + 1
		}
	}
	w.Write(v[n:])
}

// lexerCache remembers chroma's answer per language name: looking a lexer up walks the whole registry,
// which would otherwise be paid for every code block of a large site.
var lexerCache sync.Map // string → chroma.Lexer (nil when unknown)

func lexerFor(lang []byte) chroma.Lexer {
	if l, ok := lexerCache.Load(string(lang)); ok { // a key as written: no lower-casing or copy when found
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	key := strings.ToLower(string(lang))
	if l, ok := lexerCache.Load(key); ok {
		lx, _ := l.(chroma.Lexer)
		return lx
	}
	lx := lexers.Get(key)
	if lx != nil {
		lx = chroma.Coalesce(lx)
	}
	lexerCache.Store(key, lx)
	lexerCache.Store(string(lang), lx)
	return lx
}

// HighlightCSS returns the stylesheet for highlighted code: a light palette, and a dark one that applies when
// the page is in dark mode (chosen by the reader, or by the system when the reader has not chosen).
func HighlightCSS() string {
	var light, dark bytes.Buffer
	chromaFormatter.WriteCSS(&light, styles.Get("github"))
	chromaFormatter.WriteCSS(&dark, styles.Get("github-dark"))
	var b strings.Builder
	b.WriteString("/* code highlighting (chroma: github / github-dark) */\n")
	b.WriteString(dropBackground(light.String()))
	b.WriteString(":root[data-theme=dark] .chroma{}\n")
	for _, line := range strings.Split(dropBackground(dark.String()), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b.WriteString(":root[data-theme=dark] " + line + "\n")
	}
	b.WriteString("@media (prefers-color-scheme: dark){\n")
	for _, line := range strings.Split(dropBackground(dark.String()), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b.WriteString(":root:not([data-theme=light]) " + line + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// dropBackground removes chroma's page-level background rules: the theme's own code background applies.
func dropBackground(css string) string {
	var out []string
	for _, line := range strings.Split(css, "\n") {
		if strings.Contains(line, ".bg ") || strings.HasPrefix(strings.TrimSpace(line), "/* Background */") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
