package site

import (
	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/publish"
	"github.com/lectern/lectern/generator/search"
)

// The values worked out from one parsed note alone, kept on its cache entry (see cachedDoc). Each is
// made the first time a build asks for it and kept while the entry is: a reused note is the very same
// *markdown.Document, so it gives the same value again.

// description is describe's, once.
func (e *cachedDoc) description() string {
	if e.desc == nil {
		d := describe(e.doc)
		e.desc = &d
	}
	return *e.desc
}

// searchDocs is searchDocs', once.
func (e *cachedDoc) searchDocs() []search.Doc {
	if !e.searched {
		e.search, e.searched = searchDocs(e.doc), true
	}
	return e.search
}

// searchResults is searchResults', once.
func (e *cachedDoc) searchResults() []publish.Required {
	if !e.resulted {
		e.results, e.resulted = searchResults(e.doc), true
	}
	return e.results
}

// sourceOf is sourceOf's, once: the link check knows a note's source by pointer.
func (e *cachedDoc) sourceOf() *publish.Source {
	if e.source == nil {
		e.source = sourceOf(e.doc, e.doc.Page.Body)
	}
	return e.source
}

// sheetNote returns the note condensed for the cheat sheet with the options named key.
func (e *cachedDoc) sheetNote(key string) (cheatsheet.Note, bool) {
	if e.sheet == nil || e.sheet.homes != key {
		return cheatsheet.Note{}, false
	}
	return e.sheet.note, true
}

// linkedSheetNote returns the note condensed for the cheat sheet with its service links, as linked with
// the same homes before. A nil entry (no Cache) has nothing.
func (e *cachedDoc) linkedSheetNote(homes string) *cachedSheetNote {
	if e == nil || e.linked == nil || e.linked.homes != homes {
		return nil
	}
	return e.linked
}

// renderedBody returns the note's content as linked with the same homes before.
func (e *cachedDoc) renderedBody(homes string) *cachedBody {
	if e == nil || e.rendered == nil || e.rendered.homes != homes {
		return nil
	}
	return e.rendered
}
