package cmd

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// spinner shows that pqentra is waiting (for a sign-in in the browser) on
// stderr. Only on a terminal: piped stderr gets the plain lines alone, with
// no carriage returns or escape sequences.
type spinner struct {
	w    io.Writer
	tty  bool
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Start shows label with a turning wheel until Stop. A second Start
// replaces the first.
func (s *spinner) Start(label string) {
	if !s.tty {
		return
	}
	s.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	stop, done := make(chan struct{}), make(chan struct{})
	s.stop, s.done = stop, done
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(s.w, "\r%s %s", spinnerFrames[i%len(spinnerFrames)], label)
			select {
			case <-stop:
				fmt.Fprint(s.w, "\r\x1b[K") // clear the line
				return
			case <-t.C:
			}
		}
	}()
}

// Stop removes the spinner line; it is safe to call when none runs.
func (s *spinner) Stop() {
	s.mu.Lock()
	stop, done := s.stop, s.done
	s.stop, s.done = nil, nil
	s.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}
