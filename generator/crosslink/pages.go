package crosslink

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/catalog"
)

// PageMentions is one page's pass-1 result: its headings and the mentions found on it.
type PageMentions struct {
	Page     PageInfo
	Mentions []MentionInfo
}

// ServiceRef is a service in a list: the services index, "Services in this note", or "mentioned
// alongside". URLs are root-relative; templates prefix them with .Root.
type ServiceRef struct {
	Slug     string
	Name     string
	Summary  string
	Category string
	Docs     string // official documentation URL
	URL      string // the service page, "services/<slug>/"
	HomeURL  string // the home section, "" when the notes have none
	Count    int    // mentions (in the index and a note) or shared sections (alongside)
	Pages    int    // pages that mention it (index only)
}

// LetterGroup is one letter of the A–Z list.
type LetterGroup struct {
	Letter   string // upper-case letter, or "#" for names that do not start with one
	ID       string // fragment id: "letter-a", "letter-other"
	Services []ServiceRef
}

// CategoryGroup is one category of the by-category list.
type CategoryGroup struct {
	Name     string
	ID       string // fragment id: "category-machine-learning"
	Count    int    // mentions of all its services
	Services []ServiceRef
}

// ServicesIndex is the data of the /services/ page (page kind "services").
type ServicesIndex struct {
	Total      int // services listed
	Mentions   int // mentions of all of them
	Letters    []LetterGroup
	Categories []CategoryGroup
}

// MentionRef is one section that mentions a service, on its service page.
type MentionRef struct {
	PageTitle string
	PageURL   string // root-relative page URL
	Section   string // heading text, "" for the part of the page before the first heading
	URL       string // root-relative link to the exact section: "glue/#job-bookmarks"
	Sentence  string // the sentence around the first mention in the section
	// Before, Match and After split Sentence at the mention, so the template can mark it.
	Before, Match, After string
	Count                int // mentions in the section
}

// ServicePage is the data of /services/<slug>/ (page kind "service").
type ServicePage struct {
	Slug          string
	Name          string
	Aliases       []string
	Abbreviations []string
	Summary       string
	Docs          string
	Category      string
	URL           string // "services/<slug>/"
	Home          *Home  // nil when the notes have no home for it
	HomeURL       string // Home.Target(), "" without a home
	Count         int    // mentions in all notes
	MentionedIn   []MentionRef
	Alongside     []ServiceRef // services most often mentioned in the same sections, best first
}

// maxAlongside bounds the "mentioned alongside" list.
const maxAlongside = 6

// BuildPages computes the services index and one page per service that the notes mention or have a
// home for; services the notes never name are left out. Pages are in slug order, lists in a fixed
// order (counts descending, then name), so output is deterministic.
func BuildPages(cat *catalog.Catalog, homes map[string]Home, pages []PageMentions) (ServicesIndex, []ServicePage) {
	type sectionKey struct {
		page    int
		section string
	}
	bySvc := map[string]*ServicePage{}
	refsBy := map[string]map[sectionKey]*MentionRef{}
	pagesBy := map[string]map[int]bool{}
	together := map[sectionKey]map[string]bool{}
	var order []sectionKey
	get := func(slug string) *ServicePage {
		if sp := bySvc[slug]; sp != nil {
			return sp
		}
		s := cat.Lookup(slug)
		if s == nil {
			return nil
		}
		sp := &ServicePage{
			Slug: s.Slug, Name: s.Name, Aliases: s.Aliases, Abbreviations: s.Abbreviations,
			Summary: s.Summary, Docs: s.Docs, Category: categoryName(s), URL: ServiceURL(s.Slug),
		}
		if h, ok := homes[slug]; ok {
			h := h
			sp.Home, sp.HomeURL = &h, h.Target()
		}
		bySvc[slug] = sp
		refsBy[slug] = map[sectionKey]*MentionRef{}
		pagesBy[slug] = map[int]bool{}
		return sp
	}
	for slug := range homes {
		get(slug)
	}
	for pi, pm := range pages {
		headings := map[string]string{}
		for _, h := range pm.Page.Headings {
			if _, ok := headings[h.ID]; !ok && h.ID != "" {
				headings[h.ID] = h.Text
			}
		}
		for _, m := range pm.Mentions {
			sp := get(m.Slug)
			if sp == nil {
				continue
			}
			sp.Count++
			pagesBy[m.Slug][pi] = true
			key := sectionKey{pi, m.SectionID}
			if together[key] == nil {
				together[key] = map[string]bool{}
				order = append(order, key)
			}
			together[key][m.Slug] = true
			ref := refsBy[m.Slug][key]
			if ref == nil {
				url := pm.Page.URL
				if m.SectionID != "" {
					url += "#" + m.SectionID
				}
				ref = &MentionRef{PageTitle: pm.Page.Title, PageURL: pm.Page.URL, Section: headings[m.SectionID], URL: url, Sentence: m.Sentence, Before: m.Sentence}
				if i := strings.Index(m.Sentence, m.Text); i >= 0 && m.Text != "" {
					ref.Before, ref.Match, ref.After = m.Sentence[:i], m.Text, m.Sentence[i+len(m.Text):]
				}
				refsBy[m.Slug][key] = ref
			}
			ref.Count++
		}
	}
	co := map[string]map[string]int{}
	for _, key := range order {
		slugs := sortedSlugs(together[key])
		for _, a := range slugs {
			for _, b := range slugs {
				if a != b {
					if co[a] == nil {
						co[a] = map[string]int{}
					}
					co[a][b]++
				}
			}
		}
	}
	// One pass over the sections, in order, gives each service its mentions in that order (rather than
	// one pass per service).
	for _, key := range order {
		for slug := range together[key] {
			if ref := refsBy[slug][key]; ref != nil {
				bySvc[slug].MentionedIn = append(bySvc[slug].MentionedIn, *ref)
			}
		}
	}
	var out []ServicePage
	for _, slug := range sortedSlugs(bySvc) {
		sp := bySvc[slug]
		for other, n := range co[slug] {
			sp.Alongside = append(sp.Alongside, ref(cat, homes, other, n, 0))
		}
		sortRefs(sp.Alongside)
		if len(sp.Alongside) > maxAlongside {
			sp.Alongside = sp.Alongside[:maxAlongside]
		}
		out = append(out, *sp)
	}
	return buildIndex(cat, homes, out, pagesBy), out
}

