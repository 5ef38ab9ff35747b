package tipbox

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/lectern/lectern/generator/whitespace"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

func TestIsProse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"too large a btach size can cause timeouts!", true},
		{"you do not pay for processing time you do not use", true},
		{"Hadoop common / core = MapReduce, YARN, HDFS", true},
		{"Ephemeral - HDFS data is lost when cluster is terminated", true},
		{"only handles new rows, not updated rows", true},
		{"Provision clusters from the notebook", true},
		{"batches may also be split beyond Lambda's payload limit (6MB)", true},
		{"“Quoted” words still count as a sentence", true},
		{"Données chiffrées au repos et en transit", true},
		{"aws s3 cp s3://a/b .", false},
		{"SELECT name FROM users WHERE id = 1", false},
		{"SELECT only the columns you need", true},
		{"kubectl get pods in the cluster", false},
		{"git commit -m message", false},
		{"docker run my image name", false},
		{"print(value) for each row in the table", false},
		{"userName is set by the login form", false},
		{"x == y and a is b", false},
		{"if (a) { return b }", false},
		{"$ go test ./... with all flags", false},
		{"key=value pairs are set here", false},
		{"1 2 3 4 5 6", false},
		{"Supported Languages", false},
		{"Machine Learning Transformations", false},
		{"m5.xlarge r5.2xlarge c5.large t3.micro", false},
		{"arn:aws:iam::123:role/x is the role name", false},
		{"Amazon EC2 StopInstances API call", false},
		{"US East (N. Virginia)", false},
		{"Red Hat Enterprise Linux 7", false},
		{"(x - 1) / (the number of rows in the window or partition - 1)", false},
		{"count of rows with values <= x / count of rows in the window", false},
		{"19:44:37 START RequestId: request id Version: $version", false},
		{"Object Lambda Access Point name prefix-metadata--ol-s3", false},
		{"config.yaml holds the site settings file", true},
		{"", false},
		{"   ", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := isProse(tt.in, 4); got != tt.want {
				t.Errorf("isProse(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{
		{"tip", "tip", 0},
		{"tpi", "tip", 1},
		{"warnign", "warning", 1},
		{"infoo", "info", 1},
		{"", "note", 4},
		{"kitten", "sitting", 3},
		{"ñote", "note", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"-"+tt.b, func(t *testing.T) {
			t.Parallel()
			if got := editDistance(tt.a, tt.b); got != tt.want {
				t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	k := newKinds([]Kind{{Name: "Exam", Title: "Exam tip"}, {Name: "hint", Title: "Hint!"}, {Name: "bad name"}})
	tests := []struct {
		typ, kind, title string
		known            bool
	}{
		{"TIP", "tip", "Tip", true},
		{"Important", "important", "Important", true},
		{"faq", "question", "FAQ", true},
		{"tldr", "abstract", "TL;DR", true},
		{"cite", "quote", "Cite", true},
		{"exam", "exam", "Exam tip", true},
		{"hint", "hint", "Hint!", true}, // a custom kind overrides an alias
		{"bad name", "note", "Bad name", false},
		{"tpi", "note", "Tpi", false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			def, title, known := k.resolve(tt.typ)
			if def.name != tt.kind || title != tt.title || known != tt.known {
				t.Errorf("resolve(%q) = %s %q %v, want %s %q %v", tt.typ, def.name, title, known, tt.kind, tt.title, tt.known)
			}
		})
	}
}

func TestUnknownMessage(t *testing.T) {
	t.Parallel()
	k := newKinds([]Kind{{Name: "exam"}})
	tests := []struct{ typ, want string }{
		{"tpi", `unknown callout type "tpi" — did you mean "tip"?`},
		{"Warnign", `unknown callout type "Warnign" — did you mean "warning"?`},
		{"exma", `unknown callout type "exma" — did you mean "exam"?`},
		{"summery", `unknown callout type "summery" — did you mean "summary"?`},
		{"zzzzzz", `unknown callout type "zzzzzz", rendered as a note (known: note, tip, important, warning, caution, abstract, info, todo, success, question, failure, danger, bug, example, quote, exam)`},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			if got := k.unknownMessage(tt.typ); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Glue ETL is a system that lets you", "glue-etl-is-a-system-that"},
		{"It's purpose", "its-purpose"},
		{"  -- ", ""},
		{"S3 / EMRFS: data", "s3-emrfs-data"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := slug(tt.in, 6); got != tt.want {
				t.Errorf("slug(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIconSVG(t *testing.T) {
	t.Parallel()
	for name := range builtinIcons {
		if s := iconSVG(name); !strings.HasPrefix(s, "<svg") || !strings.Contains(s, builtinIcons[name]) {
			t.Errorf("icon %q: %s", name, s)
		}
	}
	custom := `<svg viewBox="0 0 1 1"></svg>`
	if got := iconSVG(custom); got != custom {
		t.Errorf("inline svg changed: %s", got)
	}
	if got := iconSVG("LightBulb"); !strings.Contains(got, builtinIcons["tip"]) {
		t.Errorf("icon alias lightbulb should draw the tip icon: %s", got)
	}
	if got := iconSVG("no-such-icon"); !strings.Contains(got, builtinIcons["note"]) {
		t.Errorf("unknown icon name should fall back to note: %s", got)
	}
}

func TestLazyBodyLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want bool
	}{
		{"text\n", true},
		{"  Text with indent\n", true},
		{"2024 was a year\n", true},
		{"1. ordered list\n", false},
		{"10. ten is not a list start that interrupts\n", true},
		{"- bullet\n", false},
		{"* bullet\n", false},
		{"*emphasis* text\n", true},
		{"**bold** text\n", true},
		{"***\n", false},
		{"# heading\n", false},
		{"> quote\n", false},
		{"```go\n", false},
		{"`code` span\n", true},
		{"![image](x.png)\n", true},
		{"!!! note\n", false},
		{"<div>\n", false},
		{"| a | b |\n", false},
		{"\n", false},
		{"   \n", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			if got := lazyBodyLine([]byte(tt.line)); got != tt.want {
				t.Errorf("lazyBodyLine(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

// refSlug and refCollapse are what slug and whitespace.Collapse replaced, kept as the reference they must
// agree with.
func refSlug(s string, n int) string {
	var b strings.Builder
	words := 0
	sep := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if sep && b.Len() > 0 {
				if words++; words >= n {
					break
				}
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
		} else if r != '\'' && r != '’' {
			sep = true
		}
	}
	return b.String()
}

func refCollapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// FuzzSlugAndCollapse checks slug (on a string and on bytes) and whitespace.Collapse against their references.
func FuzzSlugAndCollapse(f *testing.F) {
	for _, s := range []string{"", " a  b ", "Lambda’s İstanbul ΣΑΣ\u00a0x\u2003y\u0085z", "\xff\xfe bad \xc3", "\tTabs\nand\r\nCRLF\v\f", "ǅ ǈ ﬁ ß"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range []int{1, 6} {
			want := refSlug(s, n)
			if got := slug(s, n); got != want {
				t.Errorf("slug(%q, %d) = %q, want %q", s, n, got, want)
			}
			if got := slug([]byte(s), n); got != want {
				t.Errorf("slug([]byte(%q), %d) = %q, want %q", s, n, got, want)
			}
		}
		b := []byte(s)
		if got, want := string(b[:whitespace.Collapse(b)]), refCollapse(s); got != want {
			t.Errorf("whitespace.Collapse(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestLabelAcrossTextNodes checks that a label is told the same however goldmark cut the text after it
// into nodes (with or without GFM's linkify parser, "**Note**  :x" comes as " " and " :x", or as "  :x").
func TestLabelAcrossTextNodes(t *testing.T) {
	t.Parallel()
	src := []byte("**Note**  :x\n**Tip**  (y)\n")
	build := func(start, word int, cuts ...int) *ast.Emphasis {
		p := ast.NewParagraph()
		em := ast.NewEmphasis(2)
		em.AppendChild(em, ast.NewTextSegment(text.NewSegment(start+2, start+2+word)))
		p.AppendChild(p, em)
		for i := 0; i+1 < len(cuts); i++ {
			p.AppendChild(p, ast.NewTextSegment(text.NewSegment(start+cuts[i], start+cuts[i+1])))
		}
		return em
	}
	for _, tc := range []struct {
		em   *ast.Emphasis
		want bool
	}{
		{build(0, 4, 8, 12), true},
		{build(0, 4, 8, 9, 12), true},
		{build(0, 4, 8, 9, 10, 12), true},
		{build(13, 3, 7, 12), false},
		{build(13, 3, 7, 8, 12), false},
	} {
		_, _, got := labelAt(tc.em, src)
		if got != tc.want {
			var b strings.Builder
			for c := tc.em.NextSibling(); c != nil; c = c.NextSibling() {
				fmt.Fprintf(&b, "%q ", c.(*ast.Text).Segment.Value(src))
			}
			t.Errorf("labelAt(%q then %s) = %v, want %v", tc.em.FirstChild().(*ast.Text).Segment.Value(src), b.String(), got, tc.want)
		}
	}
}
