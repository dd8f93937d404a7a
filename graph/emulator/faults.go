package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

// Fault injection: throttling (ThrottleEvery), FailNext (answer with an
// error without applying) and DropResponse (apply, then kill the
// connection so the client never learns the outcome).

type fault struct {
	match         func(*http.Request) bool
	status        int
	code, message string
	times         int
}

type drop struct {
	match func(*http.Request) bool
	times int
}

// FailNext answers the next `times` Graph requests matching match with a
// Graph error (status, code, message), without applying them.
func (s *Server) FailNext(match func(r *http.Request) bool, status int, code, message string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{match: match, status: status, code: code, message: message, times: times})
}

// DropResponse applies the next `times` Graph requests matching match and
// then closes the connection without answering (the client sees EOF), as
// when a response is lost in transit.
func (s *Server) DropResponse(match func(r *http.Request) bool, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drops = append(s.drops, &drop{match: match, times: times})
}

// MatchWrite matches requests with the given method (any write method when
// empty) whose decoded path contains pathContains.
func MatchWrite(method, pathContains string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		if method != "" && !strings.EqualFold(r.Method, method) {
			return false
		}
		if method == "" && r.Method == http.MethodGet {
			return false
		}
		return strings.Contains(r.URL.Path, pathContains) || strings.Contains(r.URL.EscapedPath(), pathContains)
	}
}

// takeFault consumes and returns the first armed fault matching r.
func (s *Server) takeFault(r *http.Request) *fault {
	for _, f := range s.faults {
		if f.times > 0 && f.match(r) {
			f.times--
			return f
		}
	}
	return nil
}

func (s *Server) takeDrop(r *http.Request) bool {
	for _, d := range s.drops {
		if d.times > 0 && d.match(r) {
			d.times--
			return true
		}
	}
	return false
}

// throttleError is the injected 429, with Retry-After like Graph's.
func (s *Server) throttleError() *graphError {
	e := newGraphError(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
	e.header = map[string]string{"Retry-After": strconv.Itoa(s.opts.RetryAfter)}
	return e
}

// bufferedWriter collects a response that will never be sent (DropResponse).
type bufferedWriter struct {
	h      http.Header
	status int
}

func (b *bufferedWriter) Header() http.Header { return b.h }
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return len(p), nil
}
