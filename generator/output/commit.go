package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"
)

// Commit makes the destination the new site: exactly the files the build wrote or kept, and nothing of
// the previous site besides. When files were kept it updates the destination in place (see Staging);
// when none were, it swaps the staging folder into place.
//
// When most files changed, moving them in one by one costs more than swapping folders (a rename that
// replaces a file does more than the unlink that removing the old folder does per file, and renames
// between folders take one lock per file system): the kept files are then hard-linked into the staging
// folder, still the very same files, and the folders swapped. Commit is called once every WriteFile
// has returned.
func (s *Staging) Commit() error {
	if err := s.stop(); err != nil {
		return err
	}
	kept, written := s.settled()
	if !s.update || len(kept) == 0 {
		return s.swap()
	}
	if len(written) >= swapRatio*len(kept) && s.linkKept(kept) == nil {
		return s.swap()
	}
	return s.commitInPlace(written) // no hard links here: the links made so far go with the staging folder
}

// settled lists the files kept from the destination and those written into the staging folder, once
// every write is done.
func (s *Staging) settled() (kept, written []string) {
	for rel, k := range s.entries {
		switch k {
		case entryKept:
			kept = append(kept, rel)
		case entryWritten:
			written = append(written, rel)
		}
	}
	return kept, written
}

// swapRatio is how many times more files must have changed than were kept for Commit to swap folders.
// In BenchmarkCommit swapping took less wall time from about half the files changed on, and less CPU
// time only above 70%: two thirds is between.
const swapRatio = 2

// linkKept hard-links the kept files into the staging folder, which then holds the whole site.
func (s *Staging) linkKept(kept []string) error {
	return inParallel(len(kept), func(i int) error {
		to := filepath.Join(s.Dir, filepath.FromSlash(kept[i]))
		if err := s.mkdirStaged(filepath.Dir(to)); err != nil {
			return err
		}
		return os.Link(filepath.Join(s.Dest, filepath.FromSlash(kept[i])), to) // never follows a link
	})
}

// swap replaces the destination by the staging folder. The old destination is moved aside first and
// only deleted once the new one is in place, so at no moment is there no site.
func (s *Staging) swap() error {
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

// commitInPlace moves the written files (written) into the destination and removes what the build neither wrote
// nor kept. Whatever stands where the new site needs a folder, or where a written file must go and a
// rename cannot replace it (a folder), is removed first; a symbolic link is removed as a link.
func (s *Staging) commitInPlace(written []string) error {
	st, err := os.Lstat(s.Dest)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("cannot update %s: it was moved or replaced during the build", s.Dest)
	}
	if st.Mode().Perm() != 0o755 {
		// A swapped-in destination is the staging folder, made 0755 whatever the umask.
		if err := os.Chmod(s.Dest, 0o755); err != nil {
			return fmt.Errorf("cannot update %s: %w", s.Dest, err)
		}
	}
	p, err := s.plan()
	if err != nil {
		return err
	}
	if err := removeAll(p.inTheWay); err != nil {
		return fmt.Errorf("cannot update %s: %w", s.Dest, err)
	}
	for _, d := range p.chmod {
		if err := os.Chmod(d, s.dirPerm); err != nil {
			return fmt.Errorf("cannot update %s: %w", s.Dest, err)
		}
	}
	// A folder the destination lacks (a new page, or one a file stood in the way of) holds written files
	// only: the topmost such folders move in whole. Files in folders the destination has move one by one.
	var moves []string
	for rel, k := range s.entries {
		if k == entryDir && !p.present[rel] && p.present[path.Dir(rel)] {
			moves = append(moves, rel)
		}
	}
	for _, rel := range written {
		if p.present[path.Dir(rel)] {
			moves = append(moves, rel)
		}
	}
	sort.Strings(moves) // an order that does not depend on the map's, for any error message (inParallel)
	err = inParallel(len(moves), func(i int) error {
		from := filepath.Join(s.Dir, filepath.FromSlash(moves[i]))
		return os.Rename(from, filepath.Join(s.Dest, filepath.FromSlash(moves[i])))
	})
	if err != nil {
		return fmt.Errorf("cannot move the new site into %s: %w", s.Dest, err)
	}
	if err := removeAll(p.gone); err != nil {
		return fmt.Errorf("cannot remove a file of the previous site: %w", err)
	}
	return removeTree(s.Dir) // by now only folders emptied by the moves
}

// commitPlan is what updating the destination in place takes, found by reading its folders.
type commitPlan struct {
	present  map[string]bool // the new site's folders the destination holds as real folders, "." included
	inTheWay []string        // full paths: a file or link where a folder goes, a folder where a file goes
	gone     []string        // full paths of what the new site does not hold
	chmod    []string        // full paths of kept folders with other permissions than a new folder's
}

// plan reads every folder of the destination the new site keeps, a level of folders at a time, each
// level's side by side (a rebuild of a large site lists thousands of page folders, and the kernel serves
// the listings in parallel). It never follows a symbolic link: entries are typed as the folder lists
// them, and only real folders are opened.
func (s *Staging) plan() (commitPlan, error) {
	p := commitPlan{present: map[string]bool{".": true}}
	level := []string{"."}
	for len(level) > 0 {
		lists := make([][]fs.DirEntry, len(level))
		err := inParallel(len(level), func(i int) (err error) {
			lists[i], err = readDir(filepath.Join(s.Dest, filepath.FromSlash(level[i])))
			return err
		})
		if err != nil {
			return p, fmt.Errorf("cannot update %s: %w", s.Dest, err)
		}
		var next []string
		for i, d := range level {
			dir := filepath.Join(s.Dest, filepath.FromSlash(d))
			for _, e := range lists[i] {
				rel, full := path.Join(d, e.Name()), filepath.Join(dir, e.Name())
				switch s.entries[rel] {
				case entryNone:
					p.gone = append(p.gone, full)
				case entryDir:
					if !e.IsDir() {
						p.inTheWay = append(p.inTheWay, full)
						continue
					}
					p.present[rel] = true
					next = append(next, rel)
					mode, ok := s.destDir[rel]
					if !ok {
						if info, err := e.Info(); err == nil {
							mode = info.Mode()
						}
					}
					if mode.Perm() != s.dirPerm {
						p.chmod = append(p.chmod, full)
					}
				case entryWritten:
					if e.IsDir() { // a rename replaces a file or a link, not a folder
						p.inTheWay = append(p.inTheWay, full)
					}
				}
			}
		}
		level = next
	}
	return p, nil
}

// removeTree deletes a folder with several goroutines. Removing the previous site is pure file-system
// work (thousands of unlink calls), and done serially it took a quarter of a large build's wall time.
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
	if err := removeAll(append(pieces, level...)); err != nil {
		return err
	}
	for i := len(opened) - 1; i >= 0; i-- {
		if err := os.Remove(opened[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// removeAll removes every path, folders with what they hold, with several goroutines. A symbolic link
// is removed as a link.
func removeAll(paths []string) error {
	return inParallel(len(paths), func(i int) error { return os.RemoveAll(paths[i]) })
}

// inParallel runs fn(0) ... fn(n-1) on eight goroutines and returns the error of the lowest i that
// failed, the same however the goroutines were scheduled. The work is system calls on many page
// folders, which the kernel serves side by side (eight is what removing the previous site was measured
// with).
func inParallel(n int, fn func(i int) error) error {
	work := make(chan int)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for range min(8, n) {
		wg.Go(func() {
			for i := range work {
				errs[i] = fn(i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
