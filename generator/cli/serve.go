package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/lectern/lectern/generator/devserver"
)

// runServe is `lectern serve`: build into memory, serve, watch and live-reload until Ctrl-C.
func runServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve runs the dev server until ctx ends; split from runServe so tests can stop it without a signal.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve", "serve [flags]", stdout, stderr)
	var o devserver.Options
	var noOpen bool
	fs.StringVar(&o.Root, "source", ".", "site root: the folder holding content/ (and optionally lectern.yaml, themes/)")
	fs.StringVar(&o.Bind, "bind", "127.0.0.1", "address to listen on; anything but a loopback address makes the site (drafts included) reachable from other machines")
	fs.IntVar(&o.Port, "port", devserver.DefaultPort, "port to listen on; 0 picks any free port")
	fs.BoolVar(&o.NextFreePort, "next-free-port", false, "when the port is in use, take the next free one instead of failing")
	fs.StringVar(&o.BaseURL, "base-url", "", "URL the site is published at (overrides lectern.yaml); its path, e.g. /notes/, is the path the site is served under")
	fs.BoolVar(&o.Drafts, "drafts", false, "include notes marked draft: true")
	fs.BoolVar(&o.Strict, "strict", false, "treat warnings (broken links, unknown callouts, ...) as errors, shown in the browser")
	fs.BoolVar(&o.Open, "open", false, "open the site in the default browser")
	fs.BoolVar(&noOpen, "no-open", false, "do not open a browser (the default)")
	if code, done := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if noOpen {
		o.Open = false
	}
	if st, err := os.Stat(o.Root); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "lectern serve: %s is not a folder\n", o.Root)
		return ExitUsage
	}
	o.Log, o.Errors = stdout, stderr
	if err := devserver.New(o).Run(ctx); err != nil {
		fmt.Fprintf(stderr, "lectern serve: %v\n", err)
		return ExitBuild
	}
	return ExitOK
}
