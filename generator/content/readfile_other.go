//go:build !unix

package content

import "os"

// readNoteFile reads the file name whole, unless it holds more than limit bytes: then it returns only its
// size. Its error is the one os.ReadFile's *fs.PathError holds, as on unix: the message names the file
// already.
func readNoteFile(name string, limit int64) (data []byte, size int64, err error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, 0, unwrapPath(err)
	}
	if st.Size() > limit {
		return nil, st.Size(), nil
	}
	data, err = os.ReadFile(name)
	if err != nil {
		return nil, 0, unwrapPath(err)
	}
	return data, int64(len(data)), nil
}
