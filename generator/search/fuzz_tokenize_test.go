package search

import (
	"github.com/lectern/lectern/generator/corpora"
	"strings"
	"testing"
	"unicode/utf8"
)

// tokenizeSeeds returns paragraphs of every kananinirav note and of the first pages of each AWS guide,
// read from ../shared/corpora at test time (never copied into the repository); nil when it is absent.
func tokenizeSeeds() []string {
	var seeds []string
	for _, p := range corpora.Paragraphs(corpora.SeedFiles(8)) {
		seeds = append(seeds, string(p))
	}
	return seeds
}

// FuzzTokenize checks the tokenizer every index term and every query goes through: tokens are non-empty,
// valid UTF-8, at most MaxTokenLen code points, hold only word characters with ASCII lower-cased, and are
// stable (a token tokenizes to itself first, so a term found in the index can be searched for again).
func FuzzTokenize(f *testing.F) {
	for _, s := range tokenizeSeeds() {
		f.Add(s)
	}
	for _, s := range []string{"HTTPServer s3Bucket DPUs snake_case", "Lambda's Glue\u2019s", "東京タワー", "Ｆｕｌｌｗｉｄｔｈ", "café naïve Ångström", "한국어", "\xff\xfe", "___", strings.Repeat("a", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := Tokenize(text)
		again := Tokenize(text)
		if strings.Join(toks, "\x00") != strings.Join(again, "\x00") {
			t.Fatalf("Tokenize(%q) is not deterministic: %q then %q", text, toks, again)
		}
		for _, tok := range toks {
			if tok == "" || !utf8.ValidString(tok) || utf8.RuneCountInString(tok) > MaxTokenLen {
				t.Fatalf("Tokenize(%q) gave token %q", text, tok)
			}
			for _, r := range tok {
				if isUpper(r) || !(isWord(r) || isCJK(r)) {
					t.Fatalf("Tokenize(%q) gave token %q holding %q", text, tok, r)
				}
			}
			if sub := Tokenize(tok); len(sub) == 0 || sub[0] != tok {
				t.Fatalf("token %q of %q tokenizes to %q", tok, text, sub)
			}
		}
	})
}
