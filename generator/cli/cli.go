// Package cli is Lectern's command line: it parses arguments, runs the pipeline or the dev server, and
// turns results into messages and exit statuses (0 success, 1 build errors, 2 usage errors).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/lectern/lectern/generator/diag"
	"github.com/lectern/lectern/generator/site"
)

// Version is set at link time (-ldflags "-X github.com/lectern/lectern/generator/cli.Version=v1.2.3").
var Version = "dev"

// Exit statuses.
const (
	ExitOK    = 0
	ExitBuild = 1
	ExitUsage = 2
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build the site into public/", runBuild},
		{"serve", "build, serve and live-reload the site while you edit", runServe},
		{"new", "create a new site, ready to publish to GitHub Pages", runNew},
		{"version", "print the version", func(_ []string, stdout, _ io.Writer) int {
			fmt.Fprintf(stdout, "lectern %s\n", Version)
			return ExitOK
		}},
		{"help", "show this help, or a command's help (lectern help build)", nil},
	}
}

// Main runs the command line and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		usage(stdout)
		return ExitOK
	}
	if name == "help" {
		if len(args) > 1 {
			return Main([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "lectern: unknown command %q\n\n", name)
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Lectern turns a folder of markdown notes into a fast, searchable, printable website.")
	fmt.Fprintln(w, "\nUsage: lectern <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'lectern <command> --help' for a command's flags.")
}

// newFlagSet makes a flag set that prints its usage on -h and reports errors without exiting.
func newFlagSet(name, synopsis string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parseFlags prints usage and errors itself, once
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: lectern %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, returning (exit status, done) when parsing ended the command.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (int, bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return ExitOK, true
	}
	if err != nil {
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, "lectern %s: %v\n", fs.Name(), err)
		fs.Usage()
		return ExitUsage, true
	}
	if fs.NArg() > 0 {
		fs.SetOutput(stderr)
		fmt.Fprintf(stderr, "lectern %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return ExitUsage, true
	}
	return 0, false
}

// buildFlags are the flags build and serve share.
type buildFlags struct {
	source, destination, baseURL string
	drafts, strict, quiet        bool
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("build", "build [flags]", stdout, stderr)
	var f buildFlags
	fs.StringVar(&f.source, "source", ".", "site root: the folder holding content/ (and optionally lectern.yaml, themes/)")
	fs.StringVar(&f.destination, "destination", "", "output folder (default SOURCE/public)")
	fs.StringVar(&f.baseURL, "base-url", "", "absolute URL the site is published at, e.g. https://user.github.io/notes/ (overrides lectern.yaml)")
	fs.BoolVar(&f.drafts, "drafts", false, "include notes marked draft: true")
	fs.BoolVar(&f.strict, "strict", false, "treat warnings (broken links, unknown callouts, ...) as errors")
	fs.BoolVar(&f.quiet, "quiet", false, "print only warnings and errors")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		defer budgetGC()()
	}
	stop := startProfile()
	res, err := site.Build(site.Options{Root: f.source, Dest: f.destination, BaseURL: f.baseURL, Drafts: f.drafts, Strict: f.strict})
	stop()
	return report(res, err, f.strict, f.quiet, stdout, stderr)
}

// report prints diagnostics and the summary, and picks the exit status.
func report(res *site.Result, err error, strict, quiet bool, stdout, stderr io.Writer) int {
	if res != nil {
		for _, d := range res.Diagnostics {
			if d.Severity == diag.Warning && !strict {
				fmt.Fprintln(stderr, d.Error())
			}
		}
	}
	if err != nil {
		var be *site.BuildError
		if errors.As(err, &be) {
			n := 0
			for _, d := range be.Diagnostics {
				if d.Severity == diag.Error || strict {
					msg := d.Error()
					if d.Severity == diag.Warning {
						msg = strings.Replace(msg, "warning: ", "", 1)
					}
					fmt.Fprintln(stderr, msg)
					n++
				}
			}
			fmt.Fprintf(stderr, "build failed: %d error%s; the previous public/ was left as it was\n", n, plural(n))
		} else {
			fmt.Fprintf(stderr, "build failed: %v\nthe previous public/ was left as it was\n", err)
		}
		return ExitBuild
	}
	if !quiet {
		fmt.Fprintln(stdout, Summary(res))
	}
	return ExitOK
}

// Summary is the line printed after a build: pages, files, bytes and the time each stage took.
func Summary(res *site.Result) string {
	var total time.Duration
	var parts []string
	for _, s := range res.Stages {
		total += s.Took
		parts = append(parts, fmt.Sprintf("%s %s", s.Name, round(s.Took)))
	}
	return fmt.Sprintf("built %d pages, %d files, %s in %s (%s)", res.Pages, res.Files, size(res.Bytes), round(total), strings.Join(parts, ", "))
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
