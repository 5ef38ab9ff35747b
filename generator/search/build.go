package search

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/lectern/lectern/generator/whitespace"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Doc is one searchable unit: a heading section (h1–h6 with an id) or a page preamble (Anchor "").
type Doc struct {
	URL      string   // page URL relative to the site root, e.g. "glue/" ("" = home)
	Anchor   string   // heading id, "" for the preamble
	Page     string   // page title
	Path     []string // breadcrumb of headings under the page title down to this section (empty for preamble)
	Level    int      // heading level, 0 for preamble
	Heading  string   // heading text
	Body     string   // plain text of the section body (no sub-sections)
	Emphasis string   // text of tip boxes and key points in the section (weighted above body)
}

// Options tunes Build; the zero value is the default.
type Options struct {
	Synonyms   map[string][]string // extra alias groups, e.g. the service catalog: "emr" -> {"elastic mapreduce"}
	SplitAbove int                 // gzip bytes; 0 = default (~100 KB): above it, write the split index
	// Entry, when set, is the path of the entry file instead of one named after its content. The
	// pipeline names it after the index's input (see EntryFor) so that pages can name it before the
	// index is built, and the two can be made at the same time.
	Entry string
	// Cache, when set, carries work over from the previous Build (and EntryFor) with the same cache:
	// only what changed is redone, and the output is the same as without it.
	Cache *Cache
	// Emit, when set, receives each file as soon as it is final, from several goroutines at once, and
	// Build returns none: a build without a Cache then holds a few files at a time rather than the
	// whole index. After an error from Emit, Build writes no more and returns that error.
	Emit func(File) error
	// Text, when set, gives back the docs' Body and Emphasis, which EntryFor and Build then read from it
	// and not from the docs: the caller need not hold every section's text while the index is made.
	// Text(i) returns the text of docs[i] and of as many docs after it as it has at hand (at least
	// docs[i]'s). Each pass over the text reads the docs in order, so a caller that keeps the text by
	// note answers with the rest of the note, and is asked about once per note and pass (again for a
	// note whose docs fall on both sides of where a pass cuts its work between cores). It is called from
	// several goroutines at once; its error fails the Build. Only a Build without a Cache takes it.
	// With the text, it is lent the reader's buffer (see TextBuffer), which it may fill and answer from.
	Text func(doc int, buf *TextBuffer) ([]Text, error)
	// TextSize, with Text, is about how many bytes of Body and Emphasis docs[i] has. Build shares its
	// work between the cores by these sizes, and without them reads the text once more to know them.
	// Only their sums over runs of pages matter: a share of its note's size will do for each doc.
	TextSize func(doc int) int
}

// EntryFor names an entry file after everything Build reads: the same docs and options always give
// the same name, and any change to them a new one, which is what caching needs. It hashes a digest of
// each doc, so that with opts.Cache only changed docs are hashed again. Its error is that of
// opts.Text.
func EntryFor(docs []Doc, opts Options) (string, error) {
	if opts.Text != nil && opts.Cache != nil {
		return "", errTextWithCache
	}
	h := sha256.New()
	fmt.Fprintf(h, "v%d\x00%d\x00", FormatVersion, opts.SplitAbove)
	keys := make([]string, 0, len(opts.Synonyms))
	for k := range opts.Synonyms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, strings.Join(opts.Synonyms[k], "\x01"))
	}
	fmt.Fprintf(h, "%d\x00", len(docs))
	each := func(sum [sha256.Size]byte) { h.Write(sum[:]) }
	if opts.Cache != nil {
		opts.Cache.digestsFor(docs, each)
	} else {
		// The digests are made on every core, each from its own reader (the whole site's text is read
		// back for them, and pages wait for this name), then hashed in order.
		t := newTexts(docs, opts)
		sums := make([][sha256.Size]byte, len(docs))
		eachChunk(len(docs), 64, func(lo, hi int) {
			r := t.reader()
			defer r.release()
			var g digester
			for i := lo; i < hi; i++ {
				body, emph := r.doc(i)
				sums[i] = g.digest(&docs[i], body, emph)
			}
		})
		if err := t.failed(); err != nil {
			return "", err
		}
		for _, sum := range sums {
			each(sum)
		}
	}
	return "search/index." + hex.EncodeToString(h.Sum(nil)[:5]) + ".js", nil
}

// File is one index file to write.
type File struct {
	Path string // relative to the site root, e.g. "search/index.3f2a9c1d.js"
	Data []byte
}

// DefaultSplitAbove is the gzip size of the one-file index above which Build writes the split index.
const DefaultSplitAbove = 100 << 10

// Sizes of the pieces of a split index (uncompressed bytes), chosen so that a cold query stays within
// a few small requests; see docs/search.md for the measurements behind them.
const (
	dictShardBytes = 6 << 10
	textChunkBytes = 8 << 10
)

// BM25F parameters. The per-posting part of the score (term frequency saturation with length
// normalisation and field weights) does not depend on the query, so it is computed here and stored
// quantised to 15 levels; search.js only multiplies by the idf.
const (
	bmK1       = 1.2
	bmB        = 0.75 // body length normalisation
	bmBHead    = 0.3  // heading length normalisation
	wHead      = 4.0  // a heading occurrence counts like four body occurrences
	wEmphasis  = 1.5  // a tip box or key point occurrence, on top of the body
	bmLevels   = 15
	bmMaxScore = bmK1 + 1
)

// FormatVersion is written into every index so search.js can refuse an index it does not understand.
// Version 2 names chunk files by the hash of their group rather than of all files of their kind.
const FormatVersion = 2

