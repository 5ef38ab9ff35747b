package site

// The dev server's shortcut past the page loop. A page's template data is its own note's (the parsed
// note, kept by the Cache while unchanged) plus what other notes lend it: titles and URLs for the
// navigation, previous/next links and breadcrumbs, descriptions for folder pages. structureKey hashes
// everything lent, once per build; while it is the same as when the cached pages were made, a page
// whose note is the very same parsed note is the page it was, and its data need not even be gathered.
// Any other change takes the full path through pageKey.

// structureKey hashes every input of the site's pages that is not one page's own note: the site's and
// what the notes lend one another (lentKey), worked out only when a title, a description or the notes'
// paths changed.
func (b *builder) structureKey(lent *lentKey) [32]byte {
	k := keyWriter{}
	k.str(b.cfg.Title, b.baseURL, b.homesKey)
	k.bytes(b.siteKey())
	k.bytes(lent.sum[:])
	return k.sum()
}

// lentKey hashes what the notes lend the pages of list: titles, URLs and descriptions, the reading
// order, the folders and the navigation tree.
func (b *builder) lentKey(list []listed) *lentKey {
	l := &lentKey{shape: b.shape, title: b.cfg.Title, inlineMax: b.cfg.Nav.InlineMax, nav: b.rend.Nav,
		titles: make([]string, len(b.docs)), descs: append([]string(nil), b.descs...)}
	k := keyWriter{}
	l.navSum = b.navKey()
	k.bytes(l.navSum[:])
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
	for i, d := range b.docs {
		l.titles[i] = d.Title
		k.str(d.Page.URL, d.Page.Dir, d.Title, b.descs[i])
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
	_, home := b.byURL[""]
	k.flag(home)
	l.sum = k.sum()
	return l
}

// unchangedPage returns the page of list item it as the last build wrote it to out, when nothing it is
// made from can have changed (see structureKey).
func (b *builder) unchangedPage(it listed, out *cachedOutput) ([]byte, bool) {
	if !b.sameStructure {
		return nil, false
	}
	e := b.opts.Cache.page(out)
	if e.doc != it.doc || e.html == nil {
		return nil, false
	}
	return e.html, true
}