func ref(cat *catalog.Catalog, homes map[string]Home, slug string, count, pages int) ServiceRef {
	s := cat.Lookup(slug)
	r := ServiceRef{Slug: slug, Name: s.Name, Summary: s.Summary, Category: categoryName(s), Docs: s.Docs, URL: ServiceURL(slug), Count: count, Pages: pages}
	if h, ok := homes[slug]; ok {
		r.HomeURL = h.Target()
	}
	return r
}

func categoryName(s *catalog.Service) string {
	if s.Category == "" {
		return "Other"
	}
	return s.Category
}

// sortRefs orders by count descending, then name as filed A–Z, then slug. Each name's filing form is
// worked out once, not in every comparison: this runs for every service page on every save.
func sortRefs(refs []ServiceRef) {
	sort.Sort(byCount{refs, sortNames(refs)})
}

func sortNames(refs []ServiceRef) []string {
	names := make([]string, len(refs))
	for i := range refs {
		names[i] = sortName(refs[i].Name)
	}
	return names
}

type byCount struct {
	refs  []ServiceRef
	names []string // sortName of each ref
}

func (s byCount) Len() int { return len(s.refs) }

func (s byCount) Swap(i, j int) {
	s.refs[i], s.refs[j] = s.refs[j], s.refs[i]
	s.names[i], s.names[j] = s.names[j], s.names[i]
}

func (s byCount) Less(i, j int) bool {
	a, b := s.refs[i], s.refs[j]
	if a.Count != b.Count {
		return a.Count > b.Count
	}
	if s.names[i] != s.names[j] {
		return s.names[i] < s.names[j]
	}
	return a.Slug < b.Slug
}

func buildIndex(cat *catalog.Catalog, homes map[string]Home, pages []ServicePage, pagesBy map[string]map[int]bool) ServicesIndex {
	var idx ServicesIndex
	var all []ServiceRef
	for _, sp := range pages {
		all = append(all, ref(cat, homes, sp.Slug, sp.Count, len(pagesBy[sp.Slug])))
		idx.Mentions += sp.Count
	}
	idx.Total = len(all)
	sort.Slice(all, func(i, j int) bool {
		a, b := sortName(all[i].Name), sortName(all[j].Name)
		if a != b {
			return a < b
		}
		return all[i].Slug < all[j].Slug
	})
	cats := map[string]*CategoryGroup{}
	for _, r := range all {
		letter := "#"
		if first, _ := utf8.DecodeRuneInString(sortName(r.Name)); unicode.IsLetter(first) {
			letter = string(unicode.ToUpper(first))
		}
		if n := len(idx.Letters); n == 0 || idx.Letters[n-1].Letter != letter {
			id := "letter-other"
			if letter != "#" {
				id = "letter-" + strings.ToLower(letter)
			}
			idx.Letters = append(idx.Letters, LetterGroup{Letter: letter, ID: id})
		}
		idx.Letters[len(idx.Letters)-1].Services = append(idx.Letters[len(idx.Letters)-1].Services, r)
		g := cats[r.Category]
		if g == nil {
			g = &CategoryGroup{Name: r.Category, ID: "category-" + fragmentID(r.Category)}
			cats[r.Category] = g
		}
		g.Services = append(g.Services, r)
		g.Count += r.Count
	}
	for _, name := range sortedSlugs(cats) {
		idx.Categories = append(idx.Categories, *cats[name])
	}
	return idx
}

// sortName is the name a service is filed under A–Z: without "AWS", "Amazon" or "Apache", so Lambda
// is under L, not A.
func sortName(name string) string {
	for _, p := range []string{"AWS ", "Amazon ", "Apache "} {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			name = name[len(p):]
		}
	}
	return strings.ToLower(name)
}

// PageServices lists the services mentioned on one page for its "Services in this note" box: most
// mentioned first. The lead's page data carries it as .Page.Services.
func PageServices(cat *catalog.Catalog, homes map[string]Home, mentions []MentionInfo) []ServiceRef {
	counts := map[string]int{}
	for _, m := range mentions {
		if cat.Lookup(m.Slug) != nil {
			counts[m.Slug]++
		}
	}
	out := make([]ServiceRef, 0, len(counts))
	for _, slug := range sortedSlugs(counts) {
		out = append(out, ref(cat, homes, slug, counts[slug], 0))
	}
	sortRefs(out)
	return out
}

// fragmentID turns a category name into a fragment id: lower-case letters and digits joined by hyphens.
func fragmentID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "other"
	}
	return b.String()
}