// Chunk files are named in groups of this many consecutive files, each group after a hash of its
// files: an edit renames the groups holding a changed file and no other. Smaller groups rename fewer
// files per edit but add a hash per group to the head, which every cold query loads. An edit changes
// a few term blocks far apart (one per changed term) and usually one text chunk, hence smaller groups
// of blocks; see docs/search.md for the measurements.
const (
	dictGroupSize = 8
	textGroupSize = 32
)

//go:embed stopwords.txt
var stopwordsText string

// Stopwords is the set of words kept out of the normal postings.
var Stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(stopwordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

type section struct {
	index int
	doc   *Doc
	page  int
	src   int32 // the doc in Build's input whose text is the section's; -1 for preambles merged by collect
}

type page struct {
	url, title string
	first, n   int
}

// Build returns the files to write and the script paths a page must load (in order) before querying,
// fingerprinted for caching. Deterministic for the same input, with or without opts.Cache. With
// opts.Emit, each file goes there as soon as it is final and Build returns none.
func Build(docs []Doc, opts Options) (files []File, entry []string, err error) {
	if opts.Text != nil && opts.Cache != nil {
		return nil, nil, errTextWithCache
	}
	c := opts.Cache
	if c == nil {
		c = &Cache{throwaway: true}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &writer{emit: opts.Emit}
	text := newTexts(docs, opts)
	text.fail = w.fail // nothing more is written once the text cannot be read
	r := text.reader()
	secs, pages, err := collect(docs, &c.scratch, r)
	r.release()
	if err == nil {
		err = w.failed()
	}
	if err != nil {
		return nil, nil, err
	}
	limit := opts.SplitAbove
	if limit <= 0 {
		limit = DefaultSplitAbove
	}
	h := head{
		V:     FormatVersion,
		N:     len(secs),
		Secs:  encodeSections(secs),
		Pages: encodePages(pages),
		Stop:  strings.Join(sortedKeys(Stopwords), " "),
	}
	// the postings, the excerpt records and the synonym groups are made side by side (each from its
	// own part of the cache)
	recs := &records{secs: secs, pages: pages, text: text}
	var syn [][]string
	var wg sync.WaitGroup
	ix := &c.ix
	if c.throwaway {
		// the read pass finds the acronyms of the docs it reads whole (a pass over the text less);
		// those of the preambles merged or dropped are found apart
		st := readSections(recs)
		wg.Go(func() {
			syn = synonymGroupsWith(docs, opts.Synonyms, func(docs []Doc, add func(acr, long string)) {
				text.acronymsIn(docs, acronymsLeft(docs, secs), add)
				for _, f := range st.acros {
					for _, a := range f {
						add(a[0], a[1])
					}
				}
			})
		})
		st.layout(ix)
	} else {
		wg.Go(func() {
			syn = c.synonymGroups(docs, opts.Synonyms)
			recs.texts = c.encodeTexts(secs, pages)
		})
		ix.update(c.tokenizeAll(secs))
	}
	wg.Wait()
	if err := w.failed(); err != nil {
		return nil, nil, err
	}
	h.Syn = syn
	terms, termLines := ix.sorted, ix.sortedLines

	if c.stop.data == nil || !c.stop.holdsTerms(ix.stop, ix.stopLines) {
		c.stop = chunk{}
		if !c.throwaway {
			c.stop.lines, c.stop.recs = slices.Clone(ix.stopLines), slices.Clone(ix.stop)
		}
		n := 64
		for _, l := range ix.stopLines {
			n += len(l) + 2
		}
		b := loadPrefix(make([]byte, 0, n), "s", 0)
		if len(ix.stopLines) > 0 {
			b = appendLinesJSON(b, ix.stopLines[0], ix.stopLines[1:])
		} else {
			b = append(b, `""`...)
		}
		c.stop.data = append(b, loadSuffix...)
	}
	h.Files.S = fingerprint("search/stop", c.stop.data)
	w.write(File{Path: h.Files.S, Data: c.stop.data})

	raw := 0
	for i := range secs {
		raw += recs.length(i) + 1
	}
	if raw <= 10*limit {
		for _, r := range terms {
			raw += len(r.term) + len(r.post) + 4
		}
	}
	// text and postings never gzip below a tenth of their size: skip the trial when it cannot fit
	if raw <= 10*limit {
		// Below the limit uncompressed, it is below it compressed: no need to try (the dev server
		// rebuilds the index on every save).
		if single := singleFile(c, h, strings.Join(termLines, "\n"), textChunk(nil, recs, 0, len(secs))); len(single) <= limit || c.gzipSize(single) <= limit {
			p := fingerprint("search/index", single)
			if opts.Entry != "" {
				p = opts.Entry
			}
			w.write(File{Path: p, Data: single})
			c.dict, c.text = nil, nil
			return w.done([]string{p})
		}
	}

	// split: term blocks of about dictShardBytes, each term with its postings, so a query word costs
	// one request; a term with very long postings makes a larger block of its own. A block or chunk made
	// from the same terms' lines or sections' records as the last build's at its place is that one.
	ranges := chunkRanges(len(terms), func(i int) int { return len(termLines[i]) }, dictShardBytes)
	for _, r := range ranges {
		first := "" // a site without terms has one empty block
		if r[0] < r[1] {
			first = terms[r[0]].term
		}
		h.Dict = append(h.Dict, first)
	}
	var dict []chunk // the blocks, when the cache keeps them
	if !c.throwaway {
		dict = spare(&c.spare.dict, len(ranges))
	}
	h.Files.D = w.chunks("search/d", len(ranges), dictGroupSize, c.nameBuffers(&c.names.dict), dict, func(i int) chunk {
		r := ranges[i]
		if i < len(c.dict) && c.dict[i].holdsTerms(terms[r[0]:r[1]], termLines[r[0]:r[1]]) {
			return c.dict[i]
		}
		return dictChunk(i, terms[r[0]:r[1]], termLines[r[0]:r[1]], !c.throwaway)
	})
	if c.throwaway {
		// the blocks are written: the terms and their lines (8 MB of da's) need not outlive them while
		// the text chunks are made
		*ix, terms, termLines = index{}, nil, nil
	} else {
		c.dict, c.spare.dict = dict, c.dict
	}
	w.textChunks(&h, c, recs)
	headData := loadCall("head", 0, h)
	p := fingerprint("search/head", headData)
	if opts.Entry != "" {
		p = opts.Entry
	}
	w.write(File{Path: p, Data: headData})
	return w.done([]string{p})
}

// acronymsLeft is what the acronyms of the docs need looked at after the read pass, which found those
// of every section whose text is one doc's (src >= 0): the preambles merged into a section (src < 0),
// whole, and the preambles dropped (redundantPreamble), whose text is blank, for their heading.
func acronymsLeft(docs []Doc, secs []section) []uint8 {
	look := make([]uint8, len(docs))
	for i := range docs {
		look[i] = acroHeading
	}
	merged := map[string]bool{} // the pages with a merged preamble
	for i := range secs {
		if src := secs[i].src; src >= 0 {
			look[src] = acroNone
		} else {
			merged[secs[i].doc.URL] = true
		}
	}
	for i := range docs {
		if look[i] != acroNone && merged[docs[i].URL] {
			look[i] = acroAll
		}
	}
	return look
}

// textChunks writes the text chunks of the split index, of about textChunkBytes of records each, and
// names them in the head.
func (w *writer) textChunks(h *head, c *Cache, recs *records) {
	ranges := chunkRanges(len(recs.secs), recs.length, textChunkBytes)
	for _, r := range ranges {
		h.Text = append(h.Text, r[0])
	}
	var text []chunk
	if !c.throwaway {
		text = spare(&c.spare.text, len(ranges))
	}
	h.Files.T = w.chunks("search/t", len(ranges), textGroupSize, c.nameBuffers(&c.names.text), text, func(i int) chunk {
		r := ranges[i]
		if i < len(c.text) && c.text[i].holdsTexts(recs.secs[r[0]:r[1]], recs.pages, recs.texts[r[0]:r[1]]) {
			return c.text[i]
		}
		return textChunkFile(i, recs, r[0], r[1], !c.throwaway)
	})
	if !c.throwaway {
		c.text, c.spare.text = text, c.text
	}
	h.Text = deltas(h.Text)
}

// spare returns n chunks to fill, in the slice *s (the one the build before last filled: the last
// build's are read while these are filled).
func spare(s *[]chunk, n int) []chunk {
	clear(*s)
	return slices.Grow((*s)[:0], n)[:n]
}

// dictChunk is term block i (the terms with their lines), file data and, when keep, what it was made
// from.
func dictChunk(i int, terms []*termRec, lines []string, keep bool) chunk {
	var k chunk
	if keep {
		k.lines, k.recs = slices.Clone(lines), slices.Clone(terms)
	}
	n := 0
	for _, l := range lines {
		n += len(l) + 2
	}
	k.data = loadPrefix(make([]byte, 0, n+n/16+64), "d", i)
	k.data = append(appendBlockJSON(k.data, terms, lines), loadSuffix...)
	k.sum = sha256.Sum256(k.data)
	return k
}

// holdsTerms reports whether the block was made from these terms with these lines.
func (k *chunk) holdsTerms(terms []*termRec, lines []string) bool {
	return slices.Equal(k.recs, terms) && slices.Equal(k.lines, lines)
}

// textChunkFile is text chunk i, the records of sections [lo, hi), file data and, when keep, what it
// was made from.
func textChunkFile(i int, recs *records, lo, hi int, keep bool) chunk {
	var k chunk
	if keep {
		k.texts = slices.Clone(recs.texts[lo:hi])
		last := -1
		for _, s := range recs.secs[lo:hi] {
			if s.page != last {
				p := &recs.pages[s.page]
				k.pages = append(k.pages, pageKey{s.page, p.url, p.title})
				last = s.page
			}
		}
	}
	b := loadPrefix(nil, "t", i)
	b = textChunk(b, recs, lo, hi)
	k.data = append(b, loadSuffix...)
	k.sum = sha256.Sum256(k.data)
	return k
}

// holdsTexts reports whether the chunk was made from these records of sections of these pages.
func (k *chunk) holdsTexts(secs []section, pages []page, recs [][]byte) bool {
	if len(k.texts) != len(recs) {
		return false
	}
	for j, r := range recs {
		if !bytes.Equal(k.texts[j], r) {
			return false
		}
	}
	n, last := 0, -1
	for _, s := range secs {
		if s.page != last {
			p := &pages[s.page]
			if n == len(k.pages) || k.pages[n] != (pageKey{s.page, p.url, p.title}) {
				return false
			}
			n, last = n+1, s.page
		}
	}
	return n == len(k.pages)
}

// appendBlockJSON appends one term block as a JSON string: the terms' lines, with front coding
// started afresh at its first term.
func appendBlockJSON(b []byte, terms []*termRec, lines []string) []byte {
	if len(terms) == 0 {
		return append(b, `""`...)
	}
	return appendLinesJSON(b, restartLine(terms[0], lines[0]), lines[1:])
}

// appendLinesJSON appends first and the lines after it, one a line, as a JSON string.
func appendLinesJSON(b []byte, first string, lines []string) []byte {
	plain := plainJSON(first)
	for _, l := range lines {
		plain = plain && plainJSON(l)
	}
	if !plain {
		return appendJSONString(b, first+"\n"+strings.Join(lines, "\n"))
	}
	b = append(append(b, '"'), first...)
	for _, l := range lines {
		b = append(append(b, `\n`...), l...)
	}
	return append(b, '"')
}

// singleFile is the one-file index: the head with every term (postings inline) and all text. It is
// written as loadCall would write the head with Inline set, without JSON-checking the text again.
func singleFile(c *Cache, h head, lines string, text []byte) []byte {
	h.Dict = []string{""}
	h.Text = []int{0}
	hj := marshal(h) // Inline is head's last field
	d := appendJSONString(nil, lines)
	b := make([]byte, 0, len(hj)+len(d)+len(text)+64)
	b = loadPrefix(b, "index", 0)
	b = append(b, hj[:len(hj)-1]...)
	b = append(b, `,"inline":{"d":[`...)
	b = append(b, d...)
	b = append(b, `],"t":[`...)
	b = append(b, text...)
	b = append(b, "]}}"...)
	return append(b, loadSuffix...)
}

// nameBuffers returns b, or in a build without a cache, buffers of its own.
func (c *Cache) nameBuffers(b *nameBuffers) *nameBuffers {
	if c.throwaway {
		return &nameBuffers{}
	}
	return b
}

// scratch is where collect works, kept from one build to the next so that a cached build allocates
// nothing in proportion to the site there.
type scratch struct {
	byURL    map[string]int
	pageOf   []int // page of each doc, -1 when merged into an earlier preamble
	start, n []int // per page: where its next doc goes in order, how many it has
	preamble []int // per page: its preamble in merged, or -1
	merged   []Doc
	from     []int32 // per merged preamble: the doc it was copied from, -1 once joined with another
	order    []*Doc
	orderSrc []int32 // per doc of order: its section's src
	seen     map[string]bool
	secs     []section
	pages    []page
	texts    [][]byte
	toks     []*tokens
}

// collect orders the docs page by page (pages in order of first appearance, sections in input order)
// and checks them. Several preambles of one page (say, the text before the first heading and the
// page's aliases) are merged into one, in input order, where the first of them stood. The results
// live in sc until the next collect.
func collect(docs []Doc, sc *scratch, text *textReader) ([]section, []page, error) {
	if sc.byURL == nil {
		sc.byURL = map[string]int{}
	}
	clear(sc.byURL)
	nPre := 0
	for i := range docs {
		if docs[i].Level == 0 {
			nPre++
		}
	}
	if cap(sc.merged) < nPre { // merged preambles are pointed to: it must not move
		sc.merged = make([]Doc, 0, nPre)
	}
	clear(sc.merged)
	merged, from, preamble, counts := sc.merged[:0], sc.from[:0], sc.preamble[:0], sc.n[:0]
	pageOf := slices.Grow(sc.pageOf[:0], len(docs))[:len(docs)]
	lastURL, lastP := "", -1
	for i := range docs {
		d := &docs[i]
		if d.Level < 0 || d.Level > 6 {
			return nil, nil, fmt.Errorf("search: %s#%s: heading level %d out of range 0–6", d.URL, d.Anchor, d.Level)
		}
		if (d.Level == 0) != (d.Anchor == "") {
			return nil, nil, fmt.Errorf("search: %s#%s: a preamble has level 0 and no anchor, a heading section both (level %d)", d.URL, d.Anchor, d.Level)
		}
		p := lastP
		if p < 0 || d.URL != lastURL {
			var ok bool
			if p, ok = sc.byURL[d.URL]; !ok {
				p = len(counts)
				sc.byURL[d.URL] = p
				counts, preamble = append(counts, 0), append(preamble, -1)
			}
			lastURL, lastP = d.URL, p
		}
		pageOf[i] = p
		if d.Level == 0 {
			if j := preamble[p]; j >= 0 {
				m := &merged[j]
				if from[j] >= 0 {
					// the joined text is held here: read the first preamble's (its own with the text
					// in the docs), copied, as the reader's next read may overwrite it
					body, emph := text.doc(int(from[j]))
					m.Body, m.Emphasis = strings.Clone(body), strings.Clone(emph)
					from[j] = -1
				}
				body, emph := text.doc(i)
				m.Body = strings.Clone(joinText(m.Body, body))
				m.Emphasis = strings.Clone(joinText(m.Emphasis, emph))
				if m.Page == "" {
					m.Page = d.Page
				}
				pageOf[i] = -1
				continue
			}
			preamble[p] = len(merged)
			merged = append(merged, *d)
			from = append(from, int32(i))
		}
		counts[p]++
	}
	start := slices.Grow(sc.start[:0], len(counts))[:len(counts)]
	at := 0
	for p, n := range counts {
		start[p] = at
		at += n
	}
	order := slices.Grow(sc.order[:0], at)[:at]
	orderSrc := slices.Grow(sc.orderSrc[:0], at)[:at]
	for i := range docs {
		p := pageOf[i]
		if p < 0 {
			continue
		}
		d, src := &docs[i], int32(i)
		if d.Level == 0 {
			d, src = &merged[preamble[p]], from[preamble[p]]
		}
		order[start[p]], orderSrc[start[p]] = d, src
		start[p]++
	}
	secs := sc.secs[:0]
	pages := slices.Grow(sc.pages[:0], len(counts))[:len(counts)]
	first := 0
	for p, n := range counts {
		ds, srcs := order[first:first+n], orderSrc[first:first+n]
		first += n
		pages[p] = page{url: ds[0].URL, title: ds[0].Page, first: len(secs), n: len(ds)}
		long := len(ds) > 48
		if long {
			if sc.seen == nil {
				sc.seen = map[string]bool{}
			}
			clear(sc.seen)
		}
		for j, d := range ds {
			s := section{index: len(secs), doc: d, page: p, src: srcs[j]}
			if redundantPreamble(d, ds, func() (string, string) { return text.section(&s) }) {
				pages[p].n--
				continue
			}
			if seenAnchor(long, sc.seen, secs[pages[p].first:], d.Anchor) {
				return nil, nil, fmt.Errorf("search: page %q has two sections with anchor %q", d.URL, d.Anchor)
			}
			secs = append(secs, s)
		}
	}
	sc.merged, sc.from, sc.preamble, sc.n, sc.pageOf, sc.start, sc.order, sc.orderSrc, sc.secs, sc.pages =
		merged, from, preamble, counts, pageOf, start, order, orderSrc, secs, pages
	return secs, pages, nil
}

// seenAnchor reports whether anchor is that of one of the page's sections so far: a short page's are
// searched, a long one's are noted in seen.
func seenAnchor(long bool, seen map[string]bool, page []section, anchor string) bool {
	if long {
		if seen[anchor] {
			return true
		}
		seen[anchor] = true
		return false
	}
	for i := range page {
		if page[i].doc.Anchor == anchor {
			return true
		}
	}
	return false
}

func joinText(a, b string) string {
	if strings.TrimSpace(a) == "" {
		return b
	}
	if strings.TrimSpace(b) == "" {
		return a
	}
	return a + "\n" + b
}

// redundantPreamble reports whether d, whose text is text(), is an empty preamble of a page whose
// title is also one of its headings: it would only be a second, textless result for the page. The text
// is read last, when the rest holds.
func redundantPreamble(d *Doc, page []*Doc, text func() (body, emphasis string)) bool {
	if d.Level != 0 || len(page) < 2 {
		return false
	}
	for _, h := range page {
		if h.Level > 0 && sameWords(h.Heading, d.Page) {
			body, emph := text()
			return strings.TrimSpace(body) == "" && strings.TrimSpace(emph) == ""
		}
	}
	return false
}

// sameWords reports whether oneLine(a) == oneLine(b), without making them.
func sameWords(a, b string) bool {
	if a == b {
		return true
	}
	for {
		var wa, wb string
		wa, a = nextWord(a)
		wb, b = nextWord(b)
		if wa != wb {
			return false
		}
		if wa == "" {
			return true
		}
	}
}

// nextWord returns the first of strings.Fields(s) ("" if none) and the text after it.
func nextWord(s string) (word, rest string) {
	i := 0
	for i < len(s) && asciiSpace[s[i]] {
		i++
	}
	if s = s[i:]; s != "" && s[0] >= utf8.RuneSelf {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	i = 0
	for i < len(s) && s[i] < utf8.RuneSelf && !asciiSpace[s[i]] {
		i++
	}
	if i == len(s) {
		return s, ""
	}
	if s[i] >= utf8.RuneSelf {
		if j := strings.IndexFunc(s[i:], unicode.IsSpace); j >= 0 {
			return s[:i+j], s[i+j:]
		}
		return s, ""
	}
	return s[:i], s[i:]
}

// plainJSON reports whether s is printable ASCII without quotes or backslashes, which JSON writes as
// they are.
func plainJSON(s string) bool { return plainPrefix(s) == len(s) }

// plainPrefix is the length of the longest prefix of s that plainJSON accepts. It looks at eight bytes
// at a time.
func plainPrefix[T string | []byte](s T) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - ones) & ^x & highs } // high bit of bytes that were 0
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8] // one bounds check for the eight bytes, not one each
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if (x-0x20*ones)&^x&highs|(x+ones|x)&highs|zero(x^'"'*ones)|zero(x^'\\'*ones) != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return i
		}
	}
	return i
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// appendJSONString appends s as a JSON string, byte for byte as marshal writes it (encoding/json
// without HTML escaping): runs of printable ASCII are copied whole, the rest escaped as it does.
func appendJSONString[T string | []byte](b []byte, s T) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '"')
	for {
		n := plainPrefix(s)
		b = append(b, s[:n]...)
		if s = s[n:]; len(s) == 0 {
			return append(b, '"')
		}
		c, size := s[0], 1
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', digits[c>>4], digits[c&0xf])
		case c < utf8.RuneSelf: // DEL
			b = append(b, c)
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(string(s[:min(len(s), utf8.UTFMax)]))
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029': // valid JSON, but not JavaScript before ES2019
				b = append(b, '\\', 'u', '2', '0', '2', digits[r&0xf])
			default:
				b = append(b, s[:size]...)
			}
		}
		s = s[size:]
	}
}

