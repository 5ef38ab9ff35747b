package search

import (
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the merged postings: every term with the sections containing it, their weights and
// its encoded line. Build keeps them in the Cache and updates them from one build to the next, so a save
// that changes one section re-encodes only that section's terms; without a cache the same code builds
// them from nothing.

// tokKey is everything a section's tokenization reads.
type tokKey struct{ heading, body, emphasis string }

// shape is what a term's weight in a section depends on besides the section's field lengths.
type shape struct {
	tf         int32 // body term frequency
	head, emph bool
}

type tokTerm struct {
	term  string
	shape int32  // index into tokens.shapes
	hash  uint32 // termHash(term), which picks the term's shard when the index is laid out
}

// tokens is one section's tokenization: its distinct terms and field lengths. Immutable once made, so
// sections with the same text share one.
type tokens struct {
	hLen, bLen int32
	terms      []tokTerm
	shapes     []shape
}

// tokScratch is where tokenize gathers a section's terms before sizing them exactly: its map and
// slices keep their room from one section to the next, so tokenizing allocates little more than the
// result.
type tokScratch struct {
	idx   map[string]int32
	terms []tokTerm
	sh    []shape
}

var tokScratchPool = sync.Pool{New: func() any { return &tokScratch{idx: map[string]int32{}} }}

func tokenize(k tokKey) *tokens {
	sc := tokScratchPool.Get().(*tokScratch)
	t := &tokens{}
	get := func(w string) *shape {
		i, ok := sc.idx[w]
		if !ok {
			i = int32(len(sc.sh))
			sc.idx[w] = i
			sc.sh = append(sc.sh, shape{})
			sc.terms = append(sc.terms, tokTerm{term: w, hash: termHash(w)})
		}
		return &sc.sh[i]
	}
	eachTerm(k.heading, func(w string) { get(w).head = true; t.hLen++ })
	eachTerm(k.emphasis, func(w string) { get(w).emph = true })
	eachTerm(k.body, func(w string) { get(w).tf++; t.bLen++ })
	t.terms = slices.Clone(sc.terms)
	sh := sc.sh
	// Most terms of a section share a handful of shapes (once in the body, nothing else): weighing
	// them per shape is what lets a new average length be checked cheaply on every section.
	var many map[shape]int32 // a handful per section is searched faster than a map; long sections get one
	for i, s := range sh {
		var k int32
		if many != nil {
			var ok bool
			if k, ok = many[s]; !ok {
				k = -1
			}
		} else {
			k = int32(slices.Index(t.shapes, s))
		}
		if k < 0 {
			k = int32(len(t.shapes))
			t.shapes = append(t.shapes, s)
			if many != nil {
				many[s] = k
			} else if len(t.shapes) == 32 {
				many = map[shape]int32{}
				for j, x := range t.shapes {
					many[x] = int32(j)
				}
			}
		}
		t.terms[i].shape = k
	}
	// a map that grew for a very long section would cost its size to clear for every short one after
	if len(sc.terms) > 1<<10 {
		sc.idx = map[string]int32{}
	} else {
		clear(sc.idx)
	}
	clear(sc.terms)
	sc.terms, sc.sh = sc.terms[:0], sc.sh[:0]
	tokScratchPool.Put(sc)
	return t
}

func sectionTokKey(d *Doc) tokKey {
	heading := d.Heading
	if d.Level == 0 && heading == "" {
		heading = d.Page
	}
	return tokKey{heading, d.Body, d.Emphasis}
}

// tokenizeAll returns every section's tokens, from the cache where the text is unchanged; the rest are
// tokenized on all cores. (A Build without a cache reads the sections with readSections instead.)
func (c *Cache) tokenizeAll(secs []section) []*tokens {
	clear(c.scratch.toks)
	out := slices.Grow(c.scratch.toks[:0], len(secs))[:len(secs)]
	c.scratch.toks = out
	var miss []int
	var pending map[tokKey]bool
	c.toks.begin(len(secs))
	for i := range secs {
		k := sectionTokKey(secs[i].doc)
		if t, ok := c.toks.get(i, k); ok {
			out[i] = t
			continue
		}
		if pending == nil {
			pending = map[tokKey]bool{}
		}
		if !pending[k] {
			pending[k] = true
			miss = append(miss, i)
		}
	}
	if len(miss) > 0 {
		made := make([]*tokens, len(miss))
		var wg sync.WaitGroup
		next := make(chan int, 64)
		for range min(runtime.GOMAXPROCS(0), len(miss)) {
			wg.Go(func() {
				for j := range next {
					made[j] = tokenize(sectionTokKey(secs[miss[j]].doc))
				}
			})
		}
		for j := range miss {
			next <- j
		}
		close(next)
		wg.Wait()
		for j, i := range miss {
			c.toks.add(sectionTokKey(secs[i].doc), made[j])
		}
		for i := range secs {
			if out[i] == nil {
				out[i] = c.toks.m[sectionTokKey(secs[i].doc)]
			}
		}
	}
	for i := range secs {
		c.toks.use(i, sectionTokKey(secs[i].doc), out[i])
	}
	c.toks.done()
	return out
}

type posting struct {
	sec  int32
	q    uint8 // quantised BM25F weight, 1..bmLevels
	head bool
}

// termRec is one term of the index.
type termRec struct {
	term string
	stop bool
	ps   []posting // by section
	post string    // ps encoded (encodePostings)
	line string    // the term's line (termLines), front-coded against prev
	prev *termRec  // the term before it when line was written
	// bookkeeping of one update: while dirty, postings before lo and the last tail ones are unchanged;
	// a fresh term has no line yet
	dirty, fresh, lineStale bool
	lo, tail                int
}

type secState struct {
	tok *tokens
	q   []uint8 // weight of each of tok's shapes
	// the average heading and body lengths between which q holds (none when lo > hi): most sections
	// keep their weights when an edit moves the averages a little, and are not weighed again
	lo, hi [2]float64
}

// index is the merged postings of the last build.
type index struct {
	terms        map[string]*termRec
	sorted, stop []*termRec // in UTF-16 order
	// their lines, so that the files are laid out and compared without visiting every term
	sortedLines, stopLines []string
	secs                   []secState
	avgH, avgB             float64
	dirty                  []*termRec
	// scratch of one update; stale are the terms whose line reencode rewrote
	buf                []byte
	qs                 []uint8
	fresh, dead, stale []*termRec
}

// weight is a posting's quantised BM25F weight.
func weight(s shape, hLen, bLen int32, avgH, avgB float64) uint8 {
	return uint8(min(bmLevels, max(1, int(math.Round(level(s, hLen, bLen, avgH, avgB))))))
}

// level is a posting's BM25F weight scaled to 0..bmLevels, before rounding. It grows with both
// averages.
func level(s shape, hLen, bLen int32, avgH, avgB float64) float64 {
	x := float64(s.tf) / (1 - bmB + bmB*float64(bLen)/avgB)
	if s.head {
		x += wHead / (1 - bmBHead + bmBHead*float64(hLen)/avgH)
	}
	if s.emph {
		x += wEmphasis
	}
	f := x * (bmK1 + 1) / (bmK1 + x)
	return f / bmMaxScore * bmLevels
}

// holdMargins are the relative distances from the averages tried for the range in which a section's
// weights hold, widest first.
var holdMargins = [...]float64{1e-2, 1e-3, 1e-4}

// fit sets the range of averages around avgH, avgB in which s.q holds: the widest of holdMargins
// at whose ends every level rounds to its weight with room to spare. Since levels grow with both
// averages, so does every level in between, and rounds the same.
func (s *secState) fit(avgH, avgB float64) {
	t := s.tok
	for _, e := range holdMargins {
		lo := [2]float64{avgH * (1 - e), avgB * (1 - e)}
		hi := [2]float64{avgH * (1 + e), avgB * (1 + e)}
		ok := true
		for k, sh := range t.shapes {
			if !roundsSafely(level(sh, t.hLen, t.bLen, lo[0], lo[1]), s.q[k]) ||
				!roundsSafely(level(sh, t.hLen, t.bLen, hi[0], hi[1]), s.q[k]) {
				ok = false
				break
			}
		}
		if ok {
			s.lo, s.hi = lo, hi
			return
		}
	}
	s.lo, s.hi = [2]float64{1, 1}, [2]float64{0, 0}
}

// holds reports whether s.q are the weights at these averages.
func (s *secState) holds(avgH, avgB float64) bool {
	return s.lo[0] <= avgH && avgH <= s.hi[0] && s.lo[1] <= avgB && avgB <= s.hi[1]
}

// roundsSafely reports whether level v makes weight q, farther from the next weights than any
// rounding error in computing a level.
func roundsSafely(v float64, q uint8) bool {
	const eps = 1e-9
	if q > 1 && v < float64(q)-0.5+eps {
		return false
	}
	return q == bmLevels || v < float64(q)+0.5-eps
}

func newSecState(t *tokens, avgH, avgB float64) secState {
	s := secState{tok: t, q: weights(t, avgH, avgB)}
	s.fit(avgH, avgB)
	return s
}

func averages(toks []*tokens) (avgH, avgB float64) {
	var sumH, sumB int64
	for _, t := range toks {
		sumH += int64(t.hLen)
		sumB += int64(t.bLen)
	}
	n := float64(max(len(toks), 1))
	return max(float64(sumH)/n, 1), max(float64(sumB)/n, 1)
}

// mark notes that posting j of r changed (it was taken out, put in, or its section number or weight
// changed), and that the last tail postings are as they were, with the same gaps.
func (ix *index) mark(r *termRec, j, tail int) {
	if !r.dirty {
		r.dirty, r.lo, r.tail = true, j, tail
		ix.dirty = append(ix.dirty, r)
		return
	}
	r.lo, r.tail = min(r.lo, j), min(r.tail, tail)
}

func (ix *index) rec(term string) *termRec {
	r := ix.terms[term]
	if r == nil {
		// a copy, so that the term does not keep the whole text of a section long edited away alive
		r = &termRec{term: strings.Clone(term), stop: Stopwords[term], fresh: true}
		ix.terms[r.term] = r
	}
	return r
}

func weights(t *tokens, avgH, avgB float64) []uint8 {
	q := make([]uint8, len(t.shapes))
	for k, s := range t.shapes {
		q[k] = weight(s, t.hLen, t.bLen, avgH, avgB)
	}
	return q
}

// update brings the index to the given sections. The sections the same as last time at the start and
// at the end keep their postings (those at the end renumbered); only the sections between are taken
// out and put in, and postings whose weight moved with the average lengths are rewritten. When most
// sections changed, every posting is laid out again (unchanged terms keep their lines).
func (ix *index) update(toks []*tokens) {
	if ix.terms == nil {
		ix.terms = map[string]*termRec{}
	}
	avgH, avgB := averages(toks)
	nOld, nNew := len(ix.secs), len(toks)
	p := 0
	for p < nOld && p < nNew && ix.secs[p].tok == toks[p] {
		p++
	}
	s := 0
	for s < nOld-p && s < nNew-p && ix.secs[nOld-1-s].tok == toks[nNew-1-s] {
		s++
	}
	changed := max(nOld, nNew) - p - s
	if nOld == nNew { // sections edited in place, maybe far apart: only they count
		changed = 0
		for i := p; i < nNew-s; i++ {
			if ix.secs[i].tok != toks[i] {
				changed++
			}
		}
	}
	if changed > 64 && changed > nNew/8 && nOld == 0 && len(ix.terms) == 0 {
		ix.layout(toks, avgH, avgB)
	} else if changed > 64 && changed > nNew/8 {
		ix.relayout(toks, avgH, avgB)
	} else {
		ix.patch(toks, p, s, avgH, avgB)
	}
	ix.avgH, ix.avgB = avgH, avgB
	ix.settle()
}

// layout lays out an empty index on all cores: each core takes the terms of one shard (by a hash of
// the term) from every section, encodes their postings and sorts them; the shards' lists are merged,
// and each core writes the lines of a run of the merged list. (A Build without a cache lays out its
// index with sectionTerms.layout instead, holding no tokens.)
func (ix *index) layout(toks []*tokens, avgH, avgB float64) {
	ix.secs = make([]secState, len(toks))
	eachChunk(len(toks), 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ix.secs[i] = newSecState(toks[i], avgH, avgB)
		}
	})
	w := workers(len(toks), 256)
	type shard struct {
		terms        map[string]*termRec
		sorted, stop []*termRec
	}
	shards := make([]shard, w)
	eachRange(w, w, func(k, _, _ int) {
		terms := map[string]*termRec{}
		for i, t := range toks {
			q := ix.secs[i].q
			for _, tt := range t.terms {
				if w > 1 && int(tt.hash%uint32(w)) != k {
					continue
				}
				r := terms[tt.term]
				if r == nil {
					// a copy, so that the term does not keep the whole text of a section alive
					r = &termRec{term: strings.Clone(tt.term), stop: Stopwords[tt.term]}
					terms[r.term] = r
				}
				r.ps = append(r.ps, posting{sec: int32(i), q: q[tt.shape], head: t.shapes[tt.shape].head})
			}
		}
		sh := &shards[k]
		for _, r := range terms {
			r.post = encodePostings(r.ps)
			if r.stop {
				sh.stop = append(sh.stop, r)
			} else {
				sh.sorted = append(sh.sorted, r)
			}
		}
		byTerm := func(a, b *termRec) int { return compareUTF16(a.term, b.term) }
		slices.SortFunc(sh.sorted, byTerm)
		slices.SortFunc(sh.stop, byTerm)
		sh.terms = terms
	})
	sorted, stop := make([][]*termRec, w), make([][]*termRec, w)
	for k := range shards {
		sorted[k], stop[k] = shards[k].sorted, shards[k].stop
	}
	ix.sorted, ix.stop = mergeSorted(sorted, termOf), mergeSorted(stop, termOf)
	ix.sortedLines, ix.stopLines = writeLines(ix.sorted), writeLines(ix.stop)
	n := 0
	for _, sh := range shards {
		n += len(sh.terms)
	}
	ix.terms = make(map[string]*termRec, n)
	for _, sh := range shards {
		maps.Copy(ix.terms, sh.terms)
	}
}

