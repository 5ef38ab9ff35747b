//go:build unix

package content

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A read of a regular file that returns less than asked before the file's size is not its end: a
// network or FUSE file system may return one, and os.ReadFile reads on.
func TestReadNoteFileShortReads(t *testing.T) {
	p := filepath.Join(t.TempDir(), "n.md")
	data := bytes.Repeat([]byte("abcdefg\n"), 100)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(r func(int, []byte) (int, error)) { sysRead = r }(sysRead)
	sysRead = func(fd int, b []byte) (int, error) { return syscall.Read(fd, b[:min(len(b), 7)]) }
	got, size, err := readNoteFile(p, 1<<20)
	if err != nil || !bytes.Equal(got, data) || size != int64(len(data)) {
		t.Errorf("read 7 bytes at a time: got %d bytes, size %d, %v; want %d", len(got), size, err, len(data))
	}
}
