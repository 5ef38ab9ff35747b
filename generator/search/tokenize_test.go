package search

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata (also LECTERN_UPDATE_GOLDEN=1)")

func updating() bool { return *update || os.Getenv("LECTERN_UPDATE_GOLDEN") == "1" }

// tokenCase is one entry of testdata/tokenize.json, the fixture both tokenizers must agree on
// (search.js is checked against the same file by testdata/node/tokenize.test.js).
type tokenCase struct {
	Name string   `json:"name"`
	In   string   `json:"in"`
	Out  []string `json:"out"`
}

var tokenInputs = []tokenCase{
	{Name: "plain", In: "Lambda can batch up new data"},
	{Name: "diacritics", In: "Café naïve résumé Ångström Øresund façade"},
	{Name: "combining marks", In: "cafe\u0301 nai\u0308ve"},
	{Name: "possessive", In: "Lambda's payload, the shard’s data, James' book, it's"},
	{Name: "possessive upper", In: "AWS'S LIMITS"},
	{Name: "camelCase", In: "enableUpdateCatalog getResolvedOptions iPhone"},
	{Name: "acronym camel", In: "HTTPServer S3DistCp EC2Instance DPUs URLs parseJSONBody"},
	{Name: "snake_case", In: "job_bookmark_option __init__ _private trailing_ a__b"},
	{Name: "dotted", In: "m5.xlarge t2.medium s3://bucket/key.json v1.2.3"},
	{Name: "CJK", In: "数据分析服务 日本語のテキスト カタカナ"},
	{Name: "Hangul", In: "한국어 데이터"},
	{Name: "emoji", In: "🚀rocket launch 👍🏽 ok ❤️ heart 1️⃣"},
	{Name: "nbsp", In: "a\u00a0b\u202fc\u2007d"},
	{Name: "fullwidth and ligatures", In: "ＡＷＳ Ｌａｍｂｄａ ﬁle ﬂow ½ x² ℌ"},
	{Name: "Greek and Cyrillic", In: "ΣΟΦΙΑ σοφός Москва ЛЯМБДА"},
	{Name: "Turkish dotted I", In: "İstanbul IŞIK"},
	{Name: "numbers", In: "10k records, 6MB, $.20 / million, 1M requests, 400k GB-seconds"},
	{Name: "long token", In: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 0123456789abcdef0123456789abcdef0123"},
	{Name: "punctuation", In: "(EMR) [note] {x} <tag> \"quoted\" 'single' C# C++ .NET node.js"},
	{Name: "zero width", In: "zero\u200bwidth join\u200dter soft\u00adhyphen"},
	{Name: "mixed scripts", In: "Kinesis数据流 S3バケット"},
	{Name: "empty", In: ""},
}

func TestTokenizeFixture(t *testing.T) {
	t.Parallel()
	path := filepath.Join("testdata", "tokenize.json")
	if updating() {
		cases := make([]tokenCase, len(tokenInputs))
		for i, c := range tokenInputs {
			c.Out = Tokenize(c.In)
			if c.Out == nil {
				c.Out = []string{}
			}
			cases[i] = c
		}
		b, err := json.MarshalIndent(cases, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var cases []tokenCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(cases) != len(tokenInputs) {
		t.Fatalf("%s has %d cases, the test lists %d: run with -update", path, len(cases), len(tokenInputs))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got := Tokenize(c.In)
			if got == nil {
				got = []string{}
			}
			if !reflect.DeepEqual(got, c.Out) {
				t.Errorf("Tokenize(%q)\n got %q\nwant %q", c.In, got, c.Out)
			}
		})
	}
}

// TestTokenizeExpectations pins the behaviour the fixture only records.
func TestTokenizeExpectations(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want string
	}{
		{"Lambda's", "lambda"},
		{"enableUpdateCatalog", "enableupdatecatalog enable update catalog"},
		{"job_bookmark_option", "job_bookmark_option job bookmark option"},
		{"m5.xlarge", "m5 xlarge"},
		{"Café", "cafe"},
		{"DPUs", "dpus"},
		{"HTTPServer", "httpserver http server"},
		{"a\u00a0b", "a b"},
		{"数据", "数 据"},
		{"🚀rocket", "rocket"},
		{"ＡＷＳ", "aws"},
	} {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			if got := strings.Join(Tokenize(c.in), " "); got != c.want {
				t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzFindAcronyms checks that the acronym finder never panics and only reports acronyms whose
// letters are the long form's initials.
func FuzzFindAcronyms(f *testing.F) {
	for _, s := range []string{"Amazon Elastic MapReduce (Amazon EMR) runs", "data processing units (DPUs)", "IAM (identity and access management)", "((", "(A)", "x (EMR"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		findAcronyms(s, func(acr, long string) {
			if len(acr) < 2 || strings.Count(long, " ") < 1 {
				t.Fatalf("findAcronyms(%q): implausible %q -> %q", s, acr, long)
			}
		})
	})
}

// TestAppendLower: appendLower lower-cases the ASCII capitals of text of every byte, at every length and
// alignment, and leaves every other byte as it is.
func TestAppendLower(t *testing.T) {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	all = append(all, "AZaz@[`{ÀÉ Stück HTTPServer"...)
	for from := range 24 {
		for to := from; to <= len(all); to += 1 + to/16 {
			s := string(all[from:to])
			want := []byte("prefix")
			for i := 0; i < len(s); i++ {
				c := s[i]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				want = append(want, c)
			}
			if got := appendLower([]byte("prefix"), s); string(got) != string(want) {
				t.Fatalf("appendLower(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// TestTermScanReused: one termScan, as a reader of the index keeps it, gives every text's terms as
// Tokenize does, whatever the texts before it left in its buffers (longer, folded or not).
func TestTermScanReused(t *testing.T) {
	texts := []string{"Straße Ünïcode ﬁle HTTPServer’s café", "plain ascii words", "", "ＦＵＬＬ width and 한국어 text",
		"x", "Élan vital: naïve façade, résumé — done.", "DPUs and EMR (Elastic MapReduce)", "a"}
	var scan termScan
	for round := range 3 {
		for _, s := range texts {
			low, spans := scan.terms(s)
			var got []string
			for _, sp := range spans {
				got = append(got, string(low[sp.from:sp.to]))
			}
			if want := Tokenize(s); !reflect.DeepEqual(got, want) && (len(got) > 0 || len(want) > 0) {
				t.Fatalf("round %d: terms(%q) = %q, Tokenize gives %q", round, s, got, want)
			}
		}
	}
}
