package cmd

import (
	"os"
	"os/exec"
	"runtime"
)

// systemBrowser finds a way to open URLs, honouring $BROWSER.
func systemBrowser() func(string) error {
	if b := os.Getenv("BROWSER"); b != "" {
		return func(u string) error { return exec.Command(b, u).Start() }
	}
	var name string
	var args []string
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return nil
		}
		name = "xdg-open"
	}
	if _, err := exec.LookPath(name); err != nil {
		return nil
	}
	return func(u string) error { return exec.Command(name, append(args, u)...).Start() }
}
