// Package output is where a build's files go: a folder on disk, changed only when the whole build
// succeeded (so a failed build leaves the previous site untouched and no stale file survives), or memory
// (for the dev server). Staging (staging.go) gathers what changed beside the destination; Commit
// (commit.go) moves it into place.
package output

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Sink receives the files of a build. WriteFile is called from many goroutines at once.
type Sink interface {
	WriteFile(rel string, data []byte) error
}

// Lender is a Sink that can be lent a file's bytes: WriteLent is WriteFile, but for data, which the sink
// no longer uses once it calls done (exactly once, from any goroutine, after WriteLent has returned or
// before), so that the caller can fill the same buffer again. A build renders thousands of pages; a
// buffer of its own for each was a tenth of its allocation.
type Lender interface {
	Sink
	WriteLent(rel string, data []byte, done func()) error
}

// Memory keeps a build's files in a map, keyed by slash path relative to the site root.
type Memory struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// NewMemory returns an empty in-memory sink.
func NewMemory() *Memory { return &Memory{Files: map[string][]byte{}} }

// WriteFile stores a file.
func (m *Memory) WriteFile(rel string, data []byte) error {
	m.mu.Lock()
	m.Files[rel] = data
	m.mu.Unlock()
	return nil
}

// Get returns a file.
func (m *Memory) Get(rel string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.Files[rel]
	return b, ok
}

// Paths lists the stored files in order.
func (m *Memory) Paths() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.Files))
	for p := range m.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// CheckDestination refuses destinations a build must never replace: the site root or content folder
// itself, a folder holding them, the file system root, or the user's home.
func CheckDestination(dest, siteRoot string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	root, _ := filepath.Abs(siteRoot)
	home, _ := os.UserHomeDir()
	content := filepath.Join(root, "content")
	switch {
	case abs == filepath.Dir(abs):
		return fmt.Errorf("refusing to use %s as the destination: it is the root of the file system", dest)
	case home != "" && abs == filepath.Clean(home):
		return fmt.Errorf("refusing to use %s as the destination: it is your home folder", dest)
	case abs == root:
		return fmt.Errorf("refusing to use %s as the destination: it is the site folder itself", dest)
	case isWithin(abs, root):
		return fmt.Errorf("refusing to use %s as the destination: it holds the site's sources", dest)
	case abs == content || isWithin(content, abs):
		return fmt.Errorf("refusing to use %s as the destination: it is inside content/, so the next build would publish its own output", dest)
	}
	return nil
}

// isWithin reports whether p is inside dir (strictly).
func isWithin(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
