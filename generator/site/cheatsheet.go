package site

import (
	"errors"
	"fmt"
	"sync"

	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/render"
)

// sheetNotes collects the notes condensed for the cheat sheet, by position: in pass 1 with their
// service mentions as markers (marked), in pass 2, while pages render in parallel, linked (notes). The
// sheet is assembled in note order once every page is done. Each position is written by the one
// goroutine handling its note.
type sheetNotes struct {
	marked []cheatsheet.Note
	isMark []bool
	notes  []cheatsheet.Note
	sums   [][32]byte // of each linked note, with a Cache
	linked []bool
	// pageLinks are the decisions made to link a note for the sheet, which its page takes (noteLinks)
	// instead of making them again; nil where none were made.
	pageLinks []*crosslink.PageLinks
	mu        sync.Mutex
	errs      []error
}

// size makes room for n notes.
func (s *sheetNotes) size(n int) {
	s.marked, s.isMark = make([]cheatsheet.Note, n), make([]bool, n)
	s.notes, s.sums, s.linked = make([]cheatsheet.Note, n), make([][32]byte, n), make([]bool, n)
	s.pageLinks = make([]*crosslink.PageLinks, n)
}

// putMarked records note i condensed in pass 1 (or taken from the cache).
func (s *sheetNotes) putMarked(i int, n cheatsheet.Note) {
	s.marked[i], s.isMark[i] = n, true
}

// putMarkedOrErr records note i condensed in pass 1, or why it could not be; errors are reported when
// the sheet is assembled.
func (s *sheetNotes) putMarkedOrErr(i int, n cheatsheet.Note, err error) {
	if err != nil {
		s.mu.Lock()
		s.errs = append(s.errs, err)
		s.mu.Unlock()
		return
	}
	s.putMarked(i, n)
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

// linkSheetNotes links the notes condensed for the cheat sheet in pass 1 (see builder.parse), as their
// own pages link them (pageLinks decides for both), on every core.
func (b *builder) linkSheetNotes() {
	forEach(len(b.docs), b.linkSheetNote)
}

// linkSheetNote links note i for the cheat sheet, if the sheet includes it.
func (b *builder) linkSheetNote(i int) {
	if !b.sheet.isMark[i] {
		return
	}
	n := b.sheet.marked[i]
	var sum [32]byte
	var e *cachedDoc
	if b.notes != nil {
		e = b.notes[i]
	}
	if l := e.linkedSheetNote(b.homesKey); l != nil {
		n, sum = l.note, l.sum
	} else {
		if b.svc != nil {
			links := b.pageLinks(b.docs[i])
			n = n.Linked(links, b.sheetOptions())
			b.sheet.pageLinks[i] = &links
		}
		if e != nil {
			// The sheet's page key is made of its notes' keys (see renderCheatsheet).
			k := keyWriter{}
			k.json(n)
			sum = k.sum()
			e.linked = &cachedSheetNote{homes: b.homesKey, note: n, sum: sum}
		}
	}
	b.sheet.notes[i], b.sheet.sums[i], b.sheet.linked[i] = n, sum, true
}

// noteLinks is pageLinks(d) for note i, taken from linkSheetNote when it made them (and let go of there).
func (b *builder) noteLinks(i int, d *markdown.Document) crosslink.PageLinks {
	if i < len(b.sheet.pageLinks) {
		if l := b.sheet.pageLinks[i]; l != nil {
			b.sheet.pageLinks[i] = nil
			return *l
		}
	}
	return b.pageLinks(d)
}

// renderCheatsheet assembles /cheatsheet/ from the condensed notes, in note order, once they are linked
// (linkSheetNotes).
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
	if i, taken := b.byURL[cheatsheet.URL]; taken {
		d := b.docs[i]
		b.diags.Add(diag.At(d.Page.File, 0, "the note's URL /%s is the cheat sheet's: rename the note, or set cheatsheet.enabled: false in %s", cheatsheet.URL, cfgFile))
		return nil
	}
	filter := cheatsheet.NewFilter(b.cfg.Cheatsheet.Include)
	var notes []cheatsheet.Note
	sums := keyWriter{} // the notes' keys, for the page key
	for i, d := range b.docs {
		if !filter.Includes(d.Page) {
			continue
		}
		if b.sheet.linked[i] {
			notes = append(notes, b.sheet.notes[i])
			sums.bytes(b.sheet.sums[i][:])
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
	var dataSum *[32]byte
	if b.opts.Cache != nil {
		// Keyed by the notes' own keys rather than by encoding the whole sheet again on every save.
		head := *sheet
		head.Notes = nil
		sums.json(&head)
		sum := sums.sum()
		dataSum = &sum
	}
	if err := b.renderPage(p, dataSum); err != nil {
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
