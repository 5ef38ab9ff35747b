package crosslink

import (
	"github.com/lectern/lectern/generator/corpora"
	"testing"
	"unicode/utf8"
)

// fuzzSeedText returns paragraphs of every kananinirav note and of the first pages of each AWS guide,
// read from ../shared/corpora at test time; nil when shared/ is absent.
func fuzzSeedText() [][]byte {
	return corpora.Paragraphs(corpora.SeedFiles(8))
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
