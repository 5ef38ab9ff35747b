package site

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"sync/atomic"

	"github.com/lectern/lectern/generator/render"
)

// pageKey hashes every input of a rendered page but the navigation (see navKey and viewKey): its data
// and the site's, so that the dev server renders again only pages whose inputs changed. contentSum,
// when not nil, is the hash of p.Content, p.Services and p.Data, worked out once when the note was
// rendered (noteBody) or from the cheat sheet's notes' own keys, so that unchanged content is not
// hashed again on every build.
//
// The fields are written by hand rather than through encoding/json: the key is computed for every page
// on every save, and reflection made it most of a cached rebuild.
func (b *builder) pageKey(p *render.PageData, contentSum *[32]byte) [32]byte {
	k := keyWriter{}
	k.str(p.Kind, p.URL, p.Title, p.Description, p.Canonical, p.File)
	if contentSum != nil {
		k.bytes(contentSum[:])
	} else {
		k.str(string(p.Content))
		k.json(p.Services)
		k.json(p.Data)
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
	k.bytes(b.siteKey())
	return k.sum()
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
		b.navSum = k.sum()
	})
	return b.navSum
}

// viewKey hashes the navigation as page p shows it.
func (b *builder) viewKey(p *render.PageData) [32]byte {
	k := keyWriter{}
	if nav := b.rend.Nav; nav != nil && !p.NoNav {
		k.nav(nav.View(p.URL, render.RootFor(p.URL), b.rend.InlineMax))
	}
	return k.sum()
}

// siteKey is the JSON of the site-wide template data, encoded once per build.
func (b *builder) siteKey() []byte {
	b.siteJSON.Do(func() { b.siteJSONData, _ = json.Marshal(b.rend.Site) })
	return b.siteJSONData
}

// contentKey hashes a note's rendered content and its "Services in this note" (see pageKey).
func contentKey(html string, services any) [32]byte {
	k := keyWriter{}
	k.str(html)
	k.json(services)
	return k.sum()
}

// keyWriter lays values out unambiguously, to be hashed: every string and list is preceded by its length.
// It hashes as it goes, a buffer at a time, so that a key over the whole site takes no memory to speak of.
type keyWriter struct {
	buf []byte
	h   hash.Hash
}

// keyFlush is the size at which the buffer goes into the hash.
const keyFlush = 16 << 10

func (k *keyWriter) flush() {
	if k.h == nil {
		k.h = sha256.New()
	}
	k.h.Write(k.buf)
	k.buf = k.buf[:0]
}

// sum is the hash of everything written.
func (k *keyWriter) sum() [32]byte {
	if k.h == nil {
		return sha256.Sum256(k.buf)
	}
	k.flush()
	var out [32]byte
	k.h.Sum(out[:0])
	return out
}

func (k *keyWriter) int(n int) {
	k.buf = binary.AppendVarint(k.buf, int64(n))
}

func (k *keyWriter) str(ss ...string) {
	for _, s := range ss {
		writeKey(k, s)
	}
}

func (k *keyWriter) bytes(b []byte) { writeKey(k, b) }

// writeKey writes one value after its length; a value larger than the buffer goes straight to the hash.
func writeKey[T string | []byte](k *keyWriter, v T) {
	k.int(len(v))
	if len(k.buf)+len(v) > keyFlush {
		k.flush()
		if len(v) > keyFlush {
			k.h.Write([]byte(v))
			return
		}
	}
	k.buf = append(k.buf, v...)
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
	k.bytes(data)
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
