// Package hostile is a broken or hostile endpoint for tests: an HTTPS
// proxy in front of the emulator that answers as the emulator does, except
// where a test tells it to lie — redirect to plain http or to another
// port, put nulls into collections, change types, send ids that are not
// GUIDs or an object other than the one asked for, send a huge body, or
// ask to wait for days (Retry-After). Sinks are places a token must never
// reach: they record whatever arrives.
//
// The proxy rewrites the emulator's own address in every answer to its
// own, so a client pointed at the proxy (--authority-host and
// --graph-endpoint) never learns the emulator's address. Its certificate
// (httptest's) is trusted through CAPEM; sinks present the same one, so a
// client that followed a redirect to a sink would reach it and send what
// it carries.
package hostile

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/pqentra/pqentra/graph/emulator"
)

// Rule changes the answer to the requests it matches. Respond answers
// instead of the emulator; Rewrite changes the emulator's answer body.
// Times > 0 limits how many requests it applies to.
type Rule struct {
	Match   func(r *http.Request) bool
	Respond func(w http.ResponseWriter, r *http.Request)
	Rewrite func(body []byte) []byte
	Times   int
	used    int
}

// Seen is one request the proxy received.
type Seen struct {
	Method, Path  string
	Authorization bool // it carried an Authorization header
}

// Proxy is the hostile endpoint.
type Proxy struct {
	URL   string
	CAPEM []byte // trust this (SSL_CERT_FILE) to reach the proxy and the sinks

	emu    *emulator.Server
	srv    *httptest.Server
	client *http.Client

	mu    sync.Mutex
	rules []*Rule
	seen  []Seen
}

// Start starts a proxy in front of emu.
func Start(emu *emulator.Server) *Proxy {
	p := &Proxy{emu: emu, client: emu.Client()}
	p.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	p.srv = httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	p.srv.EnableHTTP2 = false
	p.srv.StartTLS()
	p.URL = p.srv.URL
	p.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	return p
}

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }

// Add installs a rule; rules are tried in order.
func (p *Proxy) Add(r Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &r)
}

// Seen lists the requests received so far.
func (p *Proxy) Seen() []Seen {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Seen(nil), p.seen...)
}

func (p *Proxy) rule(r *http.Request) *Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, Seen{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization") != ""})
	for _, ru := range p.rules {
		if (ru.Times == 0 || ru.used < ru.Times) && ru.Match(r) {
			ru.used++
			return ru
		}
	}
	return nil
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	ru := p.rule(r)
	if ru != nil && ru.Respond != nil {
		ru.Respond(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.emu.URL()+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out.Header = r.Header.Clone()
	resp, err := p.client.Do(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	data = bytes.ReplaceAll(data, []byte(p.emu.URL()), []byte(p.URL))
	if ru != nil && ru.Rewrite != nil {
		data = ru.Rewrite(data)
	}
	for k, vs := range resp.Header {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, strings.ReplaceAll(v, p.emu.URL(), p.URL))
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(data)
}

// Path matches requests whose path contains s (and whose method is
// method, unless it is "").
func Path(method, s string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return (method == "" || r.Method == method) && strings.Contains(r.URL.Path, s)
	}
}

// EditJSON rewrites a JSON object answer with edit.
func EditJSON(edit func(v map[string]any)) func([]byte) []byte {
	return func(b []byte) []byte {
		var v map[string]any
		if json.Unmarshal(b, &v) != nil {
			return b
		}
		edit(v)
		out, _ := json.Marshal(v)
		return out
	}
}

// Redirect answers status with Location: to.
func Redirect(status int, to string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", to+r.URL.RequestURI())
		w.WriteHeader(status)
	}
}

// Throttle answers 429 with this Retry-After.
func Throttle(retryAfter string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"error":{"code":"TooManyRequests","message":"Too many requests."}}`)
	}
}

// Huge answers 200 with a JSON collection of n bytes, declared in
// Content-Length or (declared false) streamed without one.
func Huge(n int, declared bool) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if declared {
			w.Header().Set("Content-Length", itoa(n))
		}
		w.WriteHeader(http.StatusOK)
		head, tail := `{"value":[`, `]}`
		_, _ = io.WriteString(w, head)
		pad := bytes.Repeat([]byte(" "), 64<<10)
		for left := n - len(head) - len(tail); left > 0; {
			k := min(left, len(pad))
			if _, err := w.Write(pad[:k]); err != nil {
				return // the client hung up: good
			}
			left -= k
		}
		_, _ = io.WriteString(w, tail)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Sink is a place a token must never go: it records what reaches it.
type Sink struct {
	URL string
	srv *httptest.Server

	mu   sync.Mutex
	seen []Seen
}

// StartSink starts a sink on a new port: plain http, or https with the
// proxy's certificate (trusted like the proxy).
func StartSink(https bool) *Sink {
	s := &Sink{}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, Seen{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization") != ""})
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"value":[]}`)
	}))
	if https {
		s.srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	s.URL = s.srv.URL
	return s
}

// Seen lists what reached the sink.
func (s *Sink) Seen() []Seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Seen(nil), s.seen...)
}

// Close stops the sink.
func (s *Sink) Close() { s.srv.Close() }
