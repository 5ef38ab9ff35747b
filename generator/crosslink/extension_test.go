package crosslink

import (
	"bytes"
	"encoding/json"
	"flag"
	goldenfile "github.com/lectern/lectern/generator/golden"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// -update is read by golden.Check (flag.Lookup): defined here, once per test binary.
var _ = flag.Bool("update", false, "rewrite golden files (also: LECTERN_UPDATE_GOLDEN=1)")

// golden compares got with testdata/name, or rewrites it when updating.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// newMarkdown builds a goldmark like the lead's markdown stage: GFM, tip boxes with key points at 100,
// cross-links at 200, heading ids, raw HTML kept.
func newMarkdown(m *Matcher) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, tipbox.New(tipbox.Options{KeyPoints: true}), New(m)),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
}

type page struct {
	doc    ast.Node
	source []byte
}

func parse(md goldmark.Markdown, src string) page {
	source := []byte(src)
	return page{md.Parser().Parse(text.NewReader(source)), source}
}

func (p page) render(t testing.TB, md goldmark.Markdown) string {
	t.Helper()
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, p.source, p.doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// linkedTexts lists the text of each linked mention as "text->href".
func linkedTexts(p page) []string {
	var out []string
	_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if m, ok := n.(*Mention); ok && entering && m.Linked {
			var b strings.Builder
			for c := m.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(p.source))
					if t.SoftLineBreak() {
						b.WriteByte(' ')
					}
				}
			}
			out = append(out, b.String()+"->"+m.RelHref)
		}
		return ast.WalkContinue, nil
	})
	return out
}

func TestSkipRules(t *testing.T) {
	t.Parallel()
	md := newMarkdown(NewMatcher(testCatalog(t)))
	cases := []struct {
		name, src string
		want      []string // linked mentions, mode All, no homes
	}{
		{"paragraph", "Load into Redshift.", []string{"Redshift->../../services/redshift/"}},
		{"emphasis is prose", "Use *Lambda* and **EMR**.", []string{"Lambda->../../services/lambda/", "EMR->../../services/emr/"}},
		{"code span", "Run `Lambda` and `aws s3 ls S3`.", nil},
		{"fenced code", "```\nLambda S3\n```\n", nil},
		{"indented code", "    Lambda S3\n", nil},
		{"heading", "## Lambda and S3\n\ntext", nil},
		{"setext heading", "Lambda\n======\n", nil},
		{"existing link", "[Lambda docs](https://x) and [see S3][r]\n\n[r]: https://y\n", nil},
		{"autolink", "<https://Lambda.example/S3> and https://www.example.com/Lambda", nil},
		{"image alt", "![Lambda diagram](x.png)", nil},
		{"raw html inline", `<a href="x">Lambda</a> <code>S3</code> <kbd>EMR</kbd> <b>Redshift</b>`, []string{"Redshift->../../services/redshift/"}},
		{"html block", "<div>\nLambda\n</div>\n", nil},
		{"url in text", "see s3://bucket/S3 now", nil},
		{"key point is prose", "- `Best practice for loading data into Redshift is the COPY command`\n", []string{"Redshift->../../services/redshift/"}},
		{"short code label stays code", "`Lambda & Redshift`\n", nil},
		{"tip box body", "> Lambda can time out.\n", []string{"Lambda->../../services/lambda/"}},
		{"table cell", "| a | b |\n|---|---|\n| Lambda | `S3` |\n", []string{"Lambda->../../services/lambda/"}},
		{"list items", "- EMR\n- EMRFS\n  - S3DistCp\n", []string{"EMR->../../services/emr/", "EMRFS->../../services/emrfs/", "S3DistCp->../../services/s3distcp/"}},
		{"across a soft line break", "Redshift\nSpectrum", []string{"Redshift Spectrum->../../services/redshift-spectrum/"}},
		{"across a quote line", "> load Redshift\n> Spectrum tables\n", []string{"Redshift Spectrum->../../services/redshift-spectrum/"}},
		{"not across a hard line break", "Redshift  \nSpectrum", []string{"Redshift->../../services/redshift/"}},
		{"text split by goldmark", "- Kinesis Data Firehose (x)\n", []string{"Kinesis Data Firehose->../../services/firehose/"}},
		{"strikethrough is prose", "~~Lambda~~", []string{"Lambda->../../services/lambda/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := parse(md, tc.src)
			Resolve(p.doc, "notes/page/", nil, All, nil)
			got := linkedTexts(p)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("linked %q, want %q\nHTML: %s", got, tc.want, p.render(t, md))
			}
		})
	}
}

