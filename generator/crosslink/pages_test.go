package crosslink

import (
	"strings"
	"testing"
)

func TestBuildPages(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	homes := map[string]Home{
		"lambda": {URL: "lambda/", Title: "AWS Lambda"},
		"pig":    {URL: "emr/", Anchor: "pig", Title: "Pig"}, // a home but no mention
	}
	pages := []PageMentions{
		{
			Page: PageInfo{URL: "lambda/", Title: "AWS Lambda", Headings: []Heading{{1, "aws-lambda", "AWS Lambda"}, {2, "with-s3", "With S3"}}},
			Mentions: []MentionInfo{
				{Slug: "lambda", SectionID: "aws-lambda", Text: "Lambda", Sentence: "Lambda runs code."},
				{Slug: "s3", SectionID: "with-s3", Text: "S3", Sentence: "Lambda reads S3."},
				{Slug: "lambda", SectionID: "with-s3", Text: "Lambda", Sentence: "Lambda reads S3."},
				{Slug: "s3", SectionID: "with-s3", Text: "S3", Sentence: "S3 again."},
				{Slug: "unknown", SectionID: "with-s3", Text: "X", Sentence: "X."},
			},
		},
		{
			Page: PageInfo{URL: "emr/", Title: "EMR", Headings: []Heading{{2, "storage", "Storage"}}},
			Mentions: []MentionInfo{
				{Slug: "emrfs", SectionID: "storage", Text: "EMRFS", Sentence: "EMRFS puts HDFS on S3."},
				{Slug: "s3", SectionID: "storage", Text: "S3", Sentence: "EMRFS puts HDFS on S3."},
				{Slug: "hdfs", SectionID: "storage", Text: "HDFS", Sentence: "EMRFS puts HDFS on S3."},
				{Slug: "s3", SectionID: "", Text: "S3", Sentence: "S3 before any heading."},
			},
		},
	}
	index, sps := BuildPages(cat, homes, pages)

	var slugs []string
	for _, sp := range sps {
		slugs = append(slugs, sp.Slug)
	}
	if got := strings.Join(slugs, ","); got != "emrfs,hdfs,lambda,pig,s3" {
		t.Fatalf("service pages %s", got)
	}
	s3 := sps[4]
	if s3.Count != 4 || len(s3.MentionedIn) != 3 || s3.Home != nil || s3.URL != "services/s3/" {
		t.Fatalf("s3 page: %+v", s3)
	}
	first := s3.MentionedIn[0]
	if first.URL != "lambda/#with-s3" || first.Section != "With S3" || first.Count != 2 || first.Before != "Lambda reads " || first.Match != "S3" || first.After != "." {
		t.Errorf("first S3 mention: %+v", first)
	}
	if last := s3.MentionedIn[2]; last.URL != "emr/" || last.Section != "" {
		t.Errorf("mention before any heading: %+v", last)
	}
	var along []string
	for _, a := range s3.Alongside {
		along = append(along, a.Slug+":"+string(rune('0'+a.Count)))
	}
	if got := strings.Join(along, ","); got != "emrfs:1,hdfs:1,lambda:1" {
		t.Errorf("alongside S3: %s", got)
	}
	pig := sps[3]
	if pig.Home == nil || pig.HomeURL != "emr/#pig" || pig.Count != 0 {
		t.Errorf("pig page: %+v", pig)
	}
	if index.Total != 5 || index.Mentions != 8 {
		t.Errorf("index totals %d services, %d mentions", index.Total, index.Mentions)
	}
	var letters []string
	for _, l := range index.Letters {
		var names []string
		for _, s := range l.Services {
			names = append(names, s.Name)
		}
		letters = append(letters, l.Letter+"("+l.ID+")="+strings.Join(names, "|"))
	}
	want := "E(letter-e)=EMR File System H(letter-h)=Hadoop Distributed File System L(letter-l)=AWS Lambda P(letter-p)=Pig S(letter-s)=Amazon S3"
	if got := strings.Join(letters, " "); got != want {
		t.Errorf("letters\n got %s\nwant %s", got, want)
	}
	var cats []string
	for _, c := range index.Categories {
		cats = append(cats, c.ID+":"+string(rune('0'+c.Count)))
	}
	if got := strings.Join(cats, ","); got != "category-compute:2,category-hadoop:1,category-storage:5" {
		t.Errorf("categories %s", got)
	}

	notes := PageServices(cat, homes, pages[0].Mentions)
	if len(notes) != 2 || notes[0].Slug != "lambda" || notes[1].Slug != "s3" || notes[0].HomeURL != "lambda/" || notes[0].Docs == "" {
		t.Errorf("services in the Lambda note: %+v", notes)
	}
	if PageServices(cat, homes, nil) == nil || len(PageServices(cat, homes, nil)) != 0 {
		t.Error("PageServices of no mentions must be an empty list")
	}
}

func TestFragmentID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Machine learning": "machine-learning", "Security & identity": "security-identity", "": "other", "  A  ": "a"} {
		if got := fragmentID(in); got != want {
			t.Errorf("fragmentID(%q) = %q, want %q", in, got, want)
		}
	}
}
