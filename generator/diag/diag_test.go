package diag

import (
	"testing"

	"github.com/yuin/goldmark/parser"
)

func TestError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		d    Diagnostic
		want string
	}{
		{At("content/glue.md", 12, "unknown callout type %q", "tpi"), `content/glue.md:12: unknown callout type "tpi"`},
		{Diagnostic{File: "a.md", Line: 3, Col: 5, Severity: Warning, Msg: "broken link"}, "a.md:3:5: warning: broken link"},
		{Diagnostic{File: "a.md", Severity: Error, Msg: "cannot read"}, "a.md: cannot read"},
		{Diagnostic{Msg: "no file"}, "warning: no file"},
	}
	for _, c := range cases {
		if got := c.d.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
}

func TestListSortedAndStrict(t *testing.T) {
	t.Parallel()
	var l List
	l.Add(WarnAt("b.md", 1, "w"), At("a.md", 9, "e2"), At("a.md", 2, "e1"))
	got := l.Sorted()
	if got[0].Msg != "e1" || got[1].Msg != "e2" || got[2].File != "b.md" {
		t.Errorf("order: %v", got)
	}
	warn := []Diagnostic{WarnAt("b.md", 1, "w")}
	if HasErrors(warn, false) || !HasErrors(warn, true) || !HasErrors(got, false) {
		t.Error("HasErrors: a warning fails only a strict build, an error always")
	}
}

func TestReportCollect(t *testing.T) {
	t.Parallel()
	pc := parser.NewContext()
	Reportf(pc, 42, "bad %s", "thing")
	got := Collect(pc)
	if len(got) != 1 || got[0].Offset != 42 || got[0].Severity != Warning || got[0].Msg != "bad thing" {
		t.Errorf("Collect = %+v", got)
	}
}
