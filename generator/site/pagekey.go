package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/lectern/lectern/generator/render"
)

// pageKey hashes every input of a rendered page but the navigation (see navKey and viewKey): its data and
// the site's, so that the dev server renders again only pages whose inputs changed. contentSum, when not nil, is the hash
// of p.Content and p.Services, worked out once when the note was rendered (noteBody), so that an
// unchanged note's content is not hashed again on every build.
//
// The fields are written by hand rather than through encoding/json: the key is computed for every page
// on every save, and reflection made it most of a cached rebuild.
func (b *builder) pageKey(p *render.PageData, contentSum *[32]byte) [32]byte {
	k := keyWriter{}
	k.str(p.Kind, p.URL, p.Title, p.Description, p.Canonical, p.File)
	if contentSum != nil {
		k.buf = append(k.buf, contentSum[:]...)
	} else {
		k.str(string(p.Content))
		k.json(p.Services)
	}
	k.flag(p.HasH1, p.NoNav)
	k.int(len(p.TOC))
	for _, e := range p.TOC {
		k.int(e.Level)
		k.str(e.ID, e.Text)
	}
	k.links(p.Prev, p.Next)
	k.linkList(p.Crumbs)
	k.linkList(p.Pages)
	k.json(p.Data)
	k.buf = append(k.buf, b.siteKey()...)
	return sha256.Sum256(k.buf)
}

// navKey hashes the whole navigation tree, once per build: while it is unchanged, every page shows the
// navigation it showed before.
func (b *builder) navKey() [32]byte {
	b.navOnce.Do(func() {
		k := keyWriter{}
		k.int(b.rend.InlineMax)
		if nav := b.rend.Nav; nav != nil {
			k.navTree(nav.Root)
		}
		b.navSum = sha256.Sum256(k.buf)
	})
	return b.navSum
}

// viewKey hashes the navigation as page p shows it.
func (b *builder) viewKey(p *render.PageData) [32]byte {
	k := keyWriter{}
	if nav := b.rend.Nav; nav != nil && !p.NoNav {
		k.nav(nav.View(p.URL, render.RootFor(p.URL), b.rend.InlineMax))
	}
	return sha256.Sum256(k.buf)
}

// siteKey is the JSON of the site-wide template data, encoded once per build.
func (b *builder) siteKey() []byte {
	b.siteJSON.Do(func() { b.siteJSONData, _ = json.Marshal(b.rend.Site) })
	return b.siteJSONData
}

// contentKey hashes a note's rendered content and its "Services in this note" (see pageKey).
func contentKey(html string, services any) [32]byte {
	h := sha256.New()
	io.WriteString(h, html)
	k := keyWriter{}
	k.json(services)
	h.Write(k.buf)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// keyWriter lays values out unambiguously, to be hashed: every string and list is preceded by its length.
type keyWriter struct {
	buf []byte
}

func (k *keyWriter) int(n int) {
	k.buf = binary.AppendVarint(k.buf, int64(n))
}

func (k *keyWriter) str(ss ...string) {
	for _, s := range ss {
		k.int(len(s))
		k.buf = append(k.buf, s...)
	}
}

func (k *keyWriter) flag(bs ...bool) {
	for _, b := range bs {
		if b {
			k.int(1)
		} else {
			k.int(0)
		}
	}
}

func (k *keyWriter) links(ls ...*render.Link) {
	for _, l := range ls {
		if l == nil {
			k.int(-1)
			continue
		}
		k.str(l.URL, l.Title, l.Description)
	}
}

func (k *keyWriter) linkList(ls []render.Link) {
	k.int(len(ls))
	for i := range ls {
		k.links(&ls[i])
	}
}

// json writes a value of no fixed type (service data, cheat sheet notes) as its JSON. A value JSON
// cannot write gets a key no other build shares, so its page is always rendered again.
func (k *keyWriter) json(v any) {
	if v == nil {
		k.int(-1)
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		k.str(fmt.Sprint(uncacheable.Add(1)))
	}
	k.str(string(data))
}

// uncacheable numbers the values pageKey could not encode (see keyWriter.json).
var uncacheable atomic.Int64

func (k *keyWriter) navTree(nodes []*render.NavNode) {
	k.int(len(nodes))
	for _, n := range nodes {
		k.str(n.Title, n.URL)
		k.navTree(n.Children)
	}
}

func (k *keyWriter) nav(items []*render.NavItem) {
	k.int(len(items))
	for _, it := range items {
		k.str(it.Title, it.URL, it.Href)
		k.flag(it.Current, it.Open)
		k.nav(it.Children)
	}
}
