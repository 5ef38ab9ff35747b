//go:build unix

package content

import (
	"syscall"
)

// readNoteFile reads the file name whole, unless it holds more than limit bytes: then it returns only its
// size. A build reads every note once; an os.File costs, on Linux, a stat, two fcntl calls to make the
// descriptor non-blocking, an epoll_ctl that fails for a regular file, two more to make it blocking
// again, and a read to find the end: on 3,335 notes, 11 system calls a note where four do (open, fstat,
// one read of one byte more than the file holds, close).
func readNoteFile(name string, limit int64) (data []byte, size int64, err error) {
	var fd int
	err = ignoringEINTR(func() (err error) {
		fd, err = sysOpen(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		// A note over the limit is refused as such even when it cannot be opened (unreadable), as
		// when its size was looked at first: a stat, on this path only.
		var st syscall.Stat_t
		if ignoringEINTR(func() error { return syscall.Stat(name, &st) }) == nil && st.Size > limit {
			return nil, st.Size, nil
		}
		return nil, 0, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := ignoringEINTR(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		return nil, 0, err
	}
	if st.Size > limit {
		return nil, st.Size, nil
	}
	// One byte more than the file holds: a read that returns less than asked, once the size fstat gave
	// is read, has met the end. A file that grew meanwhile, or that reports no size, is read on, as
	// os.ReadFile does; so is a short read before that size (a network or FUSE file system may return
	// one), which os.ReadFile would read past too.
	data = make([]byte, 0, st.Size+1)
	regular := st.Mode&syscall.S_IFMT == syscall.S_IFREG
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		want := cap(data) - len(data)
		var n int
		err := ignoringEINTR(func() (err error) {
			n, err = sysRead(fd, data[len(data):cap(data)])
			return err
		})
		if err != nil {
			return nil, 0, err
		}
		data = data[:len(data)+n]
		if n == 0 || regular && n < want && int64(len(data)) >= st.Size {
			return data, int64(len(data)), nil
		}
	}
}

// sysOpen and sysRead are syscall.Open and syscall.Read; tests make them fail or return short reads.
var (
	sysOpen = syscall.Open
	sysRead = syscall.Read
)

// ignoringEINTR calls fn again for as long as a signal interrupts it.
func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != syscall.EINTR {
			return err
		}
	}
}