// head is the always-loaded part of the index. In the one-file index it also carries Inline data.
type head struct {
	V     int        `json:"v"`
	N     int        `json:"n"`     // number of sections
	Secs  string     `json:"secs"`  // heading level of each section, one digit each
	Pages string     `json:"pages"` // VLQ: number of sections of each page, in order
	Stop  string     `json:"stop"`  // the stopwords, space-separated
	Syn   [][]string `json:"syn"`   // synonym groups: a phrase, then its alternatives
	Dict  []string   `json:"dict"`  // first term of each term block
	Text  []int      `json:"text"`  // first section of each text chunk, as gaps
	Files struct {
		// D and T name the term blocks and the text chunks (none in the one-file index).
		D *groups `json:"d,omitempty"`
		T *groups `json:"t,omitempty"`
		S string  `json:"s"` // path of the stopword file
	} `json:"files"`
	Inline *inline `json:"inline,omitempty"`
}

// groups names the chunk files of one kind: chunk i of kind k is search/<k><i>.<H[i/G]>.js.
type groups struct {
	G int      `json:"g"` // chunks per group
	H []string `json:"h"` // the hash of each group
}

type inline struct {
	D []string          `json:"d"`
	T []json.RawMessage `json:"t"`
}

func encodeSections(secs []section) string {
	b := make([]byte, len(secs))
	for i, s := range secs {
		b[i] = byte('0' + s.doc.Level)
	}
	return string(b)
}

