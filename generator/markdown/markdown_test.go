package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/content"
)

var update = flag.Bool("update", os.Getenv("LECTERN_UPDATE_GOLDEN") != "", "rewrite golden files")

// testSite is a small site for link tests: pages by path under content/.
func testSite(paths ...string) *content.Site {
	s := &content.Site{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".md") {
			dir := filepathDir(p)
			s.Pages = append(s.Pages, &content.Page{Rel: p, Dir: dir, URL: content.URLFor(p), File: "content/" + p, BodyLine: 1})
		} else {
			s.Assets = append(s.Assets, content.Asset{Rel: p})
		}
	}
	s.Sections = []*content.Section{{Dir: ".", URL: ""}, {Dir: "emr", URL: "emr/"}}
	return s
}

func filepathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

func parse(t *testing.T, site *content.Site, rel, md string) (*Document, string) {
	t.Helper()
	var page *content.Page
	for _, p := range site.Pages {
		if p.Rel == rel {
			page = p
		}
	}
	page.Body = []byte(md)
	c := New(Options{RawHTML: true})
	d := c.Parse(page, NewTargets(site))
	var b bytes.Buffer
	if err := c.Render(&b, d); err != nil {
		t.Fatal(err)
	}
	return d, b.String()
}

func TestLinkRewriting(t *testing.T) {
	t.Parallel()
	site := testSite("index.md", "glue.md", "lambda.md", "emr/index.md", "emr/hive.md", "img/arch.png", "My Note.md")
	cases := []struct {
		name, from, md, wantHref, wantWarn string
	}{
		{"sibling note", "lambda.md", "[x](glue.md)", `href="../glue/"`, ""},
		{"with anchor", "lambda.md", "[x](glue.md#job-bookmarks)", `href="../glue/#job-bookmarks"`, ""},
		{"folder index", "lambda.md", "[x](emr/index.md)", `href="../emr/"`, ""},
		{"folder itself", "lambda.md", "[x](emr/)", `href="../emr/"`, ""},
		{"up a level", "emr/hive.md", "[x](../glue.md)", `href="../../glue/"`, ""},
		{"from home", "index.md", "[x](emr/hive.md)", `href="emr/hive/"`, ""},
		{"root absolute", "emr/hive.md", "[x](/lambda.md)", `href="../../lambda/"`, ""},
		{"pretty url", "lambda.md", "[x](glue)", `href="../glue/"`, ""},
		{"image", "emr/hive.md", "![a](../img/arch.png)", `src="../../img/arch.png"`, ""},
		{"escaped space", "lambda.md", "[x](My%20Note.md)", `href="../my-note/"`, ""},
		{"same page anchor", "lambda.md", "[x](#top)", `href="#top"`, ""},
		{"external kept", "lambda.md", "[x](https://aws.amazon.com/)", `href="https://aws.amazon.com/"`, ""},
		{"mailto kept", "lambda.md", "[x](mailto:a@b.c)", `href="mailto:a@b.c"`, ""},
		{"query kept", "lambda.md", "[x](glue.md?a=1#b)", `href="../glue/?a=1#b"`, ""},
		{"missing note", "lambda.md", "text\n\n[x](nope.md)", `href="nope.md"`, `content/lambda.md:3:2: warning: broken link "nope.md": no note or file at content/nope.md`},
		{"missing image", "lambda.md", "![x](gone.png)", "", `broken link "gone.png": no image at content/gone.png`},
		{"outside site", "lambda.md", "[x](../../etc/passwd)", "", `points outside the site's content folder`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			site := testSite("index.md", "glue.md", "lambda.md", "emr/index.md", "emr/hive.md", "img/arch.png", "My Note.md")
			d, html := parse(t, site, c.from, c.md)
			if c.wantHref != "" && !strings.Contains(html, c.wantHref) {
				t.Errorf("html %s does not contain %s", html, c.wantHref)
			}
			var warns []string
			for _, dg := range d.Diagnostics {
				warns = append(warns, dg.Error())
			}
			if c.wantWarn == "" && len(warns) > 0 {
				t.Errorf("unexpected warnings %q", warns)
			}
			if c.wantWarn != "" && !strings.Contains(strings.Join(warns, "\n"), c.wantWarn) {
				t.Errorf("warnings %q do not contain %q", warns, c.wantWarn)
			}
		})
	}
	_ = site
}

