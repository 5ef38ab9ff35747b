package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lectern/lectern/generator/diag"
)

func messages(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestLoadValid(t *testing.T) {
	t.Parallel()
	src := `lowercase-names: true
services:
  lambda:
    name: AWS Lambda
    aliases: [Lambda, Amazon Lambda]
    summary: Runs code without servers.
    docs: https://docs.aws.amazon.com/lambda/
    category: Compute
  emr:
    name: Amazon EMR
    aliases: [Elastic MapReduce]
    abbreviations: [EMR]
    summary: Managed Hadoop clusters.
    docs: https://docs.aws.amazon.com/emr/
    category: Analytics
  glue:
    name: AWS Glue
    aliases: [Glue]
    lowercase: false
    case-sensitive: false
    summary: Serverless ETL.
    docs: https://docs.aws.amazon.com/glue/
`
	c, ds := Load("content/_services.yaml", []byte(src))
	if len(ds) != 0 {
		t.Fatalf("unexpected diagnostics:\n%s", messages(ds))
	}
	if !c.LowercaseNames || len(c.Services) != 3 {
		t.Fatalf("got lowercase=%v services=%d", c.LowercaseNames, len(c.Services))
	}
	emr := c.Lookup("emr")
	if emr == nil || emr.Name != "Amazon EMR" || emr.Abbreviations[0] != "EMR" || emr.Line != 9 || emr.Category != "Analytics" {
		t.Fatalf("emr = %+v", emr)
	}
	if c.MatchesLowercase(c.Lookup("glue")) || !c.MatchesLowercase(c.Lookup("lambda")) {
		t.Fatal("per-service lowercase override not honoured")
	}
	terms := emr.Terms()
	if len(terms) != 3 || terms[2].Kind != TermAbbreviation {
		t.Fatalf("terms = %+v", terms)
	}
}

func TestLoadDiagnostics(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, src string
		want      []string // substrings, one per diagnostic, in sorted order
	}{
		{"bad yaml", "services:\n  a: [\n", []string{"f.yaml:2: bad YAML in service catalog: did not find expected node content"}},
		{"not a mapping", "- a\n- b\n", []string{"f.yaml:1: service catalog must be a mapping"}},
		{"no services key", "lowercase-names: true\n", []string{"f.yaml:1: service catalog has no `services` key"}},
		{"unknown top key", "servces: {}\nservices: {}\n", []string{`f.yaml:1: unknown key "servces" in service catalog (known: lowercase-names, services)`}},
		{"unknown service key", "services:\n  s3:\n    name: S3\n    sumary: x\n", []string{
			`f.yaml:2: warning: service "s3" has no summary`,
			`f.yaml:4: service "s3": unknown key "sumary"`,
		}},
		{"wrong types", "services:\n  s3:\n    name: [S3]\n    aliases: S3\n    summary: x\n    case-sensitive: yes please\n", []string{
			`f.yaml:2: service "s3" has no name`,
			`f.yaml:3: service "s3": name must be a string, found a list`,
			`f.yaml:4: service "s3": aliases must be a list of strings, found "S3"`,
			`f.yaml:6: s3: case-sensitive must be true or false, found "yes please"`,
		}},
		{"bad slug and docs", "services:\n  Bad_Slug:\n    name: X\n    summary: x\n  ok:\n    name: Y\n    summary: y\n    docs: docs.aws.amazon.com\n", []string{
			`f.yaml:2: service slug "Bad_Slug" must be lower-case`,
			`f.yaml:8: service "ok": docs "docs.aws.amazon.com" is not an http(s) URL`,
		}},
		{"duplicate slug", "services:\n  s3:\n    name: S3\n    summary: x\n  s3:\n    name: Simple Storage\n    summary: y\n", []string{
			`f.yaml:5: service "s3" is already defined at line 2`,
		}},
		{"duplicate alias folded", "services:\n  a:\n    name: Data Pipeline\n    summary: x\n  b:\n    name: Other\n    aliases: [data pipeline]\n    summary: y\n", []string{
			`f.yaml:5: service "b": "data pipeline" is already a name, alias or abbreviation of "a" (line 2)`,
		}},
		{"abbreviation clashes with insensitive alias", "services:\n  a:\n    name: Amazon EMR\n    aliases: [emr]\n    summary: x\n  b:\n    name: B\n    abbreviations: [EMR]\n    summary: y\n", []string{
			`f.yaml:6: service "b": "EMR" is already a name, alias or abbreviation of "a" (line 2)`,
		}},
		{"case-sensitive spellings differ", "services:\n  a:\n    name: Hue\n    case-sensitive: true\n    summary: x\n  b:\n    name: B\n    abbreviations: [HUE]\n    summary: y\n", nil},
		{"common word warning", "lowercase-names: true\nservices:\n  glue:\n    name: AWS Glue\n    aliases: [Glue]\n    summary: x\n  hive:\n    name: Hive\n    lowercase: true\n    summary: y\n  pig:\n    name: Pig\n    case-sensitive: true\n    summary: z\n", []string{
			`f.yaml:3: warning: service "glue": "Glue" is a common English word and lowercase-names is on`,
		}},
		{"common word without lowercase", "services:\n  glue:\n    name: Glue\n    summary: x\n", nil},
		{"empty alias", "services:\n  a:\n    name: A\n    aliases: [\"\", ok]\n    summary: x\n", []string{`f.yaml:4: service "a": empty string in aliases`}},
		{"duplicate key in service", "services:\n  a:\n    name: A\n    name: B\n    summary: x\n", []string{`f.yaml:4: service "a": key "name" is already set at line 3`}},
		{"empty file", "", nil},
		{"null services", "services:\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ds := Load("f.yaml", []byte(tc.src))
			got := messages(ds)
			if len(ds) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(ds), len(tc.want), got)
			}
			for i, w := range tc.want {
				if !strings.Contains(ds[i].Error(), w) {
					t.Errorf("diagnostic %d = %q, want it to contain %q", i, ds[i].Error(), w)
				}
			}
		})
	}
}

