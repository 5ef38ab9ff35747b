package content

import (
	"io/fs"
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
	notes map[string]cachedNote // by path on disk
	used  map[string]bool       // paths the current Load looked up
}

type cachedNote struct {
	size  int64
	mod   time.Time
	page  Page
	diags []diag.Diagnostic
}

// racyWindow is how long before its reading a file must have last changed for its stat to vouch for it.
const racyWindow = 2 * time.Second

func (c *Cache) get(src string, st fs.FileInfo) (Page, []diag.Diagnostic, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.used == nil {
		c.used = map[string]bool{}
	}
	c.used[src] = true
	e, ok := c.notes[src]
	if !ok || e.size != st.Size() || !e.mod.Equal(st.ModTime()) {
		return Page{}, nil, false
	}
	return e.page, e.diags, true
}

func (c *Cache) put(src string, st fs.FileInfo, read time.Time, p *Page, ds []diag.Diagnostic) {
	if read.Sub(st.ModTime()) < racyWindow {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.notes == nil {
		c.notes = map[string]cachedNote{}
	}
	c.notes[src] = cachedNote{size: st.Size(), mod: st.ModTime(), page: *p, diags: ds}
}

// done forgets the notes the Load just finished did not look at (removed or renamed files).
func (c *Cache) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for src := range c.notes {
		if !c.used[src] {
			delete(c.notes, src)
		}
	}
	c.used = nil
}
