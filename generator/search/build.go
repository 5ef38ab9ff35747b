package search

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
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
}

// EntryFor names an entry file after everything Build reads: the same docs and options always give
// the same name, and any change to them a new one, which is what caching needs.
func EntryFor(docs []Doc, opts Options) string {
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
	for _, d := range docs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%d\x00%s\x00%s\x00%s\x00", d.URL, d.Anchor, d.Page,
			strings.Join(d.Path, "\x01"), d.Level, d.Heading, d.Body, d.Emphasis)
	}
	return "search/index." + hex.EncodeToString(h.Sum(nil)[:5]) + ".js"
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
const FormatVersion = 1

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

type posting struct {
	sec  int32
	tf   int32 // body term frequency
	head bool
	emph bool
	q    uint8 // quantised BM25F weight, 1..bmLevels
}

type section struct {
	index      int
	doc        *Doc
	page       int
	hLen, bLen int
	terms      map[string]int32 // term -> index into ps
	ps         []posting
}

type page struct {
	url, title string
	first, n   int
}

// Build returns the files to write and the script paths a page must load (in order) before querying,
// fingerprinted for caching. Deterministic for the same input.
func Build(docs []Doc, opts Options) (files []File, entry []string, err error) {
	secs, pages, err := collect(docs)
	if err != nil {
		return nil, nil, err
	}
	tokenizeSections(secs)

	post := map[string][]posting{}
	stop := map[string][]posting{}
	for i, s := range secs {
		for t, k := range s.terms {
			p := s.ps[k]
			p.sec = int32(i)
			if Stopwords[t] {
				stop[t] = append(stop[t], p)
			} else {
				post[t] = append(post[t], p)
			}
		}
		s.terms, s.ps = nil, nil
	}
	weigh(secs, post, stop)
	terms := sortedTerms(post)
	stopTerms := sortedTerms(stop)
	for _, m := range []map[string][]posting{post, stop} {
		for _, ps := range m {
			sort.Slice(ps, func(i, j int) bool { return ps[i].sec < ps[j].sec })
		}
	}

	w := &writer{}
	h := head{
		V:     FormatVersion,
		N:     len(secs),
		Secs:  encodeSections(secs),
		Pages: encodePages(pages),
		Stop:  strings.Join(sortedKeys(Stopwords), " "),
		Syn:   synonymGroups(docs, opts.Synonyms),
	}
	h.Files.S = w.add("search/stop", "s", 0, strings.Join(termLines(stopTerms, stop, encodePostings(stopTerms, stop)), "\n"))

	postLines := encodePostings(terms, post)
	texts := encodeTexts(secs, pages)

	limit := opts.SplitAbove
	if limit <= 0 {
		limit = DefaultSplitAbove
	}
	raw := 0
	for i, t := range terms {
		raw += len(t) + len(postLines[i]) + 4
	}
	for _, t := range texts {
		raw += len(t) + 1
	}
	// text and postings never gzip below a tenth of their size: skip the trial when it cannot fit
	if raw <= 10*limit {
		// Below the limit uncompressed, it is below it compressed: no need to try (the dev server
		// rebuilds the index on every save).
		if single := singleFile(h, termLines(terms, post, postLines), textChunk(secs, pages, texts)); len(single) <= limit || gzipSize(single) <= limit {
			p := fingerprint("search/index", single)
			if opts.Entry != "" {
				p = opts.Entry
			}
			w.files = append(w.files, File{Path: p, Data: single})
			return w.sorted(), []string{p}, nil
		}
	}

	// split: term blocks of about dictShardBytes, each term with its postings, so a query word costs
	// one request; a term with very long postings makes a larger block of its own
	lines := termLines(terms, post, postLines)
	var group []File
	for i, r := range chunkRanges(lines, dictShardBytes, nil) {
		h.Dict = append(h.Dict, terms[r[0]])
		block := termLines(terms[r[0]:r[1]], post, postLines[r[0]:r[1]])
		group = append(group, File{Data: loadCall("d", i, strings.Join(block, "\n"))})
	}
	h.Files.D = w.group("search/d", group)
	group = group[:0]
	textSizes := make([]string, len(texts))
	for i, t := range texts {
		textSizes[i] = string(t)
	}
	for i, r := range chunkRanges(textSizes, textChunkBytes, nil) {
		h.Text = append(h.Text, r[0])
		group = append(group, File{Data: loadCall("t", i, textChunk(secs[r[0]:r[1]], pages, texts[r[0]:r[1]]))})
	}
	h.Files.T = w.group("search/t", group)
	h.Text = deltas(h.Text)
	headData := loadCall("head", 0, h)
	p := fingerprint("search/head", headData)
	if opts.Entry != "" {
		p = opts.Entry
	}
	w.files = append(w.files, File{Path: p, Data: headData})
	return w.sorted(), []string{p}, nil
}

