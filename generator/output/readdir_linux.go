package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"unsafe"
)

// readDir lists a folder unsorted: the order does not matter here, and sorting thousands of names for
// nothing does. Commit lists every folder of the destination, one per page, so it reads the kernel's
// entries itself: an os.File spends on Linux four fcntl calls and an epoll_ctl on every folder opened
// (see sameFile), and os.ReadDir sorts. An entry's type is the one the folder gives, as os.ReadDir's
// is; where the file system gives none, it is read with lstat. A symbolic link is never followed.
func readDir(dir string) ([]fs.DirEntry, error) {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0)
		return err
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer syscall.Close(fd)
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	var out []fs.DirEntry
	for {
		var n int
		err := ignoringEINTR(func() (err error) {
			n, err = syscall.ReadDirent(fd, buf)
			return err
		})
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return out, nil
		}
		for b := buf[:n]; len(b) > 0; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name NUL-terminated
			const nameOff = int(unsafe.Offsetof(syscall.Dirent{}.Name))
			reclen := int(*(*uint16)(unsafe.Pointer(&b[unsafe.Offsetof(syscall.Dirent{}.Reclen)])))
			if reclen < nameOff || reclen > len(b) {
				return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: syscall.EIO}
			}
			typ, name := b[unsafe.Offsetof(syscall.Dirent{}.Type)], b[nameOff:reclen]
			b = b[reclen:]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			e := &dirEntry{dir: dir, name: string(name)}
			switch typ {
			case syscall.DT_DIR:
				e.typ = fs.ModeDir
			case syscall.DT_REG:
				e.typ = 0
			case syscall.DT_LNK:
				e.typ = fs.ModeSymlink
			case syscall.DT_UNKNOWN:
				info, err := os.Lstat(filepath.Join(dir, e.name))
				if errors.Is(err, fs.ErrNotExist) {
					continue // gone meanwhile, as os.ReadDir leaves it out
				}
				if err != nil {
					return nil, err // as os.ReadDir fails: a guessed type could keep an old file
				}
				e.typ = info.Mode().Type()
			default: // a device, FIFO or socket: only its being no folder matters here
				e.typ = fs.ModeIrregular
			}
			out = append(out, e)
		}
	}
}

// direntBufs holds the buffers folders are read into.
var direntBufs = sync.Pool{New: func() any { b := make([]byte, 8<<10); return &b }}

// dirEntry is one entry of a folder as readDir reads it.
type dirEntry struct {
	dir, name string
	typ       fs.FileMode
}

func (e *dirEntry) Name() string               { return e.name }
func (e *dirEntry) IsDir() bool                { return e.typ == fs.ModeDir }
func (e *dirEntry) Type() fs.FileMode          { return e.typ }
func (e *dirEntry) Info() (fs.FileInfo, error) { return os.Lstat(filepath.Join(e.dir, e.name)) }
