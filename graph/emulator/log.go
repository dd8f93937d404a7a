package emulator

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// LoggedRequest is one request the server received, in arrival order.
type LoggedRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte // gunzipped
	Status                 int
	Graph                  bool   // under /v1.0
	Injected               string // "", "throttle", "fault", "drop"
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// ServeHTTP reads (and gunzips) the body and hands the request to its
// tenant (tenants.go), which serves and logs it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, bodyErr := readBody(r)
	s.hub.route(r, body).serve(w, r, body, bodyErr)
}

// serve dispatches to the login or the Graph side and logs the exchange.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, body []byte, bodyErr error) {
	sw := &statusWriter{ResponseWriter: w}
	isGraph := r.URL.Path == "/v1.0" || strings.HasPrefix(r.URL.Path, "/v1.0/")

	injected := ""
	switch {
	case isGraph:
		injected = s.serveGraph(sw, r, body, bodyErr)
	default:
		s.serveLogin(sw, r, body)
	}

	entry := LoggedRequest{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
		Status:   sw.status,
		Graph:    isGraph,
		Injected: injected,
	}
	s.mu.Lock()
	s.log = append(s.log, entry)
	s.mu.Unlock()
	if injected == "drop" {
		// The write was applied; its answer is lost with the connection.
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	}
}

// readBody returns the request body, gunzipped when Content-Encoding says
// gzip (msgraph-sdk-go compresses every request body).
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))) {
	case "", "identity":
		return raw, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return raw, err
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return raw, err
		}
		return out, nil
	default:
		return raw, errUnsupportedEncoding
	}
}

type bodyError string

func (e bodyError) Error() string { return string(e) }

const errUnsupportedEncoding = bodyError("unsupported Content-Encoding")

// Log returns every request received so far, in order.
func (s *Server) Log() []LoggedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]LoggedRequest, len(s.log))
	copy(out, s.log)
	return out
}

// ResetLog forgets the request log and the read/write/injection counters.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
	s.reads, s.writes = 0, 0
	s.throttled, s.faulted, s.dropped = 0, 0, 0
}

// Counts returns how many Graph requests reached the handler (failed ones
// included): GETs are reads, POST/PATCH/DELETE writes. Injected 429s and
// FailNext faults are not counted here (see Injected); dropped responses
// are, because the request was applied.
func (s *Server) Counts() (reads, writes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads, s.writes
}

// Injected returns how many Graph requests were answered by an injected
// 429, by a FailNext fault, and how many responses were dropped.
func (s *Server) Injected() (throttled, faulted, dropped int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled, s.faulted, s.dropped
}
