package render

import (
	"bytes"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Minifier minifies every kind of file the site writes. It is safe for concurrent use.
type Minifier struct{ m *minify.M }

// NewMinifier sets up HTML, CSS, JS, JSON, SVG and XML minification.
func NewMinifier() *Minifier {
	m := minify.New()
	m.Add("text/html", newHTMLMinifier())
	m.AddFunc("text/css", css.Minify)
	m.Add("image/svg+xml", newMemo(&svg.Minifier{}))
	m.AddRegexp(regexp.MustCompile("^(application|text)/(x-)?(java|ecma)script$"), newMemo(&js.Minifier{}))
	m.AddFuncRegexp(regexp.MustCompile("[/+]json$"), json.Minify)
	m.AddFuncRegexp(regexp.MustCompile("[/+]xml$"), xml.Minify)
	return &Minifier{m: m}
}

// newHTMLMinifier is the HTML minifier's configuration: documents, end tags and quotes are kept, so that
// the output reads as the templates were written.
func newHTMLMinifier() *html.Minifier {
	return &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true}
}

// Bytes minifies data of a media type into dst (reset first). On a minifier error the input is kept as it
// is: an unminified file is better than a missing one.
func (mf *Minifier) Bytes(dst *bytes.Buffer, mediatype string, data []byte) []byte {
	dst.Reset()
	if err := mf.m.Minify(mediatype, dst, bytes.NewReader(data)); err != nil {
		return data
	}
	return dst.Bytes()
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
