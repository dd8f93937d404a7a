package cmd

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestSignInSpinnerOnlyOnATerminal(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var out syncBuf
		ev := newCLISignIn(&out, tty, false).events()
		ev.OnBrowser("https://login.example/authorize?x=1")
		// No wait needed: a spinner draws its first frame before it looks
		// at its stop channel, and OnWaitEnd waits for it to finish.
		ev.OnWaitEnd()
		got := out.String()
		if !strings.Contains(got, "https://login.example/authorize?x=1\n") {
			t.Fatalf("tty=%v: URL not printed: %q", tty, got)
		}
		hasSpinner := strings.Contains(got, "Waiting for the browser sign-in") && strings.Contains(got, "\r\x1b[K")
		if hasSpinner != tty {
			t.Errorf("tty=%v: spinner shown=%v: %q", tty, hasSpinner, got)
		}
		if !tty && strings.ContainsAny(got, "\r\x1b") {
			t.Errorf("piped stderr got control characters: %q", got)
		}
		// after the wait ends nothing more is written
		n := len(out.String())
		time.Sleep(150 * time.Millisecond)
		if len(out.String()) != n {
			t.Errorf("tty=%v: spinner still writing after it stopped", tty)
		}
	}
	var out syncBuf
	newCLISignIn(&out, false, false).events().OnDeviceCode(graph.DeviceCode{UserCode: "ABC", VerificationURL: "https://microsoft.com/devicelogin"})
	if !strings.Contains(out.String(), "enter the code ABC") {
		t.Fatal(out.String())
	}
}
