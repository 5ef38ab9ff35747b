package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"maps"
	"slices"
	"sync"
	"unsafe"
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
	entryMu sync.Mutex
	digests table[docKey, [sha256.Size]byte]

	mu    sync.Mutex
	toks  table[tokKey, *tokens]
	ix    index
	acros table[acroKey, *acronyms]
	syn   struct {
		groups [][]string // the synonym groups of the last build
		extra  map[string][]string
	}
	texts     table[textKey, *memo]
	stop      chunk   // the stopword file
	dict      []chunk // the term blocks of the last split index
	text      []chunk // its text chunks
	spare     struct{ dict, text []chunk }
	names     struct{ dict, text nameBuffers }
	scratch   scratch
	throwaway bool // made for one Build: remember nothing for later
	gz        struct {
		data []byte
		size int
	}
}

// table holds entries made from keys: those of the last build by position, so that a build finds what
// did not change by comparing fields (equal strings from the same notes compare by pointer) rather
// than by hashing all the text, and all of them in a map for what moved. The map holds exactly the
// entries of the positions: an entry the build does not use can only be one at a position it missed,
// so dropping them costs what changed, not what the site holds.
type table[K, V comparable] struct {
	m          map[K]V
	keys, next []K
	vals, nval []V
	n          int
	inPlace    bool   // as many positions as the last build: they are updated where they stand
	hit        []bool // positions of the last build used again
	missed     []entry[K, V]
}

type entry[K, V comparable] struct {
	k K
	v V
}

// begin starts a build of n positions.
func (t *table[K, V]) begin(n int) {
	t.n, t.inPlace = n, n == len(t.keys)
	t.hit = slices.Grow(t.hit[:0], len(t.keys))[:len(t.keys)]
	clear(t.hit)
}

