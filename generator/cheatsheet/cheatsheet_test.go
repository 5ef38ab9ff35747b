package cheatsheet_test

import (
	"bytes"
	"flag"
	goldenfile "github.com/lectern/lectern/generator/golden"
	"html/template"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/cheatsheet"
	"github.com/lectern/lectern/generator/config"
	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/crosslink"
	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/render"
	"github.com/lectern/lectern/generator/tipbox"
)

// -update is read by golden.Check (flag.Lookup): defined here, once per test binary.
var _ = flag.Bool("update", false, "rewrite golden files (also: LECTERN_UPDATE_GOLDEN=1)")

// golden compares got with testdata/name, or rewrites it when updating.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

// fixture is testdata/fixture parsed and rendered like the pipeline does in pass 1; sheet links the
// condensed notes as pass 2 does. Each test loads its own: Extract changes a tree while it runs.
type fixture struct {
	conv   *markdown.Converter
	docs   []*markdown.Document
	linker *crosslink.Linker
}

func loadFixture(t testing.TB) fixture {
	t.Helper()
	site, ds := content.Load(filepath.Join("testdata", "fixture", "content"), content.Options{Root: filepath.Join("testdata", "fixture")})
	if site == nil {
		t.Fatalf("cannot load the fixture: %v", ds)
	}
	cat := catalog.New([]*catalog.Service{{Slug: "s3", Name: "Amazon S3", Abbreviations: []string{"S3"}}})
	conv := markdown.New(markdown.Options{RawHTML: true, TipBoxes: tipbox.Options{KeyPoints: true}, Services: crosslink.NewMatcher(cat)})
	targets := markdown.NewTargets(site)
	f := fixture{conv: conv, linker: crosslink.NewLinker(cat, nil, crosslink.FirstPerSection)}
	for _, p := range site.Pages {
		d := conv.Parse(p, targets)
		if err := conv.Prerender(d); err != nil {
			t.Fatal(err)
		}
		f.docs = append(f.docs, d)
	}
	return f
}

// sheet condenses every included note and assembles the page data.
func (f fixture) sheet(t testing.TB, c config.Cheatsheet) *cheatsheet.Sheet {
	t.Helper()
	opts := cheatsheet.OptionsFrom(c)
	filter := cheatsheet.NewFilter(c.Include)
	var notes []cheatsheet.Note
	for _, d := range f.docs {
		if !filter.Includes(d.Page) {
			continue
		}
		n, err := cheatsheet.Extract(f.conv, d, opts)
		if err != nil {
			t.Fatal(err)
		}
		notes = append(notes, n.Linked(f.linker.Page(d.Page.URL, d.Mentions), opts))
	}
	if u := filter.Unmatched(); len(u) > 0 {
		t.Fatalf("include entries matched no note: %q", u)
	}
	return cheatsheet.NewSheet(notes, cheatsheet.LayoutFrom(c, "Fixture notes"), opts)
}

// page renders the sheet with the default theme, unminified, and keeps what the cheat sheet template
// writes: the page's <style> and its <main>.
func page(t testing.TB, s *cheatsheet.Sheet) string {
	t.Helper()
	theme, err := render.LoadTheme("", markdown.HighlightCSS(), template.FuncMap{}, render.NewMinifier())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	data := &render.Data{
		Site: &render.SiteData{Title: "Fixture notes", Language: "en", HasCheatsheet: true},
		Page: &render.PageData{Kind: cheatsheet.Kind, URL: cheatsheet.URL, Title: "Cheat sheet", Data: s},
		Root: render.RootFor(cheatsheet.URL),
	}
	if err := theme.Execute(&buf, cheatsheet.Kind, data); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	style := between(t, html, "<style>", "</style>")
	main := between(t, html, "<main", "</main>")
	return style + "\n" + main + "\n"
}

func between(t testing.TB, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	j := strings.Index(s, to)
	if i < 0 || j < i {
		t.Fatalf("no %s…%s in:\n%s", from, to, s)
	}
	return s[i : j+len(to)]
}

