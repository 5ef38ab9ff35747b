package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/svg"
)

// TestMemoSameBytes: whether an input is seen for the first time, again, with other params or too large
// to remember, the memo writes what the wrapped minifier writes, and errors pass through.
func TestMemoSameBytes(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("var a = 1 + 2; ", memoMaxInput/10)
	cases := []struct {
		name   string
		inner  minify.Minifier
		mime   string
		in     string
		params map[string]string
	}{
		{"script", &js.Minifier{}, "application/javascript", "var theme = localStorage.getItem( 'theme' ) ;\n if (theme) { document.documentElement.dataset.theme = theme }", nil},
		{"inline svg", &svg.Minifier{}, "image/svg+xml", `<svg viewBox="0 0 24.000 24.000" xmlns="http://www.w3.org/2000/svg"> <path d="M 1.000 2.000 L 3 4"/> </svg>`, map[string]string{"inline": "1"}},
		{"svg file", &svg.Minifier{}, "image/svg+xml", `<svg viewBox="0 0 24.000 24.000" xmlns="http://www.w3.org/2000/svg"> <path d="M 1.000 2.000 L 3 4"/> </svg>`, nil},
		{"other params", &js.Minifier{}, "application/javascript", "let  x = 1", map[string]string{"type": "module", "inline": "1"}},
		{"too large", &js.Minifier{}, "application/javascript", big, nil},
		{"broken script", &js.Minifier{}, "application/javascript", "var = = ;", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain := minify.New()
			var want bytes.Buffer
			wantErr := c.inner.Minify(plain, &want, strings.NewReader(c.in), c.params)
			mm := newMemo(c.inner)
			for i := 0; i < 3; i++ {
				var got bytes.Buffer
				err := mm.Minify(plain, &got, strings.NewReader(c.in), c.params)
				if (err != nil) != (wantErr != nil) {
					t.Fatalf("call %d: error %v, want %v", i, err, wantErr)
				}
				if err == nil && got.String() != want.String() {
					t.Fatalf("call %d: %q, want %q", i, got.String(), want.String())
				}
			}
			remembered := len(mm.seen[0]) + len(mm.seen[1])
			wantRemembered := 1
			if c.name == "other params" || c.name == "too large" || wantErr != nil {
				wantRemembered = 0
			}
			if remembered != wantRemembered {
				t.Errorf("remembered %d inputs, want %d", remembered, wantRemembered)
			}
		})
	}
}

// TestMemoBounded: a site whose pages each carry a different script cannot make the memo grow without end.
func TestMemoBounded(t *testing.T) {
	t.Parallel()
	mm := newMemo(&js.Minifier{})
	m := minify.New()
	for i := 0; i < 20000; i++ {
		in := "var x" + strings.Repeat("y", 200) + " = " + strings.Repeat("1+", i%50) + "1; // " + strings.Repeat("z", i)
		if len(in) > memoMaxInput {
			break
		}
		var out bytes.Buffer
		if err := mm.Minify(m, &out, strings.NewReader(in), nil); err != nil {
			t.Fatal(err)
		}
	}
	if mm.size > memoMaxTotal {
		t.Errorf("memo holds %d bytes, more than %d", mm.size, memoMaxTotal)
	}
}

// TestMinifierPagesUnchangedByMemo: whole pages with an inline script and icons minify to the same bytes
// with the page's Minifier as with a minifier without the memo, on first and later pages.
func TestMinifierPagesUnchangedByMemo(t *testing.T) {
	t.Parallel()
	page := `<!doctype html><html><head><script> var t = localStorage.getItem("theme") ; if ( t ) { document.documentElement.dataset.theme = t } </script></head>
<body> <svg class="icon" viewBox="0 0 24.000 24.000" aria-hidden="true"> <path d="M 1.000 2.000 L 3 4" /> </svg> <p> text  </p>
<button onclick=" toggle ( ) ">x</button></body></html>`
	plain := minify.New()
	plain.Add("text/html", newHTMLMinifier())
	plain.AddFunc("image/svg+xml", svg.Minify)
	plain.AddFunc("application/javascript", js.Minify)
	var want bytes.Buffer
	if err := plain.Minify("text/html", &want, strings.NewReader(page)); err != nil {
		t.Fatal(err)
	}
	mf := NewMinifier()
	for i := 0; i < 3; i++ {
		var got bytes.Buffer
		if out := mf.Bytes(&got, "text/html", []byte(page)); string(out) != want.String() {
			t.Fatalf("page %d:\n%s\nwant\n%s", i, out, want.String())
		}
	}
}