// TestRenderKeepsLineBreaksAndText checks that splitting text into mentions loses no text, space or
// line break: with every mention unlinked the HTML equals that of goldmark without the extension.
func TestRenderKeepsLineBreaksAndText(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testCatalog(t))
	src := "Lambda and Redshift's COPY\nthen S3  \nend with EMR\nRedshift\nSpectrum  \nand Kinesis\n\n> quoted Redshift\n> Spectrum\n- Kinesis Data Firehose (x) Lambda\n  Glue\n"
	plain := goldmark.New(goldmark.WithExtensions(extension.GFM, tipbox.New(tipbox.Options{KeyPoints: true})))
	var want bytes.Buffer
	if err := plain.Convert([]byte(src), &want); err != nil {
		t.Fatal(err)
	}
	md := newMarkdown(m)
	p := parse(md, src)
	Resolve(p.doc, "", nil, FirstPerPage, nil)
	_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if m, ok := n.(*Mention); ok {
			m.Linked = false
		}
		return ast.WalkContinue, nil
	})
	if got := p.render(t, md); got != want.String() {
		t.Errorf("unlinked render differs from plain goldmark:\n got %q\nwant %q", got, want.String())
	}
}

func TestResolveModesAndHomes(t *testing.T) {
	t.Parallel()
	md := newMarkdown(NewMatcher(testCatalog(t)))
	src := "Lambda intro, Lambda again.\n\n## Glue jobs\n\nLambda and Glue and Glue.\n\n### Details\n\nGlue here too, and Lambda.\n\n## Other\n\nGlue and Lambda.\n"
	homes := map[string]Home{
		"glue":   {URL: "etl/", Anchor: "glue-jobs"},
		"lambda": {URL: "lambda/"},
	}
	cases := []struct {
		mode Mode
		want []string
	}{
		{FirstPerSection, []string{"Lambda->../lambda/", "Lambda->../lambda/", "Lambda->../lambda/", "Glue->#glue-jobs", "Lambda->../lambda/"}},
		{FirstPerPage, []string{"Lambda->../lambda/", "Glue->#glue-jobs"}},
		{All, []string{"Lambda->../lambda/", "Lambda->../lambda/", "Lambda->../lambda/", "Lambda->../lambda/", "Glue->#glue-jobs", "Lambda->../lambda/"}},
	}
	for _, tc := range cases {
		t.Run(tc.mode.String(), func(t *testing.T) {
			t.Parallel()
			p := parse(md, src)
			Resolve(p.doc, "etl/", homes, tc.mode, nil)
			if got := linkedTexts(p); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("page home never links to itself", func(t *testing.T) {
		t.Parallel()
		p := parse(md, src)
		Resolve(p.doc, "lambda/", homes, All, nil)
		for _, l := range linkedTexts(p) {
			if strings.HasPrefix(l, "Lambda") {
				t.Errorf("Lambda linked on its own home page: %s", l)
			}
		}
	})
	t.Run("custom relative function", func(t *testing.T) {
		t.Parallel()
		p := parse(md, "Lambda")
		Resolve(p.doc, "x/", homes, All, func(s string) string { return "/base/" + s })
		if got := linkedTexts(p); len(got) != 1 || got[0] != "Lambda->/base/lambda/" {
			t.Errorf("got %q", got)
		}
	})
}

func TestRelative(t *testing.T) {
	t.Parallel()
	cases := []struct{ page, target, want string }{
		{"", "glue/", "glue/"},
		{"", "", "./"},
		{"", "#x", "#x"},
		{"glue/", "glue/#jobs", "#jobs"},
		{"glue/", "glue/", "./"},
		{"glue/", "lambda/", "../lambda/"},
		{"a/b/", "services/s3/", "../../services/s3/"},
		{"a/b/", "", "../../"},
		{"404.html", "services/s3/", "services/s3/"},
		{"a/page.html", "#top", "../#top"},
	}
	for _, tc := range cases {
		if got := Relative(tc.page, tc.target); got != tc.want {
			t.Errorf("Relative(%q, %q) = %q, want %q", tc.page, tc.target, got, tc.want)
		}
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "first-per-section", "first-per-page", "all"} {
		m, err := ParseMode(s)
		if err != nil || (s != "" && m.String() != s) {
			t.Errorf("ParseMode(%q) = %v, %v", s, m, err)
		}
	}
	if _, err := ParseMode("sometimes"); err == nil || !strings.Contains(err.Error(), `"sometimes"`) {
		t.Errorf("ParseMode(sometimes) error = %v", err)
	}
}

func TestFindHomes(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	pages := []PageInfo{
		{URL: "", Title: "Notes", Headings: []Heading{{1, "notes", "Notes"}, {2, "lambda-and-s3", "Lambda & S3"}}},
		{URL: "lambda/", Title: "AWS Lambda", Headings: []Heading{{1, "aws-lambda", "AWS Lambda"}, {2, "overview", "Overview"}}},
		{URL: "emr/", Title: "Elastic MapReduce (EMR)", Headings: []Heading{
			{2, "emrfs", "EMRFS"}, {3, "pig-on-emr", "*Pig on EMR*"}, {2, "redshift-spectrum-intro", "Redshift Spectrum Intro"},
			{2, "glue-ish", "Glue-ish things"}, {3, "s3", "S3"}, {2, "noid", ""},
		}},
		{URL: "storage/", Title: "Storage", Headings: []Heading{{2, "amazon-s3", "Amazon S3"}, {2, "hdfs", "HDFS"}}},
		{URL: "front/", Title: "Things", FrontService: "glue, nope"},
		{URL: "glue/", Title: "AWS Glue"},
	}
	got := FindHomes(cat, pages)
	want := map[string]Home{
		"lambda":            {URL: "lambda/", Title: "AWS Lambda"},
		"emr":               {URL: "emr/", Title: "Elastic MapReduce (EMR)"},
		"emrfs":             {URL: "emr/", Anchor: "emrfs", Title: "EMRFS"},
		"pig":               {URL: "emr/", Anchor: "pig-on-emr", Title: "*Pig on EMR*"},
		"redshift-spectrum": {URL: "emr/", Anchor: "redshift-spectrum-intro", Title: "Redshift Spectrum Intro"},
		"s3":                {URL: "storage/", Anchor: "amazon-s3", Title: "Amazon S3"},
		"hdfs":              {URL: "storage/", Anchor: "hdfs", Title: "HDFS"},
		"glue":              {URL: "front/", Title: "Things"},
	}
	gj, _ := json.MarshalIndent(got, "", " ")
	wj, _ := json.MarshalIndent(want, "", " ")
	if string(gj) != string(wj) {
		t.Errorf("FindHomes:\n got %s\nwant %s", gj, wj)
	}
}

func TestMentionsSentences(t *testing.T) {
	t.Parallel()
	md := newMarkdown(NewMatcher(testCatalog(t)))
	src := "Intro with no service. Then Lambda runs code, e.g. small jobs! And more.\n\n## Storage\n\n- data stays in `S3` and\n  in S3 via EMRFS\n  - nested EMR item\n\n" +
		"A very long sentence " + strings.Repeat("word ", 80) + "about Redshift and " + strings.Repeat("more ", 80) + "end.\n"
	p := parse(md, src)
	got := Mentions(p.doc, p.source)
	storage := []string{"storage"}
	want := []MentionInfo{
		{Slug: "lambda", SectionID: "", Text: "Lambda", Sentence: "Then Lambda runs code, e.g. small jobs!"},
		{Slug: "s3", SectionID: "storage", Open: storage, Text: "S3", Sentence: "data stays in S3 and in S3 via EMRFS"},
		{Slug: "emrfs", SectionID: "storage", Open: storage, Text: "EMRFS", Sentence: "data stays in S3 and in S3 via EMRFS"},
		{Slug: "emr", SectionID: "storage", Open: storage, Text: "EMR", Sentence: "nested EMR item"},
	}
	if len(got) != 5 {
		t.Fatalf("got %d mentions: %+v", len(got), got)
	}
	for i, w := range want {
		if !reflect.DeepEqual(got[i], w) {
			t.Errorf("mention %d = %+v, want %+v", i, got[i], w)
		}
	}
	long := got[4].Sentence
	if !strings.HasPrefix(long, "…") || !strings.HasSuffix(long, "…") || !strings.Contains(long, "about Redshift and") || len(long) > maxSentence+len("……") {
		t.Errorf("long sentence not cut around the mention: %q", long)
	}
}

// TestGolden renders a small fixture page with homes on other pages and checks the HTML.
func TestGolden(t *testing.T) {
	t.Parallel()
	md := newMarkdown(NewMatcher(testCatalog(t)))
	src, err := os.ReadFile(filepath.Join("testdata", "fixture.md"))
	if err != nil {
		t.Fatal(err)
	}
	homes := map[string]Home{
		"lambda": {URL: "lambda/", Title: "AWS Lambda"},
		"glue":   {URL: "notes/etl/", Anchor: "glue", Title: "Glue"},
	}
	p := parse(md, string(src))
	Resolve(p.doc, "notes/etl/", homes, FirstPerSection, nil)
	golden(t, "fixture.golden.html", []byte(p.render(t, md)))
}

// FuzzCrosslink checks the extension on arbitrary markdown: no panic, and with every mention unlinked
// the HTML is exactly what goldmark renders without the extension (no text lost, moved or duplicated).
func FuzzCrosslink(f *testing.F) {
	m := NewMatcher(testCatalog(f))
	md := newMarkdown(m)
	plain := goldmark.New(
		goldmark.WithExtensions(extension.GFM, tipbox.New(tipbox.Options{KeyPoints: true})),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	for _, s := range []string{
		"Lambda's Redshift\nSpectrum  \nS3", "> Kinesis Data\n> Firehose", "- `Best practice for Redshift loads is COPY`",
		"<a>Lambda</a> Lambda", "[Lambda](x) https://Lambda/ www.S3.com", "# EMR\nEMRFS", "Glue\\\nData Catalog", "*Glue* Data",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var want bytes.Buffer
		if err := plain.Convert([]byte(src), &want); err != nil {
			t.Skip()
		}
		p := parse(md, src)
		Resolve(p.doc, "a/", map[string]Home{"lambda": {URL: "a/", Anchor: "x"}}, All, nil)
		_ = p.render(t, md)
		_ = Mentions(p.doc, p.source)
		_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if m, ok := n.(*Mention); ok {
				m.Linked = false
			}
			return ast.WalkContinue, nil
		})
		if got := p.render(t, md); got != want.String() {
			t.Fatalf("unlinked render differs:\n got %q\nwant %q", got, want.String())
		}
	})
}