// termHash spreads terms over the shards of layout. Made once per term of a section while tokenizing
// (on all cores, and kept with the cached tokens), not by each shard for every term it passes over.
func termHash[T string | []byte](term T) uint32 {
	h := uint32(len(term))
	for i := 0; i < len(term); i++ {
		h = h*31 + uint32(term[i])
	}
	return h
}

// mergeSorted merges lists sorted by compareUTF16 of their terms into one.
func mergeSorted[T any](lists [][]T, term func(T) string) []T {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]T, 0, n)
	for len(out) < n {
		best := -1
		for k, l := range lists {
			if len(l) > 0 && (best < 0 || compareUTF16(term(l[0]), term(lists[best][0])) < 0) {
				best = k
			}
		}
		out = append(out, lists[best][0])
		lists[best] = lists[best][1:]
	}
	return out
}

// termOf is a term record's term, for mergeSorted.
func termOf(r *termRec) string { return r.term }

// writeLines writes the line of every term of a sorted list, front-coded against the one before it, a
// run of terms per core, and returns them.
func writeLines(l []*termRec) []string {
	lines := make([]string, len(l))
	eachChunk(len(l), 1024, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			var prev *termRec
			if i > 0 {
				prev = l[i-1]
			}
			writeLine(prev, l[i])
			lines[i] = l[i].line
		}
	})
	return lines
}

