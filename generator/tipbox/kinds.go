package tipbox

import (
	"fmt"
	"sort"
	"strings"
)

// builtinKinds are the canonical box kinds. GitHub's five alert types come first; important and caution
// stay kinds of their own (as on GitHub) rather than Obsidian's aliases of tip and warning, so a note
// written for GitHub keeps its five distinct colours.
var builtinKinds = []Kind{
	{Name: "note", Title: "Note", Icon: "note"},
	{Name: "tip", Title: "Tip", Icon: "tip"},
	{Name: "important", Title: "Important", Icon: "important"},
	{Name: "warning", Title: "Warning", Icon: "warning"},
	{Name: "caution", Title: "Caution", Icon: "caution"},
	{Name: "abstract", Title: "Abstract", Icon: "abstract"},
	{Name: "info", Title: "Info", Icon: "info"},
	{Name: "todo", Title: "Todo", Icon: "todo"},
	{Name: "success", Title: "Success", Icon: "success"},
	{Name: "question", Title: "Question", Icon: "question"},
	{Name: "failure", Title: "Failure", Icon: "failure"},
	{Name: "danger", Title: "Danger", Icon: "danger"},
	{Name: "bug", Title: "Bug", Icon: "bug"},
	{Name: "example", Title: "Example", Icon: "example"},
	{Name: "quote", Title: "Quote", Icon: "quote"},
}

// builtinAliases maps Obsidian, MkDocs and Docusaurus aliases to canonical kinds; the default title of
// an alias is the alias itself (Obsidian shows "[!faq]" as "Faq"), see aliasTitles for exceptions.
var builtinAliases = map[string]string{
	"summary":   "abstract",
	"tldr":      "abstract",
	"hint":      "tip",
	"check":     "success",
	"done":      "success",
	"help":      "question",
	"faq":       "question",
	"attention": "warning",
	"fail":      "failure",
	"missing":   "failure",
	"error":     "danger",
	"cite":      "quote",
	"secondary": "note",
	"details":   "note",
}

var aliasTitles = map[string]string{
	"tldr": "TL;DR",
	"faq":  "FAQ",
}

// kindDef is a resolved kind: its canonical name, default title, icon markup and optional colour.
type kindDef struct {
	name, title, icon, colour string
}

// kinds is the immutable table of known kinds built once by New and shared by all documents.
type kinds struct {
	defs    map[string]*kindDef
	aliases map[string]string
	names   []string // every accepted type name, sorted, for suggestions
	custom  []string // names declared in lectern.yaml, sorted
}

func newKinds(custom []Kind) *kinds {
	k := &kinds{defs: map[string]*kindDef{}, aliases: map[string]string{}}
	for _, b := range builtinKinds {
		k.defs[b.Name] = &kindDef{name: b.Name, title: b.Title, icon: iconSVG(b.Icon)}
	}
	for a, c := range builtinAliases {
		k.aliases[a] = c
	}
	for _, c := range custom {
		name := strings.ToLower(strings.TrimSpace(c.Name))
		if !validTypeName(name) {
			continue
		}
		title := c.Title
		if title == "" {
			title = titleCase(name)
		}
		if !contains(k.custom, name) {
			k.custom = append(k.custom, name)
		}
		k.defs[name] = &kindDef{name: name, title: title, icon: iconSVG(c.Icon), colour: safeColour(c.Colour)}
		delete(k.aliases, name)
	}
	for n := range k.defs {
		k.names = append(k.names, n)
	}
	for n := range k.aliases {
		k.names = append(k.names, n)
	}
	sort.Strings(k.names)
	sort.Strings(k.custom)
	return k
}

// resolve maps a type as written (any case) to its kind and default title; ok is false for unknown
// types, which resolve to note.
func (k *kinds) resolve(typ string) (def *kindDef, title string, ok bool) {
	t := strings.ToLower(typ)
	if d, found := k.defs[t]; found {
		return d, d.title, true
	}
	if c, found := k.aliases[t]; found {
		title := aliasTitles[t]
		if title == "" {
			title = titleCase(t)
		}
		return k.defs[c], title, true
	}
	return k.defs["note"], titleCase(t), false
}

// unknownMessage is the warning for an unknown type: a suggestion when one known name is close, else
// the list of canonical kinds.
func (k *kinds) unknownMessage(typ string) string {
	t := strings.ToLower(typ)
	best, bestD := "", -1
	for _, n := range k.names {
		d := editDistance(t, n)
		if bestD < 0 || d < bestD {
			best, bestD = n, d
		}
	}
	limit := 1
	if len(t) > 4 {
		limit = 2
	}
	if bestD >= 0 && bestD <= limit {
		return fmt.Sprintf("unknown callout type %q — did you mean %q?", typ, best)
	}
	var canon []string
	for _, b := range builtinKinds {
		canon = append(canon, b.Name)
	}
	for _, c := range k.custom {
		if !contains(canon, c) {
			canon = append(canon, c)
		}
	}
	return fmt.Sprintf("unknown callout type %q, rendered as a note (known: %s)", typ, strings.Join(canon, ", "))
}

// editDistance is the optimal-string-alignment distance: Levenshtein plus adjacent transpositions,
// so "tpi" is one edit from "tip".
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// validTypeName accepts the characters a callout type may have: letters, digits, '-' and '_'.
func validTypeName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// safeColour keeps a CSS colour value from lectern.yaml only when it cannot break out of the style
// attribute or the declaration (hex, rgb(), hsl(), oklch(), var(), names).
func safeColour(c string) string {
	c = strings.TrimSpace(c)
	if c == "" || len(c) > 64 {
		return ""
	}
	for _, r := range c {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			strings.ContainsRune("#(),.% -/", r)
		if !ok {
			return ""
		}
	}
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