func deltas(xs []int) []int {
	out := make([]int, len(xs))
	prev := 0
	for i, x := range xs {
		out[i] = x - prev
		prev = x
	}
	return out
}

func encodePages(pages []page) string {
	var b []byte
	for _, p := range pages {
		b = appendVLQ(b, uint64(p.n))
	}
	return string(b)
}

// MaxExcerptText caps the text kept per section for excerpts (in bytes, cut at a word): a long
// section still ranks by all its words, but its excerpt comes from its beginning.
const MaxExcerptText = 5000

// encodeTexts returns per section the JSON [anchor, heading, text, [ancestor headings]] used for
// results and excerpts. The text is the body, followed by the emphasis text when the body does not
// contain it; ancestor headings equal to the page title are left out of the breadcrumb. (A Build
// without a cache makes them with readSections.)
func (c *Cache) encodeTexts(secs []section, pages []page) [][]byte {
	out := slices.Grow(c.scratch.texts[:0], len(secs))[:len(secs)]
	var stack []*section
	var x excerpt
	c.texts.begin(len(secs))
	for _, p := range pages {
		stack = stack[:0]
		for i := p.first; i < p.first+p.n; i++ {
			s := &secs[i]
			for len(stack) > 0 && stack[len(stack)-1].doc.Level >= s.doc.Level {
				stack = stack[:len(stack)-1]
			}
			d := s.doc
			k := textKey{anchor: d.Anchor, heading: d.Heading, body: d.Body, emphasis: d.Emphasis}
			if len(stack) > 0 {
				k.title, k.nAnc = p.title, len(stack)
				for i, a := range stack {
					k.anc[i] = a.doc.Heading
				}
			}
			m, ok := c.texts.get(i, k)
			if !ok {
				m = &memo{b: textRecord(&x, d, stack, p.title)}
				c.texts.add(k, m)
			}
			c.texts.use(i, k, m)
			out[i] = m.b
			stack = append(stack, s)
		}
	}
	c.texts.done()
	c.scratch.texts = out
	return out
}