var idAttr = regexp.MustCompile(` id="([^"]*)"`)

func TestSheetGolden(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		cfg   config.Cheatsheet
		has   []string // substrings the page must hold
		hasNo []string // and must not
	}{
		{
			name: "all",
			cfg:  config.Cheatsheet{Content: "all", Paper: "A4", Orientation: "landscape", Columns: 3, MaxCodeLines: 8},
			has: []string{
				`@page{size:A4 landscape`, `--cs-columns:3`,
				`<h3 class="cs-h cs-l2"><a href="../queues/#limits">Limits</a></h3>`,
				`href="../queues/#limits">the limits</a>`, `href="../streams/shards/#resharding">shards</a>`,
				`… 2 more lines`, `<table>`, `Exam tip`, `class="keypoint"`, `tipbox-warning`,
				`Foldable detail`, `tipbox-caution`, `A definition list item stays`, `Queues decouple producers`,
				`href="../services/s3/"`, `data-print`, `<b>bold</b> stays`,
			},
			hasNo: []string{`<img`, `arrow.png`, `goes on and on`, `a raw HTML block`, `badge.svg`, `print(m["Body"])`, `<hr`},
		},
		{
			name: "tips",
			cfg:  config.Cheatsheet{Content: "tips", Paper: "a4", Orientation: "Landscape", Columns: 4},
			has: []string{
				`cheatsheet cheatsheet-tips`, `--cs-columns:4`, `Exam tip`, `tipbox-warning`, `tipbox-caution`,
				`<p class="cs-keypoint"><strong class="keypoint"`, `<h3 class="cs-h cs-l2"><a href="../streams/shards/#capacity">Capacity</a></h3>`,
			},
			hasNo: []string{`<table>`, `SQS is a managed queue`, `Streams keep records`, `id="cs-streams"`, `cs_home`},
		},
		{
			name: "kinds",
			cfg: config.Cheatsheet{Content: "all", Kinds: []string{"warning", "KeyPoint"}, Paper: "Letter", Orientation: "portrait",
				Columns: 2, MaxCodeLines: 3},
			has:   []string{`@page{size:Letter portrait`, `--cs-columns:2`, `tipbox-warning`, `class="keypoint"`, `… 7 more lines`},
			hasNo: []string{`Exam tip`, `tipbox-caution`, `Foldable detail`, `hot key`},
		},
		{
			name:  "include",
			cfg:   config.Cheatsheet{Content: "tips", Include: []string{"streams/"}, Columns: 9},
			has:   []string{`--cs-columns:6`, `id="cs-streams_shards"`, `1 note ·`},
			hasNo: []string{`Exam tip`, `Queues`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := loadFixture(t)
			got := page(t, f.sheet(t, c.cfg))
			golden(t, "sheet-"+c.name+".golden.html", []byte(got))
			for _, s := range c.has {
				if !strings.Contains(got, s) {
					t.Errorf("the sheet lacks %q", s)
				}
			}
			for _, s := range c.hasNo {
				if strings.Contains(got, s) {
					t.Errorf("the sheet holds %q", s)
				}
			}
			seen := map[string]bool{}
			for _, m := range idAttr.FindAllStringSubmatch(got, -1) {
				if seen[m[1]] {
					t.Errorf("id %q is used twice on the sheet", m[1])
				}
				seen[m[1]] = true
			}
		})
	}
}

