package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomExcerptText is text of the kinds a record escapes, collapses or cuts: words, runs of white
// space of every kind, quotes, control characters, DEL, invalid UTF-8, line and paragraph separators,
// and lengths on both sides of MaxExcerptText.
func randomExcerptText(rng *rand.Rand) string {
	pieces := []string{"word", "Élan", "x", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\"", "\\", "\x01",
		"\x7f", "\xff", "\u2028", "\u2029", "日本", "😀", "\r\n", "\b\f", "</script>", "&"}
	var b strings.Builder
	n := rng.IntN(8)
	if rng.IntN(4) == 0 {
		n = 1000 + rng.IntN(2000)
	}
	for range n {
		if rng.IntN(3) > 0 {
			b.WriteString(pieces[0])
			b.WriteByte(' ')
		} else {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
	}
	return b.String()
}

// TestTextRecordLen: the length a build without a cache cuts the text chunks by is that of the record
// it then writes, for random sections, with one excerpt reused throughout as the build does.
func TestTextRecordLen(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 5))
	var x, y excerpt
	for i := range 3000 {
		d := &Doc{Anchor: randomExcerptText(rng), Heading: randomExcerptText(rng), Level: 2}
		body, emph := randomExcerptText(rng), ""
		switch rng.IntN(4) {
		case 0:
			emph = randomExcerptText(rng)
		case 1: // emphasis that the body holds
			if f := strings.Fields(body); len(f) > 0 {
				emph = f[rng.IntN(len(f))]
			}
		}
		var stack []*section
		for range rng.IntN(3) {
			stack = append(stack, &section{doc: &Doc{Heading: randomExcerptText(rng)}})
		}
		title := randomExcerptText(rng)
		if len(stack) > 0 && rng.IntN(2) == 0 {
			title = stack[0].doc.Heading
		}
		rec := appendTextRecord(nil, &x, d, body, emph, stack, title)
		if n := textRecordLen(&y, d, body, emph, stack, title); n != len(rec) {
			t.Fatalf("case %d: textRecordLen = %d, the record is %d bytes: %q", i, n, len(rec), rec)
		}
	}
}

// TestExcerptTextAsBefore: a record's text is what collapsing body and emphasis into buffers and
// joining them made before excerptText left one-line text where it is.
func TestExcerptTextAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 7))
	var x excerpt
	for i := range 3000 {
		body, emph := randomExcerptText(rng), ""
		if rng.IntN(2) == 0 {
			emph = randomExcerptText(rng)
		}
		want := oneLine(body)
		if e := oneLine(emph); e != "" && !strings.Contains(want, e) {
			want = strings.TrimPrefix(want+" "+e, " ")
		}
		if len(want) > MaxExcerptText {
			want = x.excerptText(want, "") // the cut alone, checked by the record golden files
		}
		if got := x.excerptText(body, emph); got != want {
			t.Fatalf("case %d: excerptText(%q, %q) = %q, want %q", i, body, emph, got, want)
		}
	}
}

// TestReadPassAcronyms: the acronyms a build without a cache finds in its read pass, and apart in the
// preambles merged or dropped, are those found doc by doc: a long form in one preamble and its acronym
// in the next is no pair, and a dropped preamble's heading still counts.
func TestReadPassAcronyms(t *testing.T) {
	docs := []Doc{
		{URL: "a/", Page: "A", Body: "runs on Elastic MapReduce"},
		{URL: "a/", Page: "A", Emphasis: "(EMR) and Simple Queue Service (SQS)"},
		{URL: "a/", Anchor: "x", Page: "A", Level: 2, Heading: "X", Body: "Identity and Access Management (IAM)"},
		{URL: "b/", Page: "B", Heading: "Simple Notification Service (SNS)", Body: " "},
		{URL: "b/", Anchor: "b", Page: "B", Level: 1, Heading: "B", Body: "text"},
		{URL: "c/", Page: "C", Heading: "Key Management Service (KMS)", Body: "Elastic Compute Cloud (EC2)"},
	}
	for _, split := range []int{0, 1} {
		want, _, err := Build(docs, Options{SplitAbove: split, Cache: &Cache{}})
		if err != nil {
			t.Fatal(err)
		}
		sameViaText(t, fmt.Sprint("split ", split), docs, Options{SplitAbove: split})
		got, _, err := Build(docs, Options{SplitAbove: split})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d files without a cache, %d with", len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i].Data, want[i].Data) {
				t.Errorf("%s without a cache:\n%s\nwith:\n%s", got[i].Path, got[i].Data, want[i].Data)
			}
		}
	}
	groups := synonymGroups(docs, nil)
	if s := fmt.Sprint(groups); !strings.Contains(s, "sns") || !strings.Contains(s, "sqs") || strings.Contains(s, "[emr") {
		t.Errorf("synonym groups %v: want sns and sqs, and no emr", groups)
	}
}

// TestAppendPageJSON: a text chunk's page is written as marshal writes it, for random URLs and titles.
func TestAppendPageJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 6))
	for i := range 2000 {
		p := &page{url: randomExcerptText(rng), title: randomExcerptText(rng)}
		n := rng.IntN(1 << rng.IntN(20))
		want := marshal([]any{n, p.url, p.title})
		if got := appendPageJSON([]byte("x"), n, p); !bytes.Equal(got[1:], want) {
			t.Fatalf("case %d: %q, marshal writes %q", i, got[1:], want)
		}
	}
}
