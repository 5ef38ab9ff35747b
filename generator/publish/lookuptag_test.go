package publish

import "testing"

// TestLookupTagKnowsKnownTags checks that lookupTag, which answers from a table of its own, returns the
// tagInfo of every element urlAttrs, srcsetTags and <meta> define (knownTags): an element added to
// urlAttrs but not to the table would have its URLs silently left unchecked.
func TestLookupTagKnowsKnownTags(t *testing.T) {
	for name, want := range knownTags {
		if kind, got, _ := lookupTag(tagWord([]byte(name))); got != want {
			t.Errorf("lookupTag(%q) = %d, %p; want the tagInfo of knownTags, %p", name, kind, got, want)
		}
	}
	for name := range urlAttrs {
		if knownTags[name] == nil {
			t.Errorf("knownTags lacks %q of urlAttrs", name)
		}
	}
}