func TestHeadingIDs(t *testing.T) {
	t.Parallel()
	site := testSite("a.md")
	md := "# *Overview*\n\n## Lambda & `Redshift`\n\n## Overview\n\n## Custom {#mine}\n\n## AWS Guide<a name=\"aws-anchor\"></a>\n\n## Überblick\n\n## Overview\n"
	d, html := parse(t, site, "a.md", md)
	var ids []string
	for _, h := range d.Headings {
		ids = append(ids, h.ID)
	}
	want := "overview lambda-redshift overview-1 mine aws-anchor überblick overview-2"
	if strings.Join(ids, " ") != want {
		t.Errorf("ids = %s, want %s", strings.Join(ids, " "), want)
	}
	if !strings.Contains(html, `<h2 id="lambda-redshift">Lambda &amp; <code>Redshift</code><a class="anchor" href="#lambda-redshift"`) {
		t.Errorf("heading html: %s", html)
	}
	for _, id := range []string{"overview", "mine", "aws-anchor"} {
		if !d.Anchors[id] {
			t.Errorf("anchor %q missing from %v", id, d.Anchors)
		}
	}
	if d.Title != "Overview" {
		t.Errorf("title = %q", d.Title)
	}
}

func TestSections(t *testing.T) {
	t.Parallel()
	site := testSite("a.md")
	d, _ := parse(t, site, "a.md", "Intro text.\n\n# Glue\n\nBody one.\n\n## Crawlers\n\n- item *two*\n\n```go\ncode()\n```\n\n# EMR\n\nLast.\n")
	var got []string
	for _, s := range d.Sections {
		got = append(got, s.Anchor+"|"+strings.Join(s.Path, ">")+"|"+s.Body)
	}
	want := []string{"||Intro text.", "glue||Body one.", "crawlers|Glue|item two code()", "emr||Last."}
	for i := range want {
		if i >= len(got) || strings.TrimSpace(got[i]) != strings.TrimSpace(want[i]) {
			t.Fatalf("sections = %q\nwant %q", got, want)
		}
	}
}

func TestRawHTMLSwitch(t *testing.T) {
	t.Parallel()
	page := &content.Page{Rel: "a.md", Dir: ".", File: "a.md", BodyLine: 1, Body: []byte("<b>bold</b> <script>x()</script>\n")}
	for _, raw := range []bool{true, false} {
		c := New(Options{RawHTML: raw})
		var b bytes.Buffer
		c.Render(&b, c.Parse(page, nil))
		has := strings.Contains(b.String(), "<b>bold</b>")
		if has != raw {
			t.Errorf("RawHTML=%v: %s", raw, b.String())
		}
	}
}

// TestGolden renders testdata/*.md and compares with the .html beside each.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.md")
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			src, _ := os.ReadFile(f)
			site := testSite(filepath.Base(f), "glue.md")
			_, html := parse(t, site, filepath.Base(f), string(src))
			golden := strings.TrimSuffix(f, ".md") + ".html"
			if *update {
				os.WriteFile(golden, []byte(html), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if string(want) != html {
				t.Errorf("%s differs from golden; run go test -update and review the diff\ngot:\n%s", golden, html)
			}
		})
	}
}

func FuzzConvert(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.md")
	for _, s := range seeds {
		b, _ := os.ReadFile(s)
		f.Add(b)
	}
	f.Add([]byte("> [!TIP]\n> x\n\n`a b c d e`\n\n[x](y.md#z)"))
	c := New(Options{RawHTML: true})
	f.Fuzz(func(t *testing.T, data []byte) {
		page := &content.Page{Rel: "f.md", Dir: ".", File: "f.md", BodyLine: 1, Body: data}
		site := &content.Site{Pages: []*content.Page{page}}
		d := c.Parse(page, NewTargets(site))
		var b bytes.Buffer
		if err := c.Render(&b, d); err != nil {
			t.Fatal(err)
		}
		if utf8.Valid(data) && !utf8.Valid(b.Bytes()) {
			t.Fatalf("invalid UTF-8 output for valid input")
		}
	})
}

func TestDuplicateAuthorAnchorsStayUnique(t *testing.T) {
	t.Parallel()
	site := testSite("a.md")
	d, _ := parse(t, site, "a.md", "## One<a name=\"x\"></a>\n\n## Two<a name=\"x\"></a>\n\n## Three {#x}\n")
	seen := map[string]bool{}
	for _, h := range d.Headings {
		if seen[h.ID] {
			t.Fatalf("duplicate heading id %q in %+v", h.ID, d.Headings)
		}
		seen[h.ID] = true
	}
	if d.Headings[0].ID != "x" {
		t.Errorf("first heading should keep the author's anchor, got %q", d.Headings[0].ID)
	}
}

func TestPlainTextUnescapes(t *testing.T) {
	t.Parallel()
	site := testSite("a.md")
	d, _ := parse(t, site, "a.md", "# UTF\\-8 &amp; more `a\\-b`\n\nBody \\*not\\* &lt;b&gt;\n")
	if d.Title != "UTF-8 & more a\\-b" {
		t.Errorf("title = %q", d.Title)
	}
	if got := d.Sections[0].Body; got != "Body *not* <b>" {
		t.Errorf("body = %q", got)
	}
}
