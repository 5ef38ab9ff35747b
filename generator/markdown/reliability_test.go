package markdown

import (
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/content"
)

// TestPlainTextUnescaped: the text extracted for titles, headings, descriptions and search is what a
// reader sees, so markdown escapes (`UTF\-8`, as the AWS guides write) and character references
// (`&amp;`, `&lt;`) must be resolved. Otherwise "A &amp; B" is escaped again into the page title and
// shows as "A &amp; B", and search results show backslashes.
func TestPlainTextUnescaped(t *testing.T) {
	t.Parallel()
	c := New(Options{RawHTML: true})
	page := &content.Page{Rel: "f.md", Dir: ".", File: "f.md", BodyLine: 1,
		Body: []byte("# A &amp; B\n\nUTF\\-8 \\(x\\) &lt;img&gt; caf&eacute; &#35;1\n")}
	d := c.Parse(page, nil)
	if d.Title == "A &amp; B" {
		t.Fatal(`regression: markdown's plainText and extract copy Text segments raw, keeping "\-" escapes and "&amp;" references in titles, headings, descriptions and search text — see report`)
	}
	if d.Title != "A & B" {
		t.Errorf("title %q, want %q", d.Title, "A & B")
	}
	var body string
	for _, s := range d.Sections {
		if s.Body != "" {
			body = s.Body
			break
		}
	}
	if want := "UTF-8 (x) <img> café #1"; body != want {
		t.Errorf("section text %q, want %q", body, want)
	}
}

// TestUnclosedRawTextElement: with raw HTML on, prose such as "surrounded by <script> tags" (the
// CloudFormation guide, cfn-windows-stacks-bootstrapping.md:107) passes an unclosed <script> into the page,
// and the browser then treats the whole rest of the page as script: headings, links and the footer
// vanish. Such a tag must be escaped, or at least reported with its file and line.
func TestUnclosedRawTextElement(t *testing.T) {
	t.Parallel()
	c := New(Options{RawHTML: true})
	for _, tag := range []string{"script", "style", "textarea", "title", "xmp"} {
		page := &content.Page{Rel: "f.md", Dir: ".", File: "content/f.md", BodyLine: 1,
			Body: []byte("Commands are surrounded by <" + tag + "> tags.\n\n## Later heading\n")}
		d := c.Parse(page, nil)
		var b strings.Builder
		if err := c.Render(&b, d); err != nil {
			t.Fatal(err)
		}
		open := strings.Count(b.String(), "<"+tag+">")
		closed := strings.Count(b.String(), "</"+tag+">")
		if open > closed && len(d.Diagnostics) == 0 {
			t.Fatalf("regression: an unclosed raw <%s> in prose is passed through silently and hides the rest of the page in the browser — see report", tag)
		}
	}
}