func TestIsCommonWord(t *testing.T) {
	t.Parallel()
	for word, want := range map[string]bool{"glue": true, "Hive": true, "SPARK": true, "Lambda": false, "Step Functions": false, "S3": false, "": false} {
		if got := IsCommonWord(word); got != want {
			t.Errorf("IsCommonWord(%q) = %v, want %v", word, got, want)
		}
	}
}

// TestSiteCatalog loads the catalog shipped for the sample notes: it must load cleanly and be big enough.
func TestSiteCatalog(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "content", "_services.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("site catalog not found: %v", err)
	}
	c, ds := Load(path, data)
	if len(ds) != 0 {
		t.Fatalf("site catalog has diagnostics:\n%s", messages(ds))
	}
	if len(c.Services) < 50 {
		t.Fatalf("site catalog has %d services, want at least 50", len(c.Services))
	}
	for _, s := range c.Services {
		if s.Summary == "" || s.Docs == "" || s.Category == "" {
			t.Errorf("service %q lacks summary, docs or category", s.Slug)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("services:\n  a:\n    name: A\n    aliases: [B]\n"))
	f.Add([]byte("lowercase-names: true\nservices: {x: {name: X, abbreviations: [X]}}\n"))
	f.Add([]byte("- [\n"))
	f.Add([]byte("services:\n  a: &x {name: A}\n  b: *x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ds := Load("f.yaml", data)
		if c == nil {
			t.Fatal("nil catalog")
		}
		for _, d := range ds {
			if d.File != "f.yaml" || d.Msg == "" {
				t.Fatalf("diagnostic without file or message: %+v", d)
			}
		}
		for _, s := range c.Services {
			if c.Lookup(s.Slug) != s || s.Name == "" {
				t.Fatalf("inconsistent service %+v", s)
			}
		}
	})
}