// get returns the entry of key k at position i: where the last build had it at the same position or
// the same distance from the end, else from the map.
func (t *table[K, V]) get(i int, k K) (V, bool) {
	if i < len(t.keys) && t.keys[i] == k {
		t.hit[i] = true
		return t.vals[i], true
	}
	if j := i + len(t.keys) - t.n; !t.inPlace && j >= 0 && j < len(t.keys) && t.keys[j] == k {
		t.hit[j] = true
		return t.vals[j], true
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

// use records that the build uses entry v of key k at position i (in order).
func (t *table[K, V]) use(i int, k K, v V) {
	if !t.inPlace {
		t.next = append(t.next, k)
		t.nval = append(t.nval, v)
	} else if !t.hit[i] {
		t.missed = append(t.missed, entry[K, V]{t.keys[i], t.vals[i]})
		t.keys[i], t.vals[i] = k, v
	}
}

// done drops the entries the build did not use and keeps its positions for the next.
func (t *table[K, V]) done() {
	if !t.inPlace {
		for p, h := range t.hit {
			if !h {
				t.missed = append(t.missed, entry[K, V]{t.keys[p], t.vals[p]})
			}
		}
		clear(t.keys)
		clear(t.vals)
		t.keys, t.next = t.next, t.keys[:0]
		t.vals, t.nval = t.nval, t.vals[:0]
	}
	// a missed entry may still be used at another position (sections with the same text share one)
	used := func(v V) bool { return slices.Contains(t.vals, v) }
	if len(t.missed) > 4 {
		in := make(map[V]bool, len(t.vals))
		for _, v := range t.vals {
			in[v] = true
		}
		used = func(v V) bool { return in[v] }
	}
	for _, e := range t.missed {
		if t.m[e.k] == e.v && !used(e.v) {
			delete(t.m, e.k)
		}
	}
	clear(t.missed)
	t.missed = t.missed[:0]
}

type memo struct{ b []byte }

// chunk is one file of a split index as the last build wrote it, with what it was made from.
type chunk struct {
	lines []string   // a term block: its terms' lines
	recs  []*termRec // and the terms
	texts [][]byte   // a text chunk: its sections' records
	pages []pageKey  // and their pages
	data  []byte
	sum   [sha256.Size]byte
}

// fileNames are the names of one kind's chunk files in a build, with the digests they were made from.
type fileNames struct {
	sums   [][sha256.Size]byte // of each chunk
	paths  []string            // of each chunk
	hashes []string            // of each group
}

// nameBuffers are one kind's names in the last build, to read, and those of the next, to fill.
type nameBuffers struct{ last, next fileNames }

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
	found [][2]string // acronym, long form
}

// synonymGroups is synonymGroups(docs, extra), with the acronyms found in each doc remembered, and the
// groups themselves when no doc's acronyms and no extra group changed.
func (c *Cache) synonymGroups(docs []Doc, extra map[string][]string) [][]string {
	if c.throwaway {
		return synonymGroups(docs, extra)
	}
	if c.acronymsOf(docs) || c.syn.groups == nil || !maps.EqualFunc(c.syn.extra, extra, slices.Equal) {
		c.syn.groups = synonymGroupsWith(docs, extra, func(_ []Doc, add func(acr, long string)) {
			for _, a := range c.acros.vals {
				for _, f := range a.found {
					add(f[0], f[1])
				}
			}
		})
		c.syn.extra = maps.Clone(extra)
		for k, v := range c.syn.extra {
			c.syn.extra[k] = slices.Clone(v)
		}
	}
	return c.syn.groups
}

// acronymsOf brings c.acros to the acronyms findAcronyms finds in the heading, body and emphasis of
// each doc, reporting whether they may differ from the last build's.
func (c *Cache) acronymsOf(docs []Doc) (changed bool) {
	t := &c.acros
	t.begin(len(docs))
	changed = !t.inPlace
	for i := range docs {
		d := &docs[i]
		k := acroKey{d.Heading, d.Body, d.Emphasis}
		a, ok := t.get(i, k)
		if !ok {
			a = &acronyms{}
			for _, text := range []string{d.Heading, d.Body, d.Emphasis} {
				findAcronyms(text, func(acr, long string) { a.found = append(a.found, [2]string{acr, long}) })
			}
			t.add(k, a)
		}
		if t.inPlace && a != t.vals[i] && !slices.Equal(a.found, t.vals[i].found) {
			changed = true
		}
		t.use(i, k, a)
	}
	t.done()
	return changed
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

// is reports whether k is the key of d.
func (k *docKey) is(d *Doc) bool {
	if k.url != d.URL || k.anchor != d.Anchor || k.page != d.Page || k.level != d.Level || k.pathN != len(d.Path) ||
		k.heading != d.Heading || k.body != d.Body || k.emphasis != d.Emphasis {
		return false
	}
	if len(d.Path) > maxAncestors {
		return k.rest == string(lengthPrefixed(nil, d.Path...))
	}
	for j, p := range d.Path {
		if k.path[j] != p {
			return false
		}
	}
	return true
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

// digester hashes docs for EntryFor, its buffer and hash kept from one doc to the next.
type digester struct {
	buf []byte
	h   hash.Hash
}

// digest is the hash EntryFor takes of one doc, whose text is body and emphasis: every field,
// length-prefixed. A long text is hashed where it is rather than copied after the other fields first
// (EntryFor hashes the whole site's text).
func (g *digester) digest(d *Doc, body, emphasis string) (sum [sha256.Size]byte) {
	if g.h == nil {
		g.h = sha256.New()
	}
	g.h.Reset()
	b := lengthPrefixed(g.buf[:0], d.URL, d.Anchor, d.Page, d.Heading)
	for _, text := range [2]string{body, emphasis} {
		b = binary.AppendUvarint(b, uint64(len(text)))
		if len(text) < 256 {
			b = append(b, text...)
			continue
		}
		g.h.Write(b)
		g.h.Write(unsafe.Slice(unsafe.StringData(text), len(text))) // Write keeps none of it
		b = b[:0]
	}
	b = binary.AppendUvarint(b, uint64(d.Level))
	b = binary.AppendUvarint(b, uint64(len(d.Path)))
	b = lengthPrefixed(b, d.Path...)
	g.h.Write(b)
	g.buf = b
	g.h.Sum(sum[:0])
	return sum
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
	var g digester
	c.digests.begin(len(docs))
	t := &c.digests
	for i := range docs {
		if t.inPlace && t.keys[i].is(&docs[i]) { // the common case, without making a key
			t.hit[i] = true
			each(t.vals[i])
			continue
		}
		k := keyOf(&docs[i])
		sum, ok := t.get(i, k)
		if !ok {
			sum = g.digest(&docs[i], docs[i].Body, docs[i].Emphasis)
			t.add(k, sum)
		}
		t.use(i, k, sum)
		each(sum)
	}
	c.digests.done()
}
