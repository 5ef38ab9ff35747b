//go:build !linux

package output

import (
	"io/fs"
	"os"
)

// readDir lists a folder unsorted: the order does not matter here, and sorting thousands of names
// for nothing does.
func readDir(dir string) ([]fs.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}
