package site

// The dev server's shortcut past the page loop. A page's template data is its own note's (the parsed
// note, kept by the Cache while unchanged) plus what other notes lend it: titles and URLs for the
// navigation, previous/next links and breadcrumbs, descriptions for folder pages. structureKey hashes
// everything lent, once per build; while it is the same as when the cached pages were made, a page
// whose note is the very same parsed note is the page it was, and its data need not even be gathered.
// Any other change takes the full path through pageKey.

// structureKey hashes every input of the site's pages that is not one page's own note.
func (b *builder) structureKey(list []listed) [32]byte {
	k := keyWriter{}
	k.str(b.cfg.Title, b.baseURL, b.homesKey)
	k.bytes(b.siteKey())
	nav := b.navKey()
	k.bytes(nav[:])
	k.int(len(list))
	for _, it := range list {
		k.str(it.url, it.title)
		if it.section != nil {
			k.str(it.section.Dir)
		} else {
			k.int(-1)
		}
	}
	k.int(len(b.docs))
	for _, d := range b.docs {
		k.str(d.Page.URL, d.Page.Dir, d.Title, b.desc[d])
		k.flag(d.Page.IsIndex)
	}
	k.int(len(b.site.Sections))
	for _, s := range b.site.Sections {
		k.str(s.Dir, s.URL, s.Title)
		if s.Index != nil {
			k.str(s.Index.URL)
		} else {
			k.int(-1)
		}
	}
	k.flag(b.byURL[""] != nil)
	return k.sum()
}

// unchangedPage returns the page at list position i as the last build wrote it, when nothing it is made
// from can have changed (see structureKey).
func (b *builder) unchangedPage(it listed) ([]byte, bool) {
	c := b.opts.Cache
	if c == nil || !b.sameStructure {
		return nil, false
	}
	e, ok := c.page(outPath(it.url))
	if !ok || e.doc != it.doc || e.html == nil {
		return nil, false
	}
	return e.html, true
}
