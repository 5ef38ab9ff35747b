package crosslink

import (
	"sort"
	"strings"
	"unicode"

	"github.com/lectern/lectern/generator/catalog"
)

// Heading is one heading of a page, as the markdown stage collects it in pass 1.
type Heading struct {
	Level int
	ID    string
	Text  string // plain text
}

// PageInfo is what FindHomes and BuildPages need to know about a page.
type PageInfo struct {
	URL          string // root-relative page URL, e.g. "glue/"
	Title        string
	FrontService string // front matter `service:`; one slug or several separated by commas or spaces
	Headings     []Heading
}

// Home scores: front matter beats a title that is exactly the service's name, which beats a heading
// that is exactly its name; "Hive on EMR" or "Apache Spark Intro" (a name plus a qualifier) come after
// every exact match. Within a kind, a higher-level heading wins.
const (
	scoreFront     = 1000
	scoreExact     = 500
	scoreQualified = 100
	scoreTitle     = 50
)

// qualifierWords may follow a service name in a heading that is about the service ("Spark Intro").
var qualifierWords = map[string]bool{
	"intro": true, "introduction": true, "overview": true, "basics": true, "fundamentals": true,
	"essentials": true, "concepts": true, "primer": true, "in depth": true, "deep dive": true,
	"explained": true, "summary": true, "notes": true, "cheat sheet": true,
}

// qualifierPrepositions introduce a platform after a service name: "Hive on EMR", "Spark in Glue".
var qualifierPrepositions = []string{"on ", "in ", "with ", "for ", "via "}

// qualifierPrefixes may come before a service name: "Introduction to Kafka", "What is Athena".
var qualifierPrefixes = []string{"introduction to ", "intro to ", "what is ", "about ", "overview of ", "using "}

type homeCandidate struct {
	home  Home
	score int
	page  int
	pos   int // heading index, -1 for the page itself
}

// FindHomes decides the home of each service: a page whose front matter names it (`service: lambda`),
// or a page title or heading that names it ("AWS Lambda", "Elastic MapReduce (EMR)", "Data Pipeline",
// and, weaker, "Hive on EMR" or "Apache Spark Intro"). When several qualify, the most specific and
// highest-level one wins, then the first in page order, so the result is deterministic for a given
// page order. Headings without an id cannot be homes. Services with no home link to their service page.
func FindHomes(cat *catalog.Catalog, pages []PageInfo) map[string]Home {
	idx := newTermIndex(cat)
	best := map[string]homeCandidate{}
	offer := func(slug string, c homeCandidate) {
		old, ok := best[slug]
		if !ok || c.score > old.score || c.score == old.score && (c.page < old.page || c.page == old.page && c.pos < old.pos) {
			best[slug] = c
		}
	}
	for pi, p := range pages {
		for _, slug := range strings.FieldsFunc(p.FrontService, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			if cat.Lookup(slug) != nil {
				offer(slug, homeCandidate{Home{URL: p.URL, Title: p.Title}, scoreFront, pi, -1})
			}
		}
		if s, score := idx.names(p.Title); s != nil {
			offer(s.Slug, homeCandidate{Home{URL: p.URL, Title: p.Title}, score + scoreTitle, pi, -1})
		}
		for hi, h := range p.Headings {
			if h.ID == "" {
				continue
			}
			s, score := idx.names(h.Text)
			if s == nil {
				continue
			}
			if h.Level == 1 && strings.EqualFold(strings.TrimSpace(h.Text), strings.TrimSpace(p.Title)) {
				continue // the page's own title heading: the page is the home, not its anchor
			}
			level := h.Level
			if level < 1 {
				level = 1
			}
			offer(s.Slug, homeCandidate{Home{URL: p.URL, Anchor: h.ID, Title: h.Text}, score + 10 - level, pi, hi})
		}
	}
	out := make(map[string]Home, len(best))
	for slug, c := range best {
		out[slug] = c.home
	}
	return out
}

// termIndex looks up whole strings among the catalog's terms.
type termIndex struct {
	folded map[string][]*catalog.Service // case-insensitive terms
	exact  map[string]*catalog.Service   // case-sensitive terms
	cat    *catalog.Catalog
}

func newTermIndex(cat *catalog.Catalog) *termIndex {
	ix := &termIndex{folded: map[string][]*catalog.Service{}, exact: map[string]*catalog.Service{}, cat: cat}
	for _, s := range cat.Services {
		for _, t := range s.Terms() {
			text := catalog.NormalizeSpace(t.Text)
			if s.CaseSensitive || t.Kind == catalog.TermAbbreviation {
				if _, ok := ix.exact[text]; !ok {
					ix.exact[text] = s
				}
			} else {
				key := strings.ToLower(text)
				ix.folded[key] = append(ix.folded[key], s)
			}
		}
	}
	return ix
}

// lookup returns the service that s (already normalised) spells exactly.
func (ix *termIndex) lookup(s string) *catalog.Service {
	if svc, ok := ix.exact[s]; ok {
		return svc
	}
	if l := ix.folded[strings.ToLower(s)]; len(l) > 0 {
		return l[0]
	}
	for _, prefix := range []string{"aws ", "amazon ", "apache "} {
		if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			return ix.lookup(s[len(prefix):])
		}
	}
	return nil
}

// names returns the service a heading or title is about, with its score, or nil.
func (ix *termIndex) names(heading string) (*catalog.Service, int) {
	h := cleanHeading(heading)
	if h == "" {
		return nil, 0
	}
	if s := ix.lookup(h); s != nil {
		return s, scoreExact
	}
	// "Elastic MapReduce (EMR)": both parts name the same service.
	if strings.HasSuffix(h, ")") {
		if open := strings.LastIndex(h, " ("); open > 0 {
			a, b := ix.lookup(strings.TrimSpace(h[:open])), ix.lookup(strings.TrimSpace(h[open+2:len(h)-1]))
			if a != nil && a == b {
				return a, scoreExact
			}
		}
	}
	lower := strings.ToLower(h)
	for _, p := range qualifierPrefixes {
		if strings.HasPrefix(lower, p) {
			if s := ix.lookup(strings.TrimSpace(h[len(p):])); s != nil {
				return s, scoreQualified
			}
		}
	}
	// A name followed by a qualifier word or a preposition and another service ("Hive on EMR").
	words := strings.Fields(h)
	for cut := len(words) - 1; cut >= 1; cut-- {
		s := ix.lookup(strings.Join(words[:cut], " "))
		if s == nil {
			continue
		}
		rest := strings.ToLower(strings.Join(words[cut:], " "))
		if qualifierWords[rest] {
			return s, scoreQualified
		}
		for _, prep := range qualifierPrepositions {
			if strings.HasPrefix(rest, prep) {
				if other := ix.lookup(strings.Join(words[cut+1:], " ")); other != nil && other != s {
					return s, scoreQualified
				}
			}
		}
	}
	return nil, 0
}

// cleanHeading strips emphasis markers, backticks and surrounding punctuation and collapses spaces.
func cleanHeading(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '_', '`':
			return -1
		}
		return r
	}, s)
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":.-–—#", r) })
	return catalog.NormalizeSpace(s)
}

// sortedSlugs returns the keys of a map in order.
func sortedSlugs[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