// records are the sections' excerpt records (encodeTexts): with a cache, made and held; without, made
// again where they are written, with only their lengths held, so a build never holds them all.
type records struct {
	secs  []section
	pages []page
	texts [][]byte // with a cache: each section's record
	text  *texts   // the sections' text
	// without: each record's length, and each section's nearest ancestor in its page (-1 for none), the
	// top of the stack encodeTexts has when it reaches the section
	lens   []int
	parent []int32
}

// length is the length of section i's record.
func (r *records) length(i int) int {
	if r.texts != nil {
		return len(r.texts[i])
	}
	return r.lens[i]
}

// appendRecord appends section i's record, its text read by text and collapsed in x.
func (r *records) appendRecord(b []byte, i int, text *textReader, x *excerpt) []byte {
	if r.texts != nil {
		return append(b, r.texts[i]...)
	}
	var buf [maxAncestors + 1]*section
	stack := buf[:0]
	for p := r.parent[i]; p >= 0; p = r.parent[p] {
		stack = append(stack, &r.secs[p])
	}
	slices.Reverse(stack)
	s := &r.secs[i]
	body, emph := text.section(s)
	return appendTextRecord(b, x, s.doc, body, emph, stack, r.pages[s.page].title)
}

// textRecord is a section's record, its ancestors (those of its page with lower levels, from the top)
// on the stack, its text collapsed in x.
func textRecord(x *excerpt, d *Doc, stack []*section, title string) []byte {
	return appendTextRecord(nil, x, d, d.Body, d.Emphasis, stack, title)
}

