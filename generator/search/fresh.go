package search

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
)

// This file is the index of a Build without a cache (lectern build): every section is read once, on
// all cores, for its excerpt record and its terms, and nothing is kept for a later build. Where the
// cached path keeps each section's tokens (for the next save to compare) and lays out postings from
// them, this one counts each term's postings straight into a compact running encoding, and weighs them
// when the average lengths are known: per posting it holds a few bytes instead of a token and a posting.
// Both write the same index, which the cache tests check on random sites.

// rawTerm is one term's postings in a run of sections, before they are weighed: per section holding it
// but the last, in buf, uvarint(gap to the previous section - 1) and uvarint(tf<<2 | inHeading<<1 |
// inEmphasis), most of them a byte each. The last section holding it (cur) is counted apart, in shape, and goes to buf when the
// term is met in another section; at the end of the run it stays there, so the term of one section (half
// of them) has no buffer. The term's text is in its run's text (word, wlen), its first eight bytes in key
// as well.
type rawTerm struct {
	key   uint64 // the first eight bytes of the term (termKey.key)
	buf   []byte
	hash  uint32 // of the term's text, with the seed every run of a Build shares
	last  int32  // section of the last posting in buf, -1 for none
	cur   int32  // section being counted
	shape uint32 // tf<<2 | inHeading<<1 | inEmphasis of cur
	word  uint32 // where the term is in text: chunk<<16 | offset
	wlen  uint16
}

// count counts the terms spans of low, which are those of a field of section sec: each term's shape
// becomes shape|or + add (a term of the heading sets 2, of the emphasis 1, and of the body adds 4). It
// is keyOf and find written out in one loop over the words (not one call each a word, which was a fifth
// of the instructions of counting them); TestTermRunCount checks that it finds the terms they do.
func (r *termRun) count(low []byte, spans []span, sec int32, or, add uint32) {
	for _, sp := range spans {
		w := low[sp.from:sp.to]
		var k termKey
		if len(w) <= 8 {
			k.key = load64(w)
			k.hash = uint32(mix64(k.key ^ r.seed ^ uint64(len(w))*0x9e3779b97f4a7c15))
		} else {
			k = r.keyOfLong(w)
		}
		var t *rawTerm
		mask := len(r.slots) - 1
		i := int(k.hash) & mask
		for ; ; i = (i + 1) & mask {
			s := r.slots[i]
			if s == 0 {
				break
			}
			if uint32(s>>32) != k.hash {
				continue
			}
			if u := r.term(int32(uint32(s)) - 1); u.key == k.key && int(u.wlen) == len(w) && (len(w) <= 8 || bytes.Equal(r.wordOf(u)[8:], w[8:])) {
				t = u
				break
			}
		}
		if t == nil {
			t = r.add(w, k, i, sec)
		} else if t.cur != sec {
			t.flush()
			t.cur = sec
		}
		t.shape = t.shape | or + add
	}
}

// flush appends the counted section to buf.
func (t *rawTerm) flush() {
	gap := uint32(t.cur - t.last - 1)
	if gap < 0x80 && t.shape < 0x80 { // most: a term once or twice in the body, a few sections on
		t.buf = append(t.buf, byte(gap), byte(t.shape))
	} else {
		t.buf = binary.AppendUvarint(binary.AppendUvarint(t.buf, uint64(gap)), uint64(t.shape))
	}
	t.last, t.shape = t.cur, 0
}

// termKey is what finds a term in a run: a hash of its text, and its first eight bytes (the whole of
// seven terms in eight), which tell most terms apart without looking at their text.
type termKey struct {
	key  uint64
	hash uint32
}

// termRun is the terms of one run of sections, in the order met: each a rawTerm by value in blocks that
// grow without moving, its text copied into chunks of bytes, found through an open-addressing table of
// hashes and indices. The runs of a Build hash terms alike, so a term's hash, kept with it, finds it in
// every run and picks its shard in layout, and the table grows without hashing anything again. Per term
// that is about 70 bytes with its text, where a map from a copied string to its index took twice as
// many.
type termRun struct {
	blocks [][]rawTerm
	n      int32
	text   [][]byte
	slots  []uint64 // hash<<32 | index+1 of a term, 0 for none; at most 3/4 full
	seed   uint64
}

const (
	termBlock = 1024    // rawTerms in a block
	wordChunk = 1 << 16 // bytes in a chunk of text, as word's offset has 16 bits
)

func newTermRun(seed uint64) *termRun {
	return &termRun{slots: make([]uint64, 1024), seed: seed}
}

