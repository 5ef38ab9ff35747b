package cheatsheet

import (
	"testing"

	"github.com/lectern/lectern/generator/content"
	"github.com/lectern/lectern/generator/markdown"
)

func TestRebase(t *testing.T) {
	t.Parallel()
	cases := []struct {
		page, dest, want string
	}{
		{"glue/", "#bookmarks", "../glue/#bookmarks"},
		{"glue/", "../emr/", "../emr/"},
		{"glue/", "../emr/#spark", "../emr/#spark"},
		{"emr/spark/", "../../glue/", "../glue/"},
		{"emr/spark/", "../hive/?x=1#y", "../emr/hive/?x=1#y"},
		{"emr/spark/", "../../img/a%20b.png", "../img/a%20b.png"},
		{"", "glue/", "../glue/"},
		{"", "#top", "../#top"},
		{"glue/", "https://example.com/a", "https://example.com/a"},
		{"glue/", "mailto:a@b.c", "mailto:a@b.c"},
		{"glue/", "//cdn.example.com/x", "//cdn.example.com/x"},
		{"glue/", "/abs/path", "/abs/path"},
		{"glue/", "", ""},
	}
	for _, c := range cases {
		x := &extractor{doc: &markdown.Document{Page: &content.Page{URL: c.page}}}
		if got := x.rebase(c.dest); got != c.want {
			t.Errorf("rebase(%q) on page %q = %q, want %q", c.dest, c.page, got, c.want)
		}
	}
}

func TestMoreLines(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{1: "… 1 more line", 2: "… 2 more lines", 120: "… 120 more lines"} {
		if got := moreLines(n); got != want {
			t.Errorf("moreLines(%d) = %q, want %q", n, got, want)
		}
	}
}