// excerpt is where appendTextRecord collapses the white space of a section's text: its buffers are
// kept from one record to the next, so a record costs no allocation.
type excerpt struct{ text, emph []byte }

// excerpts are the excerpts of text chunks made, kept for the next (a chunk is a few records).
var excerpts = sync.Pool{New: func() any { return new(excerpt) }}

// appendTextRecord appends textRecord(d, stack, title) to b, with body and emphasis for d's.
func appendTextRecord(b []byte, x *excerpt, d *Doc, body, emphasis string, stack []*section, title string) []byte {
	var path []string
	if len(stack) > 0 {
		t := oneLine(title)
		for _, a := range stack {
			if h := oneLine(a.doc.Heading); h != "" && h != t {
				path = append(path, h)
			}
		}
	}
	text := x.excerptText(body, emphasis)
	// written as marshal([]any{anchor, heading, text, path}) would write it
	heading := oneLine(d.Heading)
	n := len(d.Anchor) + len(heading) + len(text) + 16
	for _, p := range path {
		n += len(p) + 3
	}
	b = slices.Grow(b, n+n/16)
	b = append(appendJSONString(append(b, '['), d.Anchor), ',')
	b = append(appendJSONString(b, heading), ',')
	b = append(appendJSONString(b, text), ",["...)
	for i, p := range path {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, p)
	}
	return append(b, "]]"...)
}

// textRecordLen is len(appendTextRecord(nil, x, d, body, emphasis, stack, title)), without writing
// the record: a build without a cache needs every record's length to cut the text chunks before it
// writes them (and holding the records would be 13 MB of da's).
func textRecordLen(x *excerpt, d *Doc, body, emphasis string, stack []*section, title string) int {
	n, paths := 0, 0
	if len(stack) > 0 {
		t := oneLine(title)
		for _, a := range stack {
			if h := oneLine(a.doc.Heading); h != "" && h != t {
				n += jsonLen(h)
				paths++
			}
		}
	}
	n += max(paths-1, 0) // the commas between them
	n += jsonLen(d.Anchor) + jsonLen(oneLine(d.Heading)) + jsonLen(x.excerptText(body, emphasis))
	return n + len(`[,,,[]]`)
}

