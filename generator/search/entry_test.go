package search

import "testing"

func TestEntryFor(t *testing.T) {
	t.Parallel()
	docs := []Doc{{URL: "glue/", Anchor: "crawlers", Page: "Glue", Heading: "Crawlers", Level: 2, Body: "A crawler scans S3."}}
	a := EntryFor(docs, Options{})
	if a != EntryFor(docs, Options{}) {
		t.Fatal("EntryFor is not deterministic")
	}
	changed := append([]Doc(nil), docs...)
	changed[0].Body += " More."
	if a == EntryFor(changed, Options{}) {
		t.Error("EntryFor ignores the text")
	}
	if a == EntryFor(docs, Options{Synonyms: map[string][]string{"emr": {"elastic mapreduce"}}}) {
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
