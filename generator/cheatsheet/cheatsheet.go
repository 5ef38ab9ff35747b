package cheatsheet

import (
	"fmt"
	"html/template"
	"path"
	"strings"

	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
)

// URL is where the cheat sheet is published, root-relative; Kind is its page kind, which selects the
// theme's cheatsheet.html.
const (
	URL  = "cheatsheet/"
	Kind = "cheatsheet"
)

// The values of Options.Content.
const (
	ContentAll  = "all"  // headings, lists, tables, code, short paragraphs, tip boxes and key points
	ContentTips = "tips" // tip boxes and key points only, under the headings that lead to them
)

// KeyPointKind is the name that selects key points in Options.Kinds, next to the tip-box kinds.
const KeyPointKind = "keypoint"

// MaxProseWords is the longest paragraph (or plain quote) kept with Content "all". Labels ("**Custom
// ETL jobs**"), lead-ins of lists and one-line facts are shorter; explanations are longer and left to
// the note's own page, since a cheat sheet that copies them would be the notes again.
const MaxProseWords = 40

// Options say what Extract keeps of a note.
type Options struct {
	// Content is ContentAll or ContentTips (any case); "" means ContentAll.
	Content string
	// Kinds are the tip-box kinds kept, plus KeyPointKind for key points; empty keeps all. Boxes of
	// other kinds are left out. Key points left out of Kinds are not listed with Content "tips"; with
	// Content "all" they stay as the bullets or paragraphs they are, and are not counted in Note.Tips.
	Kinds []string
	// MaxCodeLines is the most lines of a code block kept; longer blocks are cut with a marker. Zero or
	// less keeps whole blocks.
	MaxCodeLines int
	// SheetURL is the root-relative URL of the page the HTML goes on, for rewriting relative links;
	// "" means URL.
	SheetURL string
}

// OptionsFrom turns the cheatsheet section of lectern.yaml into Options.
func OptionsFrom(c config.Cheatsheet) Options {
	return Options{Content: c.Content, Kinds: c.Kinds, MaxCodeLines: c.MaxCodeLines, SheetURL: URL}
}

func (o Options) tipsOnly() bool { return strings.EqualFold(strings.TrimSpace(o.Content), ContentTips) }

func (o Options) sheetURL() string {
	if o.SheetURL == "" {
		return URL
	}
	return o.SheetURL
}

// wants reports whether a tip-box kind (or KeyPointKind) is kept.
func (o Options) wants(kind string) bool {
	if len(o.Kinds) == 0 {
		return true
	}
	for _, k := range o.Kinds {
		if strings.EqualFold(strings.TrimSpace(k), kind) {
			return true
		}
	}
	return false
}

// Note is one note condensed for the sheet.
type Note struct {
	Title string
	URL   string // root-relative URL of the note's own page
	// Anchor is the id of the note's section on the sheet, unique among the notes.
	Anchor string
	// Body is the condensed HTML: outline headings, lists, tip boxes and the rest that Options keep.
	Body template.HTML
	// Tips counts the tip boxes and key points in Body.
	Tips int
	// Kinds are the tip-box kinds in the note, kept or not, and KeyPointKind when it has key points,
	// sorted: the pipeline warns about a kind in lectern.yaml that no note uses (a typo keeps nothing).
	Kinds []string
}

// Linked returns the note with its service mentions linked, in pass 2: links are the decisions of the
// note's own page (a mention links on the sheet when it does on the page), and targets are written
// relative to the sheet, the site's home page ("") included.
func (n Note) Linked(links crosslink.PageLinks, opts Options) Note {
	sheet := opts.sheetURL()
	n.Body = template.HTML(links.Apply(string(n.Body), func(target string) string {
		return content.Rel(sheet, target)
	}))
	return n
}

// Empty reports whether nothing of the note was kept; the sheet leaves such notes out.
func (n Note) Empty() bool { return strings.TrimSpace(string(n.Body)) == "" }

// UnusedKinds lists the kinds of Options.Kinds that none of the notes uses, as written.
func UnusedKinds(opts Options, notes []Note) []string {
	used := map[string]bool{}
	for _, n := range notes {
		for _, k := range n.Kinds {
			used[strings.ToLower(k)] = true
		}
	}
	var out []string
	for _, k := range opts.Kinds {
		if !used[strings.ToLower(strings.TrimSpace(k))] {
			out = append(out, k)
		}
	}
	return out
}

