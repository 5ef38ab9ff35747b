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

// sheetNotes collects the notes condensed for the cheat sheet: in pass 1 with their service mentions
// as markers (marked), in pass 2, while pages render in parallel, linked (notes). The sheet is
// assembled in note order once every page is done.
type sheetNotes struct {
	mu     sync.Mutex
	marked map[*markdown.Document]cheatsheet.Note
	notes  map[*markdown.Document]cheatsheet.Note
	sums   map[*markdown.Document][32]byte // of each linked note, with a Cache
	errs   []error
}

// putMarked records a note condensed in pass 1 (or taken from the cache).
func (s *sheetNotes) putMarked(d *markdown.Document, n cheatsheet.Note) {
	s.putMarkedOrErr(d, n, nil)
}

// putMarkedOrErr records a note condensed in pass 1, or why it could not be; errors are reported when
// the sheet is assembled.
func (s *sheetNotes) putMarkedOrErr(d *markdown.Document, n cheatsheet.Note, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	if s.marked == nil {
		s.marked = map[*markdown.Document]cheatsheet.Note{}
	}
	s.marked[d] = n
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

// linkSheetNote links the note condensed for the cheat sheet in pass 1 (see builder.parse), if the
// sheet includes it, as the note's own page links it: renderOne calls it with that page's decisions.
// links is unused when the site has no service catalog.
func (b *builder) linkSheetNote(d *markdown.Document, links crosslink.PageLinks) {
	b.sheet.mu.Lock()
	n, ok := b.sheet.marked[d]
	b.sheet.mu.Unlock()
	if !ok {
		return
	}
	var sum [32]byte
	c := b.opts.Cache
	if e, hit := c.linkedSheetNote(d, b.homesKey); hit {
		n, sum = e.note, e.sum
	} else {
		if b.svc != nil {
			n = n.Linked(links, b.sheetOptions())
		}
		if c != nil {
			// The sheet's page key is made of its notes' keys (see renderCheatsheet).
			k := keyWriter{}
			k.json(n)
			sum = k.sum()
			c.putLinkedSheetNote(d, b.homesKey, cachedSheetNote{note: n, sum: sum})
		}
	}
	b.sheet.mu.Lock()
	defer b.sheet.mu.Unlock()
	if b.sheet.notes == nil {
		b.sheet.notes = map[*markdown.Document]cheatsheet.Note{}
		b.sheet.sums = map[*markdown.Document][32]byte{}
	}
	b.sheet.notes[d] = n
	b.sheet.sums[d] = sum
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
	sums := keyWriter{} // the notes' keys, for the page key
	for _, d := range b.docs {
		if !filter.Includes(d.Page) {
			continue
		}
		if n, ok := b.sheet.notes[d]; ok {
			notes = append(notes, n)
			sum := b.sheet.sums[d]
			sums.bytes(sum[:])
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