// singleFile is the one-file index: the head with every term (postings inline) and all text.
func singleFile(h head, lines []string, text json.RawMessage) []byte {
	h.Dict = []string{""}
	h.Text = []int{0}
	h.Inline = &inline{D: []string{strings.Join(lines, "\n")}, T: []json.RawMessage{text}}
	return loadCall("index", 0, h)
}

// collect orders the docs page by page (pages in order of first appearance, sections in input order)
// and checks them. Several preambles of one page (say, the text before the first heading and the
// page's aliases) are merged into one, in input order, where the first of them stood.
func collect(docs []Doc) ([]*section, []page, error) {
	byURL := map[string]int{}
	var order [][]*Doc
	preamble := map[int]*Doc{} // page -> its merged preamble
	for i := range docs {
		d := &docs[i]
		if d.Level < 0 || d.Level > 6 {
			return nil, nil, fmt.Errorf("search: %s#%s: heading level %d out of range 0–6", d.URL, d.Anchor, d.Level)
		}
		if (d.Level == 0) != (d.Anchor == "") {
			return nil, nil, fmt.Errorf("search: %s#%s: a preamble has level 0 and no anchor, a heading section both (level %d)", d.URL, d.Anchor, d.Level)
		}
		p, ok := byURL[d.URL]
		if !ok {
			p = len(order)
			byURL[d.URL] = p
			order = append(order, nil)
		}
		if d.Level == 0 {
			if m := preamble[p]; m != nil {
				m.Body = joinText(m.Body, d.Body)
				m.Emphasis = joinText(m.Emphasis, d.Emphasis)
				if m.Page == "" {
					m.Page = d.Page
				}
				continue
			}
			m := *d
			preamble[p] = &m
			d = &m
		}
		order[p] = append(order[p], d)
	}
	var secs []*section
	pages := make([]page, len(order))
	for p, ds := range order {
		seen := map[string]bool{}
		pages[p] = page{url: ds[0].URL, title: ds[0].Page, first: len(secs), n: len(ds)}
		for _, d := range ds {
			if redundantPreamble(d, ds) {
				pages[p].n--
				continue
			}
			if seen[d.Anchor] {
				return nil, nil, fmt.Errorf("search: page %q has two sections with anchor %q", d.URL, d.Anchor)
			}
			seen[d.Anchor] = true
			secs = append(secs, &section{index: len(secs), doc: d, page: p})
		}
	}
	return secs, pages, nil
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

// redundantPreamble reports whether d is an empty preamble of a page whose title is also one of its
// headings: it would only be a second, textless result for the page.
func redundantPreamble(d *Doc, page []*Doc) bool {
	if d.Level != 0 || strings.TrimSpace(d.Body) != "" || strings.TrimSpace(d.Emphasis) != "" || len(page) < 2 {
		return false
	}
	title := oneLine(d.Page)
	for _, h := range page {
		if h.Level > 0 && oneLine(h.Heading) == title {
			return true
		}
	}
	return false
}

// tokenizeSections fills each section's term table and field lengths, on all cores.
func tokenizeSections(secs []*section) {
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				tokenizeSection(secs[i])
			}
		})
	}
	for i := range secs {
		next <- i
	}
	close(next)
	wg.Wait()
}

