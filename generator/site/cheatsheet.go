package site

import (
	"errors"
	"fmt"
	"sync"

	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/render"
)

// sheetNotes collects the notes condensed for the cheat sheet while pages render in parallel; the
// sheet is assembled in note order once every page is done.
type sheetNotes struct {
	mu    sync.Mutex
	notes map[*markdown.Document]cheatsheet.Note
	errs  []error
}

// cheatsheetOn reports whether lectern.yaml asks for a cheat sheet (the default).
func (b *builder) cheatsheetOn() bool {
	return b.cfg.Cheatsheet.Enabled == nil || *b.cfg.Cheatsheet.Enabled
}

// withCheatsheetLink makes the header of every page link to the cheat sheet when there is one.
func (b *builder) withCheatsheetLink(s *render.SiteData) *render.SiteData {
	s.HasCheatsheet = b.cheatsheetOn()
	return s
}

// condenseForSheet condenses one note for the cheat sheet. renderOne calls it after rendering the note
// and before releasing its syntax tree, from the goroutine that rendered it; errors are reported when
// the sheet is assembled.
func (b *builder) condenseForSheet(d *markdown.Document) {
	if !b.cheatsheetOn() || !cheatsheet.NewFilter(b.cfg.Cheatsheet.Include).Includes(d.Page) {
		return
	}
	var note cheatsheet.Note
	var err error
	c := b.opts.Cache
	cached := false
	if c != nil {
		note, cached = c.sheetNote(d, b.homesKey)
	}
	if !cached {
		note, err = cheatsheet.Extract(b.conv, d, b.sheetOptions())
		if c != nil && err == nil {
			c.putSheetNote(d, b.homesKey, note)
		}
	}
	b.sheet.mu.Lock()
	defer b.sheet.mu.Unlock()
	if err != nil {
		b.sheet.errs = append(b.sheet.errs, err)
		return
	}
	if b.sheet.notes == nil {
		b.sheet.notes = map[*markdown.Document]cheatsheet.Note{}
	}
	b.sheet.notes[d] = note
}

// renderCheatsheet assembles /cheatsheet/ from the condensed notes, in note order.
func (b *builder) renderCheatsheet() error {
	if !b.cheatsheetOn() {
		return nil
	}
	if err := errors.Join(b.sheet.errs...); err != nil {
		return err
	}
	cfgFile := b.cfg.File
	if cfgFile == "" {
		cfgFile = config.FileName
	}
	if d, taken := b.byURL[cheatsheet.URL]; taken {
		b.diags.Add(diag.At(d.Page.File, 0, "the note's URL /%s is the cheat sheet's: rename the note, or set cheatsheet.enabled: false in %s", cheatsheet.URL, cfgFile))
		return nil
	}
	filter := cheatsheet.NewFilter(b.cfg.Cheatsheet.Include)
	var notes []cheatsheet.Note
	for _, d := range b.docs {
		if !filter.Includes(d.Page) {
			continue
		}
		if n, ok := b.sheet.notes[d]; ok {
			notes = append(notes, n)
		}
	}
	for _, inc := range filter.Unmatched() {
		b.diags.Add(diag.WarnAt(cfgFile, 0, "cheatsheet.include: %q matches no note under content/", inc))
	}
	opts := b.sheetOptions()
	for _, k := range cheatsheet.UnusedKinds(opts, notes) {
		b.diags.Add(diag.WarnAt(cfgFile, 0, "cheatsheet.kinds: no note has a tip box of kind %q, so the sheet keeps none (kinds are names such as tip, warning, note, and keypoint for key points)", k))
	}
	sheet := cheatsheet.NewSheet(notes, cheatsheet.LayoutFrom(b.cfg.Cheatsheet, b.cfg.Title), opts)
	p := &render.PageData{
		Kind:        cheatsheet.Kind,
		URL:         cheatsheet.URL,
		Title:       "Cheat sheet",
		Description: "All notes condensed onto a few printable pages.",
		Crumbs:      b.crumbs(".", cheatsheet.URL),
		Data:        sheet,
	}
	if b.baseURL != "" {
		p.Canonical = b.baseURL + cheatsheet.URL
	}
	if err := b.renderPage(p, nil); err != nil {
		return fmt.Errorf("/%s: theme template failed: %w", cheatsheet.URL, err)
	}
	return nil
}

// largeSheet is the number of notes above which the cheat sheet keeps only tip boxes and key points
// unless lectern.yaml asks for everything: a printed sheet of thousands of pages helps nobody.
const largeSheet = 300

// sheetOptions are the cheat sheet's options for this build.
func (b *builder) sheetOptions() cheatsheet.Options {
	opts := cheatsheet.OptionsFrom(b.cfg.Cheatsheet)
	if b.cfg.Cheatsheet.Content == "" {
		opts.Content = cheatsheet.ContentAll
		if len(b.docs) > largeSheet {
			opts.Content = cheatsheet.ContentTips
		}
	}
	return opts
}
