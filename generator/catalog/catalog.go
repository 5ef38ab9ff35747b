// Package catalog holds the service catalog: the list of services (AWS products, open-source systems, or
// anything a site's notes keep naming) that the cross-link stage recognises in running text.
//
// It is the first input of the cross-link stage. The site keeps it as a data file (content/_services.yaml;
// underscore files are data, not pages); Load turns the file into a Catalog and reports every problem as a
// diagnostic with file and line, so a typo in the catalog reads like a compiler error instead of a silent
// missing link. The package knows nothing about markdown: matching lives in generator/crosslink.
package catalog

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/diag"
	yaml "go.yaml.in/yaml/v3"
)

// Service is one catalogued service. Terms are matched in running text: Name and Aliases follow the
// case rules below, Abbreviations always match with exact case (so "EMR" links and "emr" does not).
type Service struct {
	Slug          string   // URL segment and stable identity, e.g. "lambda"; lower-case letters, digits, '-'
	Name          string   // display name, e.g. "AWS Lambda"; also a matched term
	Aliases       []string // other spellings, e.g. "Lambda", "Amazon Lambda"
	Abbreviations []string // acronyms, matched case-sensitively, e.g. "EMR"
	Summary       string   // one line shown on hover cards and the service page
	Docs          string   // official documentation URL (http or https)
	Category      string   // grouping on the services index, e.g. "Analytics"; "" means "Other"
	// CaseSensitive makes Name and Aliases match only as written (for names that are common words when
	// capitalised differently). Abbreviations are always case-sensitive.
	CaseSensitive bool
	// Lowercase says whether an all-lowercase spelling of a case-insensitive name matches ("lambda" in
	// running text). Nil means the catalog's LowercaseNames decides.
	Lowercase *bool
	Line      int // line of the service's entry in the catalog file, for later diagnostics
}

// Terms returns the service's matched terms in catalog order: name, aliases, then abbreviations.
func (s *Service) Terms() []Term {
	out := make([]Term, 0, 1+len(s.Aliases)+len(s.Abbreviations))
	out = append(out, Term{Text: s.Name, Kind: TermName})
	for _, a := range s.Aliases {
		out = append(out, Term{Text: a, Kind: TermAlias})
	}
	for _, a := range s.Abbreviations {
		out = append(out, Term{Text: a, Kind: TermAbbreviation})
	}
	return out
}

// TermKind says where a term came from, which decides its case rule.
type TermKind int

const (
	// TermName is the service's display name.
	TermName TermKind = iota
	// TermAlias is another spelling of the name.
	TermAlias
	// TermAbbreviation is an acronym; always case-sensitive.
	TermAbbreviation
)

// Term is one spelling of a service that the matcher looks for.
type Term struct {
	Text string
	Kind TermKind
}

// Catalog is a loaded service catalog. It is immutable after Load (apart from LowercaseNames, which a site
// config may override before the matcher is built) and safe to share between goroutines.
type Catalog struct {
	File string // path given to Load, used in diagnostics
	// LowercaseNames is the default for Service.Lowercase: whether "lambda" in running text links to
	// Lambda. The catalog's top-level `lowercase-names` key sets it; lectern.yaml may override it.
	LowercaseNames bool
	Services       []*Service // in file order
	bySlug         map[string]*Service
}

// Lookup returns the service with the given slug, or nil.
func (c *Catalog) Lookup(slug string) *Service {
	if c == nil {
		return nil
	}
	return c.bySlug[slug]
}

// MatchesLowercase reports whether an all-lowercase spelling of s's case-insensitive names matches.
func (c *Catalog) MatchesLowercase(s *Service) bool {
	if s.Lowercase != nil {
		return *s.Lowercase
	}
	return c.LowercaseNames
}

// New builds a catalog from services already in memory (tests, or a site that builds its catalog in code).
// It does not validate; Load does.
func New(services []*Service) *Catalog {
	c := &Catalog{Services: services, bySlug: make(map[string]*Service, len(services))}
	for _, s := range services {
		c.bySlug[s.Slug] = s
	}
	return c
}

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	yamlLineRE = regexp.MustCompile(`line (\d+)`)
)

var topKeys = map[string]bool{"lowercase-names": true, "services": true}

var serviceKeys = []string{"abbreviations", "aliases", "case-sensitive", "category", "docs", "lowercase", "name", "summary"}

