package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"sync"
)

// Cache carries work from one Build (and EntryFor) to the next, so that the dev server, which rebuilds
// the index on every save, redoes only what the changed sections need: their tokens, their excerpt
// records, their terms' postings lines, their EntryFor digests. Every entry is keyed by the content it
// was made from (never by a list of what changed), so output with a cache is byte for byte that of
// Build without one; entries the latest build did not use are dropped, so memory stays flat however
// many builds it serves.
//
// The zero value is ready to use. One Build at a time; EntryFor may run alongside it.
type Cache struct {
	entryMu  sync.Mutex
	entryGen uint32
	digests  map[docKey]*digest

	mu    sync.Mutex
	gen   uint32 // the build in progress; entries used by it carry it
	toks  map[tokKey]*tokens
	ix    index
	acros map[string]*acronyms
	texts map[textKey]*memo
	pages map[pageKey]*memo
	jsons map[string]*memo
	gz    struct {
		data []byte
		size int
	}
}

type memo struct {
	b   []byte
	gen uint32
}

// sweep drops the entries the build just finished did not use.
func (c *Cache) sweep() {
	for k, v := range c.toks {
		if v.gen != c.gen {
			delete(c.toks, k)
		}
	}
	for k, v := range c.acros {
		if v.gen != c.gen {
			delete(c.acros, k)
		}
	}
	for k, v := range c.texts {
		if v.gen != c.gen {
			delete(c.texts, k)
		}
	}
	for k, v := range c.pages {
		if v.gen != c.gen {
			delete(c.pages, k)
		}
	}
	for k, v := range c.jsons {
		if v.gen != c.gen {
			delete(c.jsons, k)
		}
	}
}

// size is the number of cached entries, for tests.
func (c *Cache) size() int {
	return len(c.digests) + len(c.toks) + len(c.acros) + len(c.texts) + len(c.pages) + len(c.jsons) + len(c.ix.terms)
}

// jsonString is s as a JSON string, as marshal writes it.
func (c *Cache) jsonString(s string) []byte {
	if c.jsons == nil {
		c.jsons = map[string]*memo{}
	}
	m := c.jsons[s]
	if m == nil {
		m = &memo{b: marshal(s)}
		c.jsons[s] = m
	}
	m.gen = c.gen
	return m.b
}

type pageKey struct {
	n          int
	url, title string
}

// pageRecord is a page's [number, url, title] in a text chunk.
func (c *Cache) pageRecord(n int, p page) []byte {
	if c.pages == nil {
		c.pages = map[pageKey]*memo{}
	}
	k := pageKey{n, p.url, p.title}
	m := c.pages[k]
	if m == nil {
		m = &memo{b: marshal([]any{n, p.url, p.title})}
		c.pages[k] = m
	}
	m.gen = c.gen
	return m.b
}

// textKey is everything a section's excerpt record reads: its own text, and when it has ancestors,
// their headings (length-prefixed) and the page title they are compared with.
type textKey struct {
	anchor, heading, body, emphasis string
	title, ancestors                string
}

// gzipSize is gzipSize(b), remembered for the last b (a small site rebuilt without a change in its
// index need not compress it again).
func (c *Cache) gzipSize(b []byte) int {
	if c.gz.data == nil || !bytes.Equal(c.gz.data, b) {
		c.gz.data, c.gz.size = b, gzipSize(b)
	}
	return c.gz.size
}

type acronyms struct {
	found [][2]string // acronym, long form
	gen   uint32
}

// findAcronyms is findAcronyms, remembered per text.
func (c *Cache) findAcronyms(text string, add func(acr, long string)) {
	if strings.IndexByte(text, '(') < 0 {
		return // nothing to find, nothing worth remembering
	}
	if c.acros == nil {
		c.acros = map[string]*acronyms{}
	}
	a := c.acros[text]
	if a == nil {
		a = &acronyms{}
		findAcronyms(text, func(acr, long string) { a.found = append(a.found, [2]string{acr, long}) })
		c.acros[text] = a
	}
	a.gen = c.gen
	for _, f := range a.found {
		add(f[0], f[1])
	}
}

// docKey is every field of a Doc; Path is held as its only element or length-prefixed.
type docKey struct {
	url, anchor, page string
	path              string
	pathN, level      int
	heading, body     string
	emphasis          string
}

type digest struct {
	sum [sha256.Size]byte
	gen uint32
}

func keyOf(d *Doc) docKey {
	k := docKey{url: d.URL, anchor: d.Anchor, page: d.Page, pathN: len(d.Path), level: d.Level,
		heading: d.Heading, body: d.Body, emphasis: d.Emphasis}
	if len(d.Path) == 1 {
		k.path = d.Path[0]
	} else if len(d.Path) > 1 {
		k.path = string(lengthPrefixed(nil, d.Path...))
	}
	return k
}

// docDigest is the hash EntryFor takes of one doc: every field, length-prefixed.
func docDigest(buf []byte, d *Doc) ([]byte, [sha256.Size]byte) {
	buf = lengthPrefixed(buf[:0], d.URL, d.Anchor, d.Page, d.Heading, d.Body, d.Emphasis)
	buf = binary.AppendUvarint(buf, uint64(d.Level))
	buf = binary.AppendUvarint(buf, uint64(len(d.Path)))
	buf = lengthPrefixed(buf, d.Path...)
	return buf, sha256.Sum256(buf)
}

func lengthPrefixed(b []byte, ss ...string) []byte {
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// digestsFor returns each doc's digest, from the cache where the doc is unchanged.
func (c *Cache) digestsFor(docs []Doc, each func([sha256.Size]byte)) {
	c.entryMu.Lock()
	defer c.entryMu.Unlock()
	c.entryGen++
	if c.digests == nil {
		c.digests = map[docKey]*digest{}
	}
	var buf []byte
	for i := range docs {
		k := keyOf(&docs[i])
		d := c.digests[k]
		if d == nil {
			d = &digest{}
			buf, d.sum = docDigest(buf, &docs[i])
			c.digests[k] = d
		}
		d.gen = c.entryGen
		each(d.sum)
	}
	for k, d := range c.digests {
		if d.gen != c.entryGen {
			delete(c.digests, k)
		}
	}
}
