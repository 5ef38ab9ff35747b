// Package golden compares a test's output with a file under testdata/, for the golden tests next to
// the code. With -update (the test package's own flag) or LECTERN_UPDATE_GOLDEN=1 it rewrites the file
// instead, so a deliberate change is accepted by running the tests once and reviewing the diff.
package golden

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

// Updating reports whether golden files are being rewritten. The -update flag belongs to each test
// package (a flag may be defined once per binary), so it is looked up, not defined, here.
func Updating() bool {
	if os.Getenv("LECTERN_UPDATE_GOLDEN") == "1" {
		return true
	}
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Check compares got with the file at path, or rewrites the file when updating.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if Updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
