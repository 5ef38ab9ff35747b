package search

import "testing"

// entryFor is EntryFor, failing the test on an error.
func entryFor(t testing.TB, docs []Doc, opts Options) string {
	t.Helper()
	e, err := EntryFor(docs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEntryFor(t *testing.T) {
	t.Parallel()
	docs := []Doc{{URL: "glue/", Anchor: "crawlers", Page: "Glue", Heading: "Crawlers", Level: 2, Body: "A crawler scans S3."}}
	a := entryFor(t, docs, Options{})
	if a != entryFor(t, docs, Options{}) {
		t.Fatal("EntryFor is not deterministic")
	}
	changed := append([]Doc(nil), docs...)
	changed[0].Body += " More."
	if a == entryFor(t, changed, Options{}) {
		t.Error("EntryFor ignores the text")
	}
	if a == entryFor(t, docs, Options{Synonyms: map[string][]string{"emr": {"elastic mapreduce"}}}) {
		t.Error("EntryFor ignores the synonyms")
	}
	for _, split := range []int{0, 1} { // one file, and the split index
		files, entry, err := Build(docs, Options{Entry: a, SplitAbove: split})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range files {
			found = found || f.Path == a
		}
		if len(entry) != 1 || entry[0] != a || !found {
			t.Errorf("SplitAbove %d: entry %v, want the file %s written and named", split, entry, a)
		}
	}
}
