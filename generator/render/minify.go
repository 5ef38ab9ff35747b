package render

import (
	"bytes"
	"regexp"
	"unsafe"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier minifies every kind of file the site writes. It is safe for concurrent use.
type Minifier struct {
	m    *minify.M
	tmpl *minify.M // HTML with Go template actions left as they are (Template)
}

// NewMinifier sets up HTML, CSS, JS, JSON, SVG and XML minification.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", newHTMLMinifier())
	m.AddFunc("text/css", css.Minify)
	m.Add("image/svg+xml", newMemo(&svg.Minifier{}))
	m.AddRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), newMemo(&js.Minifier{}))
	m.AddFuncRegexp(regexp.MustCompile("[/+]json$"), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]xml$"), xml.Minify)
	tmpl := minify.New()
	h := newHTMLMinifier()
	h.TemplateDelims = html.GoTemplateDelims
	tmpl.Add("text/html", h)
	return &Minifier{m: m, tmpl: tmpl}
}

// newHTMLMinifier is the HTML minifier's configuration: documents, end tags and quotes are kept, so that
// the output reads as the templates were written.
func newHTMLMinifier() *html.Minifier {
	return &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true}
}

// Bytes minifies data of a media type into dst (reset first). On a minifier error the input is kept as it
// is: an unminified file is better than a missing one.
func (mf *Minifier) Bytes(dst *bytes.Buffer, mediatype string, data []byte) []byte {
	if !mf.into(dst, mediatype, data) {
		return data
	}
	return dst.Bytes()
}

// into minifies data of a media type into dst (reset first) and reports whether it could; when it could
// not, dst holds part of the output.
func (mf *Minifier) into(dst *bytes.Buffer, mediatype string, data []byte) bool {
	dst.Reset()
	return mf.m.Minify(mediatype, dst, bytes.NewReader(data)) == nil
}

// Template minifies the text of an HTML template, its {{actions}} untouched, so that what it renders is
// minified HTML but for the values put in. Whitespace next to an action is kept (as one space or line
// break), since what the action writes may be inline text.
func (mf *Minifier) Template(text string) (string, error) {
	return mf.tmpl.String("text/html", text)
}

// Fragment minifies a piece of HTML that a minified page will contain as it is (a note's content). s is
// copied into in (reset first), from which the minifier reads it where it is: given a plain reader, it
// reads the whole input into a slice of its own, grown by doubling. The result is written into dst
// (reset first) and shares its bytes: it lasts until dst's next use (a page copies it into itself at
// once, and a copy of each note's minified HTML was a twentieth of a build's allocation).
func (mf *Minifier) Fragment(dst, in *bytes.Buffer, s string) string {
	in.Reset()
	in.Grow(len(s) + 1) // the minifier ends its input with a NUL, put in place when there is room
	in.WriteString(s)
	dst.Reset()
	if err := mf.m.Minify("text/html", dst, in); err != nil {
		return s
	}
	return unsafe.String(unsafe.SliceData(dst.Bytes()), dst.Len())
}

// MediaType guesses the media type to minify a file by its extension; "" means copy as it is.
func MediaType(path string) string {
	switch {
	case hasSuffix(path, ".html"):
		return "text/html"
	case hasSuffix(path, ".css"):
		return "text/css"
	case hasSuffix(path, ".js"):
		return "application/javascript"
	case hasSuffix(path, ".json"):
		return "application/json"
	case hasSuffix(path, ".svg"):
		return "image/svg+xml"
	case hasSuffix(path, ".xml"):
		return "text/xml"
	}
	return ""
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }
