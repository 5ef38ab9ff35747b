package crosslink

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/catalog"
)

// unlinked decides that none of the mentions links: Apply then leaves their plain text.
func unlinked(ms []MentionInfo) PageLinks { return PageLinks{links: make([]decision, len(ms))} }

// marked parses src and renders it as pass 1 does: mentions numbered and written as markers.
func marked(t testing.TB, cat *catalog.Catalog, src string) (string, []MentionInfo) {
	t.Helper()
	md := newMarkdown(NewMatcher(cat))
	p := parse(md, src)
	ms := Mentions(p.doc, p.source)
	return p.render(t, md), ms
}

// resolved renders src as a tree linked by Resolve would be: the reference Apply must agree with.
func resolved(t testing.TB, cat *catalog.Catalog, src, pageURL string, homes map[string]Home, mode Mode, relative func(string) string) string {
	t.Helper()
	md := newMarkdown(NewMatcher(cat))
	p := parse(md, src)
	Resolve(p.doc, pageURL, homes, mode, relative)
	return p.render(t, md)
}

var serviceLink = regexp.MustCompile(`<a class="service-link" href="([^"]*)"[^>]*>([^<]*)</a>`)

// linksIn lists the service links of html as "text->href".
func linksIn(html string) []string {
	var out []string
	for _, m := range serviceLink.FindAllStringSubmatch(html, -1) {
		out = append(out, strings.ReplaceAll(m[2], "\n", " ")+"->"+m[1])
	}
	return out
}

func TestApplyMarkers(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	sections := "Lambda intro, Lambda again.\n\n## Glue jobs\n\nLambda and Glue and Glue.\n\n### Details\n\nGlue here too, and Lambda.\n\n## Other\n\nGlue and Lambda.\n"
	homes := map[string]Home{
		"glue":   {URL: "etl/", Anchor: "glue-jobs"},
		"lambda": {URL: "lambda/"},
	}
	sheet := func(target string) string { return "../" + target }
	cases := []struct {
		name     string
		src      string
		page     string
		homes    map[string]Home
		mode     Mode
		relative func(string) string
		want     []string // "text->href" of each link
	}{
		{"first per section, home section on the same page", sections, "etl/", homes, FirstPerSection, nil,
			[]string{"Lambda->../lambda/", "Lambda->../lambda/", "Lambda->../lambda/", "Glue->#glue-jobs", "Lambda->../lambda/"}},
		{"first per page", sections, "etl/", homes, FirstPerPage, nil, []string{"Lambda->../lambda/", "Glue->#glue-jobs"}},
		{"all", sections, "etl/", homes, All, nil,
			[]string{"Lambda->../lambda/", "Lambda->../lambda/", "Lambda->../lambda/", "Lambda->../lambda/", "Glue->#glue-jobs", "Lambda->../lambda/"}},
		{"the page is the home: never linked", sections, "lambda/", homes, All, nil,
			[]string{"Glue->../etl/#glue-jobs", "Glue->../etl/#glue-jobs", "Glue->../etl/#glue-jobs", "Glue->../etl/#glue-jobs"}},
		{"home elsewhere, seen from a section of the same id", sections, "other/", homes, FirstPerSection, nil,
			[]string{"Lambda->../lambda/", "Lambda->../lambda/", "Glue->../etl/#glue-jobs", "Glue->../etl/#glue-jobs", "Lambda->../lambda/", "Glue->../etl/#glue-jobs", "Lambda->../lambda/"}},
		{"no home: the service page", "Load into Redshift.", "notes/page/", nil, FirstPerSection, nil,
			[]string{"Redshift->../../services/redshift/"}},
		{"relative to another page (the cheat sheet)", sections, "etl/", homes, FirstPerPage, sheet,
			[]string{"Lambda->../lambda/", "Glue->../etl/#glue-jobs"}},
		{"mentions in links and headings are not marked", "[Lambda docs](x) and [S3][r]\n\n## Lambda\n\n[r]: https://y\n", "a/", nil, All, nil, nil},
		{"across a soft line break", "Redshift\nSpectrum", "", nil, All, nil, []string{"Redshift Spectrum->services/redshift-spectrum/"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			html, ms := marked(t, cat, tc.src)
			got := NewLinker(cat, tc.homes, tc.mode).Page(tc.page, ms).Apply(html, tc.relative)
			if strings.Join(linksIn(got), "|") != strings.Join(tc.want, "|") {
				t.Errorf("links %q\nwant  %q\nHTML: %s", linksIn(got), tc.want, got)
			}
			if want := resolved(t, cat, tc.src, tc.page, tc.homes, tc.mode, tc.relative); got != want {
				t.Errorf("Apply on markers differs from Resolve on the tree:\n got %q\nwant %q", got, want)
			}
			if strings.IndexByte(got, 0) >= 0 {
				t.Errorf("a marker is left: %q", got)
			}
		})
	}
}

// TestApplyEscapesAttributes: summary, name and docs URL go into attributes exactly as the renderer
// writes them after Resolve.
func TestApplyEscapesAttributes(t *testing.T) {
	t.Parallel()
	cat := catalog.New([]*catalog.Service{{
		Slug: "q", Name: `Q "queue" & <co>`, Aliases: []string{"Queue Service"},
		Summary: `Sends "messages" <fast> & 'cheap'`, Docs: `https://docs.example/q?a=1&b="2" <x>`,
	}, {Slug: "bare", Name: "Bare Thing"}})
	src := "Use Queue Service and Bare Thing.\n"
	html, ms := marked(t, cat, src)
	got := NewLinker(cat, nil, All).Page("a/b/", ms).Apply(html, nil)
	want := `<p>Use <a class="service-link" href="../../services/q/" data-service="q" title="Sends &quot;messages&quot; &lt;fast&gt; &amp; 'cheap'"` +
		` data-name="Q &quot;queue&quot; &amp; &lt;co&gt;" data-docs="https://docs.example/q?a=1&amp;b=%222%22%20%3Cx%3E">Queue Service</a>` +
		` and <a class="service-link" href="../../services/bare/" data-service="bare" data-name="Bare Thing">Bare Thing</a>.</p>` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if ref := resolved(t, cat, src, "a/b/", nil, All, nil); got != ref {
		t.Errorf("Apply differs from Resolve:\n got %s\nwant %s", got, ref)
	}
	if got := unlinked(ms).Apply(html, nil); got != "<p>Use Queue Service and Bare Thing.</p>\n" {
		t.Errorf("unlinked: %q", got)
	}
}

// TestApplyLeavesOtherHTML is not parallel: AllocsPerRun refuses to run beside other tests.
func TestApplyLeavesOtherHTML(t *testing.T) {
	links := PageLinks{links: []decision{{slug: "s3", href: "services/s3/", link: true}, {slug: "s3", href: "services/s3/"}}}
	link := `<a class="service-link" href="services/s3/" data-service="s3">`
	cases := []struct{ name, in, want string }{
		{"no markers", "<p>plain &amp; <b>simple</b></p>\n", "<p>plain &amp; <b>simple</b></p>\n"},
		{"empty", "", ""},
		{"linked and not", "a \x00m0\x00S3\x00/m\x00 b \x00m1\x00S3\x00/m\x00 c", "a " + link + "S3</a> b S3 c"},
		{"lone NUL", "a\x00b", "a\x00b"},
		{"index out of range", "\x00m2\x00S3\x00/m\x00", "\x00m2\x00S3\x00/m\x00"},
		{"no index", "\x00m\x00S3\x00/m\x00", "\x00m\x00S3\x00/m\x00"},
		{"huge index", "\x00m99999999999999999999\x00S3\x00/m\x00", "\x00m99999999999999999999\x00S3\x00/m\x00"},
		{"no close", "\x00m0\x00S3 and on", "\x00m0\x00S3 and on"},
		{"close without open", "S3\x00/m\x00", "S3\x00/m\x00"},
		{"NUL inside", "\x00m0\x00S\x003\x00/m\x00", "\x00m0\x00S\x003\x00/m\x00"},
		{"marker at the end", "x\x00m1\x00S3\x00/m\x00", "xS3"},
		{"truncated", "x\x00m0", "x\x00m0"},
	}
	for _, tc := range cases {
		if got := links.Apply(tc.in, func(s string) string { return s }); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	plain := strings.Repeat("<p>no mention here</p>\n", 100)
	if n := testing.AllocsPerRun(10, func() { _ = links.Apply(plain, nil) }); n != 0 {
		t.Errorf("Apply allocated %v times on HTML without markers", n)
	}
}

// FuzzApply feeds Apply any HTML: it must not panic, must leave NUL-free HTML alone, and must turn a
// marked text into exactly that text (unlinked) or that text in a link.
func FuzzApply(f *testing.F) {
	for _, s := range []string{"", "<p>x</p>", "\x00m0\x00S3\x00/m\x00", "\x00m1\x00a\x00/m\x00\x00m0\x00b\x00/m\x00", "\x00\x00m", "\x00m0\x00\x00/m\x00m0\x00"} {
		f.Add(s, "S3 & <b>")
	}
	cat := catalog.New([]*catalog.Service{{Slug: "s3", Name: "Amazon S3", Summary: `"x" & y`}})
	linked := NewLinker(cat, nil, All).Page("a/", []MentionInfo{{Slug: "s3"}, {Slug: "s3"}})
	none := unlinked(make([]MentionInfo, 2))
	f.Fuzz(func(t *testing.T, html, text string) {
		for _, p := range []PageLinks{linked, none} {
			got := p.Apply(html, nil)
			if strings.IndexByte(html, 0) < 0 && got != html {
				t.Fatalf("HTML without NUL changed: %q -> %q", html, got)
			}
		}
		if strings.IndexByte(text, 0) >= 0 || strings.IndexByte(html, 0) >= 0 {
			return
		}
		in := html + "\x00m1\x00" + text + "\x00/m\x00" + html
		if got := none.Apply(in, nil); got != html+text+html {
			t.Fatalf("unlinked %q -> %q", in, got)
		}
		want := html + `<a class="service-link" href="../services/s3/" data-service="s3" title="&quot;x&quot; &amp; y" data-name="Amazon S3">` + text + "</a>" + html
		if got := linked.Apply(in, nil); got != want {
			t.Fatalf("linked %q -> %q", in, got)
		}
	})
}
