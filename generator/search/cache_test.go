package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// words make synthetic notes: stopwords, identifiers, acronyms with their long forms, accents, CJK, a
// character outside the BMP (front coding in UTF-16) and long runs.
var words = strings.Fields(`the a of and to in is it for on with as by at an be this that from or
	cluster node nodes job jobs bookmark bookmarks crawler crawlers table tables partition partitions
	query queries stream streams shard shards bucket buckets object objects key keys policy policies
	s3Bucket HTTPServer job_bookmark_option enableUpdateCatalog DPUs m5.xlarge Glue's
	Elastic MapReduce (EMR) data processing units (DPUs) extract, transform, and load (ETL)
	Café naïve résumé 数据分析 𝒳yz 𝒳yw ｆｕｌｌ aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	Kinesis Redshift Athena Lambda spot instances HDFS (Hadoop Distributed File System)`)

func sentence(r *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[r.IntN(len(words))]
	}
	return strings.Join(ws, " ")
}

type synthPage struct {
	url, title string
	preamble   Doc
	secs       []Doc
	aliases    string
}

func synthSection(r *rand.Rand, p *synthPage, n int) Doc {
	h := sentence(r, 1+r.IntN(3))
	level := 2 + r.IntN(3)
	if r.IntN(8) == 0 {
		h = p.title // a heading equal to the title: empty preambles become redundant
		level = 1
	}
	d := Doc{URL: p.url, Anchor: fmt.Sprintf("s%d", n), Page: p.title, Level: level, Heading: h, Path: []string{h}}
	if r.IntN(6) > 0 {
		d.Body = sentence(r, r.IntN(60))
	}
	if r.IntN(4) == 0 {
		d.Emphasis = sentence(r, 1+r.IntN(8))
	}
	return d
}

func synthPageNew(r *rand.Rand, n int) *synthPage {
	p := &synthPage{url: fmt.Sprintf("p%d/", n), title: sentence(r, 1+r.IntN(3))}
	p.preamble = Doc{URL: p.url, Page: p.title}
	if r.IntN(3) > 0 {
		p.preamble.Body = sentence(r, r.IntN(30))
	}
	for i := range r.IntN(6) {
		p.secs = append(p.secs, synthSection(r, p, i))
	}
	return p
}

// synthSite is the docs of pages as the site lays them out: each page's preamble, its sections, and
// its aliases as a second preamble.
func synthSite(pages []*synthPage) []Doc {
	var docs []Doc
	for _, p := range pages {
		docs = append(docs, p.preamble)
		docs = append(docs, p.secs...)
		if p.aliases != "" {
			docs = append(docs, Doc{URL: p.url, Page: p.title, Emphasis: p.aliases})
		}
	}
	return docs
}

// edit changes the site at random, as saving a note would, and says what it did.
func edit(r *rand.Rand, pages []*synthPage, next *int, opts *Options) ([]*synthPage, string) {
	p := pages[r.IntN(len(pages))]
	pick := func() *Doc {
		if len(p.secs) == 0 || r.IntN(4) == 0 {
			return &p.preamble
		}
		return &p.secs[r.IntN(len(p.secs))]
	}
	*next++
	switch k := r.IntN(14); k {
	case 0, 1, 2:
		d := pick()
		d.Body = sentence(r, r.IntN(60))
		return pages, "body"
	case 3:
		d := pick()
		d.Body += " " + sentence(r, 1)
		return pages, "append a word"
	case 4:
		d := pick()
		d.Emphasis = sentence(r, r.IntN(5))
		return pages, "emphasis"
	case 5:
		if len(p.secs) > 0 {
			d := &p.secs[r.IntN(len(p.secs))]
			d.Heading = sentence(r, 1+r.IntN(3))
			d.Path = []string{"Parent", d.Heading}
		}
		return pages, "rename a heading"
	case 6:
		i := r.IntN(len(p.secs) + 1)
		p.secs = slices.Insert(p.secs, i, synthSection(r, p, 1000+*next))
		return pages, "add a section"
	case 7:
		if len(p.secs) > 0 {
			i := r.IntN(len(p.secs))
			p.secs = slices.Delete(p.secs, i, i+1)
		}
		return pages, "remove a section"
	case 8:
		i := r.IntN(len(pages) + 1)
		return slices.Insert(pages, i, synthPageNew(r, 1000+*next)), "add a page"
	case 9:
		if len(pages) > 1 {
			i := r.IntN(len(pages))
			return slices.Delete(slices.Clone(pages), i, i+1), "remove a page"
		}
		return pages, "remove a page (kept the last)"
	case 10:
		opts.Synonyms = map[string][]string{words[r.IntN(len(words))]: {sentence(r, 2)}, "emr": {"elastic mapreduce"}}
		return pages, "synonyms"
	case 11:
		opts.SplitAbove = []int{0, 1, 300, 2000, 1 << 30}[r.IntN(5)]
		return pages, "split"
	case 12:
		p.aliases = sentence(r, r.IntN(3))
		return pages, "aliases"
	default:
		a, b := pick(), pick()
		b.Body = a.Body // the same text in two sections shares cached work
		return pages, "copy a body"
	}
}

