package devserver

import (
	"os/exec"
	"runtime"
)

// OpenBrowser opens url in the user's default browser (`lectern serve --open`). It does not wait for the
// browser, only for the opener command, which returns at once.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; xdg-open returns as soon as the browser is asked
	return nil
}