func (ix *index) relayout(toks []*tokens, avgH, avgB float64) {
	for _, r := range ix.terms {
		r.ps = r.ps[:0]
		ix.mark(r, 0, 0)
	}
	ix.secs = make([]secState, len(toks))
	for i, t := range toks {
		ix.secs[i] = newSecState(t, avgH, avgB)
		q := ix.secs[i].q
		for _, tt := range t.terms {
			r := ix.rec(tt.term)
			r.ps = append(r.ps, posting{sec: int32(i), q: q[tt.shape], head: t.shapes[tt.shape].head})
			ix.mark(r, 0, 0)
		}
	}
}

// patch replaces sections [p, len(ix.secs)-s) with toks[p:len(toks)-s]; when there are as many, only
// those that differ.
func (ix *index) patch(toks []*tokens, p, s int, avgH, avgB float64) {
	nOld, nNew := len(ix.secs), len(toks)
	same := func(i int) bool { return nOld == nNew && ix.secs[i].tok == toks[i] }
	for i := p; i < nOld-s; i++ {
		if same(i) {
			continue
		}
		sec := int32(i)
		for _, tt := range ix.secs[i].tok.terms {
			r := ix.terms[tt.term]
			j := r.find(sec)
			r.ps = append(r.ps[:j], r.ps[j+1:]...)
			ix.mark(r, j, len(r.ps)-j-1)
		}
	}
	if delta := int32(nNew - nOld); delta != 0 {
		from := int32(nOld - s)
		for _, list := range [...]struct {
			l     []*termRec
			lines []string
		}{{ix.sorted, ix.sortedLines}, {ix.stop, ix.stopLines}} {
			l, lines := list.l, list.lines
			for i, r := range l {
				j := r.find(from)
				if j == len(r.ps) {
					continue
				}
				for k := j; k < len(r.ps); k++ {
					r.ps[k].sec += delta
				}
				if r.dirty {
					ix.mark(r, j, len(r.ps)-j-1)
					continue
				}
				// most terms change only here: encode the one gap now, while the term is at hand
				r.lo, r.tail = j, len(r.ps)-j-1
				if ix.reencode(r) {
					if len(lines) == len(l) {
						lines[i] = r.line
					} else {
						ix.stale = append(ix.stale, r)
					}
				}
			}
		}
		secs := make([]secState, nNew)
		copy(secs, ix.secs[:p])
		copy(secs[nNew-s:], ix.secs[nOld-s:])
		ix.secs = secs
	}
	moved := avgH != ix.avgH || avgB != ix.avgB
	for i, t := range toks {
		sec := int32(i)
		if i < p || i >= nNew-s || same(i) {
			if moved && !ix.secs[i].holds(avgH, avgB) {
				ix.reweigh(sec, avgH, avgB)
			}
			continue
		}
		ix.secs[i] = newSecState(t, avgH, avgB)
		q := ix.secs[i].q
		for _, tt := range t.terms {
			r := ix.rec(tt.term)
			j := r.find(sec)
			r.ps = append(r.ps, posting{})
			copy(r.ps[j+1:], r.ps[j:])
			r.ps[j] = posting{sec: sec, q: q[tt.shape], head: t.shapes[tt.shape].head}
			ix.mark(r, j, len(r.ps)-j-2)
		}
	}
}

