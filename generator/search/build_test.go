package search

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fixtureDocs is a small site covering the index features: two pages, nested headings, a tip box,
// acronyms defined both ways, an identifier, CJK text and an empty preamble.
func fixtureDocs() []Doc {
	return []Doc{
		{URL: "emr/", Page: "Elastic MapReduce (EMR)", Body: "Amazon Elastic MapReduce (Amazon EMR) runs Hadoop and Spark on EC2 instances."},
		{URL: "emr/", Anchor: "architecture", Page: "Elastic MapReduce (EMR)", Path: []string{"Architecture"}, Level: 2, Heading: "Architecture",
			Body: "A cluster has a master node, core nodes and task nodes. Core nodes host HDFS, the Hadoop Distributed File System (HDFS)."},
		{URL: "emr/", Anchor: "overview", Page: "Elastic MapReduce (EMR)", Path: []string{"Architecture", "Overview"}, Level: 3, Heading: "Overview",
			Body: "Use spot instances for task nodes; m5.xlarge suits most masters.", Emphasis: "Task nodes hold no data, so losing them is safe."},
		{URL: "emr/", Anchor: "s3distcp", Page: "Elastic MapReduce (EMR)", Path: []string{"S3DistCp"}, Level: 2, Heading: "S3DistCp",
			Body: "S3DistCp copies large amounts of data between S3 and HDFS."},
		{URL: "glue/", Page: "AWS Glue", Body: ""},
		{URL: "glue/", Anchor: "aws-glue", Page: "AWS Glue", Path: []string{"AWS Glue"}, Level: 1, Heading: "AWS Glue",
			Body: "Serverless ETL (extract, transform, and load) with a Data Catalog."},
		{URL: "glue/", Anchor: "job-bookmarks", Page: "AWS Glue", Path: []string{"AWS Glue", "Job bookmarks"}, Level: 2, Heading: "Job bookmarks",
			Body:     "Job bookmarks track processed data so a rerun skips it. Set job_bookmark_option or call enableUpdateCatalog in the script.",
			Emphasis: "Bookmarks need a transformation_ctx."},
		{URL: "glue/", Anchor: "dpus", Page: "AWS Glue", Path: []string{"AWS Glue", "Capacity"}, Level: 2, Heading: "Capacity",
			Body: "Jobs are billed by data processing units (DPUs) per second. Café naïve résumé. 数据分析 uses the Glue's crawler."},
		{URL: "", Page: "Home", Body: "Study notes for the exam, about the services and the things you will need."},
	}
}

