package cli

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects a command's output while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func tinySite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "content", "index.md"), []byte("# Home\n\nHello.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

var servingURL = regexp.MustCompile(`at (http://\S+) \(Ctrl-C`)

// startServe runs `lectern serve` until the returned stop is called, and returns the URL it serves.
func startServe(t *testing.T, args ...string) (url string, stderr *lockedBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	stderr = &lockedBuffer{}
	code := make(chan int, 1)
	go func() { code <- serve(ctx, args, &out, stderr) }()
	stop = func() int { cancel(); return <-code }
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := servingURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], stderr, stop
		}
		select {
		case c := <-code:
			t.Fatalf("serve ended with %d: %s%s", c, out.String(), stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("serve did not start: %s%s", out.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServeStopsCleanly(t *testing.T) {
	t.Parallel()
	url, _, stop := startServe(t, "--source", tinySite(t), "--port", "0")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET %s: %d", url, resp.StatusCode)
	}
	if code := stop(); code != ExitOK {
		t.Errorf("exit status %d after Ctrl-C, want 0", code)
	}
	if _, err := http.Get(url); err == nil {
		t.Error("still serving after Ctrl-C")
	}
}

func TestServePortInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	root := tinySite(t)

	var out, errOut lockedBuffer
	code := serve(context.Background(), []string{"--source", root, "--port", port}, &out, &errOut)
	if code != ExitBuild || !strings.Contains(errOut.String(), "port "+port+" on 127.0.0.1 is already in use") || !strings.Contains(errOut.String(), "--next-free-port") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}

	url, _, stop := startServe(t, "--source", root, "--port", port, "--next-free-port")
	defer stop()
	if strings.Contains(url, ":"+port+"/") {
		t.Errorf("serving on the busy port: %s", url)
	}
}

func TestServeWarnsOffLoopback(t *testing.T) {
	t.Parallel()
	_, stderr, stop := startServe(t, "--source", tinySite(t), "--port", "0", "--bind", "0.0.0.0")
	defer stop()
	if !strings.Contains(stderr.String(), "warning: listening on 0.0.0.0") {
		t.Errorf("no warning: %q", stderr.String())
	}
}

func TestServeUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--help"}, ExitOK, "-next-free-port"},
		{[]string{"--no-such-flag"}, ExitUsage, "flag provided but not defined"},
		{[]string{"extra"}, ExitUsage, `unexpected argument "extra"`},
		{[]string{"--source", "/no/such/folder"}, ExitUsage, "is not a folder"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut lockedBuffer
			code := serve(context.Background(), tc.args, &out, &errOut)
			if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.out) {
				t.Errorf("exit %d, output %q; want %d containing %q", code, out.String()+errOut.String(), tc.code, tc.out)
			}
		})
	}
}
