// Command fakebrowser is the tests' stand-in for $BROWSER: it gets the
// sign-in URL as its argument, like a real browser, and signs in through
// the emulator's pages (press Continue, submit the form_post to pqentra's
// loopback listener). It trusts the emulator through SSL_CERT_FILE.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: fakebrowser URL")
		os.Exit(2)
	}
	if f := os.Getenv("FAKEBROWSER_OPENED"); f != "" {
		// Say that a browser was started, never with the URL (it is not
		// secret, but the test checks that nothing leaks anywhere).
		_ = os.WriteFile(f, []byte("opened\n"), 0o600)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := emulator.Browse(ctx, &http.Client{}, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "fakebrowser:", err)
		os.Exit(1)
	}
}