// Load parses a catalog file. path is used only in diagnostics. The format is a mapping:
//
//	lowercase-names: true          # optional, default false
//	services:
//	  lambda:                      # slug
//	    name: AWS Lambda
//	    aliases: [Lambda]
//	    abbreviations: []
//	    summary: Runs code without servers.
//	    docs: https://docs.aws.amazon.com/lambda/
//	    category: Compute
//	    case-sensitive: false      # optional
//	    lowercase: true            # optional, overrides lowercase-names
//
// Bad YAML, unknown keys, wrong types, missing names, bad slugs or URLs and a term used by two services are
// errors; a name or alias that is a common English word and would match in lowercase is a warning. The
// returned catalog holds every service that loaded, even when there are errors, so one typo does not
// remove every link from a dev-server preview.
func Load(path string, data []byte) (*Catalog, []diag.Diagnostic) {
	l := &loader{file: path}
	c := l.load(data)
	diag.Sort(l.diags)
	return c, l.diags
}

type loader struct {
	file  string
	diags []diag.Diagnostic
}

func (l *loader) errf(line int, format string, args ...any) {
	l.diags = append(l.diags, diag.At(l.file, line, format, args...))
}

func (l *loader) warnf(line int, format string, args ...any) {
	l.diags = append(l.diags, diag.WarnAt(l.file, line, format, args...))
}

func (l *loader) load(data []byte) *Catalog {
	c := New(nil)
	c.File = l.file
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 0
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimSpace(yamlLineRE.ReplaceAllString(msg, ""))
		msg = strings.TrimPrefix(msg, ": ")
		l.errf(line, "bad YAML in service catalog: %s", msg)
		return c
	}
	if len(doc.Content) == 0 {
		return c // an empty file is an empty catalog
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		l.errf(root.Line, "service catalog must be a mapping with a `services` key, found %s", kindName(root))
		return c
	}
	var services *yaml.Node
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, dup := seen[k.Value]; dup {
			l.errf(k.Line, "key %q is already set at line %d", k.Value, prev)
			continue
		}
		seen[k.Value] = k.Line
		switch k.Value {
		case "lowercase-names":
			if b, ok := l.boolean(k.Value, v); ok {
				c.LowercaseNames = b
			}
		case "services":
			services = v
		default:
			l.errf(k.Line, "unknown key %q in service catalog (known: %s)", k.Value, strings.Join(sortedKeys(topKeys), ", "))
		}
	}
	if services == nil {
		l.errf(root.Line, "service catalog has no `services` key")
		return c
	}
	if services.Kind == yaml.ScalarNode && services.Tag == "!!null" {
		return c
	}
	if services.Kind != yaml.MappingNode {
		l.errf(services.Line, "`services` must be a mapping from slug to service, found %s", kindName(services))
		return c
	}
	slugLines := map[string]int{}
	for i := 0; i+1 < len(services.Content); i += 2 {
		k, v := services.Content[i], services.Content[i+1]
		if prev, dup := slugLines[k.Value]; dup {
			l.errf(k.Line, "service %q is already defined at line %d", k.Value, prev)
			continue
		}
		slugLines[k.Value] = k.Line
		if s := l.service(k, v); s != nil {
			c.Services = append(c.Services, s)
			c.bySlug[s.Slug] = s
		}
	}
	l.checkTerms(c)
	return c
}

func (l *loader) service(k, v *yaml.Node) *Service {
	s := &Service{Slug: k.Value, Line: k.Line}
	ok := true
	if !slugRE.MatchString(s.Slug) {
		l.errf(k.Line, "service slug %q must be lower-case letters, digits and single hyphens (it becomes a URL)", s.Slug)
		ok = false
	}
	if v.Kind != yaml.MappingNode {
		l.errf(v.Line, "service %q must be a mapping (name, aliases, summary, docs, ...), found %s", s.Slug, kindName(v))
		return nil
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		fk, fv := v.Content[i], v.Content[i+1]
		if prev, dup := seen[fk.Value]; dup {
			l.errf(fk.Line, "service %q: key %q is already set at line %d", s.Slug, fk.Value, prev)
			continue
		}
		seen[fk.Value] = fk.Line
		switch fk.Value {
		case "name":
			s.Name, _ = l.str(s.Slug, fk.Value, fv)
		case "summary":
			s.Summary, _ = l.str(s.Slug, fk.Value, fv)
		case "category":
			s.Category, _ = l.str(s.Slug, fk.Value, fv)
		case "docs":
			if u, good := l.str(s.Slug, fk.Value, fv); good {
				if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
					l.errf(fv.Line, "service %q: docs %q is not an http(s) URL", s.Slug, u)
				} else {
					s.Docs = u
				}
			}
		case "aliases":
			s.Aliases = l.list(s.Slug, fk.Value, fv)
		case "abbreviations":
			s.Abbreviations = l.list(s.Slug, fk.Value, fv)
		case "case-sensitive":
			s.CaseSensitive, _ = l.boolean(s.Slug+": "+fk.Value, fv)
		case "lowercase":
			if b, good := l.boolean(s.Slug+": "+fk.Value, fv); good {
				s.Lowercase = &b
			}
		default:
			l.errf(fk.Line, "service %q: unknown key %q (known: %s)", s.Slug, fk.Value, strings.Join(serviceKeys, ", "))
		}
	}
	if strings.TrimSpace(s.Name) == "" {
		l.errf(k.Line, "service %q has no name", s.Slug)
		ok = false
	}
	if s.Summary == "" {
		l.warnf(k.Line, "service %q has no summary (shown on hover cards and its service page)", s.Slug)
	}
	if !ok {
		return nil
	}
	return s
}