// excerptText is the text of a section's record: the body, followed by the emphasis when the body does
// not hold it, on one line, cut at a word to MaxExcerptText. It is body itself, or in x until x's next
// use: text on one line already, as the markdown stage's sections are, and without emphasis to add, is
// not copied.
func (x *excerpt) excerptText(body, emphasis string) string {
	text := body
	if !isOneLine(body) {
		x.text = collapse(x.text[:0], body)
		text = unsafe.String(unsafe.SliceData(x.text), len(x.text))
	}
	if emphasis != "" {
		e := emphasis
		if !isOneLine(e) {
			x.emph = collapse(x.emph[:0], emphasis)
			e = unsafe.String(unsafe.SliceData(x.emph), len(x.emph))
		}
		if len(e) > 0 && !strings.Contains(text, e) {
			if len(x.text) == 0 || unsafe.StringData(text) != unsafe.SliceData(x.text) {
				x.text = append(x.text[:0], text...)
			}
			if len(x.text) > 0 {
				x.text = append(x.text, ' ')
			}
			x.text = append(x.text, e...)
			text = unsafe.String(unsafe.SliceData(x.text), len(x.text))
		}
	}
	if len(text) > MaxExcerptText {
		cut := strings.LastIndexByte(text[:MaxExcerptText], ' ')
		if cut < MaxExcerptText/2 {
			cut = MaxExcerptText
			for cut > 0 && !utf8.RuneStart(text[cut]) {
				cut--
			}
		}
		text = text[:cut]
	}
	return text
}

// jsonLen is len(appendJSONString(nil, s)).
func jsonLen(s string) int {
	n := 2
	for {
		p := plainPrefix(s)
		n += p
		if s = s[p:]; s == "" {
			return n
		}
		c, size := s[0], 1
		switch {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f':
			n += 2
		case c < 0x20:
			n += 6
		case c < utf8.RuneSelf: // DEL
			n++
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s)
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				n += 6
			} else {
				n += size
			}
		}
		s = s[size:]
	}
}

// oneLine is strings.Join(strings.Fields(s), " "): the words of s with one space between them. Text
// that is so already, as most is, is returned as it is.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	return whitespace.CollapseString(s)
}

// collapse appends oneLine(s) to b. The markdown stage's sections are so already: their text is only
// looked at, not collapsed again.
func collapse(b []byte, s string) []byte {
	n := len(b)
	b = append(b, s...)
	if isOneLine(s) {
		return b
	}
	return b[:n+whitespace.Collapse(b[n:])]
}

// isOneLine reports whether oneLine(s) is s: no white space at either end, and none between words but
// one space. It looks for each kind of white space with IndexByte, which goes through the text many
// bytes at a time, and decodes only the characters that may be Unicode spaces.
func isOneLine(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return false
	}
	for _, c := range []byte("\t\n\v\f\r") {
		if strings.IndexByte(s, c) >= 0 {
			return false
		}
	}
	// the first bytes of the Unicode spaces: U+0085 and U+00A0, U+1680, U+2000–U+205F, U+3000
	for _, c := range []byte{0xc2, 0xe1, 0xe2, 0xe3} {
		for i := 0; ; i++ {
			j := strings.IndexByte(s[i:], c)
			if j < 0 {
				break
			}
			i += j
			if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
				return false
			}
		}
	}
	return true
}

// textChunk appends one text file's data to dst: the pages the sections [lo, hi) belong to ([page
// number, url, title]) and the sections' records.
func textChunk(dst []byte, recs *records, lo, hi int) []byte {
	secs, pages := recs.secs[lo:hi], recs.pages
	n := len(dst) + 16
	for i := lo; i < hi; i++ {
		n += recs.length(i) + 1
	}
	last := -1
	for _, s := range secs {
		if s.page != last {
			n += len(pages[s.page].url) + len(pages[s.page].title) + 16
			last = s.page
		}
	}
	dst = slices.Grow(dst, n-len(dst))
	dst = append(dst, `{"p":[`...)
	last = -1
	for _, s := range secs {
		if s.page != last {
			if last >= 0 {
				dst = append(dst, ',')
			}
			dst = appendPageJSON(dst, s.page, &pages[s.page])
			last = s.page
		}
	}
	dst = append(dst, `],"s":[`...)
	text := recs.text.reader()
	defer text.release()
	x := excerpts.Get().(*excerpt)
	defer excerpts.Put(x)
	for i := lo; i < hi; i++ {
		if i > lo {
			dst = append(dst, ',')
		}
		dst = recs.appendRecord(dst, i, text, x)
	}
	return append(dst, "]}"...)
}

// appendPageJSON appends marshal([]any{n, p.url, p.title}), page n of a text chunk, without
// encoding/json's reflection.
func appendPageJSON(dst []byte, n int, p *page) []byte {
	dst = strconv.AppendInt(append(dst, '['), int64(n), 10)
	dst = appendJSONString(append(dst, ','), p.url)
	return append(appendJSONString(append(dst, ','), p.title), ']')
}

// chunkRanges cuts n items of the given lengths into consecutive [start, end) ranges of about size
// bytes each.
func chunkRanges(n int, length func(i int) int, size int) [][2]int {
	var out [][2]int
	start, sum := 0, 0
	for i := range n {
		if i > start && sum >= size {
			out = append(out, [2]int{start, i})
			start, sum = i, 0
		}
		sum += length(i) + 1
	}
	if start < n || len(out) == 0 {
		out = append(out, [2]int{start, n})
	}
	return out
}

// writer hands a Build's files to Options.Emit as they are made, from any goroutine, or keeps them to
// return at the end.
type writer struct {
	emit  func(File) error
	mu    sync.Mutex
	files []File
	err   error // Emit's or the text's first error: nothing more is written after it
}

