package content

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// readNoteFile reads what os.ReadFile reads, whatever the file's size next to the buffer it starts with,
// gives only the size of a file over the limit, and fails as os.ReadFile does.
func TestReadNoteFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, n := range []int{0, 1, 2, 511, 512, 4095, 4096, 4097, 65536, 1 << 20} {
		data := bytes.Repeat([]byte("ab\n"), n/3+1)[:n]
		p := write("n.md", data)
		got, size, err := readNoteFile(p, 1<<30)
		if err != nil || !bytes.Equal(got, data) || size != int64(n) {
			t.Errorf("%d bytes: got %d bytes, size %d, %v", n, len(got), size, err)
		}
		got, size, err = readNoteFile(p, int64(n)-1)
		if n > 0 && (err != nil || got != nil || size != int64(n)) {
			t.Errorf("%d bytes over a limit of %d: got %d bytes, size %d, %v; want the size alone", n, n-1, len(got), size, err)
		}
	}
	if _, _, err := readNoteFile(filepath.Join(dir, "missing.md"), 100); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want it not to exist", err)
	}
	os.Mkdir(filepath.Join(dir, "folder.md"), 0o755)
	_, want := os.ReadFile(filepath.Join(dir, "folder.md"))
	if _, _, err := readNoteFile(filepath.Join(dir, "folder.md"), 1<<20); err == nil || err.Error() != unwrapPath(want).Error() {
		t.Errorf("folder: %v, want %v as os.ReadFile gives", err, unwrapPath(want))
	}
}
