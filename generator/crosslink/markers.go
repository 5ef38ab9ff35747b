package crosslink

// Pass 1 renders each note once, before the services' homes are known, and writes every mention as
// markers around its text:
//
//	"\x00m" + index + "\x00" + text + "\x00/m\x00"
//
// where index is the mention's place in the page's mentions (Mention.Index, MentionInfo). Pass 2 turns
// the markers into links or plain text with PageLinks.Apply: a linear scan, no second parse. NUL cannot
// occur in a note (content.Load refuses a file holding one), so nothing goldmark renders of a note can
// pass for a marker. (The only other text in a note's HTML is lectern.yaml's custom tip-box titles and
// icons, where a NUL would make no sense.) A NUL that is not part of a whole marker is copied as it is.

import (
	"strconv"
	"strings"

	"github.com/lectern/lectern/generator/catalog"
)

const (
	markOpen  = "\x00m" // then the index and a NUL
	markClose = "\x00/m\x00"
	// maxIndexDigits bounds the index a marker may carry, so parsing one never overflows.
	maxIndexDigits = 9
)

// writeMarker writes the marker that opens (entering) or closes mention number i.
func writeMarker(w htmlWriter, i int, entering bool) {
	if !entering {
		_, _ = w.WriteString(markClose)
		return
	}
	_, _ = w.WriteString(markOpen)
	_, _ = w.WriteString(strconv.Itoa(i))
	_ = w.WriteByte(0)
}

// Linker links the mentions of one build, once every service's home is known.
type Linker struct {
	cat   *catalog.Catalog
	homes map[string]Home
	mode  Mode
}

// NewLinker returns the linker of a build: cat gives the links' summary, name and docs attributes,
// homes (FindHomes) where they point, mode how many link.
func NewLinker(cat *catalog.Catalog, homes map[string]Home, mode Mode) *Linker {
	return &Linker{cat: cat, homes: homes, mode: mode}
}

// PageLinks are the decisions for one page's mentions: which link, and where to.
type PageLinks struct {
	cat     *catalog.Catalog
	pageURL string
	links   []decision // by mention index
	linked  int        // how many link, to size the output
}

type decision struct {
	slug string
	href string // root-relative
	link bool
}

// Page decides which of the page's mentions (as Mentions listed them in pass 1) become links, with the
// rules Resolve applies to a tree.
func (l *Linker) Page(pageURL string, mentions []MentionInfo) PageLinks {
	dec := newDecider(pageURL, l.homes, l.mode)
	p := PageLinks{cat: l.cat, pageURL: pageURL, links: make([]decision, len(mentions))}
	for i, m := range mentions {
		href, link := dec.decide(m.Slug, m.SectionID, m.Open)
		p.links[i] = decision{slug: m.Slug, href: href, link: link}
		if link {
			p.linked++
		}
	}
	return p
}

// Apply returns html, rendered from the page's tree in pass 1, with each mention's markers replaced by
// a service link (exactly as the renderer writes one after Resolve) or by nothing, leaving the plain
// text. relative writes a root-relative target relative to the page the HTML goes on; nil means
// Relative(pageURL, target), for the page itself. HTML without markers is returned as it is.
func (p PageLinks) Apply(html string, relative func(rootRelative string) string) string {
	i := strings.IndexByte(html, 0)
	if i < 0 {
		return html
	}
	if relative == nil {
		relative = func(target string) string { return Relative(p.pageURL, target) }
	}
	var b strings.Builder
	b.Grow(len(html) + 160*p.linked)
	for ; i >= 0; i = strings.IndexByte(html, 0) {
		b.WriteString(html[:i])
		html = html[i:]
		idx, text, rest, ok := cutMarked(html, len(p.links))
		if !ok {
			b.WriteByte(0)
			html = html[1:]
			continue
		}
		if d := p.links[idx]; d.link {
			writeLinkOpen(&b, relative(d.href), d.slug, p.cat.Lookup(d.slug))
			b.WriteString(text)
			b.WriteString("</a>")
		} else {
			b.WriteString(text)
		}
		html = rest
	}
	b.WriteString(html)
	return b.String()
}

// cutMarked parses the marked mention at the start of s: its index (below n), its text and what
// follows it. ok is false when s does not start with a whole marker pair.
func cutMarked(s string, n int) (idx int, text, rest string, ok bool) {
	if !strings.HasPrefix(s, markOpen) {
		return 0, "", "", false
	}
	s = s[len(markOpen):]
	digits := 0
	for digits < len(s) && digits <= maxIndexDigits && s[digits] >= '0' && s[digits] <= '9' {
		idx = idx*10 + int(s[digits]-'0')
		digits++
	}
	if digits == 0 || digits > maxIndexDigits || digits == len(s) || s[digits] != 0 || idx >= n {
		return 0, "", "", false
	}
	s = s[digits+1:]
	end := strings.IndexByte(s, 0)
	if end < 0 || !strings.HasPrefix(s[end:], markClose) {
		return 0, "", "", false
	}
	return idx, s[:end], s[end+len(markClose):], true
}