func (l *loader) str(slug, key string, n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errf(n.Line, "service %q: %s must be a string, found %s", slug, key, kindName(n))
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

func (l *loader) list(slug, key string, n *yaml.Node) []string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.errf(n.Line, "service %q: %s must be a list of strings, found %s", slug, key, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
			l.errf(item.Line, "service %q: %s must be a list of strings, found %s in it", slug, key, kindName(item))
			continue
		}
		if t := strings.TrimSpace(item.Value); t != "" {
			out = append(out, t)
		} else {
			l.errf(item.Line, "service %q: empty string in %s", slug, key)
		}
	}
	return out
}

func (l *loader) boolean(what string, n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.errf(n.Line, "%s must be true or false, found %s", what, kindName(n))
		return false, false
	}
	b, _ := strconv.ParseBool(n.Value)
	return b, true
}

// checkTerms reports terms shared by two services (the matcher could not decide which one a mention
// means) and common English words that would match in lowercase. A case-sensitive term clashes with the
// same spelling; a case-insensitive one with any spelling that folds to it.
func (l *loader) checkTerms(c *Catalog) {
	type owner struct {
		slug string
		line int
	}
	exact := map[string]owner{}       // case-sensitive terms, as written
	folded := map[string]owner{}      // case-insensitive terms, lower-cased
	exactFolded := map[string]owner{} // case-sensitive terms, lower-cased
	for _, s := range c.Services {
		for _, t := range s.Terms() {
			text := NormalizeSpace(t.Text)
			lower := strings.ToLower(text)
			sensitive := s.CaseSensitive || t.Kind == TermAbbreviation
			var clash owner
			var found bool
			if sensitive {
				if clash, found = exact[text]; !found {
					clash, found = folded[lower]
				}
			} else if clash, found = folded[lower]; !found {
				clash, found = exactFolded[lower]
			}
			if found && clash.slug != s.Slug {
				l.errf(s.Line, "service %q: %q is already a name, alias or abbreviation of %q (line %d); a mention could not tell them apart", s.Slug, t.Text, clash.slug, clash.line)
				continue
			}
			if sensitive {
				exact[text] = owner{s.Slug, s.Line}
				if _, ok := exactFolded[lower]; !ok {
					exactFolded[lower] = owner{s.Slug, s.Line}
				}
			} else {
				folded[lower] = owner{s.Slug, s.Line}
			}
			if t.Kind != TermAbbreviation && !s.CaseSensitive && s.Lowercase == nil && c.LowercaseNames && IsCommonWord(text) {
				l.warnf(s.Line, "service %q: %q is a common English word and lowercase-names is on, so every %q in running text would link; set `lowercase: false` (or `true` to keep it) on the service", s.Slug, t.Text, lower)
			}
		}
	}
}

// NormalizeSpace trims a term and collapses inner whitespace to single spaces, as the matcher sees it.
func NormalizeSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!bool":
		return "a boolean"
	case "!!int", "!!float":
		return "a number"
	}
	return fmt.Sprintf("%q", n.Value)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// IsCommonWord reports whether a single-word term is a common English word (in any case), such as
// "glue", "hive" or "spark": such terms match ordinary prose when lowercase matching is on.
func IsCommonWord(term string) bool {
	if term == "" || strings.IndexFunc(term, unicode.IsSpace) >= 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(term)
	if !unicode.IsLetter(r) {
		return false
	}
	return commonWords[strings.ToLower(term)]
}
