package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lectern/lectern/generator/output"
)

// editingSink stores files in memory and runs edit once, at the first file written: after pass 1 and
// before the link check, as an editor saving a note in the middle of a build would.
type editingSink struct {
	*output.Memory
	once sync.Once
	edit func()
}

func (s *editingSink) WriteFile(rel string, data []byte) error {
	s.once.Do(s.edit)
	return s.Memory.WriteFile(rel, data)
}

// TestBrokenLinkLineAfterSourceDropped: a build without a Cache lets go of every note's markdown after
// pass 1 and reads a note again when the link check finds a broken link in its page that its parsed links
// do not account for (raw HTML here), to report the line that wrote it. When the note's file changed or
// went in the meantime, the warning falls back to the note's first line.
func TestBrokenLinkLineAfterSourceDropped(t *testing.T) {
	t.Parallel()
	note := "---\ntitle: Glue\n---\n# Glue\n\nCrawlers.\n\n<p><a href=\"#nowhere\">gone</a> <a href=\"/elsewhere/\">too</a></p>\n\nSee [jobs](#jobs).\n"
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, file string)
		line int
	}{
		{"unchanged", func(*testing.T, string) {}, 8},
		{"touched", func(t *testing.T, file string) { write(t, file, note) }, 8},
		{"changed", func(t *testing.T, file string) { write(t, file, "\n\n"+note) }, 1},
		{"same length", func(t *testing.T, file string) { write(t, file, strings.Replace(note, "Crawlers", "Crawling", 1)) }, 1},
		{"removed", func(t *testing.T, file string) {
			if err := os.Remove(file); err != nil {
				t.Fatal(err)
			}
		}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			file := filepath.Join(root, "content", "glue.md")
			write(t, file, note)
			sink := &editingSink{Memory: output.NewMemory(), edit: func() { tc.edit(t, file) }}
			res, err := Build(Options{Root: root, Sink: sink})
			if err != nil {
				t.Fatal(err)
			}
			// "#nowhere" only the link check finds, in the note's text; the markdown stage reports
			// "/elsewhere/" and "#jobs", which the link check must not repeat.
			for _, c := range []struct {
				dest string
				line int
			}{{`"#nowhere"`, tc.line}, {`"/elsewhere/"`, 8}, {`"#jobs"`, 10}} {
				var got []string
				for _, d := range res.Diagnostics {
					if strings.Contains(d.Msg, c.dest) {
						got = append(got, d.Error())
					}
				}
				want := fmt.Sprintf("content/glue.md:%d:", c.line)
				if len(got) != 1 || !strings.HasPrefix(got[0], want) {
					t.Errorf("warnings about %s = %q, want one at %s", c.dest, got, want)
				}
			}
		})
	}
}