// term returns the term with index id.
func (r *termRun) term(id int32) *rawTerm {
	return &r.blocks[uint32(id)/termBlock][uint32(id)%termBlock]
}

// wordOf returns t's text, which lives as long as the run.
func (r *termRun) wordOf(t *rawTerm) []byte {
	c, o := r.text[t.word>>16], t.word&(wordChunk-1)
	return c[o : o+uint32(t.wlen)]
}

// keyOf is the key of the term w: its first eight bytes (little-endian, zero-padded), and a hash of
// all of them with the run's seed. Terms are short (seven in eight have at most eight bytes): the hash
// is a multiply-and-fold per eight bytes, inlined, where maphash was a call and as many again.
func (r *termRun) keyOf(w []byte) termKey {
	if len(w) > 8 {
		return r.keyOfLong(w)
	}
	k := load64(w)
	return termKey{key: k, hash: uint32(mix64(k ^ r.seed ^ uint64(len(w))*0x9e3779b97f4a7c15))} // as count
}

// keyOfLong is keyOf for a term of more than eight bytes.
func (r *termRun) keyOfLong(w []byte) termKey {
	k := load64(w)
	x := k ^ r.seed ^ uint64(len(w))*0x9e3779b97f4a7c15
	for i := 8; i < len(w); i += 8 {
		x = mix64(x) ^ load64(w[i:])
	}
	return termKey{key: k, hash: uint32(mix64(x))}
}

// load64 is the first eight bytes of w (fewer when it is shorter), little-endian.
func load64(w []byte) uint64 {
	if len(w) >= 8 {
		return binary.LittleEndian.Uint64(w)
	}
	if cap(w) >= 8 && len(w) > 0 { // a word in the middle of its text: one load, the bytes after it masked
		return binary.LittleEndian.Uint64(w[:8]) & (^uint64(0) >> (64 - 8*len(w)))
	}
	return loadShort(w)
}

// loadShort is load64 of fewer than eight bytes at the end of their memory.
func loadShort(w []byte) uint64 {
	var k uint64
	for i := len(w) - 1; i >= 0; i-- {
		k = k<<8 | uint64(w[i])
	}
	return k
}

// mix64 spreads every bit of x over all of the result (wyhash's mix).
func mix64(x uint64) uint64 {
	hi, lo := bits.Mul64(x^0xe7037ed1a0b428db, 0xa0761d6478bd642f)
	return hi ^ lo
}

// find returns the term w, whose key is k, and the slot it is in; nil and the empty slot it would go to
// when the run has none. The table's hashes and the terms' keys tell most terms apart without looking
// at their text.
func (r *termRun) find(w []byte, k termKey) (*rawTerm, int) {
	mask := len(r.slots) - 1
	for i := int(k.hash) & mask; ; i = (i + 1) & mask {
		s := r.slots[i]
		if s == 0 {
			return nil, i
		}
		if uint32(s>>32) != k.hash {
			continue
		}
		if t := r.term(int32(uint32(s)) - 1); t.key == k.key && int(t.wlen) == len(w) && (len(w) <= 8 || bytes.Equal(r.wordOf(t)[8:], w[8:])) {
			return t, i
		}
	}
}

// add adds the term w, whose key is k, counted in section sec, at the empty slot that find gave.
func (r *termRun) add(w []byte, k termKey, slot int, sec int32) *rawTerm {
	id := r.n
	r.n++
	r.slots[slot] = uint64(k.hash)<<32 | uint64(id+1)
	if id%termBlock == 0 {
		r.blocks = append(r.blocks, make([]rawTerm, 0, termBlock))
	}
	last := len(r.text) - 1
	if last < 0 || len(r.text[last])+len(w) > wordChunk {
		r.text = append(r.text, make([]byte, 0, max(wordChunk, len(w))))
		last++
	}
	off := len(r.text[last])
	r.text[last] = append(r.text[last], w...)
	b := &r.blocks[len(r.blocks)-1]
	*b = append(*b, rawTerm{key: k.key, hash: k.hash, last: -1, cur: sec, word: uint32(last)<<16 | uint32(off), wlen: uint16(len(w))})
	if int(r.n)*4 > len(r.slots)*3 {
		r.grow()
	}
	return &(*b)[len(*b)-1]
}

// grow doubles the table.
func (r *termRun) grow() {
	old := r.slots
	r.slots = make([]uint64, 2*len(old))
	mask := len(r.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(s>>32) & mask
		for r.slots[i] != 0 {
			i = (i + 1) & mask
		}
		r.slots[i] = s
	}
}

