//go:build unix

package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// TestSameFile: a file is the same only when it is a regular file with exactly the permissions asked for
// and exactly the bytes, whatever its size against the 64 KiB it is read in; anything else, a link, a
// FIFO (which must not block the open) or a folder, is not, and is never read through.
func TestSameFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	data := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	chunk := len(*readBufs.Get().(*[]byte))
	var perm fs.FileMode
	{
		probe := filepath.Join(dir, "probe")
		if err := os.WriteFile(probe, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		st, err := os.Lstat(probe)
		if err != nil {
			t.Fatal(err)
		}
		perm = st.Mode().Perm()
	}
	n := 0
	file := func(b []byte) string {
		t.Helper()
		n++
		p := filepath.Join(dir, fmt.Sprint("f", n))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, size := range []int{0, 1, 100, chunk - 1, chunk, chunk + 1, 2 * chunk, 3*chunk + 17} {
		b := data(size)
		p := file(b)
		if !sameFile(p, perm, b) {
			t.Errorf("%d bytes: not the same as itself", size)
		}
		if size > 0 {
			for _, at := range []int{0, size / 2, size - 1} {
				other := bytes.Clone(b)
				other[at]++
				if sameFile(p, perm, other) {
					t.Errorf("%d bytes: the same as bytes that differ at %d", size, at)
				}
			}
			if sameFile(p, perm, b[:size-1]) {
				t.Errorf("%d bytes: the same as its first %d", size, size-1)
			}
		}
		if sameFile(p, perm, append(bytes.Clone(b), 'x')) {
			t.Errorf("%d bytes: the same as itself and one byte more", size)
		}
		if sameFile(p, perm|0o100, b) {
			t.Errorf("%d bytes: the same with other permissions", size)
		}
	}

	b := data(1000)
	p := file(b)
	if err := os.Chmod(p, perm|fs.ModeSetuid); err == nil {
		if st, _ := os.Lstat(p); st.Mode()&fs.ModeSetuid != 0 && sameFile(p, perm, b) {
			t.Error("a set-user-id file is the same as a plain one")
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(file(b), link); err == nil && sameFile(link, perm, b) {
		t.Error("a link to the same bytes is the same")
	}
	if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, "dangling")); err == nil &&
		sameFile(filepath.Join(dir, "dangling"), perm, nil) {
		t.Error("a dangling link is the same as an empty file")
	}
	if sameFile(dir, perm, nil) || sameFile(filepath.Join(dir, "missing"), perm, nil) {
		t.Error("a folder, or nothing, is the same as an empty file")
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err == nil {
		if sameFile(fifo, perm, nil) {
			t.Error("a FIFO is the same as an empty file")
		}
	}
}

// TestWriteFile: writeFile makes the file with a new file's permissions, replaces what an earlier write
// put there whole, and fails with the bare cause.
func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "a.html")
	big := bytes.Repeat([]byte("0123456789"), 100_000)
	for _, b := range [][]byte{big, []byte("short"), nil} {
		if err := writeFile(p, b); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, b) {
			t.Fatalf("after writing %d bytes: read %d, %v", len(b), len(got), err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "ref"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	want, _ := os.Lstat(filepath.Join(dir, "ref"))
	if got, _ := os.Lstat(p); got.Mode() != want.Mode() {
		t.Errorf("mode %v, want %v as os.WriteFile gives", got.Mode(), want.Mode())
	}
	err := writeFile(filepath.Join(dir, "missing", "a.html"), nil)
	if err == nil || err.Error() != syscall.ENOENT.Error() {
		t.Errorf("writing into a missing folder: %v, want the bare cause (%v)", err, syscall.ENOENT)
	}
}

// TestReadDir: readDir lists what os.ReadDir lists, with the same types, in any order, for a folder of
// every kind of entry and one too large for a single read of the kernel's entries.
func TestReadDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "file.html"), "x")
	mkdir(t, filepath.Join(dir, "folder"))
	symlink(t, "folder", filepath.Join(dir, "link"))
	syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644)
	big := filepath.Join(dir, "folder")
	for i := range 600 {
		write(t, filepath.Join(big, fmt.Sprintf("%03d-%s.html", i, strings.Repeat("n", 40))), "")
	}
	for _, d := range []string{dir, big} {
		got, err := readDir(d)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadDir(d)
		if err != nil {
			t.Fatal(err)
		}
		list := func(es []fs.DirEntry) []string {
			var out []string
			for _, e := range es {
				info, err := e.Info()
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprintf("%s dir=%v link=%v %v", e.Name(), e.IsDir(), e.Type()&fs.ModeSymlink != 0, info.Mode()))
			}
			sort.Strings(out)
			return out
		}
		if g, w := list(got), list(want); !slices.Equal(g, w) {
			t.Errorf("readDir(%s)\n  %q\nos.ReadDir\n  %q", d, g, w)
		}
	}
	if _, err := readDir(filepath.Join(dir, "link")); err == nil {
		t.Error("readDir followed a symbolic link")
	}
	if _, err := readDir(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("readDir of a missing folder: %v", err)
	}
}
