package crosslink

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/catalog"
	"github.com/lectern/lectern/generator/tipbox"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
)

// sharedFile finds path under the shared/ folder next to the project, walking up from the package.
func sharedFile(t testing.TB, path string) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", path)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/%s not found above the package; skipping", path)
		}
		dir = parent
	}
}

func siteCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	path := filepath.Join("..", "..", "content", "_services.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, ds := catalog.Load(path, data)
	if len(ds) != 0 {
		t.Fatalf("site catalog: %v", ds)
	}
	return c
}

type seedPage struct {
	info PageInfo
	page
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// splitSeed splits the sample notes as the pipeline does: the text before the first "## " heading is the
// home page, every "## " section is a page whose title is the heading, and each heading moves up a level.
func splitSeed(src string) []struct{ url, md string } {
	var out []struct{ url, md string }
	url := ""
	var b strings.Builder
	flush := func() {
		out = append(out, struct{ url, md string }{url, b.String()})
		b.Reset()
	}
	for _, line := range strings.SplitAfter(src, "\n") {
		if strings.HasPrefix(line, "## ") {
			flush()
			url = strings.Trim(slugRE.ReplaceAllString(strings.ToLower(strings.TrimSpace(line[3:])), "-"), "-") + "/"
		}
		if strings.HasPrefix(line, "##") {
			line = line[1:]
		}
		b.WriteString(line)
	}
	flush()
	return out
}

func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// buildSeed runs pass 1 over the sample notes, finds homes and resolves every page.
func buildSeed(t testing.TB) (goldmark.Markdown, *catalog.Catalog, []seedPage, map[string]Home, []PageMentions) {
	t.Helper()
	src, err := os.ReadFile(sharedFile(t, "seed-notes.md"))
	if err != nil {
		t.Fatal(err)
	}
	cat := siteCatalog(t)
	md := newMarkdown(NewMatcher(cat))
	var pages []seedPage
	var infos []PageInfo
	var pms []PageMentions
	for _, part := range splitSeed(string(src)) {
		p := seedPage{page: parse(md, part.md)}
		p.info.URL = part.url
		_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering {
				text := plainText(h, p.source)
				if p.info.Title == "" && h.Level == 1 {
					p.info.Title = text
				}
				p.info.Headings = append(p.info.Headings, Heading{Level: h.Level, ID: headingID(h), Text: text})
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
		pages = append(pages, p)
		infos = append(infos, p.info)
		pms = append(pms, PageMentions{Page: p.info, Mentions: Mentions(p.doc, p.source)})
	}
	homes := FindHomes(cat, infos)
	for _, p := range pages {
		Resolve(p.doc, p.info.URL, homes, FirstPerSection, nil)
	}
	return md, cat, pages, homes, pms
}

func findPage(t *testing.T, pages []seedPage, url string) seedPage {
	t.Helper()
	for _, p := range pages {
		if p.info.URL == url {
			return p
		}
	}
	t.Fatalf("no page %q", url)
	return seedPage{}
}

// mentionsIn returns the mentions of slug inside blocks whose plain text contains phrase.
func mentionsIn(p seedPage, slug, phrase string) []*Mention {
	var out []*Mention
	_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if m, ok := n.(*Mention); ok && entering && m.Slug == slug && strings.Contains(plainText(enclosingBlock(m), p.source), phrase) {
			out = append(out, m)
		}
		return ast.WalkContinue, nil
	})
	return out
}