// TestExtractLeavesTreeAsFound renders every note before and after Extract: the note's own page must
// not change, whatever Extract detached, cut or rewrote while it ran.
func TestExtractLeavesTreeAsFound(t *testing.T) {
	t.Parallel()
	for _, mode := range []config.Cheatsheet{
		{Content: "all", MaxCodeLines: 2},
		{Content: "tips"},
		{Content: "all", Kinds: []string{"note"}, MaxCodeLines: 1},
	} {
		f := loadFixture(t)
		for _, d := range f.docs {
			before, err := f.conv.RenderNode(d, d.AST)
			if err != nil {
				t.Fatal(err)
			}
			before = bytes.Clone(before)
			if _, err := cheatsheet.Extract(f.conv, d, cheatsheet.OptionsFrom(mode)); err != nil {
				t.Fatal(err)
			}
			after, err := f.conv.RenderNode(d, d.AST)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(before, after) {
				t.Errorf("%s (%s): the note renders differently after Extract:\n--- before\n%s\n--- after\n%s", d.Page.File, mode.Content, before, after)
			}
		}
	}
}

func TestExtractCountsTips(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  config.Cheatsheet
		want map[string]int // note URL → tips
	}{
		{"all kinds", config.Cheatsheet{Content: "tips"}, map[string]int{"queues/": 3, "streams/shards/": 4}},
		{"warnings only", config.Cheatsheet{Content: "tips", Kinds: []string{"warning"}}, map[string]int{"queues/": 1}},
		{"key points only", config.Cheatsheet{Content: "all", Kinds: []string{"keypoint"}}, map[string]int{"queues/": 1, "streams/shards/": 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := loadFixture(t)
			got := map[string]int{}
			for _, d := range f.docs {
				n, err := cheatsheet.Extract(f.conv, d, cheatsheet.OptionsFrom(c.cfg))
				if err != nil {
					t.Fatal(err)
				}
				if n.Tips > 0 {
					got[n.URL] = n.Tips
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("tips per note = %v, want %v", got, c.want)
			}
			for u, w := range c.want {
				if got[u] != w {
					t.Errorf("tips per note = %v, want %v", got, c.want)
					break
				}
			}
		})
	}
}

func TestExtractAfterRelease(t *testing.T) {
	t.Parallel()
	f := loadFixture(t)
	d := f.docs[0]
	d.Release()
	_, err := cheatsheet.Extract(f.conv, d, cheatsheet.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), d.Page.File+": ") {
		t.Fatalf("Extract after Release: err = %v, want an error naming %s", err, d.Page.File)
	}
}

