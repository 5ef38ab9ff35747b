package render

import (
	"bytes"
	"html/template"
	"reflect"
	"strconv"
	"strings"
)

// The escapers html/template puts into a theme's actions, written as html/template writes them (Go's
// html/template/html.go and url.go) so that a compiled template (compiled.go) prints the same bytes.
// html/template calls them through reflection, once per action of every page: that call, not the
// escaping, was most of a page's rendering time. FuzzCompiledMatchesTemplates checks them against html/template.

// contentType is what html/template knows of a value: plain text, or one of its typed strings, which
// some escapers pass through.
type contentType uint8

const (
	contentPlain contentType = iota
	contentHTML
	contentURL
	contentCSS
)

// escaper is one of html/template's escapers: s of content type ct, escaped; false when this one is not
// written here for that content type (the page is then rendered by html/template).
type escaper func(s string, ct contentType) (string, bool)

// escapers are the escapers written here, by the name html/template gives them in an escaped template.
var escapers = map[string]escaper{
	"_html_template_htmlescaper":    htmlEscaper,
	"_html_template_attrescaper":    attrEscaper,
	"_html_template_rcdataescaper":  rcdataEscaper,
	"_html_template_urlfilter":      urlFilter,
	"_html_template_urlnormalizer":  urlNormalizer,
	"_html_template_urlescaper":     urlEscaper,
	"_html_template_cssvaluefilter": cssValueFilter,
}

var (
	htmlType = reflect.TypeFor[template.HTML]()
	urlType  = reflect.TypeFor[template.URL]()
	cssType  = reflect.TypeFor[template.CSS]()
)

// stringify is html/template's stringify for the values themes print: strings, html/template's HTML, URL
// and CSS, ints and bools. Other values (pointers, Stringers, html/template's other typed strings) report
// false.
func stringify(v reflect.Value) (string, contentType, bool) {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Type() {
	case stringType:
		return v.String(), contentPlain, true
	case htmlType:
		return v.String(), contentHTML, true
	case urlType:
		return v.String(), contentURL, true
	case cssType:
		return v.String(), contentCSS, true
	case intType:
		return strconv.FormatInt(v.Int(), 10), contentPlain, true
	case boolType:
		return strconv.FormatBool(v.Bool()), contentPlain, true
	}
	return "", 0, false
}

var (
	stringType = reflect.TypeFor[string]()
	intType    = reflect.TypeFor[int]()
	boolType   = reflect.TypeFor[bool]()
)

// htmlReplacement and htmlNormReplacement are html/template's htmlReplacementTable and
// htmlNormReplacementTable (the latter leaves & alone, for text that is HTML already).
var htmlReplacement = [...]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}
var htmlNormReplacement = [...]string{0: "\uFFFD", '"': "&#34;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}

// replaceHTML is html/template's htmlReplacer with badRunes set, as its escapers call it: each rune with
// a replacement is replaced; the rest, invalid UTF-8 included, is kept.
func replaceHTML(s string, table []string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		// Only ASCII is replaced, and no byte of a longer UTF-8 sequence (or of invalid UTF-8) is ASCII,
		// so going byte by byte meets the same characters as html/template's rune by rune.
		c := s[i]
		if int(c) < len(table) && table[c] != "" {
			if written == 0 {
				b.Grow(len(s) + 8)
			}
			b.WriteString(s[written:i])
			b.WriteString(table[c])
			written = i + 1
		}
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func htmlEscaper(s string, ct contentType) (string, bool) {
	if ct == contentHTML {
		return s, true
	}
	return replaceHTML(s, htmlReplacement[:]), true
}

// attrEscaper would strip the tags of an HTML value (html/template's stripTags): not written here.
func attrEscaper(s string, ct contentType) (string, bool) {
	if ct == contentHTML {
		return "", false
	}
	return replaceHTML(s, htmlReplacement[:]), true
}

func rcdataEscaper(s string, ct contentType) (string, bool) {
	if ct == contentHTML {
		return replaceHTML(s, htmlNormReplacement[:]), true
	}
	return replaceHTML(s, htmlReplacement[:]), true
}

// urlFilter replaces a URL whose scheme is not http, https or mailto by "#ZgotmplZ".
func urlFilter(s string, ct contentType) (string, bool) {
	if ct == contentURL {
		return s, true
	}
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		return "#ZgotmplZ", true
	}
	return s, true
}

func urlNormalizer(s string, ct contentType) (string, bool) { return processURL(s, true), true }

func urlEscaper(s string, ct contentType) (string, bool) {
	return processURL(s, ct == contentURL), true
}

// processURL is html/template's processURLOnto: bytes that may not stand in a URL are %-encoded; with
// norm, reserved characters and valid %-escapes are kept.
func processURL(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		const hex = "0123456789abcdef"
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// cssValueFilter passes a value into CSS when it cannot end the declaration it stands in or run script:
// no quote, bracket, semicolon, comment or "--", no "expression" or "mozbinding" in its name characters;
// "ZgotmplZ" otherwise. A value with a CSS escape (a backslash) is left to html/template, which decodes
// escapes first.
func cssValueFilter(s string, ct contentType) (string, bool) {
	if ct == contentCSS {
		return s, true
	}
	id := make([]byte, 0, 64)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			return "", false
		case 0, '"', '\'', '(', ')', '/', ';', '@', '[', ']', '`', '{', '}', '<', '>':
			return "ZgotmplZ", true
		case '-':
			if i != 0 && s[i-1] == '-' {
				return "ZgotmplZ", true
			}
			// and a hyphen is no name character here: "moz-binding" is caught
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' {
				id = append(id, c)
			}
		}
	}
	id = bytes.ToLower(id)
	if bytes.Contains(id, []byte("expression")) || bytes.Contains(id, []byte("mozbinding")) {
		return "ZgotmplZ", true
	}
	return s, true
}
