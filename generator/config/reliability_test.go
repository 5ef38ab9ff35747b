package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/diag"
)

// TestParseBadInput: every mistake in lectern.yaml is an error naming the file and the line.
func TestParseBadInput(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"bad YAML", "title: T\nnav: [\n", "lectern.yaml:2: invalid YAML: did not find expected node content"},
		{"tab indentation", "nav:\n\tinline_max: 3\n", "lectern.yaml:2: invalid YAML"},
		{"unknown key", "title: T\nbase_ulr: https://x/\n", `lectern.yaml:2: unknown key "base_ulr"`},
		{"unknown nested key", "nav:\n  inline: 3\n", `lectern.yaml:2: unknown key "inline"`},
		{"wrong type", "title: T\nraw_html: sometimes\n", "lectern.yaml:2: wrong type"},
		{"wrong nested type", "cheatsheet:\n  columns: many\n", "lectern.yaml:2: wrong type"},
		{"bad mode", "crosslinks:\n  mode: every\n", `lectern.yaml:2: mode: "every" is not one of first-per-section, first-per-page, all`},
		{"columns out of range", "cheatsheet:\n  columns: 9\n", "lectern.yaml:2: columns: 9 is out of range (1 to 6)"},
		{"relative base URL", "base_url: notes/\n", `lectern.yaml:1: base_url: "notes/" must be an absolute URL`},
		{"custom kind without a name", "tipboxes:\n  custom:\n    - title: X\n", "lectern.yaml:2: tipboxes.custom: every kind needs a name"},
		{"a directive error carries no line", "%\n", "lectern.yaml:1: invalid YAML"},
		{"not a mapping", "- a\n- b\n", "lectern.yaml:1: wrong type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("lectern.yaml", []byte(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Parse(%q) = %v, want %q", c.in, err, c.want)
			}
			var d diag.Diagnostic
			if !errors.As(err, &d) || d.Line < 1 {
				t.Errorf("error %v is not a diagnostic with a line", err)
			}
		})
	}
}

// TestParseEmptyAndComments: an empty file or one of comments only is the defaults.
func TestParseEmptyAndComments(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "# nothing yet\n", "---\n", "\xef\xbb\xbftitle: T\n"} {
		c, err := Parse("lectern.yaml", []byte(in))
		if err != nil {
			t.Errorf("Parse(%q) = %v", in, err)
			continue
		}
		if c.Language != "en" || c.Nav.InlineMax != 300 {
			t.Errorf("Parse(%q) did not fill defaults: %+v", in, c)
		}
	}
}

// FuzzParse: any lectern.yaml either loads or fails with a diagnostic naming the file and a line of it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"title: T\n", "nav: [\n", "%\n", "cheatsheet:\n  columns: 9\n", "tipboxes:\n  custom:\n    - name: x\n", "a: &a b\nc: *a\n", "- a\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("lectern.yaml", data)
		if err == nil {
			return
		}
		var d diag.Diagnostic
		// YAML ends a line at \n, \r\n or a lone \r, and so do editors.
		lines := strings.Count(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") + strings.Count(string(data), "\r") - strings.Count(string(data), "\r\n") + 1
		if !errors.As(err, &d) || d.File != "lectern.yaml" || d.Line < 1 || d.Line > lines+1 {
			t.Fatalf("error %q does not name lectern.yaml and a line in 1..%d", err, lines)
		}
	})
}
