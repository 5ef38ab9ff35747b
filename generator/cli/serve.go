package cli

import (
	"fmt"
	"io"
)

// runServe is replaced by the dev server once it lands.
func runServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "lectern serve: not available in this build yet")
	return ExitUsage
}