func tokenizeSection(s *section) {
	d := s.doc
	heading := d.Heading
	if d.Level == 0 && heading == "" {
		heading = d.Page
	}
	idx := map[string]int32{}
	var ps []posting
	get := func(t string) *posting {
		i, ok := idx[t]
		if !ok {
			i = int32(len(ps))
			idx[t] = i
			ps = append(ps, posting{})
		}
		return &ps[i]
	}
	each := func(text string, fn func(t string)) {
		tokenizeWords(text, func(whole string, parts []string) {
			fn(whole)
			for _, p := range parts {
				fn(p)
			}
		})
	}
	each(heading, func(t string) { get(t).head = true; s.hLen++ })
	each(d.Emphasis, func(t string) { get(t).emph = true })
	each(d.Body, func(t string) { get(t).tf++; s.bLen++ })
	s.terms, s.ps = idx, ps
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
		// D and T are the version hashes of the term blocks and text chunks: chunk i of kind k is
		// search/<k><i>.<hash>.js ("" in the one-file index).
		D string `json:"d"`
		T string `json:"t"`
		S string `json:"s"` // path of the stopword file
	} `json:"files"`
	Inline *inline `json:"inline,omitempty"`
}

type inline struct {
	D []string          `json:"d"`
	T []json.RawMessage `json:"t"`
}

func encodeSections(secs []*section) string {
	b := make([]byte, len(secs))
	for i, s := range secs {
		b[i] = byte('0' + s.doc.Level)
	}
	return string(b)
}

// weigh computes every posting's quantised BM25F weight.
func weigh(secs []*section, maps ...map[string][]posting) {
	var sumH, sumB float64
	for _, s := range secs {
		sumH += float64(s.hLen)
		sumB += float64(s.bLen)
	}
	n := float64(max(len(secs), 1))
	avgH, avgB := max(sumH/n, 1), max(sumB/n, 1)
	for _, m := range maps {
		for _, ps := range m {
			for i := range ps {
				p := &ps[i]
				s := secs[p.sec]
				x := float64(p.tf) / (1 - bmB + bmB*float64(s.bLen)/avgB)
				if p.head {
					x += wHead / (1 - bmBHead + bmBHead*float64(s.hLen)/avgH)
				}
				if p.emph {
					x += wEmphasis
				}
				f := x * (bmK1 + 1) / (bmK1 + x)
				p.q = uint8(min(bmLevels, max(1, int(math.Round(f/bmMaxScore*bmLevels)))))
			}
		}
	}
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

// termLines writes one line per term: the length (in UTF-16 units, at most 63) of the prefix shared with
// the previous line's term as one base64 digit, the document frequency as VLQ, the rest of the term, a
// space and the term's postings line. Front coding starts afresh with every block.
func termLines(terms []string, post map[string][]posting, postLines []string) []string {
	out := make([]string, len(terms))
	var prev []uint16
	for i, t := range terms {
		u := utf16.Encode([]rune(t))
		n := 0
		for n < len(u) && n < len(prev) && n < 63 && u[n] == prev[n] {
			n++
		}
		// never split a surrogate pair
		if n > 0 && n < len(u) && u[n] >= 0xdc00 && u[n] <= 0xdfff {
			n--
		}
		b := []byte{b64[n]}
		b = appendVLQ(b, uint64(len(post[t])))
		b = append(b, string(utf16.Decode(u[n:]))...)
		b = append(b, ' ')
		b = append(b, postLines[i]...)
		out[i] = string(b)
		prev = u
	}
	return out
}

// encodePostings writes one line per term: for each section containing it, the gap to the previous
// section (minus one) and (weight<<1 | inHeading), all as VLQ; a weight below 16 keeps the pair to
// one digit.
func encodePostings(terms []string, post map[string][]posting) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		var b []byte
		prev := int32(-1)
		for _, p := range post[t] {
			b = appendVLQ(b, uint64(p.sec-prev-1))
			v := uint64(p.q) << 1
			if p.head {
				v |= 1
			}
			b = appendVLQ(b, v)
			prev = p.sec
		}
		out[i] = string(b)
	}
	return out
}

