package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// The hand-written scanners of the parse stage must agree with the expressions they replace (or, for the
// quick checks in front of an expression, never say no where it matches). Seeds cover the cases each
// one's comment names; go test -fuzz runs them on anything.

var (
	anchorNameRE = regexp.MustCompile(`(?i)<a\s+(?:name|id)\s*=\s*["']([^"']+)["']`)
	schemeRE     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

var scanSeeds = []string{
	"", " ", "<", "<a", "<a name", `<a name="x">`, `<A NAME = 'x"`, `<a  id="x y">`, `<a	Id="x"`, `<a name="">`,
	`<a name="x`, `<a href="y" name="x">`, `<a name="x"><a id='y'>`, `<<a name="x">`, "<a\vname=\"x\">",
	"<a\fname=\"x\">", `<ab name="x">`, `<a name=x>`, "<a name=\"é\xff\">", `text <a name="one"></a> <a name="two">`,
	"<script>", "</SCRIPT>", "<ſcript>", "<ſtyle x>", "<xmp", "<plaintext", "</", "<b>", `<img src="a.png">`,
	`<a HREF = 'x'>`, `<a ſrc="x">`, ` href="x"`, "mailto:x", "//host/x", "http://x", "a+b.c-d:x", "1a:x",
	"glue.md", "a b:x", "\u00a0a\u2003b\u0085c \t\n\v\f\r d", "\xffa \xc2", "x  y", "  lead", "trail  ",
}

func FuzzNextAnchorName(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, html []byte) {
		var got []string
		for name, end := nextAnchorName(html, 0); end >= 0; name, end = nextAnchorName(html, end) {
			got = append(got, string(name))
		}
		var want []string
		for _, m := range anchorNameRE.FindAllSubmatch(html, -1) {
			want = append(want, string(m[1]))
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
			t.Errorf("%q: got %q, want %q", html, got, want)
		}
	})
}

func FuzzIsExternal(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, dest string) {
		want := schemeRE.MatchString(dest) || strings.HasPrefix(dest, "//")
		if got := IsExternal(dest); got != want {
			t.Errorf("IsExternal(%q) = %v, want %v", dest, got, want)
		}
		if got := isExternal([]byte(dest)); got != want {
			t.Errorf("isExternal([]byte(%q)) = %v, want %v", dest, got, want)
		}
	})
}

func FuzzRawHTMLQuickChecks(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, html []byte) {
		if tagFilter.Match(html) && !mayFilterTag(html) {
			t.Errorf("mayFilterTag(%q) = false, but the tag filter matches", html)
		}
		if urlAttr.Match(html) && !mayHaveURLAttr(html) {
			t.Errorf("mayHaveURLAttr(%q) = false, but urlAttr matches", html)
		}
	})
}

func FuzzCollapse(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		want := strings.Join(strings.Fields(string(b)), " ")
		if got := collapse(append([]byte(nil), b...)); got != want {
			t.Errorf("collapse(%q) = %q, want %q", b, got, want)
		}
	})
}

func FuzzAppendUnescaped(f *testing.F) {
	for _, s := range append(scanSeeds, `UTF\-8 \(x\) \\ \a`, `A &amp; B \&amp; &#35;1 &#x41; \`, `x\`, `\\\-`) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		want := v
		if bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '&') >= 0 {
			want = util.UnescapePunctuations(util.ResolveNumericReferences(util.ResolveEntityNames(v)))
		}
		want = append([]byte("pre"), want...)
		if got := appendUnescaped([]byte("pre"), v, ast.NewText()); !bytes.Equal(got, want) {
			t.Errorf("appendUnescaped(%q) = %q, want %q", v, got, want)
		}
	})
}

func FuzzWriteEscaped(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		var b bytes.Buffer
		writeEscaped(bufWriter{&b}, v)
		if want := util.EscapeHTML(v); !bytes.Equal(b.Bytes(), want) {
			t.Errorf("writeEscaped(%q) = %q, want %q", v, b.Bytes(), want)
		}
	})
}