func sameOutput(t *testing.T, step string, docs []Doc, opts Options, c *Cache) {
	t.Helper()
	want, wantEntry, wantErr := Build(docs, opts)
	cached := opts
	cached.Cache = c
	got, gotEntry, gotErr := buildEmitted(docs, cached)
	if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
		t.Fatalf("%s: error %v with the cache, %v without", step, gotErr, wantErr)
	}
	if !slices.Equal(wantEntry, gotEntry) {
		t.Fatalf("%s: entry %q with the cache, %q without", step, gotEntry, wantEntry)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d files with the cache, %d without", step, len(got), len(want))
	}
	for i := range got {
		if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Fatalf("%s: file %d is %s with the cache, %s without (same data: %v)", step, i, got[i].Path, want[i].Path,
				bytes.Equal(got[i].Data, want[i].Data))
		}
	}
	if a, b := entryFor(t, docs, opts), entryFor(t, docs, cached); a != b {
		t.Fatalf("%s: EntryFor %s with the cache, %s without", step, b, a)
	}
	if n := len(c.ix.sorted) + len(c.ix.stop); wantErr == nil && n != len(c.ix.terms) {
		t.Fatalf("%s: %d terms in the sorted lists, %d in the index", step, n, len(c.ix.terms))
	}
}

// TestCacheSameOutput applies random edits to a synthetic site and checks after each that Build and
// EntryFor with a cache give byte for byte what they give without one.
func TestCacheSameOutput(t *testing.T) {
	t.Parallel()
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(seed, 7))
			var pages []*synthPage
			for i := range 30 {
				pages = append(pages, synthPageNew(r, i))
			}
			next := 0
			opts := Options{SplitAbove: []int{0, 2000}[seed%2]}
			c := &Cache{}
			sameOutput(t, "first build", synthSite(pages), opts, c)
			steps := 300
			if testing.Short() {
				steps = 60
			}
			var did []string
			for range steps {
				var what string
				pages, what = edit(r, pages, &next, &opts)
				did = append(did, what)
				sameOutput(t, strings.Join(did, ", "), synthSite(pages), opts, c)
				if len(did) > 4 {
					did = did[1:]
				}
			}
			// a failed build leaves the cache as it was
			bad := append(synthSite(pages), Doc{URL: "p0/", Anchor: "x", Level: 2}, Doc{URL: "p0/", Anchor: "x", Level: 2})
			sameOutput(t, "duplicate anchor", bad, opts, c)
			sameOutput(t, "after the failed build", synthSite(pages), opts, c)
			sameOutput(t, "empty site", nil, opts, c)
			sameOutput(t, "after the empty site", synthSite(pages), opts, c)
		})
	}
}

// TestCacheSameOutputDA edits sections of the first pages of the da corpus (real text, split index).
func TestCacheSameOutputDA(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	t.Parallel()
	docs, _ := daPages(t, 150)
	r := rand.New(rand.NewPCG(1, 2))
	c := &Cache{}
	opts := Options{}
	sameOutput(t, "first build", docs, opts, c)
	for i := range 25 {
		docs = slices.Clone(docs)
		a, b := r.IntN(len(docs)), r.IntN(len(docs))
		step := ""
		switch i % 3 {
		case 0:
			docs[a].Body, step = docs[b].Body, "body"
		case 1:
			docs[a].Emphasis, step = docs[b].Body, "emphasis"
		default:
			docs, step = slices.Delete(docs, a, a+1), "drop a doc"
		}
		sameOutput(t, fmt.Sprintf("edit %d (%s)", i, step), docs, opts, c)
	}
}

// TestCacheStaysFlat: entries of text edited away are dropped, so the cache holds what the latest build
// used and no more, however many builds it serves.
func TestCacheStaysFlat(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	var pages []*synthPage
	for i := range 40 {
		pages = append(pages, synthPageNew(r, i))
	}
	c := &Cache{}
	opts := Options{SplitAbove: 2000, Cache: c}
	build := func() {
		docs := synthSite(pages)
		entryFor(t, docs, opts)
		if _, _, err := Build(docs, opts); err != nil {
			t.Fatal(err)
		}
	}
	build()
	first := c.size()
	most := 0
	for i := range 1000 {
		p := pages[r.IntN(len(pages))]
		if len(p.secs) > 0 && i%2 == 0 {
			p.secs[r.IntN(len(p.secs))].Body = sentence(r, r.IntN(60))
		} else {
			p.preamble.Body = sentence(r, r.IntN(30))
		}
		build()
		most = max(most, c.size())
	}
	// A fresh cache after the last build holds exactly what the latest build needs.
	fresh := &Cache{}
	docs := synthSite(pages)
	entryFor(t, docs, Options{SplitAbove: 2000, Cache: fresh})
	Build(docs, Options{SplitAbove: 2000, Cache: fresh})
	if c.size() != fresh.size() {
		t.Errorf("after 1,000 edits the cache holds %d entries, a fresh one %d", c.size(), fresh.size())
	}
	if most > first*3/2 {
		t.Errorf("the cache grew from %d entries to %d over 1,000 edits", first, most)
	}
}

// TestDigest: a doc's digest is the sha256 of its fields length-prefixed one after the other, whatever
// the length of its text (hashed in place above a few hundred bytes), with one digester reused.
func TestDigest(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 11))
	var g digester
	text := func() string { return strings.Repeat("word ", rng.IntN(1<<rng.IntN(9))) }
	for i := range 500 {
		d := &Doc{URL: text(), Anchor: text(), Page: text(), Heading: text(), Level: rng.IntN(7)}
		for range rng.IntN(12) {
			d.Path = append(d.Path, text())
		}
		body, emph := text(), text()
		b := lengthPrefixed(nil, d.URL, d.Anchor, d.Page, d.Heading, body, emph)
		b = binary.AppendUvarint(b, uint64(d.Level))
		b = binary.AppendUvarint(b, uint64(len(d.Path)))
		b = lengthPrefixed(b, d.Path...)
		if got, want := g.digest(d, body, emph), sha256.Sum256(b); got != want {
			t.Fatalf("case %d: digest %x, want %x", i, got, want)
		}
	}
}