// reweigh updates the postings of an unchanged section whose weights moved with the average lengths.
func (ix *index) reweigh(sec int32, avgH, avgB float64) {
	s := &ix.secs[sec]
	t := s.tok
	old := append(ix.qs[:0], s.q...)
	ix.qs = old
	any := false
	for k, sh := range t.shapes {
		if q := weight(sh, t.hLen, t.bLen, avgH, avgB); q != s.q[k] {
			s.q[k] = q
			any = true
		}
	}
	s.fit(avgH, avgB)
	if !any {
		return
	}
	for _, tt := range t.terms {
		if s.q[tt.shape] != old[tt.shape] {
			r := ix.terms[tt.term]
			j := r.find(sec)
			r.ps[j].q = s.q[tt.shape]
			ix.mark(r, j, len(r.ps)-j-1)
		}
	}
}

// find returns where section sec's posting is, or would be inserted.
func (r *termRec) find(sec int32) int {
	if n := len(r.ps); n == 0 || r.ps[0].sec >= sec {
		return 0
	} else if r.ps[n-1].sec < sec {
		return n
	}
	return sort.Search(len(r.ps), func(i int) bool { return r.ps[i].sec >= sec })
}

// settle re-encodes the marked terms, drops those left without postings, files new ones in the sorted
// lists and rewrites the lines whose term, postings or predecessor changed.
func (ix *index) settle() {
	fresh, dead, stale := ix.fresh[:0], ix.dead[:0], ix.stale
	for _, r := range ix.dirty {
		r.dirty = false
		if len(r.ps) == 0 {
			delete(ix.terms, r.term)
			if !r.fresh {
				dead = append(dead, r)
			}
			r.ps = nil
			continue
		}
		if r.fresh {
			r.post = encodePostings(r.ps)
			r.lineStale = true
			fresh = append(fresh, r)
			continue
		}
		if ix.reencode(r) {
			stale = append(stale, r)
		}
	}
	clear(ix.dirty)
	ix.dirty = ix.dirty[:0]
	ix.sorted, ix.sortedLines = ix.refile(ix.sorted, ix.sortedLines, fresh, dead, stale, false)
	ix.stop, ix.stopLines = ix.refile(ix.stop, ix.stopLines, fresh, dead, stale, true)
	clear(fresh)
	clear(dead)
	clear(stale)
	ix.fresh, ix.dead, ix.stale = fresh[:0], dead[:0], stale[:0]
}

