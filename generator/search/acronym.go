package search

import (
	"sort"
	"strings"
	"unicode"
)

// Acronym stopwords may sit inside a long form without contributing an initial
// ("Identity and Access Management (IAM)").
var acronymGlue = map[string]bool{"and": true, "of": true, "for": true, "the": true, "to": true, "in": true, "on": true, "a": true, "an": true, "with": true}

// maxLongForms caps how many long forms one acronym keeps (the most frequent win).
const maxLongForms = 3

// synonymGroups returns, sorted, one group per phrase: the phrase (its tokens joined by spaces) followed
// by its sorted alternatives. It joins the acronyms found in the docs ("Elastic MapReduce (EMR)",
// "DPU (data processing unit)") with the caller's alias groups.
func synonymGroups(docs []Doc, extra map[string][]string) [][]string {
	return synonymGroupsWith(docs, extra, newTexts(docs, Options{}).acronyms)
}

// acronyms calls add for the acronyms of every doc, in order; the docs are read on all cores.
func (t *texts) acronyms(docs []Doc, add func(acr, long string)) { t.acronymsIn(docs, nil, add) }

// What acronymsIn looks at in a doc.
const (
	acroNone    = iota
	acroHeading // the heading alone: the text is blank
	acroAll     // the heading and the text
)

// acronymsIn is acronyms, looking at what look[i] says in doc i (everything when look is nil).
func (t *texts) acronymsIn(docs []Doc, look []uint8, add func(acr, long string)) {
	w := workers(len(docs), 256)
	found := make([][][2]string, w)
	eachRange(len(docs), w, func(part, lo, hi int) {
		r := t.reader()
		defer r.release()
		for i := lo; i < hi; i++ {
			body, emph := "", ""
			switch {
			case look == nil || look[i] == acroAll:
				body, emph = r.doc(i)
			case look[i] == acroNone:
				continue
			}
			for _, text := range []string{docs[i].Heading, body, emph} {
				findAcronyms(text, func(acr, long string) {
					// copies: text read back from Options.Text is let go of once read
					found[part] = append(found[part], [2]string{strings.Clone(acr), strings.Clone(long)})
				})
			}
		}
	})
	for _, f := range found {
		for _, a := range f {
			add(a[0], a[1])
		}
	}
}

