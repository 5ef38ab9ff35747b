package site

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lectern/lectern/generator/markdown"
	"github.com/lectern/lectern/generator/output"
	"github.com/lectern/lectern/generator/search"
)

func TestSpillRoundTrip(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	s := newSpill(200)
	want := make([]string, 200)
	var wg sync.WaitGroup
	for i := range want {
		// 1.2 MB in all: several batches, written by whichever put fills one
		want[i] = strings.Repeat(fmt.Sprintf("<p>note %d é</p>", i), (i%7)*300)
		wg.Go(func() {
			if ok := s.put(i, want[i]); ok != (want[i] != "") {
				t.Errorf("put(%d) = %v", i, ok)
			}
		})
	}
	wg.Wait()
	s.flush()
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the file is still listed while open: %v (it should be unlinked)", left)
	}
	for i, w := range want {
		if !s.has(i) {
			if w != "" {
				t.Errorf("note %d not in the file", i)
			}
			continue
		}
		got, err := s.get(i, new([]byte))
		if err != nil || got != w {
			t.Errorf("get(%d) = %q, %v; want %q", i, got, err, w)
		}
	}
	s.close()
	s.close()
	if s.put(0, "x") {
		t.Error("put after close succeeded")
	}
}

// A batch that cannot be written stays in memory: its notes were handed over as written. Every put after
// that reports false, and the caller keeps its note.
func TestSpillBatchWriteFails(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s := newSpill(100)
	note := func(i int) string { return strings.Repeat(fmt.Sprintf("<p>%d</p>", i), 10000) } // 70–90 kB
	if !s.put(0, note(0)) {
		t.Fatal("first put failed")
	}
	s.f.Close() // the next batch's write fails
	in := map[int]bool{0: true}
	for i := 1; i < 100; i++ {
		if s.put(i, note(i)) {
			in[i] = true
		}
	}
	s.flush()
	if len(in) < 3 || len(in) == 100 || s.err == nil {
		t.Fatalf("%d notes taken, error %v: want the first batch's taken, then every put refused", len(in), s.err)
	}
	for i := range in {
		if got, err := s.get(i, new([]byte)); err != nil || got != note(i) {
			t.Errorf("note %d read back wrong (%d bytes, %v)", i, len(got), err)
		}
	}
}

// A spill that cannot make its file leaves the HTML with the caller, and the build goes on.
func TestSpillWithoutTempFolder(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()+"/missing")
	s := newSpill(1)
	if s.put(0, "<p>x</p>") || s.has(0) {
		t.Error("put reported success without a file")
	}
	s.close()
	var none *spill
	if none.put(0, "x") || none.has(0) {
		t.Error("a nil spill holds nothing")
	}
	none.close()
}

func TestSpillText(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s := newSpill(3)
	secs := []markdown.Section{{Body: "first é body", Emphasis: ""}, {}, {Body: strings.Repeat("long ", 300), Emphasis: "key point"}}
	if !s.putText(1, secs) || s.putText(2, nil) || !s.put(0, "<p>html</p>") {
		t.Fatal("putText: want the text of a note with sections in the file, and nothing for one without")
	}
	if !s.hasText(1) || s.hasText(0) || s.hasText(2) || s.has(1) {
		t.Error("hasText / has answer for the wrong notes")
	}
	s.flush()
	var buf []byte
	got, err := s.getText(1, nil, &buf)
	if err != nil || len(got) != len(secs) {
		t.Fatalf("getText = %d texts, %v; want %d", len(got), err, len(secs))
	}
	for k, sec := range secs {
		if got[k] != (search.Text{Body: sec.Body, Emphasis: sec.Emphasis}) {
			t.Errorf("section %d read back as %+v", k, got[k])
		}
	}
	if html, err := s.get(0, new([]byte)); err != nil || html != "<p>html</p>" {
		t.Errorf("get(0) = %q, %v beside the text", html, err)
	}
	s.close()

	t.Setenv("TMPDIR", t.TempDir()+"/missing")
	s = newSpill(1)
	if s.putText(0, secs) || s.hasText(0) {
		t.Error("putText reported success without a file")
	}
	s.close()
	var none *spill
	if none.putText(0, secs) || none.hasText(0) {
		t.Error("a nil spill holds no text")
	}
}

// textSite writes a site whose notes have text before their headings, tip boxes, aliases (a second
// preamble), descriptions of their own or from their text, and one without any text.
func textSite(t *testing.T) string {
	root := t.TempDir()
	files := map[string]string{"content/empty.md": "---\ntitle: Empty\n---\n"}
	for i := range 40 {
		var b strings.Builder
		b.WriteString("---\ntitle: Note " + fmt.Sprint(i) + "\n")
		if i%3 == 0 {
			b.WriteString("aliases: [alias" + fmt.Sprint(i) + " other name]\n")
		}
		if i%5 == 0 {
			b.WriteString("description: Described by hand " + fmt.Sprint(i) + "\n")
		}
		b.WriteString("---\n")
		if i%2 == 0 {
			fmt.Fprintf(&b, "Preamble text of note %d with word zephyr%d (ZWD).\n\n", i, i)
		}
		for h := range i % 4 {
			fmt.Fprintf(&b, "## Heading %d of %d\n\nBody %d of section %d, about Amazon Simple Storage Service (S3) and word%d.\n\n", h, i, i, h, i*10+h)
			if h%2 == 1 {
				fmt.Fprintf(&b, "> [!tip] Remember %d\n> Tip text %d of the section.\n\n", h, i)
			}
		}
		files[fmt.Sprintf("content/n%02d.md", i)] = b.String()
	}
	writeFiles(t, root, sortedNames(files), files)
	return root
}

// TestBuildReadsTextBack: a build without a Cache puts every note's section text in the spill, lets go
// of it after pass 1, and reads it back for the search index. The site is the same as when the spill
// cannot be made and the text stays in memory.
func TestBuildReadsTextBack(t *testing.T) {
	root := textSite(t)
	t.Setenv("TMPDIR", t.TempDir())
	mem := output.NewMemory()
	b := &builder{opts: Options{Root: root, Sink: mem}, res: &Result{}, start: time.Now()}
	err := b.run()
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range b.docs {
		if len(d.Sections) > 0 != b.spill.hasText(i) {
			t.Errorf("%s: %d sections, text in the spill: %v", d.Page.File, len(d.Sections), b.spill.hasText(i))
		}
		for _, s := range d.Sections {
			if s.Body != "" || s.Emphasis != "" {
				t.Errorf("%s#%s: the text is still held", d.Page.File, s.Anchor)
			}
		}
	}
	b.spill.close()

	t.Setenv("TMPDIR", t.TempDir()+"/missing")
	held, _ := buildMemory(t, Options{Root: root})
	if len(held.Files) != len(mem.Files) {
		t.Fatalf("%d files with the text read back, %d with it held", len(mem.Files), len(held.Files))
	}
	found := false
	for name, data := range held.Files {
		if !bytes.Equal(mem.Files[name], data) {
			t.Errorf("%s differs with the text read back", name)
		}
		found = found || strings.HasPrefix(name, "search/") && bytes.Contains(data, []byte("zephyr38"))
	}
	if !found {
		t.Error("no search file holds the notes' text")
	}
}