// reencode brings r.post and r.line up to date with r.ps, the line front-coded against the same term
// as before (refile writes it again if that changed), reporting whether they changed. Only the
// postings between the unchanged ones at both ends are encoded again; the rest of the line is kept.
func (ix *index) reencode(r *termRec) bool {
	n := len(r.ps)
	lo := min(r.lo, n)
	tail := max(0, min(r.tail, n-lo))
	old := r.post
	n0, nLen := decodeVLQ(r.line[1:]) // the line is that of the old postings: its count is theirs
	if lo+tail > int(n0) {
		lo, tail = 0, 0
	}
	// scan from the nearer end of the old postings for where the changed ones begin and end
	var a, b int
	if lo <= int(n0)/2 {
		a = vlqEnd(old, 2*lo)
	} else {
		a = vlqStartOfLast(old, 2*(int(n0)-lo))
	}
	if tail <= int(n0)/2 {
		b = vlqStartOfLast(old, 2*tail)
	} else {
		b = vlqEnd(old, 2*(int(n0)-tail))
	}
	prev := int32(-1)
	if lo > 0 {
		prev = r.ps[lo-1].sec
	}
	mid := appendPostings(ix.buf[:0], r.ps[lo:n-tail], prev)
	ix.buf = mid
	if string(mid) == old[a:b] {
		return false
	}
	// the line is the shared-prefix digit, the count, the rest of the term, a space and the postings
	rest := r.line[1+nLen : len(r.line)-len(old)]
	var line strings.Builder
	line.Grow(1 + 4 + len(rest) + a + len(mid) + len(old) - b)
	var count [13]byte
	line.WriteByte(r.line[0])
	line.Write(appendVLQ(count[:0], uint64(n)))
	line.WriteString(rest)
	start := line.Len()
	line.WriteString(old[:a])
	line.Write(mid)
	line.WriteString(old[b:])
	r.line = line.String()
	r.post = r.line[start:]
	return true
}

