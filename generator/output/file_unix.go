//go:build unix

package output

import (
	"bytes"
	"io"
	"io/fs"
	"syscall"
)

// The staging writers read or write every file of a site once per build, thousands of small files, so
// each is done with the fewest system calls: an os.File costs, on Linux, two fcntl calls to make the
// descriptor non-blocking, an epoll_ctl that fails for a regular file, two more fcntl calls to make it
// blocking again, and a finalizer; on a da rebuild that was 6 of the 10 calls spent per file compared.
// These take the descriptor as the kernel gives it.

// sameFile reports whether full is a regular file with exactly the permissions perm (no set-id or sticky
// bit either) that holds exactly data. It is looked at with lstat before it is opened, so that nothing
// but a regular file is ever opened (a device or a FIFO could block or act on open), and opened without
// following a symbolic link (one put there meanwhile fails the open). Four system calls: lstat, open,
// one read per 64 KiB, close.
func sameFile(full string, perm fs.FileMode, data []byte) bool {
	var st syscall.Stat_t
	if ignoringEINTR(func() error { return syscall.Lstat(full, &st) }) != nil ||
		uint32(st.Mode)&(syscall.S_IFMT|0o7777) != syscall.S_IFREG|uint32(perm) || st.Size != int64(len(data)) {
		return false
	}
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
		return err
	})
	if err != nil {
		return false
	}
	defer syscall.Close(fd)
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	buf := *bp
	for {
		// Ask for one byte more than is left: a file that grew since lstat shows it in the same read, and
		// a read that returns less than asked has met the end of the file, so no read is spent on
		// finding that out.
		n := min(len(buf), len(data)+1)
		var got int
		err := ignoringEINTR(func() (err error) {
			got, err = syscall.Read(fd, buf[:n])
			return err
		})
		switch {
		case err != nil || got > len(data) || !bytes.Equal(buf[:got], data[:got]):
			return false
		case got == 0:
			return len(data) == 0
		}
		data = data[got:]
		if len(data) == 0 && got < n {
			return true
		}
	}
}

// writeFile writes data to the file full, made with the permissions 0644 (less the umask) or truncated,
// as os.WriteFile does. Its error is the cause alone, without the path (the staging folder's
// name means nothing to the user).
func writeFile(full string, data []byte) error {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = syscall.Open(full, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
		return err
	})
	if err != nil {
		return err
	}
	for len(data) > 0 {
		var n int
		err = ignoringEINTR(func() (err error) {
			n, err = syscall.Write(fd, data)
			return err
		})
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			break
		}
		data = data[n:]
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	return err
}

// ignoringEINTR calls fn again for as long as a signal interrupts it.
func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != syscall.EINTR {
			return err
		}
	}
}
