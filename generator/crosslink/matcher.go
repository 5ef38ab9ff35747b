package crosslink

import (
	"bytes"
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/catalog"
)

// Matcher finds service mentions in text. It is a byte trie over every catalogued term (ASCII case
// folded, inner whitespace collapsed to one space), built once per build and shared read-only by every
// goroutine. Matching starts only at word starts and walks the trie as far as the text allows, keeping
// the longest term that ends on a word boundary, so the cost is linear in the text length (times the
// length of the longest term, a constant of the catalog) and does not grow with the number of services.
type Matcher struct {
	cat   *catalog.Catalog
	nodes []trieNode
	edges []trieEdge
	terms []termInfo
	// first[b] says whether some term starts with the (folded) byte b: most positions in a text are
	// rejected with one table lookup.
	first [256]bool
	// rootNext[b] is the root's child for the folded byte b, or -1; the root is the widest node.
	rootNext [256]int32
}

// wordByte marks ASCII letters, digits and '_'; bytes >= 0x80 are decoded as runes.
var wordByte = func() (t [256]bool) {
	for c := 0; c < 128; c++ {
		t[c] = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

type trieNode struct {
	first, count int32 // edges[first:first+count], sorted by byte
	terms        []int32
}

type trieEdge struct {
	b    byte
	next int32
}

type termInfo struct {
	svc       *catalog.Service
	text      []byte // normalised spelling
	sensitive bool   // exact case required
	lowerOK   bool   // an all-lowercase spelling may match
	hasUpper  bool
	sibilant  bool // ends in s, x, z or h: takes the plural "es"
}

// Match is one mention found by FindAll: text[Start:End] names the service, including a plural or
// possessive suffix ("Lambda's").
type Match struct {
	Start, End int
	Service    *catalog.Service
}

// NewMatcher builds the matcher for a catalog. Build it once per build; it is safe for concurrent use.
func NewMatcher(cat *catalog.Catalog) *Matcher {
	m := &Matcher{cat: cat}
	type buildNode struct {
		next  map[byte]int32
		terms []int32
	}
	build := []buildNode{{next: map[byte]int32{}}}
	for _, s := range cat.Services {
		seen := map[string]bool{}
		for _, t := range s.Terms() {
			text := catalog.NormalizeSpace(t.Text)
			if text == "" || seen[text] {
				continue
			}
			seen[text] = true
			info := termInfo{
				svc:       s,
				text:      []byte(text),
				sensitive: s.CaseSensitive || t.Kind == catalog.TermAbbreviation,
				lowerOK:   cat.MatchesLowercase(s),
				hasUpper:  hasUpper([]byte(text)),
			}
			switch text[len(text)-1] {
			case 's', 'x', 'z', 'h', 'S', 'X', 'Z', 'H':
				info.sibilant = true
			}
			idx := int32(len(m.terms))
			m.terms = append(m.terms, info)
			n := int32(0)
			for i := 0; i < len(text); i++ {
				c := fold(text[i])
				nx, ok := build[n].next[c]
				if !ok {
					nx = int32(len(build))
					build = append(build, buildNode{next: map[byte]int32{}})
					build[n].next[c] = nx
				}
				n = nx
			}
			build[n].terms = append(build[n].terms, idx)
		}
	}
	for i := range m.rootNext {
		m.rootNext[i] = -1
	}
	m.nodes = make([]trieNode, len(build))
	for i, b := range build {
		keys := make([]byte, 0, len(b.next))
		for k := range b.next {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(a, c int) bool { return keys[a] < keys[c] })
		m.nodes[i] = trieNode{first: int32(len(m.edges)), count: int32(len(keys)), terms: b.terms}
		for _, k := range keys {
			m.edges = append(m.edges, trieEdge{b: k, next: b.next[k]})
			if i == 0 {
				m.rootNext[k] = b.next[k]
				m.first[k] = true
				if 'a' <= k && k <= 'z' {
					m.first[k-'a'+'A'] = true
				}
			}
		}
	}
	return m
}

// Catalog returns the catalog the matcher was built from.
func (m *Matcher) Catalog() *catalog.Catalog { return m.cat }

func (m *Matcher) child(n int32, c byte) int32 {
	if n == 0 {
		return m.rootNext[c]
	}
	node := &m.nodes[n]
	edges := m.edges[node.first : node.first+node.count]
	if len(edges) <= 8 {
		for _, e := range edges {
			if e.b == c {
				return e.next
			}
		}
		return -1
	}
	i := sort.Search(len(edges), func(i int) bool { return edges[i].b >= c })
	if i < len(edges) && edges[i].b == c {
		return edges[i].next
	}
	return -1
}

// FindAll returns the mentions in text, left to right, without overlaps. At each word start the longest
// matching term wins ("Redshift Spectrum" over "Redshift"); a term must end on a word boundary, optionally
// after a plural or possessive suffix; text inside URLs never matches.
func (m *Matcher) FindAll(text []byte) []Match {
	var out []Match
	m.Scan(text, func(mt Match) { out = append(out, mt) })
	return out
}

// Scan calls fn for each mention FindAll would return, without allocating a slice.
func (m *Matcher) Scan(text []byte, fn func(Match)) {
	if len(m.nodes) == 0 || len(m.nodes[0].terms) == 0 && m.nodes[0].count == 0 {
		return
	}
	urls := urlRanges(text)
	i := 0
	for i < len(text) {
		if len(urls) > 0 && i >= urls[0][0] {
			if i < urls[0][1] {
				i = urls[0][1]
			}
			urls = urls[1:]
			continue
		}
		if c := text[i]; c < utf8.RuneSelf && (!m.first[c] || i > 0 && wordByte[text[i-1]]) {
			i++ // no term starts with c, or c continues an ASCII word
			continue
		}
		if !wordStart(text, i) {
			i = nextRune(text, i)
			continue
		}
		mt, ok := m.longestAt(text, i)
		if ok && (len(urls) == 0 || mt.End <= urls[0][0]) {
			fn(mt)
			i = mt.End
			continue
		}
		i = nextRune(text, i)
	}
}

// longestAt walks the trie from a word start and returns the longest valid match.
func (m *Matcher) longestAt(text []byte, start int) (Match, bool) {
	var best Match
	found := false
	n := int32(0)
	j := start
	for j < len(text) {
		c := text[j]
		next := j + 1
		if isSpaceByte(c) {
			for next < len(text) && isSpaceByte(text[next]) {
				next++
			}
			c = ' '
		} else {
			c = fold(c)
		}
		n = m.child(n, c)
		if n < 0 {
			break
		}
		j = next
		for _, ti := range m.nodes[n].terms {
			t := &m.terms[ti]
			if !m.caseOK(t, text[start:j]) {
				continue
			}
			if end, ok := wordEnd(text, start, j, t); ok && (!found || end > best.End) {
				best, found = Match{Start: start, End: end, Service: t.svc}, true
			}
		}
	}
	return best, found
}

func (m *Matcher) caseOK(t *termInfo, got []byte) bool {
	if t.sensitive {
		return equalSpace(got, t.text)
	}
	if !t.lowerOK && t.hasUpper && !hasUpper(got) {
		return false
	}
	return true
}

// wordEnd checks the boundary after a term that ends at j, trying the plural and possessive suffixes
// first so that "Lambda's" links as a whole. It returns the end of the mention.
func wordEnd(text []byte, start, j int, t *termInfo) (int, bool) {
	lower := !hasUpper(text[start:j])
	for _, suf := range suffixes {
		if suf.sibilant && !t.sibilant || suf.afterS && !t.sibilant {
			continue
		}
		if bytes.HasPrefix(text[j:], suf.text) && boundaryAfter(text, j+len(suf.text), lower) {
			return j + len(suf.text), true
		}
	}
	return j, boundaryAfter(text, j, lower)
}

type suffix struct {
	text     []byte
	sibilant bool // only after s, x, z, h ("es")
	afterS   bool // only after s, x, z, h (bare apostrophe: "Step Functions'")
}

var suffixes = []suffix{
	{text: []byte("\u2019s")},
	{text: []byte("'s")},
	{text: []byte("es"), sibilant: true},
	{text: []byte("s")},
	{text: []byte("\u2019"), afterS: true},
	{text: []byte("'"), afterS: true},
}

// wordStart reports whether a mention may start at i: not inside a word, an identifier (a.b, a_b), a
// path or a hyphenated lowercase word.
func wordStart(text []byte, i int) bool {
	if i == 0 {
		return true
	}
	r, size := utf8.DecodeLastRune(text[:i])
	if isWordRune(r) {
		return false
	}
	before, _ := utf8.DecodeLastRune(text[:i-size])
	switch r {
	case '.', '@', '\\', '$', '#', '%', '=', '~', '/', '-', '+':
		if i-size > 0 && isWordRune(before) {
			if r == '/' || r == '-' {
				return hasUpperRune(text[i:]) // "HDFS/S3" and "non-EMR" are prose, "my-lambda" is a name
			}
			return false
		}
	}
	return true
}

// hasUpperRune reports whether the first rune of b is upper case.
func hasUpperRune(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsUpper(r)
}

// boundaryAfter reports whether a mention may end at j. lower says whether the mention is all lowercase,
// which makes "-" and "/" joiners ("lambda-function", "aws/lambda") instead of separators.
func boundaryAfter(text []byte, j int, lower bool) bool {
	if j >= len(text) {
		return true
	}
	r, size := utf8.DecodeRune(text[j:])
	if isWordRune(r) {
		return false
	}
	after, _ := utf8.DecodeRune(text[j+size:])
	if j+size < len(text) && isWordRune(after) {
		switch r {
		case '.', '@', '\\', '$', '#', '%', '=', '~':
			return false
		case '/', '-', '+':
			return !lower
		}
	}
	return true
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func fold(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasUpper(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if unicode.IsUpper(r) {
			return true
		}
		i += size
	}
	return false
}

// equalSpace compares text with a normalised term, treating any whitespace run in text as one space.
func equalSpace(text, term []byte) bool {
	i, k := 0, 0
	for i < len(text) && k < len(term) {
		if isSpaceByte(text[i]) {
			if term[k] != ' ' {
				return false
			}
			for i < len(text) && isSpaceByte(text[i]) {
				i++
			}
			k++
			continue
		}
		if text[i] != term[k] {
			return false
		}
		i++
		k++
	}
	return i == len(text) && k == len(term)
}

func nextRune(text []byte, i int) int {
	if text[i] < utf8.RuneSelf {
		return i + 1
	}
	_, size := utf8.DecodeRune(text[i:])
	return i + size
}

// urlRanges returns the [start, end) byte ranges of URLs written as plain text ("https://...",
// "s3://bucket/key", "www.example.com"), in order; a URL runs to the next space or angle bracket.
func urlRanges(text []byte) [][2]int {
	var out [][2]int
	add := func(start, from int) int {
		end := from
		for end < len(text) && !isSpaceByte(text[end]) && text[end] != '<' && text[end] != '>' && text[end] != '"' {
			end++
		}
		if n := len(out); n > 0 && start < out[n-1][1] {
			if end > out[n-1][1] {
				out[n-1][1] = end
			}
			return end
		}
		out = append(out, [2]int{start, end})
		return end
	}
	nextK, nextW := -1, -1 // absolute positions of the next "://" and "www.", recomputed only when passed
	for i := 0; i < len(text); {
		if nextK < i && nextK != len(text) {
			if k := bytes.Index(text[i:], []byte("://")); k >= 0 {
				nextK = i + k
			} else {
				nextK = len(text)
			}
		}
		if nextW < i && nextW != len(text) {
			if w := bytes.Index(text[i:], []byte("www.")); w >= 0 {
				nextW = i + w
			} else {
				nextW = len(text)
			}
		}
		if nextK == len(text) && nextW == len(text) {
			break
		}
		if nextW < nextK {
			at := nextW
			if wordStart(text, at) {
				i = add(at, at+4)
			} else {
				i = at + 4
			}
			continue
		}
		at := nextK
		start := at
		for start > 0 && at-start < 32 && isSchemeByte(text[start-1]) { // schemes are short
			start--
		}
		if start == at {
			i = at + 3
			continue
		}
		i = add(start, at+3)
	}
	return out
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'
}
