// Package output is where a build's files go: a staging folder swapped into place only when the whole
// build succeeded (so a failed build leaves the previous site untouched and no stale file survives), or
// memory (for the dev server).
package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Sink receives the files of a build. WriteFile is called from many goroutines at once.
type Sink interface {
	WriteFile(rel string, data []byte) error
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

// Staging writes into a fresh folder beside the destination; Commit swaps it into place.
type Staging struct {
	Dest string
	Dir  string
	mu   sync.Mutex
	made map[string]bool
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

// NewStaging prepares a staging folder next to dest.
func NewStaging(dest string) (*Staging, error) {
	parent := filepath.Dir(filepath.Clean(dest))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", parent, err)
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(dest)+".lectern-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write next to %s: %w", dest, err)
	}
	os.Chmod(dir, 0o755)
	return &Staging{Dest: dest, Dir: dir, made: map[string]bool{dir: true}}, nil
}

// WriteFile writes one file under the staging folder.
func (s *Staging) WriteFile(rel string, data []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(rel)) || path.Clean(rel) != rel {
		return fmt.Errorf("refusing to write %q: not a clean path inside the destination", rel)
	}
	full := filepath.Join(s.Dir, filepath.FromSlash(rel))
	dir := filepath.Dir(full)
	s.mu.Lock()
	ok, parentMade := s.made[dir], s.made[filepath.Dir(dir)]
	s.mu.Unlock()
	if !ok {
		// Every page has a folder of its own: when its parent is known to exist, one mkdir does what
		// MkdirAll does with three system calls (stat, stat the parent, mkdir).
		var err error
		if parentMade {
			if err = os.Mkdir(dir, 0o755); errors.Is(err, fs.ErrExist) {
				err = os.MkdirAll(dir, 0o755) // made meanwhile, or a file is in the way: let MkdirAll say
			}
		} else {
			err = os.MkdirAll(dir, 0o755)
		}
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fmt.Errorf("cannot create the folder of %s: %w", rel, err)
		}
		s.mu.Lock()
		for d := dir; d != s.Dir && !s.made[d]; d = filepath.Dir(d) {
			s.made[d] = true // MkdirAll made every folder above too
		}
		s.mu.Unlock()
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the staging folder's name means nothing to the user
		}
		return fmt.Errorf("cannot write %s: %w", rel, err)
	}
	return nil
}

// Commit replaces the destination by the staging folder. The old destination is moved aside first and
// only deleted once the new one is in place, so at no moment is there no site.
func (s *Staging) Commit() error {
	old := ""
	if _, err := os.Lstat(s.Dest); err == nil {
		old = s.Dir + ".old"
		if err := os.Rename(s.Dest, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", s.Dest, err)
		}
	}
	if err := os.Rename(s.Dir, s.Dest); err != nil {
		if old != "" {
			os.Rename(old, s.Dest)
		}
		return fmt.Errorf("cannot move the new site into %s: %w", s.Dest, err)
	}
	if old != "" {
		return removeTree(old)
	}
	return nil
}

// removeTree deletes a folder with several goroutines, one top-level entry at a time. Removing the
// previous site is pure file-system work (thousands of unlink calls), and done serially it took a quarter
// of a large build's wall time.
func removeTree(dir string) error {
	if st, err := os.Lstat(dir); err != nil || !st.IsDir() {
		return os.RemoveAll(dir) // a symbolic link is removed, never followed
	}
	// A site is a few folders holding thousands of page folders: open folders level by level until
	// there are enough pieces to keep every worker busy, remove the pieces in parallel, then the folders
	// opened, deepest first. Entries are typed without following links, so a link is removed as a link.
	var pieces, opened []string
	level := []string{dir}
	for depth := 0; len(level) > 0 && depth < 4 && len(pieces)+len(level) < 512; depth++ {
		var next []string
		for _, d := range level {
			entries, err := os.ReadDir(d)
			if err != nil {
				pieces = append(pieces, d) // let RemoveAll say what is wrong
				continue
			}
			opened = append(opened, d)
			for _, e := range entries {
				p := filepath.Join(d, e.Name())
				if e.IsDir() {
					next = append(next, p)
				} else {
					pieces = append(pieces, p)
				}
			}
		}
		level = next
	}
	pieces = append(pieces, level...)
	work := make(chan string)
	errs := make(chan error, len(pieces))
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				if err := os.RemoveAll(p); err != nil {
					errs <- err
				}
			}
		}()
	}
	for _, p := range pieces {
		work <- p
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	for i := len(opened) - 1; i >= 0; i-- {
		if err := os.Remove(opened[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Abort removes the staging folder, leaving the destination as it was.
func (s *Staging) Abort() error {
	err := os.RemoveAll(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
