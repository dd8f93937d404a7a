package emulator

import (
	"net/http"
	"time"
)

// Slow answers: Options.Latency delays every Graph answer, DelayNext the
// next matching ones. The wait comes before the request is applied, as
// with a slow or stalled service: a client that gives up during the wait
// has changed nothing.

type delay struct {
	match func(*http.Request) bool
	d     time.Duration
	times int
}

// DelayNext makes the next `times` Graph requests matching match wait d
// before they are handled. A d longer than the client waits is a stall: the
// client times out and the request is never applied.
func (s *Server) DelayNext(match func(r *http.Request) bool, d time.Duration, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delays = append(s.delays, &delay{match: match, d: d, times: times})
}

// takeDelay consumes the first armed delay matching r and returns how long
// r waits in all (Options.Latency included). s.mu is held.
func (s *Server) takeDelay(r *http.Request) time.Duration {
	d := s.opts.Latency
	for _, x := range s.delays {
		if x.times > 0 && x.match(r) {
			x.times--
			d += x.d
			break
		}
	}
	return d
}

// wait sleeps d, or until the client hangs up. It reports whether the
// client is still there.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