// fail stops the writing: nothing more is written, and done returns err (the first one).
func (w *writer) fail(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}

// failed is fail's first error.
func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *writer) write(f File) {
	w.mu.Lock()
	failed := w.err != nil
	w.mu.Unlock()
	if failed {
		return
	}
	if w.emit == nil {
		w.mu.Lock()
		w.files = append(w.files, f)
		w.mu.Unlock()
		return
	}
	if err := w.emit(f); err != nil {
		w.fail(err)
	}
}

// done is what Build returns: the files kept, sorted, or Emit's error.
func (w *writer) done(entry []string) ([]File, []string, error) {
	if w.err != nil {
		return nil, nil, w.err
	}
	slices.SortFunc(w.files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return w.files, entry, nil
}

// chunks makes the n chunk files of one kind (chunk i is made(i)) on all cores, a group of size
// consecutive files at a time, names each group after a hash of its files' digests, writes the group's
// files as soon as it is named, and returns the groups. keep, when not nil, receives every chunk (the
// cache's copy); otherwise a chunk is dropped once written, so a build holds a few groups at a time,
// never the whole index. A group whose files have the digests they had in the last build (names.last,
// of any build before: a name is made from the digests alone) keeps its hash and names without hashing
// them again.
func (w *writer) chunks(base string, n, size int, names *nameBuffers, keep []chunk, made func(i int) chunk) *groups {
	last, next := &names.last, &names.next
	defer func() { names.last, names.next = names.next, names.last }()
	ng := (n + size - 1) / size
	g := &groups{G: size, H: make([]string, ng)}
	next.sums = slices.Grow(next.sums[:0], n)[:n]
	next.paths = slices.Grow(next.paths[:0], n)[:n]
	next.hashes = slices.Grow(next.hashes[:0], ng)[:ng]
	eachChunk(ng, 1, func(glo, ghi int) {
		var own []chunk
		for k := glo; k < ghi; k++ {
			lo, hi := k*size, min(k*size+size, n)
			ks := own
			if keep != nil {
				ks = keep[lo:hi]
			} else {
				ks = slices.Grow(own[:0], hi-lo)[:hi-lo]
				own = ks
			}
			for i := lo; i < hi; i++ {
				ks[i-lo] = made(i)
			}
			same := min(lo+size, len(last.sums)) == hi
			for i := lo; i < hi && same; i++ {
				same = ks[i-lo].sum == last.sums[i]
			}
			var h string
			if same {
				h = last.hashes[k]
				copy(next.paths[lo:hi], last.paths[lo:hi])
			} else {
				sum := sha256.New()
				for i := range ks {
					sum.Write(ks[i].sum[:])
				}
				h = hex.EncodeToString(sum.Sum(nil)[:5])
				for i := lo; i < hi; i++ {
					next.paths[i] = base + strconv.Itoa(i) + "." + h + ".js"
				}
			}
			g.H[k], next.hashes[k] = h, h
			for i := lo; i < hi; i++ {
				next.sums[i] = ks[i-lo].sum
				w.write(File{Path: next.paths[i], Data: ks[i-lo].data})
			}
			if keep == nil {
				clear(ks)
			}
		}
	})
	return g
}

// loadCall is the whole content of an index file: one call that hands its data to search.js.
func loadCall(kind string, key int, data any) []byte {
	b := loadPrefix(nil, kind, key)
	b = append(b, marshal(data)...)
	return append(b, loadSuffix...)
}

func loadPrefix(b []byte, kind string, key int) []byte {
	b = append(b, "LecternSearch.load("...)
	b = strconv.AppendQuote(b, kind)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(key), 10)
	return append(b, ',')
}

const loadSuffix = ");\n"

func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("search: encoding index data: %v", err)) // only plain strings, ints and slices
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func fingerprint(base string, data []byte) string {
	sum := sha256.Sum256(data)
	return base + "." + hex.EncodeToString(sum[:5]) + ".js"
}

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lessUTF16 orders strings as JavaScript compares them (by UTF-16 code units), which differs from Go's
// byte order only for characters above U+FFFF against U+E000–U+FFFF.
func lessUTF16(a, b string) bool {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return utf16Key(ra) < utf16Key(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b != ""
}

// compareUTF16 is lessUTF16 as a comparison; strings it finds equal (invalid UTF-8) are in byte order.
func compareUTF16(a, b string) int {
	x, y := a, b
	for x != "" && y != "" {
		if x[0] < utf8.RuneSelf && y[0] < utf8.RuneSelf {
			if x[0] != y[0] {
				return int(x[0]) - int(y[0])
			}
			x, y = x[1:], y[1:]
			continue
		}
		rx, nx := utf8.DecodeRuneInString(x)
		ry, ny := utf8.DecodeRuneInString(y)
		if rx != ry {
			return cmp.Compare(utf16Key(rx), utf16Key(ry))
		}
		x, y = x[nx:], y[ny:]
	}
	if c := cmp.Compare(len(x), len(y)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// utf16Key maps a code point to a value that sorts like its first UTF-16 code unit, then the rest.
func utf16Key(r rune) uint32 {
	if r >= 0x10000 {
		r1, r2 := utf16.EncodeRune(r)
		return uint32(r1)<<16 | uint32(r2)
	}
	return uint32(r) << 16
}

const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// appendVLQ writes v as base64 digits of five bits each, least significant first, with 32 set on every
// digit but the last.
func appendVLQ(b []byte, v uint64) []byte {
	for {
		d := v & 31
		v >>= 5
		if v != 0 {
			b = append(b, b64[d|32])
		} else {
			return append(b, b64[d])
		}
	}
}
