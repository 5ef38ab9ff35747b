package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
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
	entryMu     sync.Mutex
	entryGen    uint32
	digests     map[docKey]*digest
	lastDigests last[docKey, *digest]

	mu        sync.Mutex
	gen       uint32 // the build in progress; entries used by it carry it
	toks      map[tokKey]*tokens
	lastToks  last[tokKey, *tokens]
	ix        index
	acros     map[acroKey]*acronyms
	lastAcros last[acroKey, *acronyms]
	texts     map[textKey]*memo
	lastTexts last[textKey, *memo]
	pages     map[pageKey]*memo
	jsons     map[string]*memo
	throwaway bool // made for one Build: remember nothing for later
	gz        struct {
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
	if c.throwaway {
		return marshal(s)
	}
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

// last holds the keys and values of the previous build by position, so that a build finds what did
// not change by comparing fields (equal strings from the same notes compare by pointer) rather than by
// hashing all the text into a map: by the same position, or the same distance from the end.
type last[K comparable, V any] struct {
	keys, nextKeys []K
	vals, nextVals []V
}

// get returns the value of key k at position i of n, if the previous build had it there.
func (l *last[K, V]) get(i, n int, k K) (V, bool) {
	if i < len(l.keys) && l.keys[i] == k {
		return l.vals[i], true
	}
	if j := i + len(l.keys) - n; j >= 0 && j < len(l.keys) && l.keys[j] == k {
		return l.vals[j], true
	}
	var zero V
	return zero, false
}

// put records the value at the next position of this build.
func (l *last[K, V]) put(k K, v V) {
	l.nextKeys = append(l.nextKeys, k)
	l.nextVals = append(l.nextVals, v)
}

// done makes this build's values the ones the next build compares with.
func (l *last[K, V]) done() {
	clear(l.keys)
	clear(l.vals)
	l.keys, l.nextKeys = l.nextKeys, l.keys[:0]
	l.vals, l.nextVals = l.nextVals, l.vals[:0]
}

// maxAncestors is the deepest a section can sit: under a preamble and headings of levels 1 to 5.
const maxAncestors = 6

// textKey is everything a section's excerpt record reads: its own text, and when it has ancestors,
// their headings and the page title they are compared with.
type textKey struct {
	anchor, heading, body, emphasis string
	title                           string
	nAnc                            int
	anc                             [maxAncestors]string
}

// gzipSize is gzipSize(b), remembered for the last b (a small site rebuilt without a change in its
// index need not compress it again).
func (c *Cache) gzipSize(b []byte) int {
	if c.gz.data == nil || !bytes.Equal(c.gz.data, b) {
		c.gz.data, c.gz.size = b, gzipSize(b)
	}
	return c.gz.size
}

type acroKey struct{ heading, body, emphasis string }

type acronyms struct {
	found [][2]string // acronym, long form
	gen   uint32
}

// acronymsOf calls add for the acronyms of every doc, as findAcronyms finds them in its heading, body
// and emphasis; what it found in a doc is remembered.
func (c *Cache) acronymsOf(docs []Doc, add func(acr, long string)) {
	if c.acros == nil {
		c.acros = map[acroKey]*acronyms{}
	}
	for i := range docs {
		d := &docs[i]
		k := acroKey{d.Heading, d.Body, d.Emphasis}
		a, ok := c.lastAcros.get(i, len(docs), k)
		if !ok {
			if a = c.acros[k]; a == nil {
				a = &acronyms{}
				for _, text := range []string{d.Heading, d.Body, d.Emphasis} {
					findAcronyms(text, func(acr, long string) { a.found = append(a.found, [2]string{acr, long}) })
				}
				c.acros[k] = a
			}
		}
		c.lastAcros.put(k, a)
		a.gen = c.gen
		for _, f := range a.found {
			add(f[0], f[1])
		}
	}
	c.lastAcros.done()
}

// docKey is every field of a Doc; a Path deeper than maxAncestors is held length-prefixed in rest.
type docKey struct {
	url, anchor, page string
	path              [maxAncestors]string
	rest              string
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
	if len(d.Path) <= maxAncestors {
		copy(k.path[:], d.Path)
	} else {
		k.rest = string(lengthPrefixed(nil, d.Path...))
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
		d, ok := c.lastDigests.get(i, len(docs), k)
		if !ok {
			if d = c.digests[k]; d == nil {
				d = &digest{}
				buf, d.sum = docDigest(buf, &docs[i])
				c.digests[k] = d
			}
		}
		c.lastDigests.put(k, d)
		d.gen = c.entryGen
		each(d.sum)
	}
	c.lastDigests.done()
	for k, d := range c.digests {
		if d.gen != c.entryGen {
			delete(c.digests, k)
		}
	}
}
