package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// vocabSite is a site of pages sections with words drawn from a vocabulary of n made-up terms: enough
// distinct terms and text for dozens of term blocks and hundreds of text chunks.
func vocabSite(r *rand.Rand, pages, n int) []Doc {
	vocab := make([]string, n)
	for i := range vocab {
		vocab[i] = "w" + strconv.FormatUint(r.Uint64()%(1<<40), 36)
	}
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	var docs []Doc
	for p := range pages {
		url, title := fmt.Sprintf("p%d/", p), text(2)
		docs = append(docs, Doc{URL: url, Page: title, Body: text(20)})
		for s := range 6 {
			h := text(2)
			docs = append(docs, Doc{URL: url, Anchor: fmt.Sprintf("s%d", s), Page: title, Path: []string{h},
				Level: 2, Heading: h, Body: text(30 + r.IntN(60))})
		}
	}
	return docs
}

// chunkID is a file's identity apart from its hash: "d12" for search/d12.<hash>.js, its whole path for
// the head and the stopword file, which are named after their own bytes.
func chunkID(path string) (id string, kind byte, i int) {
	name := strings.TrimPrefix(path, "search/")
	if dot := strings.IndexByte(name, '.'); dot > 1 && (name[0] == 'd' || name[0] == 't') {
		if n, err := strconv.Atoi(name[1:dot]); err == nil {
			return name[:dot], name[0], n
		}
	}
	return path, 0, 0
}

// TestEditRenamesChangedGroups edits one section at a time, the way the dev server sees saves, and
// checks that exactly the files of the groups holding a file whose bytes changed are renamed: every
// other file keeps its name, and no group with a changed file keeps its own.
func TestEditRenamesChangedGroups(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	docs := vocabSite(r, 250, 8000)
	c := &Cache{}
	build := func() []File {
		files, _, err := Build(docs, Options{SplitAbove: 1, Cache: c})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	prev := build()
	count := map[byte]int{}
	for _, f := range prev {
		_, kind, _ := chunkID(f.Path)
		count[kind]++
	}
	if count['d'] < 4*dictGroupSize || count['t'] < 3*textGroupSize {
		t.Fatalf("%d term blocks and %d text chunks: too few groups to tell renamed ones apart", count['d'], count['t'])
	}
	groupSize := map[byte]int{'d': dictGroupSize, 't': textGroupSize}
	for step := range 24 {
		d := &docs[r.IntN(len(docs))]
		words := strings.Fields(docs[r.IntN(len(docs))].Body)
		what := ""
		switch step % 4 {
		case 0: // a few words typed at the end of a section
			d.Body += " " + strings.Join(words[:1+r.IntN(3)], " ")
			what = "append words"
		case 1: // a word that no section had
			d.Body += fmt.Sprintf(" fresh%d", step)
			what = "new term"
		case 2:
			d.Body = d.Body[:strings.LastIndexByte(d.Body, ' ')]
			what = "delete the last word"
		default:
			d.Emphasis = strings.Join(words[:2], " ")
			what = "emphasis"
		}
		cur := build()
		old := map[string]File{}
		for _, f := range prev {
			id, _, _ := chunkID(f.Path)
			old[id] = f
		}
		// the groups with a file whose bytes changed (or that is new)
		changed := map[string]bool{}
		group := func(path string) string {
			id, kind, i := chunkID(path)
			if kind == 0 {
				return id
			}
			return fmt.Sprintf("%c/%d", kind, i/groupSize[kind])
		}
		for _, f := range cur {
			id, _, _ := chunkID(f.Path)
			if o, ok := old[id]; !ok || !bytes.Equal(o.Data, f.Data) {
				changed[group(f.Path)] = true
			}
		}
		var renamed, want []string
		kept := map[string]bool{}
		for _, f := range prev {
			kept[f.Path] = true
		}
		for _, f := range cur {
			if !kept[f.Path] {
				renamed = append(renamed, f.Path)
			}
			if changed[group(f.Path)] {
				want = append(want, f.Path)
			}
		}
		sort.Strings(renamed)
		sort.Strings(want)
		if !slices.Equal(renamed, want) {
			t.Fatalf("step %d (%s): renamed %q, want the files of the changed groups %q", step, what, renamed, want)
		}
		// one section's text is in one text chunk; a cut point moving with it changes one more. (Term
		// blocks change with the section's terms, and with those of other sections whose weights move
		// with the average lengths.)
		texts := 0
		for g := range changed {
			if strings.HasPrefix(g, "t/") {
				texts++
			}
		}
		if texts > 2 {
			t.Errorf("step %d (%s): %d groups of text chunks changed", step, what, texts)
		}
		if step%4 != 3 {
			prev = cur
			continue
		}
		// and the names are those a build without the cache gives
		fresh, _, _ := Build(docs, Options{SplitAbove: 1})
		for i := range fresh {
			if fresh[i].Path != cur[i].Path {
				t.Fatalf("step %d (%s): file %d is %s with the cache, %s without", step, what, i, cur[i].Path, fresh[i].Path)
			}
		}
		prev = cur
	}
}
