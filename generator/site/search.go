package site

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/render"
	"github.com/lectern/lectern/generator/search"
)

// nameSearch gathers the search index's input and names its entry file after it, so that pages can name
// the index while it is still being built (see buildSearch).
func (b *builder) nameSearch() error {
	per := make([][]search.Doc, len(b.docs))
	n := 0
	for i, d := range b.docs {
		if b.notes != nil {
			per[i] = b.notes[i].searchDocs()
		} else {
			per[i] = searchDocs(d)
		}
		n += len(per[i])
	}
	docs := make([]search.Doc, 0, n)
	for _, ds := range per {
		docs = append(docs, ds...)
	}
	b.searchDocs = docs
	b.searchOpts = search.Options{Synonyms: b.synonyms()}
	if c := b.opts.Cache; c != nil {
		b.searchOpts.Cache = &c.search
	} else {
		first := make([]int, len(per)+1) // each note's first doc; the number of docs last
		for i, ds := range per {
			first[i+1] = first[i] + len(ds)
		}
		b.searchOpts.Text = b.searchText(first, docs)
		b.searchOpts.TextSize = b.searchTextSize(first, docs)
	}
	var err error
	if b.searchOpts.Entry, err = search.EntryFor(docs, b.searchOpts); err != nil {
		return err
	}
	b.searchEntry = b.searchOpts.Entry
	b.res.SearchEntry = b.searchEntry
	b.res.cached = b.opts.Cache != nil
	return nil
}

// searchText is the search index's Options.Text in a build without a Cache: the text of the docs of
// note i (docs[first[i]:first[i+1]]) is that of its sections, read back from the spill when pass 1 put
// it there, and its aliases.
func (b *builder) searchText(first []int, docs []search.Doc) func(int, *search.TextBuffer) ([]search.Text, error) {
	return func(doc int, buf *search.TextBuffer) ([]search.Text, error) {
		i := sort.SearchInts(first, doc+1) - 1 // the last note starting at or before doc
		d := b.docs[i]
		out := slices.Grow(buf.Texts[:0], first[i+1]-first[i])
		defer func() { buf.Texts = out[:0] }() // kept grown for the reader's next note
		if b.spill.hasText(i) {
			var err error
			if out, err = b.spill.getText(i, out, &buf.Bytes); err != nil {
				return nil, fmt.Errorf("%s: cannot read its text back: %w", d.Page.File, err)
			}
		} else {
			for _, s := range d.Sections {
				out = append(out, search.Text{Body: s.Body, Emphasis: s.Emphasis})
			}
		}
		for _, x := range docs[first[i]+len(d.Sections) : first[i+1]] { // the aliases: in the docs
			out = append(out, search.Text{Body: x.Body, Emphasis: x.Emphasis})
		}
		if len(out) != first[i+1]-first[i] {
			return nil, fmt.Errorf("%s: its text read back is that of %d sections, not %d", d.Page.File, len(out), first[i+1]-first[i])
		}
		return out[doc-first[i]:], nil
	}
}

// searchTextSize is the search index's Options.TextSize, which Options.Text goes with: a note whose
// text is in the spill shares the size the spill holds it in evenly between its docs, so the index need
// not read the text an extra time to share its work between the cores; other docs hold their text.
func (b *builder) searchTextSize(first []int, docs []search.Doc) func(int) int {
	return func(doc int) int {
		i := sort.SearchInts(first, doc+1) - 1
		if b.spill.hasText(i) {
			return b.spill.text[i].n / (first[i+1] - first[i])
		}
		return len(docs[doc].Body) + len(docs[doc].Emphasis)
	}
}

// searchDocs is a note's sections as the search index takes them.
func searchDocs(d *markdown.Document) []search.Doc {
	out := make([]search.Doc, 0, len(d.Sections)+1)
	for _, s := range d.Sections {
		out = append(out, search.Doc{URL: d.Page.URL, Anchor: s.Anchor, Page: d.Title, Path: s.Path,
			Level: s.Level, Heading: s.Heading, Body: s.Body, Emphasis: s.Emphasis})
	}
	if len(d.Page.Front.Aliases) > 0 {
		out = append(out, search.Doc{URL: d.Page.URL, Page: d.Title, Emphasis: strings.Join(d.Page.Front.Aliases, " ")})
	}
	return out
}

// buildSearch turns every note's sections into the search index and writes its files. It runs
// alongside rendering: pages already name its entry file.
func (b *builder) buildSearch() error {
	opts := b.searchOpts
	// each file is written as soon as it is final, so the index is never held whole
	opts.Emit = func(f search.File) error { return b.write(f.Path, f.Data) }
	_, entry, err := search.Build(b.searchDocs, opts)
	if err != nil {
		return err
	}
	if got := strings.Join(entry, " "); got != b.searchEntry {
		return fmt.Errorf("search index entry %q, expected %q", got, b.searchEntry)
	}
	if b.opts.Cache != nil {
		// Pages name the placeholder, which leads where the entry does (Result.Finish).
		b.links.AddScanned(SearchPlaceholder, nil)
	}
	b.searchDocs, b.searchOpts.Text, b.searchOpts.TextSize = nil, nil, nil // they hold the docs too
	if b.opts.Cache == nil {
		// The sections' text is the size of the notes again, and nothing after the index reads it.
		for _, d := range b.docs {
			for i := range d.Sections {
				d.Sections[i].Body, d.Sections[i].Emphasis = "", ""
			}
		}
	}
	return nil
}

// synonyms are the catalog's names, aliases and abbreviations of each service, so a search for "EMR"
// finds "Elastic MapReduce".
func (b *builder) synonyms() map[string][]string {
	if b.svc == nil {
		return nil
	}
	// Only services the notes mention: a synonym for a name that appears nowhere finds nothing and costs
	// index bytes on every first query.
	mentioned := map[string]bool{}
	for _, p := range b.svc.pages {
		mentioned[p.Slug] = true
	}
	out := map[string][]string{}
	for _, s := range b.svc.cat.Services {
		if !mentioned[s.Slug] {
			continue
		}
		names := append([]string{s.Name}, s.Aliases...)
		names = append(names, s.Abbreviations...)
		for _, n := range names {
			key := strings.ToLower(n)
			for _, other := range names {
				// Names that share a word already find each other ("AWS Lambda", "Lambda"); only
				// those that do not ("EMR", "Elastic MapReduce") need a synonym.
				if o := strings.ToLower(other); o != key && !shareWord(key, o) {
					out[key] = append(out[key], o)
				}
			}
		}
	}
	return out
}

// writeSearchPage renders search/, the page of full results (also the target of the search form
// without JavaScript).
func (b *builder) writeSearchPage() error {
	if !b.theme.Has("search") {
		return nil
	}
	return b.renderExtra(&render.PageData{Kind: "search", URL: "search/", Title: "Search",
		Crumbs: []render.Link{{URL: "", Title: "Home"}}})
}

// shareWord reports whether two names have a word in common.
func shareWord(a, b string) bool {
	words := map[string]bool{}
	for _, w := range search.Tokenize(a) {
		words[w] = true
	}
	for _, w := range search.Tokenize(b) {
		if words[w] {
			return true
		}
	}
	return false
}