// vlqEnd is where the first n VLQ numbers of s end.
func vlqEnd(s string, n int) int {
	if n == 0 {
		return 0
	}
	for i := 0; i < len(s); i++ {
		if vlqLast(s[i]) {
			if n--; n == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// vlqStartOfLast is where the last n VLQ numbers of s start.
func vlqStartOfLast(s string, n int) int {
	for i := len(s) - 1; i >= 0; i-- {
		if vlqLast(s[i]) {
			if n == 0 {
				return i + 1
			}
			n--
		}
	}
	return 0
}

// vlqLast reports whether c is the last digit of a VLQ number (a digit below 32).
func vlqLast(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'f' }

// decodeVLQ reads the VLQ number at the start of s, returning it and its length.
func decodeVLQ[T string | []byte](s T) (uint64, int) {
	var v uint64
	for i := 0; i < len(s); i++ {
		d := uint64(b64Digit[s[i]])
		v |= (d & 31) << (5 * i)
		if d < 32 {
			return v, i + 1
		}
	}
	return v, len(s)
}

// b64Digit is the value of each digit of b64.
var b64Digit = func() (d [256]byte) {
	for i := range len(b64) {
		d[b64[i]] = byte(i)
	}
	return d
}()

// refile brings one sorted list (the stopwords' or the others') and its lines up to date: drops its
// dead terms, files the fresh ones, writes the lines of those and of the terms whose predecessor
// changed, and takes the lines of the stale terms, rewritten by reencode. A few changes are found by
// binary search; many by a pass over the list.
func (ix *index) refile(l []*termRec, lines []string, fresh, dead, stale []*termRec, stop bool) ([]*termRec, []string) {
	pick := func(rs []*termRec) (out []*termRec) {
		for _, r := range rs {
			if r.stop == stop {
				out = append(out, r)
			}
		}
		return out
	}
	fresh, dead, stale = pick(fresh), pick(dead), pick(stale)
	if len(fresh)+len(dead) > 64 || len(stale) > len(l)/16 || len(lines) != len(l) {
		l = merge(l, fresh, len(dead) > 0)
		lines = slices.Grow(lines[:0], len(l))[:len(l)]
		var prev *termRec
		for i, r := range l {
			if r.lineStale || r.prev != prev {
				writeLine(prev, r)
			}
			lines[i] = r.line
			prev = r
		}
		return l, lines
	}
	for _, r := range dead {
		if i := find(l, r.term); i < len(l) && l[i] == r {
			l = slices.Delete(l, i, i+1)
			lines = slices.Delete(lines, i, i+1)
		}
	}
	for _, r := range fresh {
		i := find(l, r.term)
		l = slices.Insert(l, i, r)
		lines = slices.Insert(lines, i, "")
	}
	// the lines to check: the changed terms', and those after a term put in or taken out
	check := func(i int) {
		if i < 0 || i >= len(l) {
			return
		}
		var prev *termRec
		if i > 0 {
			prev = l[i-1]
		}
		if r := l[i]; r.lineStale || r.prev != prev {
			writeLine(prev, r)
		}
		lines[i] = l[i].line
	}
	for _, r := range fresh {
		i := find(l, r.term)
		check(i)
		check(i + 1)
	}
	for _, r := range dead {
		check(find(l, r.term))
	}
	for _, r := range stale {
		check(find(l, r.term))
	}
	return l, lines
}

// merge drops the terms left without postings (when dead) and files the fresh ones in order.
func merge(sorted, fresh []*termRec, dead bool) []*termRec {
	if dead {
		kept := sorted[:0]
		for _, r := range sorted {
			if len(r.ps) > 0 {
				kept = append(kept, r)
			}
		}
		clear(sorted[len(kept):])
		sorted = kept
	}
	if len(fresh) == 0 {
		return sorted
	}
	sort.Slice(fresh, func(i, j int) bool { return lessUTF16(fresh[i].term, fresh[j].term) })
	out := make([]*termRec, 0, len(sorted)+len(fresh))
	i := 0
	for _, r := range fresh {
		for i < len(sorted) && lessUTF16(sorted[i].term, r.term) {
			out = append(out, sorted[i])
			i++
		}
		out = append(out, r)
	}
	return append(out, sorted[i:]...)
}

// find returns where term is in the sorted list l, or would be filed.
func find(l []*termRec, term string) int {
	return sort.Search(len(l), func(i int) bool { return !lessUTF16(l[i].term, term) })
}

// restartLine is the line of r (whose line is line) front-coded against no term, as the first line
// of a term block.
func restartLine(r *termRec, line string) string {
	_, n := decodeVLQ(line[1:])
	return b64[:1] + line[1:1+n] + r.term + line[len(line)-len(r.post)-1:]
}

// writeLine writes r's line front-coded against prev; its postings are the end of the line.
func writeLine(prev, r *termRec) {
	p := ""
	if prev != nil {
		p = prev.term
	}
	r.line = termLine(p, r.term, len(r.ps), r.post)
	r.post = r.line[len(r.line)-len(r.post):]
	r.prev, r.lineStale, r.fresh = prev, false, false
}

// termLine writes one term's line: the length (in UTF-16 units, at most 63) of the prefix shared with
// the previous term as one base64 digit, the document frequency (count) as VLQ, the rest of the term, a
// space and the term's postings line. Front coding starts afresh with every block, which chunk lines
// handle.
func termLine(prev, term string, count int, post string) string {
	n, rest := sharedPrefix(prev, term)
	var digits [13]byte
	vlq := appendVLQ(digits[:0], uint64(count))
	var b strings.Builder
	b.Grow(1 + len(vlq) + len(rest) + 1 + len(post))
	b.WriteByte(b64[n])
	b.Write(vlq)
	b.WriteString(rest)
	b.WriteByte(' ')
	b.WriteString(post)
	return b.String()
}

// sharedPrefix returns the length in UTF-16 units (at most 63, never splitting a surrogate pair) of the
// prefix t shares with prev, and the rest of t after it.
func sharedPrefix(prev, t string) (int, string) {
	if isASCII(prev) && isASCII(t) {
		n := 0
		for n < len(t) && n < len(prev) && n < 63 && t[n] == prev[n] {
			n++
		}
		return n, t[n:]
	}
	u, pu := utf16.Encode([]rune(t)), utf16.Encode([]rune(prev))
	n := 0
	for n < len(u) && n < len(pu) && n < 63 && u[n] == pu[n] {
		n++
	}
	if n > 0 && n < len(u) && u[n] >= 0xdc00 && u[n] <= 0xdfff {
		n--
	}
	return n, string(utf16.Decode(u[n:]))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// eachTerm calls fn with every term of text: each word whole, and its parts (see tokenizeWords).
func eachTerm(text string, fn func(w string)) {
	tokenizeWords(text, func(whole string, parts []string) {
		fn(whole)
		for _, p := range parts {
			fn(p)
		}
	})
}

// encodePostings writes a term's postings: for each section containing it, the gap to the previous
// section (minus one) and (weight<<1 | inHeading), all as VLQ; a weight below 16 keeps the pair to
// one digit.
func encodePostings(ps []posting) string {
	return string(appendPostings(make([]byte, 0, 2*len(ps)+4), ps, -1))
}

// appendPostings appends the encoding of ps, the first gap taken from section prev.
func appendPostings(b []byte, ps []posting, prev int32) []byte {
	for _, p := range ps {
		b = appendPosting(b, p, prev)
		prev = p.sec
	}
	return b
}

// appendPosting appends the encoding of one posting that follows section prev.
func appendPosting(b []byte, p posting, prev int32) []byte {
	v := uint64(p.q) << 1
	if p.head {
		v |= 1
	}
	return appendVLQ(appendVLQ(b, uint64(p.sec-prev-1)), v)
}
