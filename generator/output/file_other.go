//go:build !unix

package output

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
)

// sameFile reports whether full is a regular file with exactly the permissions perm that holds exactly
// data; it is looked at with Lstat before it is opened, so a symbolic link is never read through.
func sameFile(full string, perm fs.FileMode, data []byte) bool {
	st, err := os.Lstat(full)
	if err != nil || st.Mode() != perm || st.Size() != int64(len(data)) {
		return false // st.Mode() holds the type too: a link, a folder or a device differs from any perm
	}
	f, err := os.Open(full)
	if err != nil {
		return false
	}
	defer f.Close()
	return sameBytes(f, data)
}

// sameBytes reports whether r holds exactly data.
func sameBytes(r io.Reader, data []byte) bool {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	buf := *bp
	for len(data) > 0 {
		n := min(len(buf), len(data))
		if _, err := io.ReadFull(r, buf[:n]); err != nil || !bytes.Equal(buf[:n], data[:n]) {
			return false
		}
		data = data[n:]
	}
	n, _ := r.Read(buf[:1])
	return n == 0 // and the file has not grown since it was measured
}

// writeFile writes data to the file full, made with the permissions 0644 or truncated. Its error is the
// cause alone, without the path (the staging folder's name means nothing to the user).
func writeFile(full string, data []byte) error {
	err := os.WriteFile(full, data, 0o644)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err
}
