package publish

import (
	"bytes"
	"hash/maphash"
	"html"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Ref is one URL an HTML page uses: a link, an asset, a form target, a search index script.
type Ref struct {
	Tag  string // element name, lower-case ("a", "img", "meta")
	Attr string // attribute the URL was in ("href", "src", "srcset", "content")
	// URL is the reference as written in the attribute, entities decoded.
	URL string
	// RootRelative marks URLs that are relative to the site root rather than to the page (the entries of
	// <meta name="lectern-search">).
	RootRelative bool
}

// Scan is what one HTML page defines and uses. A build holds one per page from the page's render to the
// end of the link check, so a Scan is compact: each reference is a kind (its element and attribute) and
// the index of its URL in a table of URLs, four bytes in all, and the ids are one string. The URLs a
// Checker's Add scans use are held once for all its pages, since most are the same navigation and theme
// links page after page. A Scan is never modified once made.
type Scan struct {
	NoIndex bool // <meta name="robots" content="noindex">: left out of the sitemap

	refs  []uint32  // one per reference, in document order: kind<<urlBits | index of the URL in urls
	urls  *urlTable // the table refs index
	ids   string    // the ids, sorted, each once, one after the other
	idEnd []uint32  // where each id of ids ends
}

// Refs returns the URLs the page uses, in document order: a new slice on every call.
func (s *Scan) Refs() []Ref {
	if len(s.refs) == 0 {
		return nil
	}
	out := make([]Ref, len(s.refs))
	for i := range s.refs {
		out[i] = s.ref(i)
	}
	return out
}

// ref is reference i of the page.
func (s *Scan) ref(i int) Ref {
	r := refKinds[s.refs[i]>>urlBits]
	r.URL = s.url(i)
	return r
}

// url is the URL of reference i.
func (s *Scan) url(i int) string {
	return s.urls.urls[s.refs[i]&urlMask]
}

// IDs returns the id attributes of the page, and the name attributes of its <a> elements (old-style
// anchors), sorted, each once: a new slice on every call.
func (s *Scan) IDs() []string {
	out := make([]string, len(s.idEnd))
	for i := range s.idEnd {
		out[i] = s.id(i)
	}
	return out
}

// id is the i-th id, in sorted order.
func (s *Scan) id(i int) string {
	start := uint32(0)
	if i > 0 {
		start = s.idEnd[i-1]
	}
	return s.ids[start:s.idEnd[i]]
}

// HasID reports whether the page defines the id (or the name of an <a>).
func (s *Scan) HasID(id string) bool {
	lo, hi := 0, len(s.idEnd)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := strings.Compare(s.id(m), id); {
		case c == 0:
			return true
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return false
}

// sameIDs reports whether s and t define the same ids.
func (s *Scan) sameIDs(t *Scan) bool {
	return s.ids == t.ids && slices.Equal(s.idEnd, t.idEnd)
}

// hasFragment reports whether the fragment frag of a URL ("intro", "caf%C3%A9") leads to an element of
// the page: one whose id is frag, decoded or as written; "top" (in any case) is the top of every page.
func (s *Scan) hasFragment(frag string) bool {
	id := fragmentID(frag)
	return s.HasID(id) || id != frag && s.HasID(frag) || strings.EqualFold(id, "top")
}

// fragmentID is the id the fragment frag names: frag percent-decoded, when it decodes.
func fragmentID(frag string) string {
	if strings.IndexByte(frag, '%') >= 0 {
		if id, err := url.PathUnescape(frag); err == nil {
			return id
		}
	}
	return frag
}

// selfWorksBytes reports whether a reference to the page itself (see isSelf) leads somewhere on it,
// without making a string of it when it needs no decoding: a Checker's scan asks it of every reference
// of its table of contents.
func (s *Scan) selfWorksBytes(u []byte) bool {
	_, frag, _ := bytes.Cut(u, []byte("#"))
	if len(u) == 0 || bytes.HasPrefix(u, []byte("#:~:")) || len(frag) == 0 {
		return true
	}
	if bytes.IndexByte(frag, '%') >= 0 {
		return s.hasFragment(string(frag))
	}
	// The fragment is its id (fragmentID): binary search as HasID, comparing in place.
	lo, hi := 0, len(s.idEnd)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch id := s.id(m); {
		case id == string(frag):
			return true
		case id < string(frag):
			lo = m + 1
		default:
			hi = m
		}
	}
	return bytes.EqualFold(frag, []byte("top"))
}

// isSelf reports whether a URL that is not root-relative names the page it is on ("", "#intro", "?q"),
// which the page's own ids alone decide; scopeOf says the same.
func isSelf(u []byte) bool {
	return len(u) == 0 || u[0] == '#' || u[0] == '?'
}

// A reference packs its kind and the index of its URL into 32 bits: a table of URLs holds at most 1<<urlBits.
const (
	kindBits = 5
	urlBits  = 32 - kindBits
	urlMask  = 1<<urlBits - 1
)

// refKind is the element and attribute of a reference, an index in refKinds.
type refKind uint8

// refKinds lists every kind of reference: the attributes of urlAttrs, the srcset of srcsetTags, and the
// URLs of <meta>, root-relative or not. The URL of each is empty.
var refKinds = func() []Ref {
	ks := []Ref{metaKind: {Tag: "meta", Attr: "content"}, searchKind: {Tag: "meta", Attr: "content", RootRelative: true}}
	for _, tag := range slices.Sorted(maps.Keys(urlAttrs)) {
		for _, attr := range urlAttrs[tag] {
			ks = append(ks, Ref{Tag: tag, Attr: attr})
		}
	}
	for _, tag := range slices.Sorted(maps.Keys(srcsetTags)) {
		ks = append(ks, Ref{Tag: tag, Attr: "srcset"})
	}
	if len(ks) > 1<<kindBits {
		panic("publish: more kinds of reference than a reference packs")
	}
	return ks
}()

// The kinds of <meta> references.
const (
	metaKind   refKind = iota // og:url, og:image, twitter:image
	searchKind                // the search index scripts: root-relative
)

// refKindOf is the kind of the attribute attr of the element tag (neither <meta>).
func refKindOf(tag, attr string) refKind {
	for k, r := range refKinds {
		if r.Tag == tag && r.Attr == attr && !r.RootRelative {
			return refKind(k)
		}
	}
	panic("publish: no kind of reference for " + tag + " " + attr)
}

// urlTable holds the URLs of scans, which index it. A Checker's table holds each URL of its pages once
// (lookup is set) and grows as pages are added, under the Checker's lock; ScanHTML's holds the URLs of
// one page, one per reference, and never changes.
//
// A Checker's table finds a URL through a hash table of its own, open addressing with linear probing:
// four bytes a slot where a map[string]uint32 takes a string header and an index, which for the da build
// is a third of all the table holds.
type urlTable struct {
	urls   []string
	lookup bool
	slots  []uint32 // index+1 of the URL whose hash leads there, 0 for none; a power of two long
	seed   maphash.Seed
}

// newURLTable returns a table that holds each URL once.
func newURLTable() *urlTable {
	return &urlTable{lookup: true, seed: maphash.MakeSeed()}
}

// add returns the index of the URL u, adding it when the table does not hold it (or holds URLs as they
// come).
func (t *urlTable) add(u []byte) uint32 {
	if !t.lookup {
		return t.push(u)
	}
	if 4*len(t.urls) >= 3*len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for h := maphash.Bytes(t.seed, u) & mask; ; h = (h + 1) & mask {
		switch x := t.slots[h]; {
		case x == 0:
			i := t.push(u)
			t.slots[h] = i + 1
			return i
		case t.urls[x-1] == string(u):
			return x - 1
		}
	}
}

// push appends the URL u to the table.
func (t *urlTable) push(u []byte) uint32 {
	i := len(t.urls)
	if i >= urlMask { // leaving urlMask+1 for the slots of a table that looks URLs up
		panic("publish: more distinct URLs than a reference packs")
	}
	t.urls = append(t.urls, string(u))
	return uint32(i)
}

// grow doubles the hash table and places every URL again.
func (t *urlTable) grow() {
	t.slots = make([]uint32, max(2*len(t.slots), 1024))
	mask := uint64(len(t.slots) - 1)
	for i, u := range t.urls {
		h := maphash.String(t.seed, u) & mask
		for t.slots[h] != 0 {
			h = (h + 1) & mask
		}
		t.slots[h] = uint32(i) + 1
	}
}

// urlAttrs lists, per element, the attributes holding one URL. Attributes of every element that may hold
// a URL a reader follows or a browser loads are included; ping and cite are not, since nothing breaks
// visibly when they are wrong.
var urlAttrs = map[string][]string{
	"a":      {"href"},
	"area":   {"href"},
	"link":   {"href"},
	"script": {"src"},
	"img":    {"src"},
	"iframe": {"src"},
	"embed":  {"src"},
	"source": {"src"},
	"track":  {"src"},
	"audio":  {"src"},
	"video":  {"src", "poster"},
	"input":  {"src", "formaction"},
	"button": {"formaction"},
	"form":   {"action"},
	"object": {"data"},
}

// srcsetTags are the elements whose srcset lists candidate images.
var srcsetTags = map[string]bool{"img": true, "source": true}

// urlMeta lists the <meta> names and properties whose content is one absolute URL.
var urlMeta = map[string]bool{"og:url": true, "og:image": true, "twitter:image": true}

// SearchMeta is the <meta> name whose content lists the search index scripts, root-relative and
// separated by spaces.
const SearchMeta = "lectern-search"

// ScanHTML reads one HTML page and returns the ids it defines and the URLs it uses. It never fails: what it
// cannot read is skipped, as a browser would.
//
// It reads the page the way tdewolff's HTML5 lexer (which minifies the pages) does, but looks only for
// what the check needs: start tags and their attributes. Text is skipped to the next '<'; comments, CDATA
// sections, doctypes, end tags and the raw text of <script>, <style>, <textarea>, <title>, <xmp> and
// <iframe> are skipped whole, and so are <svg>, <math> and <xml> elements with everything inside them, as
// the lexer returns each as one token. Where the lexer gives up (a start tag cut off by the end of the
// page, a NUL byte inside an <svg>), the scan stops too. ScanHTMLReference, in the tests, is the lexer-based
// scan this one must agree with; a fuzz target and every page of a real build compare the two.
//
// data is only read, never modified.
func ScanHTML(data []byte) *Scan {
	z := newScanner(data)
	z.run()
	s := z.finish(false)
	z.pack(s, &urlTable{urls: make([]string, 0, len(z.refs))})
	z.release()
	return s
}

// scanner is the state of one ScanHTML.
type scanner struct {
	data    []byte
	noIndex bool
	// slots holds the attributes of the current start tag that the scan reads, slot k the first
	// attribute named as key k of its tagInfo (slot 0, idKey, its first id for any other element), when
	// bit k of set is set.
	slots [maxKeys]attr
	set   uint8
	// refs and ids gather the page's references and ids until the scan is done, their text still in the
	// page when it is written plainly (no character reference, the common case), so that a URL the
	// Checker holds already and ids, joined, need no string of their own.
	refs []pendingRef
	ids  [][]byte
	// self holds the index in refs of each reference to the page itself (isSelf), but the search index
	// scripts', which a Checker's scan may leave out (leavesOut) once the page's ids are known; search
	// holds the URLs of those scripts. Of a page's references, self are the few finish looks at.
	self   []int32
	search [][]byte
	// dropped is how many of refs finish left out, marking them dropKind.
	dropped int
}

// pendingRef is a reference found by a scan that is not done: its kind, and its URL as the page writes
// it, or decoded.
type pendingRef struct {
	kind refKind
	url  []byte
}

// attr is one attribute of a start tag, its name and value still in the page, so that only the attributes
// a check needs become strings: data[key0:key1] is the name, data[val0:val1] the value as written, quotes
// included (empty when there is none). Offsets, not slices: an attribute holds no pointer, so keeping
// it costs no write barrier while the collector runs, which it does through much of a build.
type attr struct{ key0, key1, val0, val1 int32 }

// scanners keeps the scratch slices of finished scans.
var scanners = sync.Pool{New: func() any { return new(scanner) }}

func newScanner(data []byte) *scanner {
	z := scanners.Get().(*scanner)
	z.data = data
	return z
}

// finish makes the page's Scan, with its ids but no references yet (pack adds them). With dropSelf, the
// references to the page itself that lead somewhere on it are marked to be left out (see leavesOut).
func (z *scanner) finish(dropSelf bool) *Scan {
	s := &Scan{NoIndex: z.noIndex}
	if len(z.ids) > 0 {
		slices.SortFunc(z.ids, bytes.Compare)
		z.ids = slices.CompactFunc(z.ids, bytes.Equal)
		s.ids, s.idEnd = joinIDs(z.ids)
	}
	if dropSelf {
		for _, i := range z.self {
			if leavesOut(s, z.refs[i], z.search) {
				z.refs[i].kind = dropKind
				z.dropped++
			}
		}
	}
	return s
}

// dropKind marks a reference finish left out; no reference is of that kind.
const dropKind refKind = 1<<8 - 1

// joinIDs is the ids, sorted and each once, as a Scan holds them: one string, and where each ends in it.
func joinIDs(ids [][]byte) (string, []uint32) {
	n := 0
	for _, id := range ids {
		n += len(id)
	}
	var b strings.Builder
	b.Grow(n)
	end := make([]uint32, len(ids))
	for i, id := range ids {
		b.Write(id)
		end[i] = uint32(b.Len())
	}
	return b.String(), end
}

// leavesOut reports whether a Checker's scan may leave out the reference r of the page whose ids s
// holds: a reference to the page itself that leads somewhere on it (most are the table of contents'),
// whose answer only the page's ids decide, and which adds nothing to Check's result, unless a
// root-relative reference (one of search, the page's search-result URLs) has the same URL (Check counts
// the earlier references with the URL of a broken one to find it in the note, and a root-relative URL
// may be broken where a reference to the page is not).
func leavesOut(s *Scan, r pendingRef, search [][]byte) bool {
	if r.kind == searchKind || !isSelf(r.url) || !s.selfWorksBytes(r.url) {
		return false
	}
	for _, u := range search {
		if bytes.Equal(u, r.url) {
			return false
		}
	}
	return true
}

// pack adds the page's references to s, their URLs in t.
func (z *scanner) pack(s *Scan, t *urlTable) {
	s.urls = t
	if len(z.refs) == z.dropped {
		return // none, or every one left out
	}
	s.refs = make([]uint32, 0, len(z.refs)-z.dropped)
	for _, r := range z.refs {
		if r.kind != dropKind {
			s.refs = append(s.refs, uint32(r.kind)<<urlBits|t.add(r.url))
		}
	}
}

// release hands the scanner back to the pool, letting go of the page.
func (z *scanner) release() {
	clear(z.refs)
	clear(z.ids)
	clear(z.search)
	*z = scanner{refs: z.refs[:0], ids: z.ids[:0], self: z.self[:0], search: z.search[:0]}
	scanners.Put(z)
}

// at is the byte at i, or 0 past the end of the page (where the lexer reads the NUL it appends).
func (z *scanner) at(i int) byte {
	if i < len(z.data) {
		return z.data[i]
	}
	return 0
}

// kinds of start tag, by how the lexer reads what follows them.
const (
	normalTag    = iota
	rawTextTag   // its content up to the matching end tag is text: <script>, <style>, ...
	plainTextTag // <plaintext>: the rest of the page is text
	xmlTag       // <svg>, <math>, <xml>: the element is read whole, attributes and all, as one token
)

func isSpace(c byte) bool { return byteClass[c]&spaceByte != 0 }

// byteClass tells, per byte, where a tag's name or an attribute's name may end, and which bytes stop the
// skip over an <svg>, <math> or <xml> element's text (xmlStop): one table lookup per byte of the names
// of every tag of every page, where comparing with each byte took five to eight.
var byteClass = func() (t [256]uint8) {
	for _, c := range " \t\n\r\f" {
		t[c] |= spaceByte | nameEnd | keyEnd
	}
	t['>'] |= nameEnd | keyEnd
	t['/'] |= nameEnd | keyEnd // only when '>' follows
	t['='] |= keyEnd
	t['"'] |= xmlStop
	t['<'] |= xmlStop
	t[0] |= xmlStop
	return t
}()

// The classes of byteClass.
const (
	spaceByte = 1 << iota // white space as the lexer reads it
	nameEnd               // may end a tag's name: white space, '>', or "/>"
	keyEnd                // may end an attribute's name: white space, '=', '>', or "/>"
	xmlStop               // what xml looks at: '"', '<' and NUL
)

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// run scans the whole page. Each step starts at a '<' and returns where the scan goes on, or -1 when the
// page ends (or the lexer would stop) within what it reads.
func (z *scanner) run() {
	d := z.data
	i := 0
	for {
		// In minified HTML a tag most often follows another at once ("</a></li><li>"): only text that
		// is there is worth a call to IndexByte.
		if i >= len(d) {
			return
		}
		if d[i] != '<' {
			j := bytes.IndexByte(d[i+1:], '<')
			if j < 0 {
				return
			}
			i += j + 1
		}
		switch c := z.at(i + 1); {
		case isLetter(c):
			i = z.startTag(i)
		case c == '/':
			if i+2 >= len(d) || d[i+2] == '>' {
				i++ // "</>", and "</" at the end of the page, are text
				continue
			}
			// An end tag, or a bogus comment when no letter follows "</": skipped past the first '>'.
			// Most end within a few bytes ("a>", "li>"), read here rather than in a call to IndexByte.
			i += 2
			for end := min(i+8, len(d)); i < end && d[i] != '>'; i++ {
			}
			if i < len(d) && d[i] == '>' {
				i++
			} else {
				i = z.skipPast(i, '>')
			}
		case c == '!':
			i = z.markup(i + 2)
		case c == '?':
			i = z.skipPast(i+1, '>') // a bogus comment
		default:
			i++ // a '<' that starts no tag is text
		}
		if i < 0 {
			return
		}
	}
}

// skipPast returns the position after the first c at or after i, or -1.
func (z *scanner) skipPast(i int, c byte) int {
	if j := bytes.IndexByte(z.data[i:], c); j >= 0 {
		return i + j + 1
	}
	return -1
}

// markup skips what starts with "<!" (i is after it): a comment, ending at the first "-->" or "--!>"
// after its "<!--", a CDATA section, or a doctype or bogus comment, ending at the first '>'.
func (z *scanner) markup(i int) int {
	d := z.data
	switch {
	case bytes.HasPrefix(d[i:], []byte("--")):
		for i += 2; ; i++ {
			j := bytes.Index(d[i:], []byte("--"))
			if j < 0 {
				return -1
			}
			i += j
			if z.at(i+2) == '>' {
				return i + 3
			}
			if z.at(i+2) == '!' && z.at(i+3) == '>' {
				return i + 4
			}
		}
	case bytes.HasPrefix(d[i:], []byte("[CDATA[")):
		if j := bytes.Index(d[i+7:], []byte("]]>")); j >= 0 {
			return i + 7 + j + 3
		}
		return -1
	}
	return z.skipPast(i, '>')
}

// startTag reads the start tag at i, records what it defines and uses, and skips the raw text or the
// whole element that follows tags read so.
func (z *scanner) startTag(i int) int {
	d := z.data
	p := i + 1
	// The name is read once: where it ends, and its last eight bytes packed as tagWord packs them, which
	// one look into a table (lookupTag) tells apart.
	var w uint64
	for {
		for p < len(d) && byteClass[d[p]]&nameEnd == 0 {
			w = w<<8 | uint64(d[p]|0x20)
			p++
		}
		if p < len(d) && d[p] == '/' && z.at(p+1) != '>' {
			w = w<<8 | '/' | 0x20
			p++
			continue // a '/' ends the name only before '>'
		}
		break
	}
	var kind int
	var tag *tagInfo
	var name string
	switch n := p - i - 1; {
	case n <= 8:
		kind, tag, name = lookupTag(w)
	case n == len("plaintext") && equalLower(d[i+1:p], "plaintext"):
		kind = plainTextTag
	}
	if tag == tagA && p+len(` href="`) < len(d) && string(d[p:p+len(` href="`)]) == ` href="` {
		// Most start tags that matter are links with an href and nothing else, as the theme writes them
		// (`<a href="../glue/">`): read so, with the value between double quotes and the tag ending
		// right after it, the tag is what the loop below would make of it.
		v := p + len(` href="`)
		if j := bytes.IndexByte(d[v:], '"'); j >= 0 && v+j+1 < len(d) && d[v+j+1] == '>' {
			z.addURL(aHrefKind, d[v:v+j])
			return v + j + 2
		}
	}
	if kind == xmlTag {
		return z.xml(p, name)
	}
	z.set = 0
	for {
		for p < len(d) && isSpace(d[p]) {
			p++
		}
		if p >= len(d) {
			return -1 // the page ends inside the tag, which the lexer never closes
		}
		if c := d[p]; c == '>' {
			p++
			break
		} else if c == '/' && z.at(p+1) == '>' {
			p += 2
			break
		}
		p = z.attribute(p, tag)
	}
	if tag != nil {
		z.element(tag)
	} else if z.set&1 != 0 { // the element's first id, which attribute kept alone
		z.addID(z.get(0))
	}
	switch kind {
	case rawTextTag:
		return z.rawText(p, name)
	case plainTextTag:
		return -1
	}
	return p
}

// attribute reads the attribute at p, which starts with neither a space nor the end of the tag, and
// returns the position after it. When it is the first of its name among the keys of tag (see tagInfo),
// or the first id of an element whose other attributes do not matter (tag nil), it is kept in z.slots:
// most elements of a page are such, and most have no id.
func (z *scanner) attribute(p int, tag *tagInfo) int {
	d := z.data
	start := p
	for {
		for p < len(d) && byteClass[d[p]]&keyEnd == 0 {
			p++
		}
		if p < len(d) && d[p] == '/' && z.at(p+1) != '>' {
			p++
			continue // a '/' ends the name only before '>'
		}
		break
	}
	a := attr{key0: int32(start), key1: int32(p)}
	q := p
	for q < len(d) && isSpace(d[q]) {
		q++
	}
	if q < len(d) && d[q] == '=' {
		q++
		for q < len(d) && isSpace(d[q]) {
			q++
		}
		v := q
		if q < len(d) && (d[q] == '"' || d[q] == '\'') {
			if j := bytes.IndexByte(d[q+1:], d[q]); j >= 0 {
				q += j + 2
			} else {
				q = len(d)
			}
		} else {
			for q < len(d) && !isSpace(d[q]) && d[q] != '>' {
				q++
			}
		}
		a.val0, a.val1, p = int32(v), int32(q), q
	}
	key := d[start:a.key1]
	if tag == nil {
		if z.set&1 == 0 && len(key) == 2 && equalLower(key, "id") {
			z.set, z.slots[0] = 1, a
		}
		return p
	}
	for k, name := range tag.keys {
		if len(key) == len(name) && equalLower(key, name) {
			if z.set&(1<<k) == 0 {
				z.set |= 1 << k
				z.slots[k] = a
			}
			break
		}
	}
	return p
}

// rawText skips the text of the element name (lower-case) from p to its end tag: the first "</" followed
// by letters that spell name, in any case. In a <script>, an end tag inside "<!--" and "-->" ends the text
// only when it does not close a "<script" opened there, as the HTML5 lexer reads script data.
func (z *scanner) rawText(p int, name string) int {
	d := z.data
	script := name == "script"
	for {
		j := bytes.IndexByte(d[p:], '<')
		if j < 0 {
			return -1
		}
		p += j
		switch {
		case z.at(p+1) == '/':
			q := z.letters(p + 2)
			if equalLower(d[p+2:q], name) {
				return p
			}
			p = q
		case script && z.at(p+1) == '!' && z.at(p+2) == '-' && z.at(p+3) == '-':
			end := false
			if p, end = z.scriptComment(p + 4); end {
				return p
			}
		default:
			p++
		}
	}
}

// scriptComment skips script text from p, after a "<!--", to the "-->" that ends it, returning the
// position after it; or, with end set, the position of the "</script" that ends the script, or -1.
func (z *scanner) scriptComment(p int) (int, bool) {
	d := z.data
	inScript := false
	for {
		switch c := z.at(p); {
		case c == '-' && z.at(p+1) == '-' && z.at(p+2) == '>':
			return p + 3, false
		case c == '<':
			isEnd := z.at(p+1) == '/'
			if isEnd {
				p++
			}
			p++
			mark := p
			p = z.letters(p)
			if equalLower(d[mark:p], "script") {
				switch {
				case !isEnd:
					inScript = true
				case !inScript:
					return mark - 2, true
				default:
					inScript = false
				}
			}
		case p >= len(d):
			return -1, true
		default:
			p++
		}
	}
}

// xml skips an <svg>, <math> or <xml> element from p, after its name, to the end of its matching end tag,
// as the lexer reads it: elements of the same name nest, a tag of that name directly followed by '/' is
// left out, and no '<' counts between double quotes, in text too. A NUL byte makes the lexer stop.
func (z *scanner) xml(p int, name string) int {
	d := z.data
	nested, inQuote := 0, false
	for {
		for p < len(d) && byteClass[d[p]]&xmlStop == 0 {
			p++ // most of an inline image's bytes: what it draws
		}
		if p >= len(d) {
			return -1
		}
		switch c := d[p]; {
		case c == '"':
			inQuote = !inQuote
			p++
		case c == '<' && !inQuote:
			isEnd := z.at(p+1) == '/'
			if isEnd {
				p++
			}
			p++
			start := p
			p = z.letters(p)
			if (isEnd || z.at(p) != '/') && equalLower(d[start:p], name) {
				if isEnd {
					if nested == 0 {
						for ; p < len(d) && d[p] != 0; p++ {
							if d[p] == '>' {
								return p + 1
							}
						}
						return -1
					}
					nested--
				} else {
					nested++
				}
			}
		case c == 0:
			return -1
		default:
			p++
		}
	}
}

// letters returns the position after the ASCII letters from p.
func (z *scanner) letters(p int) int {
	for p < len(z.data) && isLetter(z.data[p]) {
		p++
	}
	return p
}

// equalLower reports whether b is lower, ignoring the case of ASCII letters; lower is lower-case.
func equalLower(b []byte, lower string) bool {
	if len(b) != len(lower) {
		return false
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// tagInfo is what the scan needs of an element with URL attributes, or of <meta>.
type tagInfo struct {
	name string // lower-case
	// keys are the attributes the scan reads, each a bit of scanner.set and a slot of scanner.slots: "id"
	// first (idKey), then "name" of <a>; "name", "property" and "content" of <meta>; urlAttrs[name]
	// from urlKey on, and "srcset" at srcsetKey.
	keys      []string
	urlKey    int
	srcsetKey int       // -1 when the element has no srcset (srcsetTags)
	kinds     []refKind // the kind of each of urlAttrs[name]
	// srcsetKind is the kind of the URLs of its srcset, when it has one.
	srcsetKind refKind
}

// The keys of every tagInfo, and those of <a> and <meta>.
const (
	idKey       = 0
	aNameKey    = 1
	metaNameKey = 1
	propertyKey = 2
	contentKey  = 3
	maxKeys     = 4 // the most keys of any element: <meta>'s; knownTags checks
)

// tagWord packs the last eight bytes of a tag's name into an integer, the last in the lowest byte, each
// byte ORed with 0x20: the same for both cases of an ASCII letter, and never 0, so that names of up to
// eight bytes that are equal ignoring the case of letters, and only those, pack the same when one of
// them is all lower-case letters.
func tagWord(name []byte) uint64 {
	var w uint64
	for _, c := range name {
		w = w<<8 | uint64(c|0x20)
	}
	return w
}

// lookupTag says how the lexer reads what follows a start tag whose name, of at most eight bytes (a
// longer one could pack as an eight-letter one), packs to w (tagWord), and returns the tagInfo of the
// element (nil for any other element, of which only the id matters) and, for raw text and XML elements,
// the name lower-case. It is asked for every start tag of every page: one multiplication finds the only
// entry of tagTable the word may be, where a switch on it compared it with five of the words.
func lookupTag(w uint64) (int, *tagInfo, string) {
	e := &tagTable.entries[w*tagTable.mul>>(64-tagTableBits)]
	if e.word != w {
		return normalTag, nil, ""
	}
	return e.kind, e.tag, e.name
}

// tagTable is a perfect hash table of the names lookupTag tells apart: the entry of the name whose word
// is w is entries[w*mul>>(64-tagTableBits)], and no two names share one.
var tagTable = func() (t struct {
	mul     uint64
	entries [1 << tagTableBits]tagEntry
}) {
	names := []tagEntry{
		{name: "a"}, {name: "link"}, {name: "script", kind: rawTextTag}, {name: "img"}, {name: "meta"},
		{name: "style", kind: rawTextTag}, {name: "textarea", kind: rawTextTag}, {name: "title", kind: rawTextTag},
		{name: "xmp", kind: rawTextTag}, {name: "iframe", kind: rawTextTag},
		{name: "svg", kind: xmlTag}, {name: "math", kind: xmlTag}, {name: "xml", kind: xmlTag},
	}
	for name := range knownTags {
		if !slices.ContainsFunc(names, func(e tagEntry) bool { return e.name == name }) {
			names = append(names, tagEntry{name: name})
		}
	}
	// Multipliers are tried in a fixed order, so the table is the same in every run.
	for m := uint64(0x9e3779b97f4a7c15); ; m += 0x5851f42d4c957f2e {
		t.mul, t.entries = m|1, [1 << tagTableBits]tagEntry{}
		ok := true
		for _, e := range names {
			if len(e.name) > 8 {
				panic("publish: lookupTag cannot tell <" + e.name + "> apart: its name is longer than a word")
			}
			e.word, e.tag = tagWord([]byte(e.name)), knownTags[e.name]
			slot := &t.entries[e.word*t.mul>>(64-tagTableBits)]
			if slot.word != 0 {
				ok = false
				break
			}
			*slot = e
			if e.kind == normalTag {
				slot.name = "" // lookupTag names raw text and XML elements only
			}
		}
		if ok {
			return t
		}
	}
}()

// tagTableBits is the size of tagTable, as a power of two.
const tagTableBits = 6

// tagEntry is one name of tagTable: its word (0 for none), and what lookupTag returns for it.
type tagEntry struct {
	word uint64
	kind int
	tag  *tagInfo
	name string
}

// The tagInfo of the elements the scan treats apart, and the kind of an <a>'s href.
var (
	tagA, tagMeta = knownTags["a"], knownTags["meta"]
	aHrefKind     = refKindOf("a", "href")
)

// knownTags holds the tagInfo of every element of urlAttrs and srcsetTags, and of <meta>.
var knownTags = func() map[string]*tagInfo {
	m := map[string]*tagInfo{}
	for _, t := range slices.Sorted(maps.Keys(urlAttrs)) {
		keys := []string{"id"}
		if t == "a" {
			keys = append(keys, "name")
		}
		info := &tagInfo{name: t, urlKey: len(keys), srcsetKey: -1}
		info.keys = append(keys, urlAttrs[t]...)
		for _, a := range urlAttrs[t] {
			info.kinds = append(info.kinds, refKindOf(t, a))
		}
		m[t] = info
	}
	for t := range srcsetTags {
		info := m[t]
		if info == nil {
			info = &tagInfo{name: t, keys: []string{"id"}, urlKey: 1}
			m[t] = info
		}
		info.srcsetKey, info.srcsetKind = len(info.keys), refKindOf(t, "srcset")
		info.keys = append(info.keys, "srcset")
	}
	m["meta"] = &tagInfo{name: "meta", keys: []string{"id", "name", "property", "content"}, urlKey: 4, srcsetKey: -1}
	for _, info := range m {
		if len(info.keys) > maxKeys || slices.Contains(info.keys[1:], "id") {
			panic("publish: the keys of <" + info.name + "> do not fit the scanner's slots")
		}
	}
	return m
}()

// get returns the value of the attribute kept in slot k, as written but without its quotes.
func (z *scanner) get(k int) []byte {
	a := z.slots[k]
	v := z.data[a.val0:a.val1]
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	return v
}

// value is the value of the attribute kept in slot k, quotes stripped and character references
// decoded; false when the element has no such attribute.
func (z *scanner) value(k int) (string, bool) {
	if z.set&(1<<k) == 0 {
		return "", false
	}
	v := z.get(k)
	if bytes.IndexByte(v, '&') < 0 {
		return string(v), true
	}
	return html.UnescapeString(string(v)), true
}

// decoded is the value of the attribute kept in slot k, as value returns it but still in the page when
// no character reference needs decoding; nil when there is none.
func (z *scanner) decoded(k int) []byte {
	if z.set&(1<<k) == 0 {
		return nil
	}
	v := z.get(k)
	if bytes.IndexByte(v, '&') < 0 {
		return v
	}
	return []byte(html.UnescapeString(string(v)))
}

// element records what one start tag defines and uses.
func (z *scanner) element(tag *tagInfo) {
	if z.set == 0 {
		return // nothing the scan reads: most <a> of a page have an href, but many other tags nothing
	}
	if z.set&(1<<idKey) != 0 {
		z.addID(z.get(idKey))
	}
	if tag == tagA {
		if name := z.decoded(aNameKey); len(name) > 0 {
			z.ids = append(z.ids, name)
		}
	}
	if tag == tagMeta {
		z.meta()
		return
	}
	for k, kind := range tag.kinds {
		if z.set&(1<<(tag.urlKey+k)) != 0 {
			z.addURL(kind, z.get(tag.urlKey+k))
		}
	}
	if tag.srcsetKey >= 0 {
		if v, ok := z.value(tag.srcsetKey); ok {
			for _, u := range srcsetURLs(v) {
				z.addRef(tag.srcsetKind, []byte(u))
			}
		}
	}
}

// addURL records a reference of the kind whose URL attribute's value, as get returns it, is v: v
// decoded, without the spaces around it.
func (z *scanner) addURL(kind refKind, v []byte) {
	if bytes.IndexByte(v, '&') >= 0 {
		v = []byte(strings.TrimSpace(html.UnescapeString(string(v))))
	} else if n := len(v); n == 0 || v[0]-'!' >= 0x80-'!' || v[n-1]-'!' >= 0x80-'!' {
		// Before decoding or after is the same: nothing is decoded. A URL that starts and ends with
		// ASCII other than a space or a control character, as most do, has nothing to trim.
		v = bytes.TrimSpace(v)
	}
	z.addRef(kind, v)
}

// addRef records a reference of the kind, which is not searchKind, to the URL u.
func (z *scanner) addRef(kind refKind, u []byte) {
	if isSelf(u) {
		z.self = append(z.self, int32(len(z.refs)))
	}
	z.refs = append(z.refs, pendingRef{kind, u})
}

// addID records the value of an id attribute, as get returns it.
func (z *scanner) addID(v []byte) {
	if bytes.IndexByte(v, '&') >= 0 {
		v = []byte(html.UnescapeString(string(v)))
	}
	if len(v) > 0 {
		z.ids = append(z.ids, v)
	}
}

// meta records what a <meta> defines and uses.
func (z *scanner) meta() {
	b := z.decoded(metaNameKey)
	if len(b) == 0 {
		b = z.decoded(propertyKey)
	}
	name := metaName(b)
	if name == "" {
		return
	}
	content, _ := z.value(contentKey)
	switch {
	case name == SearchMeta:
		for _, u := range strings.Fields(content) {
			z.refs = append(z.refs, pendingRef{searchKind, []byte(u)})
			z.search = append(z.search, []byte(u))
		}
	case name == "robots":
		for _, w := range strings.FieldsFunc(strings.ToLower(content), func(r rune) bool { return r == ',' || r == ' ' }) {
			if w == "noindex" || w == "none" {
				z.noIndex = true
			}
		}
	case urlMeta[name] && content != "":
		z.addRef(metaKind, []byte(strings.TrimSpace(content)))
	}
}

// metaName is the name of a <meta> (its name or property, b) lower-case, when it is one the scan reads;
// "" for any other. It is worked out in place, without a string, for every <meta> of every page; a name
// with other than ASCII is lower-cased as strings.ToLower does, which maps some letters to ASCII ones.
func metaName(b []byte) string {
	for _, c := range b {
		if c >= 0x80 {
			name := strings.ToLower(string(b))
			if name == SearchMeta || name == "robots" || urlMeta[name] {
				return name
			}
			return ""
		}
	}
	for _, name := range metaNames {
		if equalLower(b, name) {
			return name
		}
	}
	return ""
}

// metaNames are the <meta> names the scan reads: SearchMeta, robots, and those of urlMeta.
var metaNames = append([]string{SearchMeta, "robots"}, slices.Sorted(maps.Keys(urlMeta))...)

// srcsetURLs splits a srcset attribute ("a.png 1x, b.png 2x") into its URLs.
func srcsetURLs(v string) []string {
	var out []string
	for _, cand := range strings.Split(v, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}