func TestSeedNotes(t *testing.T) {
	t.Parallel()
	md, _, pages, homes, _ := buildSeed(t)

	wantHomes := map[string]Home{
		"lambda":         {URL: "aws-lambda/", Title: "AWS Lambda"},
		"glue":           {URL: "aws-glue/", Title: "AWS Glue"},
		"emr":            {URL: "elastic-mapreduce-emr/", Title: "Elastic MapReduce (EMR)"},
		"data-pipeline":  {URL: "data-pipeline/", Title: "Data Pipeline"},
		"step-functions": {URL: "step-functions/", Title: "Step Functions"},
		"glue-databrew":  {URL: "aws-glue/", Anchor: "glue-databrew", Title: "Glue DataBrew"},
		"lake-formation": {URL: "aws-glue/", Anchor: "lake-formation", Title: "Lake Formation"},
		"spark":          {URL: "elastic-mapreduce-emr/", Anchor: "apache-spark-intro", Title: "Apache Spark Intro"},
		"hive":           {URL: "elastic-mapreduce-emr/", Anchor: "hive-on-emr", Title: "Hive on EMR"},
	}
	for slug, want := range wantHomes {
		if got := homes[slug]; got != want {
			t.Errorf("home of %s = %+v, want %+v", slug, got, want)
		}
	}

	t.Run("Redshift in the Lambda COPY key point links to the Redshift page", func(t *testing.T) {
		lambda := findPage(t, pages, "aws-lambda/")
		var found bool
		_ = ast.Walk(lambda.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if kp, ok := n.(*tipbox.KeyPoint); ok && entering && strings.Contains(plainText(kp, lambda.source), "COPY command") {
				for c := kp.FirstChild(); c != nil; c = c.NextSibling() {
					if m, ok := c.(*Mention); ok && m.Slug == "redshift" {
						found = m.Linked && m.RelHref == "../services/redshift/"
					}
				}
			}
			return ast.WalkContinue, nil
		})
		if !found {
			t.Errorf("no linked Redshift mention in the COPY key point:\n%s", lambda.render(t, md))
		}
	})

	t.Run("Lambda in the Glue CloudWatch Events bullet links to the Lambda note", func(t *testing.T) {
		glue := findPage(t, pages, "aws-glue/")
		ms := mentionsIn(glue, "lambda", "Fire off a Lambda function")
		if len(ms) != 1 || !ms[0].Linked || ms[0].RelHref != "../aws-lambda/" {
			t.Errorf("Lambda in the CloudWatch Events bullet: %+v", ms)
		}
		ev := mentionsIn(glue, "eventbridge", "CloudWatch Events")
		if len(ev) != 1 || !ev[0].Linked {
			t.Errorf("CloudWatch Events bullet: %+v", ev)
		}
	})

	t.Run("the Lambda note never links to itself", func(t *testing.T) {
		lambda := findPage(t, pages, "aws-lambda/")
		if n := len(mentionsIn(lambda, "lambda", "")); n < 5 {
			t.Errorf("only %d Lambda mentions found on the Lambda page", n)
		}
		for _, m := range mentionsIn(lambda, "lambda", "") {
			if m.Linked {
				t.Errorf("Lambda links to itself on its home page: %+v", m)
			}
		}
	})

	t.Run("home sections do not link to themselves", func(t *testing.T) {
		emr := findPage(t, pages, "elastic-mapreduce-emr/")
		for _, m := range mentionsIn(emr, "hive", "") {
			if m.Linked && m.RelHref == "#hive-on-emr" {
				// Allowed only outside the Hive section: check the section.
				if sec := sectionOf(m); sec == "hive-on-emr" {
					t.Errorf("Hive links to itself inside its home section")
				}
			}
		}
	})

	t.Run("no link inside code, headings or existing links", func(t *testing.T) {
		for _, p := range pages {
			_ = ast.Walk(p.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if m, ok := n.(*Mention); ok && entering {
					for a := m.Parent(); a != nil; a = a.Parent() {
						switch a.Kind() {
						case ast.KindCodeSpan, ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHeading, ast.KindLink, ast.KindAutoLink, ast.KindImage:
							t.Errorf("%s: mention of %s inside %s", p.info.URL, m.Slug, a.Kind())
						}
					}
				}
				return ast.WalkContinue, nil
			})
			html := p.render(t, md)
			for _, re := range []*regexp.Regexp{
				regexp.MustCompile(`(?s)<h[1-6][^>]*>(.*?)</h[1-6]>`),
				regexp.MustCompile(`(?s)<code[^>]*>(.*?)</code>`),
				regexp.MustCompile(`(?s)<a href[^>]*>(.*?)</a>`),
			} {
				for _, g := range re.FindAllStringSubmatch(html, -1) {
					if strings.Contains(g[1], "service-link") {
						t.Errorf("%s: service link inside %q", p.info.URL, g[0])
					}
				}
			}
		}
	})

	t.Run("lowercase and mixed-case spellings", func(t *testing.T) {
		glue := findPage(t, pages, "aws-glue/")
		if len(mentionsIn(glue, "athena", "athena")) == 0 || len(mentionsIn(glue, "quicksight", "quicksight")) == 0 {
			t.Error("lowercase athena / quicksight not found in the Glue note")
		}
		if len(mentionsIn(glue, "glue-data-catalog", "The Glue Data Catalog can serve")) != 1 {
			t.Error("Glue Data Catalog (longest match) not found")
		}
	})
}

func sectionOf(m *Mention) string {
	var id string
	for n := ast.Node(m); n != nil; n = n.Parent() {
		for s := n.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			if h, ok := s.(*ast.Heading); ok {
				return headingID(h)
			}
		}
	}
	return id
}

// TestSeedServicePages checks the service pages' data over the sample notes against a golden file.
func TestSeedServicePages(t *testing.T) {
	t.Parallel()
	_, cat, _, homes, pms := buildSeed(t)
	index, pages := BuildPages(cat, homes, pms)
	if index.Total != len(pages) || index.Total < 30 {
		t.Fatalf("index lists %d services, %d pages", index.Total, len(pages))
	}
	var redshift *ServicePage
	for i := range pages {
		if pages[i].Slug == "redshift" {
			redshift = &pages[i]
		}
	}
	if redshift == nil || redshift.Home != nil || len(redshift.MentionedIn) == 0 {
		t.Fatalf("redshift page: %+v", redshift)
	}
	first := redshift.MentionedIn[0]
	if first.PageURL != "aws-lambda/" || !strings.HasPrefix(first.URL, "aws-lambda/#lambda") || first.Sentence != "Best practice for loading data into Redshift is the COPY command" {
		t.Errorf("first Redshift mention: %+v", first)
	}
	out, err := json.MarshalIndent(struct {
		Index ServicesIndex
		Pages []ServicePage
		Notes map[string][]ServiceRef
	}{index, pages, pageServices(cat, homes, pms)}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "seed-services.golden.json", append(out, '\n'))
}

func pageServices(cat *catalog.Catalog, homes map[string]Home, pms []PageMentions) map[string][]ServiceRef {
	out := map[string][]ServiceRef{}
	for _, pm := range pms {
		out[pm.Page.URL] = PageServices(cat, homes, pm.Mentions)
	}
	return out
}