// sectionTerms is what readSections gathers for the index: every term's postings, one termRun per run
// of sections, and each section's heading and body lengths in tokens.
type sectionTerms struct {
	runs       []*termRun // in section order
	hLen, bLen []int32
	once       []uint8 // per section, the weight of a term once in its body and nowhere else (layout)
	// per run, the acronyms ("Elastic MapReduce (EMR)") of the sections whose text is that of one doc
	// (src >= 0), as findAcronyms reports them in the doc's heading, body and emphasis
	acros [][][2]string
}

// readSections returns the terms of every section of recs, and notes in recs the length of each
// section's excerpt record and its ancestor, for the text chunks to make the record again, and the
// acronyms of the sections read whole (the others: acronymsLeft). The pages
// are cut into one run per core of about as much text; each core reads its run in order.
func readSections(recs *records) *sectionTerms {
	secs, pages := recs.secs, recs.pages
	recs.lens, recs.parent = make([]int, len(secs)), make([]int32, len(secs))
	st := &sectionTerms{hLen: make([]int32, len(secs)), bLen: make([]int32, len(secs))}
	cuts := pageRuns(secs, pages, workers(len(secs), 256), recs.text)
	st.runs = make([]*termRun, len(cuts)-1)
	st.acros = make([][][2]string, len(cuts)-1)
	seed := rand.Uint64()
	eachRange(len(cuts)-1, len(cuts)-1, func(k, _, _ int) {
		text := recs.text.reader()
		defer text.release()
		var scan termScan
		var x excerpt
		terms := newTermRun(seed)
		var stack []*section
		var acros [][2]string
		acronym := func(acr, long string) {
			// copies: the text is the reader's until its next note
			acros = append(acros, [2]string{strings.Clone(acr), strings.Clone(long)})
		}

		for _, p := range pages[cuts[k]:cuts[k+1]] {
			stack = stack[:0]
			for i := p.first; i < p.first+p.n; i++ {
				s := &secs[i]
				for len(stack) > 0 && stack[len(stack)-1].doc.Level >= s.doc.Level {
					stack = stack[:len(stack)-1]
				}
				recs.parent[i] = -1
				if len(stack) > 0 {
					recs.parent[i] = int32(stack[len(stack)-1].index)
				}
				body, emph := text.section(s)
				if s.src >= 0 {
					findAcronyms(s.doc.Heading, acronym)
					findAcronyms(body, acronym)
					findAcronyms(emph, acronym)
				}
				recs.lens[i] = textRecordLen(&x, s.doc, body, emph, stack, p.title)
				stack = append(stack, s)

				sec := int32(i)
				low, spans := scan.terms(sectionTokKey(s.doc).heading)
				terms.count(low, spans, sec, 2, 0)
				st.hLen[i] = int32(len(spans))
				low, spans = scan.terms(emph)
				terms.count(low, spans, sec, 1, 0)
				low, spans = scan.terms(body)
				terms.count(low, spans, sec, 0, 4)
				st.bLen[i] = int32(len(spans))
			}
		}
		st.runs[k], st.acros[k] = terms, acros
	})
	return st
}

// pageRuns cuts the pages into up to w runs of consecutive pages with about as much text each, and
// returns where each run starts, followed by len(pages). The text's sizes are those of Options.TextSize
// when the caller knows them; otherwise the text is read for them.
func pageRuns(secs []section, pages []page, w int, text *texts) []int {
	if w <= 1 {
		return []int{0, len(pages)}
	}
	size := make([]int, len(secs)) // of each section
	r := text.reader()
	defer r.release()
	total := 0
	for i := range secs {
		s := &secs[i]
		if text.load != nil && text.size != nil && s.src >= 0 {
			size[i] = text.size(int(s.src))
		} else {
			body, emph := r.section(s)
			size[i] = len(body) + len(emph)
		}
		size[i] += len(s.doc.Heading) + 1
		total += size[i]
	}
	cuts := []int{0}
	at := 0
	for p := range pages {
		if len(cuts) < w && at >= total*len(cuts)/w {
			if p > cuts[len(cuts)-1] {
				cuts = append(cuts, p)
			}
		}
		for i := pages[p].first; i < pages[p].first+pages[p].n; i++ {
			at += size[i]
		}
	}
	return append(cuts, len(pages))
}

