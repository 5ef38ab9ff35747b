package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/lectern/lectern/generator/scaffold"
)

// runNew creates a new site ready for GitHub Pages (see generator/scaffold) and says what to do next.
// Flags may come before or after the folder, as users type them either way.
func runNew(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("new", "new [flags] DIR", stdout, stderr)
	title := fs.String("title", "", "site title (default: made from the folder's name, \"exam-notes\" → \"Exam notes\")")
	var dirs []string
	for rest := args; ; {
		err := fs.Parse(rest)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return ExitOK
		}
		if err != nil {
			fs.SetOutput(stderr)
			fmt.Fprintf(stderr, "lectern new: %v\n", err)
			fs.Usage()
			return ExitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(dirs) != 1 {
		fmt.Fprintln(stderr, "lectern new: name one folder to create the site in, e.g. lectern new my-notes")
		fs.SetOutput(stderr)
		fs.Usage()
		return ExitUsage
	}
	dir := dirs[0]
	written, err := scaffold.Create(dir, scaffold.Options{Title: *title, Version: Version})
	if err != nil {
		fmt.Fprintf(stderr, "lectern new: %v\n", err)
		return ExitBuild
	}
	for _, p := range written {
		fmt.Fprintf(stdout, "created %s\n", filepath.ToSlash(p))
	}
	fmt.Fprintf(stdout, `
Next:
  cd %s
  lectern serve                 # preview at http://127.0.0.1:1313/ while you edit content/
  git init -b main && git add . && git commit -m "First notes"
  # push to a new GitHub repository, then in it: Settings → Pages → Source: GitHub Actions.
  # Every push to main publishes the site at https://USER.github.io/REPOSITORY/
`, dir)
	return ExitOK
}