func TestBuildGolden(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		opts Options
	}{
		{"single", Options{Synonyms: map[string][]string{"emr": {"elastic mapreduce"}, "glue": {"etl service"}}}},
		{"split", Options{SplitAbove: 1, Synonyms: map[string][]string{"emr": {"elastic mapreduce"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			files, entry, err := Build(fixtureDocs(), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]byte{"entry.txt": []byte(strings.Join(entry, "\n") + "\n")}
			for _, f := range files {
				got[f.Path] = f.Data
			}
			dir := filepath.Join("testdata", "golden", c.name)
			if updating() {
				os.RemoveAll(dir)
				for p, b := range got {
					full := filepath.Join(dir, filepath.FromSlash(p))
					if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(full, b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			want := map[string][]byte{}
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				rel, _ := filepath.Rel(dir, p)
				want[filepath.ToSlash(rel)] = b
				return err
			})
			if err != nil {
				t.Fatalf("%v (run with -update to create the golden files)", err)
			}
			if !reflect.DeepEqual(sortedFileNames(got), sortedFileNames(want)) {
				t.Fatalf("files differ from %s (run with -update):\n got %q\nwant %q", dir, sortedFileNames(got), sortedFileNames(want))
			}
			for p, b := range got {
				if !bytes.Equal(b, want[p]) {
					t.Errorf("%s differs from %s (run with -update)\n got %s\nwant %s", p, dir, b, want[p])
				}
			}
		})
	}
}

func sortedFileNames(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestBuildShape(t *testing.T) {
	t.Parallel()
	single, entry, err := Build(fixtureDocs(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entry) != 1 || !strings.HasPrefix(entry[0], "search/index.") || !strings.HasSuffix(entry[0], ".js") {
		t.Fatalf("one-file entry = %q", entry)
	}
	if len(single) != 2 { // the index and the stopword file
		t.Fatalf("one-file index wrote %d files, want 2", len(single))
	}
	split, entry, err := Build(fixtureDocs(), Options{SplitAbove: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(entry) != 1 || !strings.HasPrefix(entry[0], "search/head.") {
		t.Fatalf("split entry = %q", entry)
	}
	kinds := map[string]int{}
	for _, f := range split {
		if !strings.HasPrefix(f.Path, "search/") {
			t.Errorf("%s: outside search/", f.Path)
		}
		kinds[strings.TrimRight(strings.SplitN(strings.TrimPrefix(f.Path, "search/"), ".", 2)[0], "0123456789")]++
		if !bytes.HasPrefix(f.Data, []byte("LecternSearch.load(")) || !bytes.HasSuffix(f.Data, []byte(");\n")) {
			t.Errorf("%s: not a single LecternSearch.load call", f.Path)
		}
	}
	for _, k := range []string{"head", "stop", "d", "t"} {
		if kinds[k] == 0 {
			t.Errorf("split index has no %q file (kinds %v)", k, kinds)
		}
	}
	again, _, _ := Build(fixtureDocs(), Options{SplitAbove: 1})
	if !reflect.DeepEqual(split, again) {
		t.Error("Build is not deterministic")
	}
}

// buildEmitted is Build with Options.Emit, returning the files it was handed, sorted as Build sorts
// the files it returns.
func buildEmitted(docs []Doc, opts Options) ([]File, []string, error) {
	var mu sync.Mutex
	var files []File
	opts.Emit = func(f File) error {
		mu.Lock()
		defer mu.Unlock()
		files = append(files, f)
		return nil
	}
	none, entry, err := Build(docs, opts)
	if none != nil {
		return nil, nil, fmt.Errorf("Build with Emit returned %d files", len(none))
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, entry, err
}

// TestBuildEmit checks that Emit receives the files Build otherwise returns, and that its error stops
// the build.
func TestBuildEmit(t *testing.T) {
	t.Parallel()
	for _, opts := range []Options{{}, {SplitAbove: 1}, {SplitAbove: 1, Cache: &Cache{}}} {
		want, wantEntry, err := Build(fixtureDocs(), Options{SplitAbove: opts.SplitAbove})
		if err != nil {
			t.Fatal(err)
		}
		got, entry, err := buildEmitted(fixtureDocs(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || !slices.Equal(entry, wantEntry) {
			t.Errorf("SplitAbove %d, cache %v: Emit got %d files (entry %q), Build returns %d (entry %q)",
				opts.SplitAbove, opts.Cache != nil, len(got), entry, len(want), wantEntry)
		}
	}
	full := errors.New("disk full")
	var calls atomic.Int32
	_, _, err := Build(fixtureDocs(), Options{SplitAbove: 1, Emit: func(File) error {
		calls.Add(1)
		return full
	}})
	if !errors.Is(err, full) {
		t.Errorf("Build with a failing Emit: error %v, want %v", err, full)
	}
	if n := calls.Load(); n > int32(runtime.GOMAXPROCS(0)) {
		t.Errorf("Emit called %d times after failing", n)
	}
}

func TestBuildErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		docs []Doc
		want string
	}{
		{"level too deep", []Doc{{URL: "a/", Anchor: "x", Level: 7}}, `a/#x: heading level 7 out of range`},
		{"negative level", []Doc{{URL: "a/", Anchor: "x", Level: -1}}, `heading level -1`},
		{"heading without anchor", []Doc{{URL: "a/", Level: 2, Heading: "H"}}, `a/#: a preamble has level 0 and no anchor`},
		{"preamble with anchor", []Doc{{URL: "a/", Anchor: "x"}}, `a/#x: a preamble`},
		{"duplicate anchor", []Doc{{URL: "a/", Anchor: "x", Level: 2}, {URL: "a/", Anchor: "x", Level: 3}}, `page "a/" has two sections with anchor "x"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := Build(c.docs, Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Build error = %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestBuildMergesPreambles: a page's second preamble (its aliases, say) joins the first.
func TestBuildMergesPreambles(t *testing.T) {
	t.Parallel()
	docs := []Doc{
		{URL: "a/", Page: "A", Body: "intro"},
		{URL: "a/", Anchor: "h", Level: 2, Heading: "H"},
		{URL: "a/", Page: "A", Emphasis: "other name"},
		{URL: "b/", Page: "B", Emphasis: "alias only"},
		{URL: "b/", Page: "B", Body: "text"},
	}
	secs, pages, err := collect(docs, &scratch{}, newTexts(docs, Options{}).reader())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[0].n != 2 || pages[1].n != 1 || len(secs) != 3 {
		t.Fatalf("pages %+v, %d sections", pages, len(secs))
	}
	if d := secs[0].doc; d.Body != "intro" || d.Emphasis != "other name" || d.Anchor != "" {
		t.Errorf("merged preamble of a/ = %+v", *d)
	}
	if d := secs[2].doc; d.Body != "text" || d.Emphasis != "alias only" {
		t.Errorf("merged preamble of b/ = %+v", *d)
	}
}

func TestBuildEmpty(t *testing.T) {
	t.Parallel()
	files, entry, err := Build(nil, Options{})
	if err != nil || len(entry) != 1 || len(files) != 2 {
		t.Fatalf("Build(nil) = %d files, %q, %v", len(files), entry, err)
	}
}

func TestSynonymGroups(t *testing.T) {
	t.Parallel()
	got := synonymGroups(fixtureDocs(), map[string][]string{"Glue": {"ETL service", "glue"}})
	want := [][]string{
		{"dpu", "data processing units"},
		{"emr", "elastic mapreduce"},
		{"etl", "extract transform and load"},
		{"glue", "etl service"},
		{"hdfs", "hadoop distributed file system"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("synonymGroups =\n %q\nwant\n %q", got, want)
	}
}

func TestFindAcronyms(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ text, want string }{
		{"Amazon Elastic MapReduce (Amazon EMR) is", "emr=elastic mapreduce"},
		{"the number of data processing units (DPUs) that", "dpu=data processing units"},
		{"AWS Identity and Access Management (IAM) roles", "iam=identity and access management"},
		{"extract, transform, and load (ETL) jobs", "etl=extract transform and load"},
		{"use KMS (key management service) keys", "kms=key management service"},
		{"the (EMR) cluster", ""},
		{"Simple Storage Service (S3)", ""},
		{"some words (NOT) matching", ""},
		{"unclosed (EMR", ""},
	} {
		t.Run(c.text, func(t *testing.T) {
			t.Parallel()
			var got []string
			findAcronyms(c.text, func(a, l string) { got = append(got, a+"="+l) })
			if strings.Join(got, ";") != c.want {
				t.Errorf("findAcronyms(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestLessUTF16(t *testing.T) {
	t.Parallel()
	// U+FF21 (fullwidth A) sorts after U+1F600 in UTF-16 (0xD83D...) but before it in UTF-8
	words := []string{"\uFF21", "\U0001F600", "b", "a", "ab", ""}
	sort.Slice(words, func(i, j int) bool { return lessUTF16(words[i], words[j]) })
	want := []string{"", "a", "ab", "b", "\U0001F600", "\uFF21"}
	if !reflect.DeepEqual(words, want) {
		t.Errorf("UTF-16 order = %q, want %q", words, want)
	}
}

// TestSeedIndexSize keeps the sample notes in one index file within the first-query budget.
func TestSeedIndexSize(t *testing.T) {
	t.Parallel()
	files, entry, err := Build(seedDocs(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Path == entry[0] {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(f.Data)
			zw.Close()
			if b.Len() > 16<<10 {
				t.Errorf("seed index is %d bytes gzipped, budget 16 KiB", b.Len())
			}
			return
		}
	}
	t.Fatal("entry file not among the files")
}

// jsonStrings are inputs for appendJSONString: every kind of byte it escapes or copies.
var jsonStrings = []string{"", "abc", "a\nb\n", "\n", `q"uote`, `back\slash`, "tab\there", "ctl\x01", "del\x7f",
	"<html>&amp;", "café", "\u2028", "\u2029x", "bad\xffutf8", "0Aabc DgAC\n1Bdef Ag", "\b\f\r\x1f", "\xe2\x80", "\xe2\x80\xa8",
	"a long run of plain text \"then a quote\" and more plain text after it", "数据\U0001F680"}

// TestAppendJSONString: appendJSONString writes what encoding/json writes, from a string or bytes.
func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, s := range jsonStrings {
		checkJSONString(t, s)
	}
}

// FuzzAppendJSONString: appendJSONString writes what encoding/json writes for any string.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s)
	}
	f.Fuzz(checkJSONString)
}

func checkJSONString(t *testing.T, s string) {
	want := "x" + string(marshal(s))
	if got := string(appendJSONString([]byte("x"), s)); got != want {
		t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
	}
	if got := string(appendJSONString([]byte("x"), []byte(s))); got != want {
		t.Errorf("appendJSONString([]byte(%q)) = %s, want %s", s, got, want)
	}
}

// TestSameWords: sameWords(a, b) is oneLine(a) == oneLine(b).
func TestSameWords(t *testing.T) {
	t.Parallel()
	ss := []string{"", " ", "a", "a b", " a  b ", "a\tb", "a\u00a0b", "a\u0085b", "a\u2003b", "ab", "a b c", "é b", "é\u00a0b", "\u00a0é b\n"}
	for _, a := range ss {
		for _, b := range ss {
			if got, want := sameWords(a, b), oneLine(a) == oneLine(b); got != want {
				t.Errorf("sameWords(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

// TestPlainJSON: plainJSON agrees with a byte-by-byte check on every byte value at every position.
func TestPlainJSON(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		for at := range 11 {
			b := []byte("0Aabc DgACxyz"[:11])
			b[at] = byte(c)
			want := c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
			if got := plainJSON(string(b)); got != want {
				t.Errorf("plainJSON(%q) = %v, want %v", b, got, want)
			}
		}
	}
}

// TestOneLine: oneLine, and collapse on bytes, are strings.Join(strings.Fields(s), " ") on white space of
// every kind, invalid UTF-8 and random mixes of them.
func TestOneLine(t *testing.T) {
	t.Parallel()
	pieces := []string{"", " ", "  ", "a", "bc", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u0085", "\u2003", "\u3000",
		"é", "数据", "\xff", "\xe2\x80", "\u200b", "x y", "\u1680", "\u2028", "\u205f", "\u202f", "\u2019", "\xe2", "\xc2",
		"\u00e9\u0080"}
	check := func(s string) {
		want := strings.Join(strings.Fields(s), " ")
		if got := oneLine(s); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", s, got, want)
		}
		if got := string(collapse([]byte("x"), s)); got != "x"+want {
			t.Errorf("collapse(%q) = %q, want x%q", s, got, want)
		}
	}
	for _, a := range pieces {
		for _, b := range pieces {
			check(a + b)
			check(b + "w" + a)
		}
	}
	r := rand.New(rand.NewPCG(8, 9))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		check(b.String())
	}
}

// FuzzOneLine: isOneLine(s) tells whether s is as strings.Fields joined by spaces leaves it.
func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"", "a b", " a", "a ", "a  b", "a\tb", "a\u00a0b", "don\u2019t", "\xe2\xe2\x80\xa8", "\xc2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isOneLine(s), strings.Join(strings.Fields(s), " ") == s; got != want {
			t.Errorf("isOneLine(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestTextRecord: the excerpt record is what encoding/json writes for [anchor, heading, text, path].
func TestTextRecord(t *testing.T) {
	t.Parallel()
	docs := fixtureDocs()
	docs = append(docs, Doc{URL: "q/", Anchor: `a"b`, Page: "T \\ t", Level: 2, Heading: "H\u2028 <b>&", Body: "x\x01y \xff",
		Emphasis: "tip\ttext"})
	var x excerpt // kept from one record to the next, as the builds keep it
	for i := range docs {
		d := &docs[i]
		var stack []*section
		for j := range i {
			if docs[j].Level > 0 && docs[j].Level < d.Level {
				stack = append(stack, &section{doc: &docs[j]})
			}
		}
		path := []string{}
		for _, a := range stack {
			if h := strings.Join(strings.Fields(a.doc.Heading), " "); h != "" && h != strings.Join(strings.Fields(d.Page), " ") {
				path = append(path, h)
			}
		}
		text := strings.Join(strings.Fields(d.Body), " ")
		if e := strings.Join(strings.Fields(d.Emphasis), " "); e != "" && !strings.Contains(text, e) {
			text = strings.TrimSpace(text + " " + e)
		}
		want := marshal([]any{d.Anchor, strings.Join(strings.Fields(d.Heading), " "), text, path})
		if got := textRecord(&x, d, stack, d.Page); !bytes.Equal(got, want) {
			t.Errorf("textRecord(%s#%s) = %s, want %s", d.URL, d.Anchor, got, want)
		}
	}
}