// synonymGroupsWith is synonymGroups with the acronyms of the docs found by find (Cache.synonymGroups
// remembers what it found in each doc).
func synonymGroupsWith(docs []Doc, extra map[string][]string, find func(docs []Doc, add func(acr, long string))) [][]string {
	found := map[string]map[string]int{}
	add := func(acr, long string) {
		if found[acr] == nil {
			found[acr] = map[string]int{}
		}
		found[acr][long]++
	}
	find(docs, add)
	groups := map[string]map[string]bool{}
	link := func(a, b string) {
		if a == "" || b == "" || a == b {
			return
		}
		if groups[a] == nil {
			groups[a] = map[string]bool{}
		}
		groups[a][b] = true
	}
	for acr, longs := range found {
		ls := make([]string, 0, len(longs))
		for l := range longs {
			ls = append(ls, l)
		}
		sort.Slice(ls, func(i, j int) bool {
			if longs[ls[i]] != longs[ls[j]] {
				return longs[ls[i]] > longs[ls[j]]
			}
			return ls[i] < ls[j]
		})
		for _, l := range ls[:min(len(ls), maxLongForms)] {
			link(acr, l)
		}
	}
	for k, vs := range extra {
		kp := phrase(k)
		for _, v := range vs {
			link(kp, phrase(v))
		}
	}
	out := make([][]string, 0, len(groups))
	for k, alts := range groups {
		g := []string{k}
		for a := range alts {
			g = append(g, a)
		}
		sort.Strings(g[1:])
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// phrase is the normalised form of a synonym: its whole-word tokens joined by single spaces.
func phrase(s string) string {
	var ws []string
	tokenizeWords(s, func(whole string, _ []string) { ws = append(ws, whole) })
	return strings.Join(ws, " ")
}

// rawWord is a word of the original text with the initials of its identifier parts.
type rawWord struct {
	whole    string
	initials string // first letter of each part ("MapReduce" -> "mr"), or of the word
}

func rawWords(s string) []rawWord {
	var out []rawWord
	tokenizeWords(s, func(whole string, parts []string) {
		w := rawWord{whole: whole}
		for _, p := range parts {
			w.initials += p[:1]
		}
		if w.initials == "" {
			w.initials = whole[:1]
		}
		out = append(out, w)
	})
	return out
}

// findAcronyms reports every "Long Form (ACR)" and "ACR (long form)" in text whose initials spell the
// acronym; the acronym is reported lower-cased without a plural s.
func findAcronyms(text string, add func(acr, long string)) {
	for i := 0; i < len(text); i++ {
		j := strings.IndexByte(text[i:], '(')
		if j < 0 {
			return
		}
		i += j
		end := strings.IndexByte(text[i:], ')')
		if end < 0 {
			return
		}
		inner := strings.TrimSpace(text[i+1 : i+end])
		before := text[max(0, i-160):i]
		if cut := strings.LastIndexAny(before, ".;:()[]\n"); cut >= 0 {
			before = before[cut+1:]
		}
		// "Amazon Elastic MapReduce (Amazon EMR)": the brand words repeat before the long form
		if sp := strings.LastIndexByte(inner, ' '); sp > 0 && sp < 20 {
			if _, ok := acronymLetters(inner[sp+1:]); ok {
				brand := strings.TrimSpace(inner[:sp])
				if k := strings.Index(before, brand+" "); k >= 0 {
					before = before[k+len(brand)+1:]
					inner = inner[sp+1:]
				}
			}
		}
		if letters, ok := acronymLetters(inner); ok {
			if long, ok := matchBackward(rawWords(before), letters); ok {
				add(letters, long)
			}
		} else if len(inner) < 100 {
			// an acronym just before the parenthesis is a word of it: no need to tokenize it to know
			if letters, ok := acronymLetters(lastWordRaw(before)); ok {
				if long, ok := matchForward(rawWords(inner), letters); ok {
					add(letters, long)
				}
			}
		}
		i += end
	}
}

// lastWordRaw is the last run of letters and digits in s, with its original case.
func lastWordRaw(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	i := strings.LastIndexFunc(s, func(r rune) bool { return !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
	return s[i+1:]
}

// acronymLetters accepts 2–8 ASCII capitals, optionally followed by a plural s ("DPUs").
func acronymLetters(s string) (string, bool) {
	s = strings.TrimSuffix(s, "s")
	if len(s) < 2 || len(s) > 8 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return "", false
		}
	}
	return strings.ToLower(s), true
}

// matchBackward consumes letters from the end with the words before the parenthesis.
func matchBackward(ws []rawWord, letters string) (string, bool) {
	j := len(letters)
	k := len(ws) - 1
	for ; k >= 0 && j > 0; k-- {
		w := ws[k]
		switch {
		case len(w.initials) > 1 && strings.HasSuffix(letters[:j], w.initials):
			j -= len(w.initials)
		case strings.HasSuffix(letters[:j], w.whole[:1]):
			j--
		case acronymGlue[w.whole] && j < len(letters):
		default:
			return "", false
		}
	}
	if j > 0 || len(ws)-1-k < 2 {
		return "", false
	}
	long := make([]string, 0, len(ws)-1-k)
	for _, w := range ws[k+1:] {
		long = append(long, w.whole)
	}
	return strings.Join(long, " "), true
}

// matchForward requires all words in the parenthesis to spell the letters, in order.
func matchForward(ws []rawWord, letters string) (string, bool) {
	if len(ws) < 2 {
		return "", false
	}
	j := 0
	for i, w := range ws {
		switch {
		case len(w.initials) > 1 && strings.HasPrefix(letters[j:], w.initials):
			j += len(w.initials)
		case strings.HasPrefix(letters[j:], w.whole[:1]):
			j++
		case acronymGlue[w.whole] && i > 0 && j < len(letters):
		default:
			return "", false
		}
	}
	if j != len(letters) {
		return "", false
	}
	long := make([]string, len(ws))
	for i, w := range ws {
		long[i] = w.whole
	}
	return strings.Join(long, " "), true
}