// MaxExcerptText caps the text kept per section for excerpts (in bytes, cut at a word): a long
// section still ranks by all its words, but its excerpt comes from its beginning.
const MaxExcerptText = 5000

// encodeTexts returns per section the JSON [anchor, heading, text, [ancestor headings]] used for
// results and excerpts. The text is the body, followed by the emphasis text when the body does not
// contain it; ancestor headings equal to the page title are left out of the breadcrumb.
func encodeTexts(secs []*section, pages []page) []json.RawMessage {
	out := make([]json.RawMessage, len(secs))
	for _, p := range pages {
		var stack []*section
		for _, s := range secs[p.first : p.first+p.n] {
			for len(stack) > 0 && stack[len(stack)-1].doc.Level >= s.doc.Level {
				stack = stack[:len(stack)-1]
			}
			path := []string{}
			for _, a := range stack {
				if h := oneLine(a.doc.Heading); h != "" && h != oneLine(p.title) {
					path = append(path, h)
				}
			}
			stack = append(stack, s)
			text := oneLine(s.doc.Body)
			if e := oneLine(s.doc.Emphasis); e != "" && !strings.Contains(text, e) {
				text = strings.TrimSpace(text + " " + e)
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
			out[s.index] = marshal([]any{s.doc.Anchor, oneLine(s.doc.Heading), text, path})
		}
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// textChunk is one text file: the pages its sections belong to ([page number, url, title]) and the
// sections' records.
func textChunk(secs []*section, pages []page, recs []json.RawMessage) json.RawMessage {
	b := []byte(`{"p":[`)
	last := -1
	for _, s := range secs {
		if s.page != last {
			if last >= 0 {
				b = append(b, ',')
			}
			b = append(b, marshal([]any{s.page, pages[s.page].url, pages[s.page].title})...)
			last = s.page
		}
	}
	b = append(b, `],"s":[`...)
	for i, r := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	return json.RawMessage(append(b, "]}"...))
}

// chunkRanges cuts items into consecutive [start, end) ranges of about size bytes each; when split is
// given, a range may only end where split(last, next) holds, unless it has grown to twice the size.
func chunkRanges(items []string, size int, split func(a, b int) bool) [][2]int {
	var out [][2]int
	start, n := 0, 0
	for i, it := range items {
		if i > start && n >= size && (split == nil || split(i-1, i) || n >= 2*size) {
			out = append(out, [2]int{start, i})
			start, n = i, 0
		}
		n += len(it) + 1
	}
	if start < len(items) || len(out) == 0 {
		out = append(out, [2]int{start, len(items)})
	}
	return out
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

type writer struct{ files []File }

// add writes one data file and returns its fingerprinted path.
func (w *writer) add(base, kind string, key int, data any) string {
	b := loadCall(kind, key, data)
	p := fingerprint(fmt.Sprintf("%s%s", base, keySuffix(base, key)), b)
	w.files = append(w.files, File{Path: p, Data: b})
	return p
}

func keySuffix(base string, key int) string {
	if strings.HasSuffix(base, "stop") {
		return ""
	}
	return fmt.Sprint(key)
}

// group names a kind's chunk files with one hash over all of them and returns the hash.
func (w *writer) group(base string, files []File) string {
	sum := sha256.New()
	for _, f := range files {
		sum.Write(f.Data)
	}
	h := hex.EncodeToString(sum.Sum(nil)[:5])
	for i, f := range files {
		w.files = append(w.files, File{Path: fmt.Sprintf("%s%d.%s.js", base, i, h), Data: f.Data})
	}
	return h
}

func (w *writer) sorted() []File {
	sort.Slice(w.files, func(i, j int) bool { return w.files[i].Path < w.files[j].Path })
	return w.files
}

// loadCall is the whole content of an index file: one call that hands its data to search.js.
func loadCall(kind string, key int, data any) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "LecternSearch.load(%q,%d,", kind, key)
	b.Write(marshal(data))
	b.WriteString(");\n")
	return b.Bytes()
}

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

func sortedTerms(m map[string][]posting) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return lessUTF16(out[i], out[j]) })
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
