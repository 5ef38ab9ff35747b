package cli

import (
	"fmt"
	"io"
)

// runNew is replaced by the site scaffolder once it lands.
func runNew(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "lectern new: not available in this build yet")
	return ExitUsage
}
