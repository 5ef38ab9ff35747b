package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// Cache carries work from one Build (and EntryFor) to the next, so that the dev server, which rebuilds
// the index on every save, redoes only what the changed sections need: their tokens, their excerpt
// records, their terms' postings lines, the term blocks and text chunks holding them, their EntryFor
// digests. Every entry is keyed by the content it was made from (never by a list of what changed), so
// output with a cache is byte for byte that of Build without one; entries the latest build did not use
// are dropped, so memory stays flat however many builds it serves.
//
// The zero value is ready to use. One Build at a time; EntryFor may run alongside it.
type Cache struct {
	entryMu  sync.Mutex
	entryGen uint32
	digests  table[docKey, *digest]

	mu        sync.Mutex
	gen       uint32 // the build in progress; entries used by it carry it
	toks      table[tokKey, *tokens]
	ix        index
	acros     table[acroKey, *acronyms]
	texts     table[textKey, *memo]
	dict      []chunk // the term blocks of the last split index
	text      []chunk // its text chunks
	scratch   scratch
	throwaway bool // made for one Build: remember nothing for later
	gz        struct {
		data []byte
		size int
	}
}

// stamp is the last build that used a cache entry.
type stamp struct{ gen uint32 }

// touch marks the entry used by build gen, reporting whether it was not yet.
func (s *stamp) touch(gen uint32) bool {
	if s.gen == gen {
		return false
	}
	s.gen = gen
	return true
}

func (s *stamp) usedBy() uint32 { return s.gen }

type stamped interface {
	comparable
	touch(gen uint32) bool
	usedBy() uint32
}

// table holds entries made from keys: those of the last build by position, so that a build finds what
// did not change by comparing fields (equal strings from the same notes compare by pointer) rather
// than by hashing all the text, and all of them in a map for what moved. It counts the entries a build
// uses, so that dropping the others costs what changed: they are found where a position missed, and the
// whole map is swept only when that does not account for them all.
type table[K comparable, V stamped] struct {
	m          map[K]V
	keys, next []K
	vals, nval []V
	used       int   // distinct entries used by the build in progress
	missed     []int // positions of the last build whose entry this one may not use
}

// get returns the entry of key k at position i of n: where the last build had it at the same position
// or the same distance from the end, else from the map.
func (t *table[K, V]) get(i, n int, k K) (V, bool) {
	if i < len(t.keys) {
		if t.keys[i] == k {
			return t.vals[i], true
		}
		t.missed = append(t.missed, i)
	}
	if j := i + len(t.keys) - n; j != i && j >= 0 && j < len(t.keys) {
		if t.keys[j] == k {
			return t.vals[j], true
		}
		t.missed = append(t.missed, j)
	}
	v, ok := t.m[k]
	return v, ok
}

// add files a new entry.
func (t *table[K, V]) add(k K, v V) {
	if t.m == nil {
		t.m = map[K]V{}
	}
	t.m[k] = v
}

// use records that build gen used entry v of key k at the next position.
func (t *table[K, V]) use(gen uint32, k K, v V) {
	if v.touch(gen) {
		t.used++
	}
	t.next = append(t.next, k)
	t.nval = append(t.nval, v)
}

// done drops the entries build gen did not use and makes its positions the ones the next build
// compares with.
func (t *table[K, V]) done(gen uint32) {
	unused := len(t.m) - t.used
	for _, p := range t.missed {
		if unused <= 0 {
			break
		}
		if k, v := t.keys[p], t.vals[p]; v.usedBy() != gen && t.m[k] == v {
			delete(t.m, k)
			unused--
		}
	}
	if unused > 0 {
		for k, v := range t.m {
			if v.usedBy() != gen {
				delete(t.m, k)
			}
		}
	}
	t.used, t.missed = 0, t.missed[:0]
	clear(t.keys)
	clear(t.vals)
	t.keys, t.next = t.next, t.keys[:0]
	t.vals, t.nval = t.nval, t.vals[:0]
}

type memo struct {
	stamp
	b []byte
}

// chunk is one file of a split index as the last build wrote it, with what it was made from.
type chunk struct {
	lines []string   // a term block: its terms' lines
	recs  []*termRec // and the terms
	texts [][]byte   // a text chunk: its sections' records
	pages []pageKey  // and their pages
	data  []byte
	sum   [sha256.Size]byte
}

// size is the number of cached entries, for tests.
func (c *Cache) size() int {
	return len(c.digests.m) + len(c.toks.m) + len(c.acros.m) + len(c.texts.m) + len(c.ix.terms) +
		len(c.dict) + len(c.text)
}

type pageKey struct {
	n          int
	url, title string
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
	stamp
	found [][2]string // acronym, long form
}

// acronymsOf calls add for the acronyms of every doc, as findAcronyms finds them in its heading, body
// and emphasis; what it found in a doc is remembered.
func (c *Cache) acronymsOf(docs []Doc, add func(acr, long string)) {
	if c.throwaway {
		acronymsIn(docs, add)
		return
	}
	for i := range docs {
		d := &docs[i]
		k := acroKey{d.Heading, d.Body, d.Emphasis}
		a, ok := c.acros.get(i, len(docs), k)
		if !ok {
			a = &acronyms{}
			for _, text := range []string{d.Heading, d.Body, d.Emphasis} {
				findAcronyms(text, func(acr, long string) { a.found = append(a.found, [2]string{acr, long}) })
			}
			c.acros.add(k, a)
		}
		c.acros.use(c.gen, k, a)
		for _, f := range a.found {
			add(f[0], f[1])
		}
	}
	c.acros.done(c.gen)
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
	stamp
	sum [sha256.Size]byte
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
	var buf []byte
	for i := range docs {
		k := keyOf(&docs[i])
		d, ok := c.digests.get(i, len(docs), k)
		if !ok {
			d = &digest{}
			buf, d.sum = docDigest(buf, &docs[i])
			c.digests.add(k, d)
		}
		c.digests.use(c.entryGen, k, d)
		each(d.sum)
	}
	c.digests.done(c.entryGen)
}
