package crosslink

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"unicode/utf8"
)

// fuzzSeedText returns paragraphs of every kananinirav note and of the first pages of each AWS guide,
// read from ../shared/corpora at test time; nil when shared/ is absent.
func fuzzSeedText() [][]byte {
	dir, _ := os.Getwd()
	corpora := ""
	for {
		if st, err := os.Stat(filepath.Join(dir, "shared", "corpora")); err == nil && st.IsDir() {
			corpora = filepath.Join(dir, "shared", "corpora")
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	var files []string
	filepath.WalkDir(filepath.Join(corpora, "notes-ccp-kananinirav"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".md" {
			files = append(files, p)
		}
		return nil
	})
	guides, _ := filepath.Glob(filepath.Join(corpora, "aws-*", "doc_source"))
	sort.Strings(guides)
	for _, g := range guides {
		pages, _ := filepath.Glob(filepath.Join(g, "*.md"))
		sort.Strings(pages)
		for i := 0; i < len(pages) && i < 8; i++ {
			files = append(files, pages[i*len(pages)/8])
		}
	}
	var seeds [][]byte
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// A few paragraphs from each file: the matcher sees text a paragraph at a time.
		paras := bytes.Split(b, []byte("\n\n"))
		for i := 0; i < len(paras) && i < 40; i += 8 {
			if len(paras[i]) > 0 && len(paras[i]) < 2048 {
				seeds = append(seeds, paras[i])
			}
		}
	}
	return seeds
}

// FuzzMatcherCorpus runs the matcher with the sample site's real catalog (79 services, aliases that share
// prefixes, abbreviations) over text seeded from the corpora. Matches must be in order, not overlap, not
// split a rune, start and end at word boundaries, and find the same service when matched on their own.
func FuzzMatcherCorpus(f *testing.F) {
	for _, s := range fuzzSeedText() {
		f.Add(s)
	}
	for _, s := range []string{"Amazon Kinesis Data Streams and KDS", "S3's S3 Glacier", "EC2s, EC2es", "athena\u00a0Athena", "Lambda\u2019s", "Redshift Spectrum-ready"} {
		f.Add([]byte(s))
	}
	m := NewMatcher(siteCatalog(f))
	f.Fuzz(func(t *testing.T, text []byte) {
		ms := m.FindAll(text)
		prev := 0
		for _, mt := range ms {
			if mt.Start < prev || mt.End <= mt.Start || mt.End > len(text) || mt.Service == nil {
				t.Fatalf("bad match %+v after %d in %q", mt, prev, text)
			}
			if utf8.Valid(text) && !utf8.Valid(text[mt.Start:mt.End]) {
				t.Fatalf("match splits a rune: %q", text[mt.Start:mt.End])
			}
			if !wordStart(text, mt.Start) {
				t.Fatalf("match %q does not start a word in %q", text[mt.Start:mt.End], text)
			}
			prev = mt.End
		}
		for _, mt := range ms {
			sub := m.FindAll(text[mt.Start:mt.End])
			if len(sub) != 1 || sub[0].Service != mt.Service || sub[0].End != mt.End-mt.Start {
				t.Fatalf("%q matched %s in context but %v alone", text[mt.Start:mt.End], mt.Service.Slug, sub)
			}
		}
	})
}
