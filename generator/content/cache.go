package content

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lectern/lectern/generator/diag"
)

// Cache keeps notes as read by one Load for the next, so that the dev server does not read and parse
// the front matter of every note on every save. A note is taken from the cache only when its file's
// size and modification time are those it had when it was read, and that time was at least racyWindow
// before the read: a write in the same clock tick as the read could otherwise go unseen (git's "racy
// clean" problem). The note being edited is therefore read again on every save, which is the point.
//
// A Cache serves one content folder and one Load at a time; the zero value is ready.
type Cache struct {
	mu    sync.Mutex
	notes map[string]*cachedNote // by path on disk
	// gen numbers the Loads; a note the current Load looked up carries its number, and seen counts
	// those, so that done finds nothing to forget without looking at every note.
	gen  uint64
	seen int
	// list is the last walk of the folder listDir, kept for Loads told what changed (Options.Changed).
	list    *listing
	listDir string
}

type cachedNote struct {
	gen   uint64
	size  int64
	mod   time.Time
	page  Page
	diags []diag.Diagnostic
}

// racyWindow is how long before its reading a file must have last changed for its stat to vouch for it.
const racyWindow = 2 * time.Second

// begin starts a Load.
func (c *Cache) begin() {
	c.mu.Lock()
	c.gen++
	c.seen = 0
	c.mu.Unlock()
}

// stampLocked marks e looked up by this Load. The caller holds c.mu.
func (c *Cache) stampLocked(e *cachedNote) {
	if e.gen != c.gen {
		e.gen = c.gen
		c.seen++
	}
}

// dropLocked forgets the note read from src. The caller holds c.mu.
func (c *Cache) dropLocked(src string) {
	if e, ok := c.notes[src]; ok {
		if e.gen == c.gen {
			c.seen--
		}
		delete(c.notes, src)
	}
}

func (c *Cache) get(src string, st fs.FileInfo) (Page, []diag.Diagnostic, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.notes[src]
	if !ok {
		return Page{}, nil, false
	}
	c.stampLocked(e)
	if e.size != st.Size() || !e.mod.Equal(st.ModTime()) {
		return Page{}, nil, false
	}
	return e.page, e.diags, true
}

func (c *Cache) put(src string, st fs.FileInfo, read time.Time, p *Page, ds []diag.Diagnostic) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(src)
	if read.Sub(st.ModTime()) < racyWindow {
		// Too fresh to vouch for, and whatever was kept from an earlier read is stale.
		return
	}
	if c.notes == nil {
		c.notes = map[string]*cachedNote{}
	}
	e := &cachedNote{size: st.Size(), mod: st.ModTime(), page: *p, diags: ds}
	c.stampLocked(e)
	c.notes[src] = e
}

// unchanged fills p with the note read from src, without looking at the file: the caller knows it has
// not changed since.
func (c *Cache) unchanged(src string, p *Page) ([]diag.Diagnostic, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.notes[src]
	if !ok {
		return nil, false
	}
	c.stampLocked(e)
	*p = e.page
	return e.diags, true
}

// listingFor returns the last listing of dir if the changes cannot have altered it: every changed path
// is a note, asset or data file it lists, and is still a regular file. A new, removed or renamed file,
// or anything about a folder, makes the caller walk the folder again.
func (c *Cache) listingFor(dir string, changed []string) *listing {
	c.mu.Lock()
	l := c.list
	ok := l != nil && c.listDir == dir
	c.mu.Unlock()
	if !ok {
		return nil
	}
	if l.known == nil {
		known := make(map[string]bool, len(l.notes)+len(l.assets)+len(l.dataFiles))
		for _, p := range l.notes {
			known[p.Rel] = true
		}
		for _, a := range l.assets {
			known[a.Rel] = true
		}
		for rel := range l.dataFiles {
			known[rel] = true
		}
		l.known = known
	}
	for _, rel := range changed {
		if !l.known[rel] {
			return nil
		}
		st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil || !st.Mode().IsRegular() {
			return nil
		}
	}
	return l
}

func (c *Cache) putListing(dir string, l *listing) {
	c.mu.Lock()
	c.list, c.listDir = l, dir
	c.mu.Unlock()
}

// done forgets the notes the Load just finished did not look at (removed or renamed files). When it
// looked at as many as are kept, there is none.
func (c *Cache) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.notes) == c.seen {
		return
	}
	for src, e := range c.notes {
		if e.gen != c.gen {
			delete(c.notes, src)
		}
	}
}
