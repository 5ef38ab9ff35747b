// Package diag holds the diagnostics that every pipeline stage reports: a place in a source file, a
// severity and a message. Stages never print; they return diagnostics, and the command decides whether a
// warning fails the build (--strict) and how to show it (terminal, or the dev server's browser overlay).
//
// goldmark transformers cannot return errors, so a transformer reports into the parser.Context with Report
// and the markdown stage collects them with Collect after parsing. A transformer knows byte offsets into
// the markdown body, not lines: it sets Offset, and the markdown stage turns it into Line and Col.
package diag

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"
)

// Severity says whether a diagnostic fails the build.
type Severity int

const (
	// Warning is shown and, with --strict, fails the build.
	Warning Severity = iota
	// Error always fails the build.
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Diagnostic is one problem found in one file.
type Diagnostic struct {
	File     string // path as the user knows it, relative to the site root where possible
	Line     int    // 1-based; 0 when unknown
	Col      int    // 1-based; 0 when unknown
	Offset   int    // byte offset into the markdown body, set by goldmark transformers; -1 when unused
	Severity Severity
	Msg      string
}

// Error formats the diagnostic as file:line:col: message, leaving out what is unknown.
func (d Diagnostic) Error() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Col > 0 {
				fmt.Fprintf(&b, ":%d", d.Col)
			}
		}
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	return b.String()
}

// At is a shorthand for an error at a file and line.
func At(file string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{File: file, Line: line, Offset: -1, Severity: Error, Msg: fmt.Sprintf(format, args...)}
}

// WarnAt is a shorthand for a warning at a file and line.
func WarnAt(file string, line int, format string, args ...any) Diagnostic {
	d := At(file, line, format, args...)
	d.Severity = Warning
	return d
}

// List gathers diagnostics from many goroutines.
type List struct {
	mu    sync.Mutex
	items []Diagnostic
}

// Add appends diagnostics; safe for concurrent use.
func (l *List) Add(ds ...Diagnostic) {
	if len(ds) == 0 {
		return
	}
	l.mu.Lock()
	l.items = append(l.items, ds...)
	l.mu.Unlock()
}

// Sorted returns the diagnostics ordered by file, line and message, so output never depends on
// goroutine scheduling.
func (l *List) Sorted() []Diagnostic {
	l.mu.Lock()
	out := append([]Diagnostic(nil), l.items...)
	l.mu.Unlock()
	Sort(out)
	return out
}

// Sort orders diagnostics by file, line, column and message.
func Sort(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
}

// HasErrors reports whether any diagnostic fails the build; strict makes warnings count too.
func HasErrors(ds []Diagnostic, strict bool) bool {
	for _, d := range ds {
		if d.Severity == Error || strict {
			return true
		}
	}
	return false
}

var contextKey = parser.NewContextKey()

// Report records a diagnostic in a goldmark parser.Context, from inside a parser or transformer.
func Report(pc parser.Context, d Diagnostic) {
	list, _ := pc.Get(contextKey).([]Diagnostic)
	pc.Set(contextKey, append(list, d))
}

// Reportf records a warning at a byte offset of the markdown body.
func Reportf(pc parser.Context, offset int, format string, args ...any) {
	Report(pc, Diagnostic{Offset: offset, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Collect returns what was reported into pc.
func Collect(pc parser.Context) []Diagnostic {
	list, _ := pc.Get(contextKey).([]Diagnostic)
	return list
}
