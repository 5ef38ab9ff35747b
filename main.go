// Command lectern turns a folder of markdown study notes into a fast, searchable, printable website.
// See README.md, or run `lectern help`.
package main

import (
	"os"

	"github.com/lectern/lectern/generator/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