// Layout is the paper the sheet is printed on.
type Layout struct {
	Paper       string // "A4" or "Letter", any case
	Orientation string // "landscape" or "portrait", any case
	Columns     int    // columns on paper, 1 to 6
	// Title is printed in the running header of every page (the site title).
	Title string
}

// LayoutFrom turns the cheatsheet section of lectern.yaml and the site title into a Layout.
func LayoutFrom(c config.Cheatsheet, siteTitle string) Layout {
	return Layout{Paper: c.Paper, Orientation: c.Orientation, Columns: c.Columns, Title: siteTitle}
}

// Sheet is the page data (render.PageData.Data) of the cheat sheet page.
type Sheet struct {
	Notes       []Note // the notes with something kept, in note order
	TipsOnly    bool   // Content was "tips"
	Paper       string // "A4" or "Letter"
	Orientation string // "landscape" or "portrait"
	Columns     int
	// Tips counts the tip boxes and key points of all notes.
	Tips int
	// PageStyle is the CSS that depends on the configuration: the @page size and margins, its running
	// header and its page-number footer. The template writes it in a <style> element; the column count
	// goes in a custom property (--cs-columns) on the sheet.
	PageStyle template.CSS
}

// NewSheet assembles the page data from the notes, in the order given, leaving out empty notes.
func NewSheet(notes []Note, l Layout, opts Options) *Sheet {
	s := &Sheet{TipsOnly: opts.tipsOnly(), Paper: "A4", Orientation: "landscape", Columns: 3}
	if strings.EqualFold(l.Paper, "letter") {
		s.Paper = "Letter"
	}
	if strings.EqualFold(l.Orientation, "portrait") {
		s.Orientation = "portrait"
	}
	if l.Columns != 0 {
		s.Columns = min(max(l.Columns, 1), 6)
	}
	for _, n := range notes {
		if n.Empty() {
			continue
		}
		s.Notes = append(s.Notes, n)
		s.Tips += n.Tips
	}
	s.PageStyle = template.CSS(pageStyle(s, l.Title))
	return s
}

// pageStyle writes the configuration-dependent print CSS. Margin boxes (@top-left, @bottom-right) give
// every printed page a header and numbered footer in Chromium 131 and later; browsers without them
// still print the sheet's own title line at the top of the first page.
func pageStyle(s *Sheet, title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "@page{size:%s %s;margin:9mm 8mm 10mm;", s.Paper, s.Orientation)
	fmt.Fprintf(&b, "@top-left{content:%s;font:7.5pt/1 system-ui,sans-serif;color:#000}", cssString(title+" · Cheat sheet"))
	b.WriteString(`@bottom-right{content:"Page " counter(page) " of " counter(pages);font:7.5pt/1 system-ui,sans-serif;color:#000}}`)
	return b.String()
}

// cssString quotes s as a CSS string that cannot end the string or the <style> element it sits in.
func cssString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Filter decides which notes go on the sheet from lectern.yaml's cheatsheet.include: paths of notes
// ("glue.md") or folders ("emr", "emr/") under content/. An empty list includes every note.
type Filter struct {
	include []string
	used    []bool
}

// NewFilter builds a filter from the include list.
func NewFilter(include []string) *Filter {
	f := &Filter{}
	for _, p := range include {
		p = strings.Trim(path.Clean("/"+strings.TrimSpace(strings.ReplaceAll(p, "\\", "/"))), "/")
		p = strings.TrimPrefix(p, "content/")
		f.include = append(f.include, p)
	}
	f.used = make([]bool, len(f.include))
	return f
}

// Includes reports whether the note goes on the sheet. It is not safe for concurrent use: call it
// from the goroutine that assembles the sheet.
func (f *Filter) Includes(p *content.Page) bool {
	if len(f.include) == 0 {
		return true
	}
	ok := false
	for i, inc := range f.include {
		if inc == "" || inc == "." || p.Rel == inc || strings.HasPrefix(p.Rel, inc+"/") ||
			strings.TrimSuffix(p.Rel, path.Ext(p.Rel)) == inc {
			f.used[i] = true
			ok = true
		}
	}
	return ok
}

// Unmatched lists the include entries that matched no note passed to Includes, as written after
// cleaning, so the pipeline can warn about a typo.
func (f *Filter) Unmatched() []string {
	var out []string
	for i, u := range f.used {
		if !u {
			out = append(out, f.include[i])
		}
	}
	return out
}