// layout lays out ix from the terms read: each core takes the terms of one shard (by a hash of the
// term), joins each term's postings from the runs in order, weighs and encodes them, and sorts them;
// the shards' lists are merged, and each core writes the lines of a run of the merged list. The index
// keeps no postings, terms map or sections: nothing will update it.
func (st *sectionTerms) layout(ix *index) {
	var sumH, sumB int64
	for i := range st.hLen {
		sumH += int64(st.hLen[i])
		sumB += int64(st.bLen[i])
	}
	n := float64(max(len(st.hLen), 1))
	avgH, avgB := max(float64(sumH)/n, 1), max(float64(sumB)/n, 1)
	// most postings are of a term once in a section's body and nowhere else: weighed once per section
	st.once = make([]uint8, len(st.hLen))
	for i := range st.once {
		st.once[i] = weight(shape{tf: 1}, st.hLen[i], st.bLen[i], avgH, avgB)
	}

	w := max(len(st.runs), 1)
	type shard struct{ sorted, stop []counted }
	shards := make([]shard, w)
	eachRange(w, w, func(k, _, _ int) {
		sh := &shards[k]
		var parts []*rawTerm
		var buf []byte
		for j, run := range st.runs {
			for id := range run.n {
				t := run.term(id)
				word := run.wordOf(t)
				key := termKey{key: t.key, hash: t.hash}
				if w > 1 && int(t.hash>>16)%w != k || seenIn(st.runs[:j], word, key) {
					continue
				}
				term := string(word)
				parts = append(parts[:0], t)
				for _, later := range st.runs[j+1:] {
					if u, _ := later.find(word, key); u != nil {
						parts = append(parts, u)
					}
				}
				r := counted{rec: &termRec{term: term, stop: Stopwords[term]}}
				buf, r.n = st.weigh(buf[:0], parts, avgH, avgB)
				r.rec.post = string(buf)
				if r.rec.stop {
					sh.stop = append(sh.stop, r)
				} else {
					sh.sorted = append(sh.sorted, r)
				}
			}
		}
		byTerm := func(a, b counted) int { return compareUTF16(a.rec.term, b.rec.term) }
		slices.SortFunc(sh.sorted, byTerm)
		slices.SortFunc(sh.stop, byTerm)
	})
	st.runs = nil
	sorted, stop := make([][]counted, w), make([][]counted, w)
	for k := range shards {
		sorted[k], stop[k] = shards[k].sorted, shards[k].stop
	}
	termOf := func(r counted) string { return r.rec.term }
	*ix = index{avgH: avgH, avgB: avgB}
	ix.sorted, ix.sortedLines = writeCountedLines(mergeSorted(sorted, termOf))
	ix.stop, ix.stopLines = writeCountedLines(mergeSorted(stop, termOf))
}

// counted is a term laid out by sectionTerms.layout, with the number of its postings, which it does
// not keep.
type counted struct {
	rec *termRec
	n   int
}

// seenIn reports whether term, whose key is k, is in one of the runs.
func seenIn(runs []*termRun, term []byte, k termKey) bool {
	for _, run := range runs {
		if t, _ := run.find(term, k); t != nil {
			return true
		}
	}
	return false
}

// weigh appends the postings of one term, held by parts in section order, as encodePostings writes
// them, and returns how many there are.
func (st *sectionTerms) weigh(b []byte, parts []*rawTerm, avgH, avgB float64) ([]byte, int) {
	prev, count := int32(-1), 0
	add := func(sec int32, v uint32) {
		s := shape{tf: int32(v >> 2), head: v&2 != 0, emph: v&1 != 0}
		q := st.once[sec]
		if v != 1<<2 {
			q = weight(s, st.hLen[sec], st.bLen[sec], avgH, avgB)
		}
		b = appendPosting(b, posting{sec: sec, q: q, head: s.head}, prev)
		prev = sec
		count++
	}
	for _, t := range parts {
		sec := int32(-1)
		for rest := t.buf; len(rest) > 0; {
			gap, n := uvarint(rest)
			v, m := uvarint(rest[n:])
			rest = rest[n+m:]
			sec += int32(gap) + 1
			add(sec, uint32(v))
		}
		add(t.cur, t.shape)
		t.buf = nil
	}
	return b, count
}

// uvarint is binary.Uvarint of the postings flush writes, a byte without a call for most numbers.
func uvarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return binary.Uvarint(b)
}

// writeCountedLines writes the line of every term of a sorted list, front-coded against the one
// before it, a run of terms per core, and returns the terms and their lines.
func writeCountedLines(l []counted) ([]*termRec, []string) {
	recs, lines := make([]*termRec, len(l)), make([]string, len(l))
	eachChunk(len(l), 1024, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			prev := ""
			if i > 0 {
				prev = l[i-1].rec.term
			}
			r := l[i].rec
			r.line = termLine(prev, r.term, l[i].n, r.post)
			r.post = r.line[len(r.line)-len(r.post):]
			recs[i], lines[i] = r, r.line
		}
	})
	return recs, lines
}
