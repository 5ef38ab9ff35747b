package config

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml, wantErr string
		check               func(t *testing.T, c Config)
	}{
		{name: "empty gives defaults", yaml: "", check: func(t *testing.T, c Config) {
			if c.Title != "Notes" || !*c.RawHTML || c.TipBoxes.QuoteKind != "tip" || c.CrossLinks.Mode != "first-per-section" {
				t.Errorf("defaults not applied: %+v", c)
			}
		}},
		{name: "values kept", yaml: "title: AWS notes\nbase_url: https://u.github.io/notes/\nraw_html: false\ntipboxes:\n  quote_kind: none\n", check: func(t *testing.T, c Config) {
			if c.Title != "AWS notes" || c.BaseURL != "https://u.github.io/notes/" || *c.RawHTML || c.TipBoxes.QuoteKind != "none" {
				t.Errorf("values lost: %+v", c)
			}
		}},
		{name: "unknown key names line", yaml: "title: x\ntitel: y\n", wantErr: `lectern.yaml:2: unknown key "titel"`},
		{name: "nested unknown key", yaml: "tipboxes:\n  quote: tip\n", wantErr: `lectern.yaml:2: unknown key "quote"`},
		{name: "wrong type", yaml: "title: x\nraw_html: maybe\n", wantErr: "lectern.yaml:2: wrong type"},
		{name: "bad yaml", yaml: "title: [x\n", wantErr: "lectern.yaml:"},
		{name: "bad enum", yaml: "crosslinks:\n  mode: sometimes\n", wantErr: `lectern.yaml:2: mode: "sometimes" is not one of`},
		{name: "relative base url", yaml: "base_url: notes\n", wantErr: "lectern.yaml:1: base_url"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Parse("lectern.yaml", []byte(tc.yaml))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestLoadMissingFileIsDefaults(t *testing.T) {
	t.Parallel()
	c, err := Load(t.TempDir() + "/lectern.yaml")
	if err != nil || c.Title != "Notes" {
		t.Fatalf("Load missing = %+v, %v", c, err)
	}
}
