package site

// What a save leaves alone. Most saves change one note's text: the notes' paths, URLs and order stay
// as they were, and so does every other note's parsed Document. What follows from the paths alone
// (siteShape) and what other notes lend each page (lentKey) is then kept from the last build instead of
// being worked out again over every note, and each note's link check is kept unless a note it links
// into was parsed again (linkCheck).

import (
	"fmt"
	"sync"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/render"
)

// siteShape is what follows from the notes' paths and URLs, in order, and the other files links may
// point at (see targetsKey). While a build's are the same as the last one's, note i has the same path
// and URL, so whatever is indexed by position or URL carries over.
type siteShape struct {
	rels, urls, assets, drafts []string
	key                        string         // targetsKey
	byURL                      map[string]int // a note's position by URL; of notes sharing one, the last
	targets                    *markdown.Targets
	// entries are the notes' cache entries in the last build, by position (see Cache.doc).
	entries []*cachedDoc
	// list is the pages in reading order as the first build of this shape made them (see pageList).
	list []listed
	// outs are the Cache's entries of the pages in reading order (see Cache.outputAt), when known.
	outs []*cachedOutput
	// byFile is a note's position by output path, made the first time the link check asks.
	byFileOnce sync.Once
	byFile     map[string]int
}

// newShape indexes a loaded site; keyed, it works out targetsKey too, which only a Cache needs.
func newShape(site *content.Site, keyed bool) *siteShape {
	s := &siteShape{
		rels:   make([]string, len(site.Pages)),
		urls:   make([]string, len(site.Pages)),
		assets: make([]string, len(site.Assets)),
		drafts: append([]string(nil), site.Drafts...),
		byURL:  make(map[string]int, len(site.Pages)),
	}
	for i, p := range site.Pages {
		s.rels[i], s.urls[i] = p.Rel, p.URL
		s.byURL[p.URL] = i
	}
	for i, a := range site.Assets {
		s.assets[i] = a.Rel
	}
	if keyed {
		s.key = targetsKey(site)
	}
	// Link resolution reads only the target pages' URLs, which are the same while the shape is.
	s.targets = markdown.NewTargets(site)
	return s
}

// fits reports whether site has this shape: the same notes at the same URLs in the same order, and the
// same other files. The strings of an unchanged note are the very ones compared, so this costs little.
func (s *siteShape) fits(site *content.Site) bool {
	if len(site.Pages) != len(s.rels) || len(site.Assets) != len(s.assets) || len(site.Drafts) != len(s.drafts) {
		return false
	}
	for i, p := range site.Pages {
		if p.Rel != s.rels[i] || p.URL != s.urls[i] {
			return false
		}
	}
	for i, a := range site.Assets {
		if a.Rel != s.assets[i] {
			return false
		}
	}
	for i, d := range site.Drafts {
		if d != s.drafts[i] {
			return false
		}
	}
	return true
}

// fileIndex returns the position of the note whose page is written to rel.
func (s *siteShape) fileIndex(rel string) (int, bool) {
	s.byFileOnce.Do(func() {
		s.byFile = make(map[string]int, len(s.urls))
		for i, u := range s.urls {
			s.byFile[outPath(u)] = i
		}
	})
	i, ok := s.byFile[rel]
	return i, ok
}

// shapeFor returns the shape of site: the last build's when it fits, else a new one, kept for the next.
func (c *Cache) shapeFor(site *content.Site) *siteShape {
	c.mu.Lock()
	s := c.shape
	c.mu.Unlock()
	if s != nil && s.fits(site) {
		return s
	}
	s = newShape(site, true)
	c.mu.Lock()
	c.shape = s
	c.mu.Unlock()
	return s
}

// lentKey is the part of the structure key (see structureKey) that the notes lend one another's pages
// (titles and descriptions, for navigation, previous/next links, breadcrumbs and folder pages), and the
// navigation tree made from them. It holds while the shape and every note's title and description do.
type lentKey struct {
	shape     *siteShape
	title     string // the site's, which titles a generated home page
	inlineMax int
	titles    []string
	descs     []string
	nav       *render.NavTree
	navSum    [32]byte
	sum       [32]byte
}

// fits reports whether b's notes lend their pages what they lent when k was made.
func (k *lentKey) fits(b *builder) bool {
	if k == nil || k.shape != b.shape || k.title != b.cfg.Title || k.inlineMax != b.cfg.Nav.InlineMax || len(k.titles) != len(b.docs) {
		return false
	}
	for i, d := range b.docs {
		if d.Title != k.titles[i] || b.descs[i] != k.descs[i] {
			return false
		}
	}
	return true
}

// linkCheck is what checkLinks found in one note: its warnings, and the notes its links with a fragment
// point into, by position, as they were when checked. It holds while each of those positions holds the
// very same parsed note: only a note parsed again can have lost or gained an anchor.
type linkCheck struct {
	diags   []diag.Diagnostic
	targets []int
	docs    []*markdown.Document
}

// holds reports whether c still describes a note's links in a build whose notes are docs.
func (c *linkCheck) holds(docs []*markdown.Document) bool {
	if c == nil {
		return false
	}
	for j, i := range c.targets {
		if i >= len(docs) || docs[i] != c.docs[j] {
			return false
		}
	}
	return true
}

// checkLinks reports links to anchors that do not exist; links to missing notes were reported while
// parsing. With a Cache, a note whose link targets are the same parsed notes as when it was last
// checked keeps what was found then.
func (b *builder) checkLinks() error {
	for i, d := range b.docs {
		var e *cachedDoc
		if b.notes != nil {
			e = b.notes[i]
		}
		if e != nil && e.linksCheck.holds(b.docs) {
			b.diags.Add(e.linksCheck.diags...)
			continue
		}
		lc := b.checkNoteLinks(d)
		b.diags.Add(lc.diags...)
		if e != nil {
			e.linksCheck = lc
		}
	}
	return nil
}

// checkNoteLinks checks the fragments of one note's links.
func (b *builder) checkNoteLinks(d *markdown.Document) *linkCheck {
	lc := &linkCheck{}
	for _, l := range d.Links {
		if l.Fragment == "" {
			continue
		}
		i, ok := b.byURL[l.TargetURL]
		if !ok {
			continue // a file, not a note
		}
		target := b.docs[i]
		lc.targets = append(lc.targets, i)
		lc.docs = append(lc.docs, target)
		if !target.Anchors[l.Fragment] {
			lc.diags = append(lc.diags, diag.Diagnostic{File: d.Page.File, Line: l.Line, Offset: -1, Severity: diag.Warning,
				Msg: fmt.Sprintf("broken link %q: %s has no heading or anchor %q", l.Dest, target.Page.File, l.Fragment)})
		}
	}
	return lc
}
