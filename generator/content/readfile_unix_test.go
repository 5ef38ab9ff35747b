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

// A note over the limit that cannot be opened (unreadable) is refused for its size, as readNote did
// when it looked at the size first, and as the dev server's path (os.Stat first) still does; one under
// the limit fails with the open's error.
func TestReadNoteFileUnreadable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "n.md")
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), 100), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(o func(string, int, uint32) (int, error)) { sysOpen = o }(sysOpen)
	sysOpen = func(string, int, uint32) (int, error) { return -1, syscall.EACCES }
	if data, size, err := readNoteFile(p, 99); data != nil || size != 100 || err != nil {
		t.Errorf("unreadable, over the limit: %d bytes, size %d, %v; want the size alone", len(data), size, err)
	}
	if _, _, err := readNoteFile(p, 100); err != syscall.EACCES {
		t.Errorf("unreadable, within the limit: %v, want %v", err, syscall.EACCES)
	}
}
