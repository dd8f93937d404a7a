package cmd

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// systemBrowser is the real machine's opener.
func systemBrowser() func(string) error {
	return browserOpener(runtime.GOOS, os.Getenv, exec.LookPath, startDetached)
}

// browserOpener picks how to open a URL, in the manner of GitHub CLI:
// $BROWSER first (a command, possibly with arguments, that gets the URL as
// its last argument), else the system's opener for goos. It returns nil
// when there is no way (a Linux box without a display): callers always
// print the URL too. The parts that differ per OS are all here, so one
// test covers every OS from any OS.
func browserOpener(goos string, getenv func(string) string, lookPath func(string) (string, error), start func(name string, args ...string) error) func(string) error {
	if b := strings.TrimSpace(getenv("BROWSER")); b != "" {
		argv := strings.Fields(b)
		return func(u string) error { return start(argv[0], append(argv[1:], u)...) }
	}
	var name string
	var args []string
	switch goos {
	case "darwin":
		name = "open"
	case "windows":
		// Not "cmd /c start": cmd.exe would read & in the URL as a command separator.
		name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
	default: // linux, the BSDs
		if getenv("WSL_DISTRO_NAME") != "" {
			if _, err := lookPath("wslview"); err == nil {
				name = "wslview"
				break
			}
		}
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return nil
		}
		name = "xdg-open"
	}
	if _, err := lookPath(name); err != nil {
		return nil
	}
	return func(u string) error { return start(name, append(args, u)...) }
}

// startDetached starts a program and reaps it in the background: a browser
// that keeps running (or a $BROWSER that waits for the page) must not hold
// up the sign-in or Ctrl-C.
func startDetached(name string, args ...string) error {
	c := exec.Command(name, args...)
	if err := c.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return errors.New(name + " was not found")
		}
		return err
	}
	go func() { _ = c.Wait() }()
	return nil
}