func TestAnchorFor(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{"": "cs_home", "glue/": "cs-glue", "emr/spark/": "cs-emr_spark", "a-b/": "cs-a-b"} {
		if got := cheatsheet.AnchorFor(url); got != want {
			t.Errorf("AnchorFor(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	pages := []*content.Page{{Rel: "index.md"}, {Rel: "glue.md"}, {Rel: "emr/index.md"}, {Rel: "emr/spark.md"}, {Rel: "emrx.md"}}
	cases := []struct {
		name      string
		include   []string
		want      []string
		unmatched []string
	}{
		{"empty includes all", nil, []string{"index.md", "glue.md", "emr/index.md", "emr/spark.md", "emrx.md"}, nil},
		{"a note", []string{"glue.md"}, []string{"glue.md"}, nil},
		{"a note without extension", []string{"glue"}, []string{"glue.md"}, nil},
		{"a folder", []string{"emr"}, []string{"emr/index.md", "emr/spark.md"}, nil},
		{"a folder with slash and content/", []string{"content/emr/"}, []string{"emr/index.md", "emr/spark.md"}, nil},
		{"a typo", []string{"glue.md", "lamda.md"}, []string{"glue.md"}, []string{"lamda.md"}},
		{"backslashes", []string{`emr\spark.md`}, []string{"emr/spark.md"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := cheatsheet.NewFilter(c.include)
			var got []string
			for _, p := range pages {
				if f.Includes(p) {
					got = append(got, p.Rel)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("included %q, want %q", got, c.want)
			}
			if u := f.Unmatched(); strings.Join(u, ",") != strings.Join(c.unmatched, ",") {
				t.Errorf("unmatched %q, want %q", u, c.unmatched)
			}
		})
	}
}

func TestNewSheet(t *testing.T) {
	t.Parallel()
	notes := []cheatsheet.Note{{Title: "A", Body: "<p>a</p>", Tips: 2}, {Title: "Empty", Body: " \n"}, {Title: "B", Body: "<p>b</p>", Tips: 1}}
	cases := []struct {
		name         string
		layout       cheatsheet.Layout
		paper, orien string
		cols         int
	}{
		{"defaults", cheatsheet.Layout{}, "A4", "landscape", 3},
		{"letter portrait any case", cheatsheet.Layout{Paper: "LETTER", Orientation: "Portrait", Columns: 2}, "Letter", "portrait", 2},
		{"columns clamped high", cheatsheet.Layout{Columns: 12}, "A4", "landscape", 6},
		{"columns clamped low", cheatsheet.Layout{Columns: -1}, "A4", "landscape", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := cheatsheet.NewSheet(notes, c.layout, cheatsheet.Options{})
			if s.Paper != c.paper || s.Orientation != c.orien || s.Columns != c.cols {
				t.Errorf("layout = %s %s %d, want %s %s %d", s.Paper, s.Orientation, s.Columns, c.paper, c.orien, c.cols)
			}
			if len(s.Notes) != 2 || s.Tips != 3 {
				t.Errorf("notes = %d, tips = %d; want 2 notes (the empty one left out), 3 tips", len(s.Notes), s.Tips)
			}
			if !strings.Contains(string(s.PageStyle), "size:"+c.paper+" "+c.orien) {
				t.Errorf("PageStyle %q lacks the page size", s.PageStyle)
			}
		})
	}
}

func TestPageStyleQuotesTitle(t *testing.T) {
	t.Parallel()
	s := cheatsheet.NewSheet(nil, cheatsheet.Layout{Title: `Notes "2026" </style><script>x</script>` + "\n\\"}, cheatsheet.Options{})
	css := string(s.PageStyle)
	for _, bad := range []string{"</style", "<script", "\"2026\"", "\n\\\""} {
		if strings.Contains(css, bad) {
			t.Errorf("PageStyle holds %q unquoted: %s", bad, css)
		}
	}
	if !strings.Contains(css, `content:"Notes \22 2026\22  \3c /style\3e \3c script\3e x\3c /script\3e \a \5c  · Cheat sheet"`) {
		t.Errorf("PageStyle title not quoted as expected: %s", css)
	}
}

func TestUnusedKinds(t *testing.T) {
	t.Parallel()
	f := loadFixture(t)
	var notes []cheatsheet.Note
	for _, d := range f.docs {
		n, err := cheatsheet.Extract(f.conv, d, cheatsheet.Options{})
		if err != nil {
			t.Fatal(err)
		}
		notes = append(notes, n)
	}
	got := cheatsheet.UnusedKinds(cheatsheet.Options{Kinds: []string{"Warning", "warnign", "keypoint", " tip ", "danger"}}, notes)
	if strings.Join(got, ",") != "warnign,danger" {
		t.Errorf("UnusedKinds = %q, want [warnign danger]", got)
	}
}

// TestLinkedHomePageTarget: on the sheet, a service whose home is the site's home page links to it from
// /cheatsheet/ ("../"), whatever the depth of the note the mention came from.
func TestLinkedHomePageTarget(t *testing.T) {
	cat := catalog.New([]*catalog.Service{{Slug: "s3", Name: "Amazon S3"}})
	linker := crosslink.NewLinker(cat, map[string]crosslink.Home{"s3": {URL: ""}}, crosslink.All)
	for _, url := range []string{"a/", "a/b/", "a/b/c/"} {
		n := cheatsheet.Note{URL: url, Body: "<p>\x00m0\x00S3\x00/m\x00</p>"}
		got := string(n.Linked(linker.Page(url, []crosslink.MentionInfo{{Slug: "s3"}}), cheatsheet.Options{}).Body)
		if !strings.Contains(got, `href="../"`) {
			t.Errorf("note at /%s: %s, want a link to ../", url, got)
		}
	}
}
