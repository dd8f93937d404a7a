package graph

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Tokens go only where they were issued for. Graph never redirects, and the
// sign-in endpoints pqentra calls do not either, so no redirect is followed
// at all: a 3xx is an error naming its Location (Go's client would follow
// one to http:// or to another port with the Authorization header, since it
// compares host names only). And no request leaves for any origin — scheme,
// host and port — but the one configured: Graph's root for the Graph
// client, the authority host (and, for a Microsoft cloud, Microsoft's
// login hosts MSAL asks about it) for sign-in. Answers are read up to
// maxAnswerBytes: Graph's largest page of applications is far smaller, and
// a bigger answer is a broken or hostile endpoint, not data.

// maxAnswerBytes bounds one answer's body.
const maxAnswerBytes = 16 << 20

// originGuard wraps the transport every pqentra HTTP client sends through.
type originGuard struct {
	base    http.RoundTripper
	allowed map[string]bool // origins, "https://host:port", lower case
	what    string          // "Microsoft Graph", "the sign-in host"
	// checkJSON holds Graph's answers to Graph's shape (shape.go).
	checkJSON bool
}

// newOriginGuard allows the origins of roots (https URLs).
func newOriginGuard(base http.RoundTripper, what string, roots ...string) originGuard {
	g := originGuard{base: base, allowed: map[string]bool{}, what: what}
	for _, r := range roots {
		if u, err := url.Parse(r); err == nil && u.Scheme == "https" {
			g.allowed[origin(u)] = true
		}
	}
	return g
}

// origin is scheme://host:port with the default port made explicit.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// allows reports whether a request to u may be sent (with its token).
func (g originGuard) allows(u *url.URL) bool {
	return u != nil && strings.EqualFold(u.Scheme, "https") && g.allowed[origin(u)]
}

// OffOriginError refuses a request to an origin pqentra was not set up for.
type OffOriginError struct {
	URL  string // without query
	What string
}

func (e *OffOriginError) Error() string {
	return fmt.Sprintf("refused to send a request to %s: only https to %s as configured is allowed", e.URL, e.What)
}

// RedirectError is a 3xx answer: never followed.
type RedirectError struct {
	Status   int
	Location string
}

func (e *RedirectError) Error() string {
	loc := e.Location
	if loc == "" {
		loc = "(no Location)"
	}
	return fmt.Sprintf("the server answered %d, a redirect to %s, which pqentra never follows (Graph and the sign-in endpoints do not redirect; a proxy or endpoint that does is not trusted with your token)",
		e.Status, cleanURL(loc))
}

// TooLargeError is an answer over maxAnswerBytes.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the answer is larger than %d MiB, far more than Graph ever sends for this request; pqentra stopped reading it", e.Limit>>20)
}

func (g originGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if !g.allows(req.URL) {
		return nil, &OffOriginError{URL: cleanURL(req.URL.Scheme + "://" + req.URL.Host + req.URL.EscapedPath()), What: g.what}
	}
	resp, err := g.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 && resp.StatusCode != http.StatusNotModified {
		_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
		_ = resp.Body.Close()
		return nil, &RedirectError{Status: resp.StatusCode, Location: resp.Header.Get("Location")}
	}
	if resp.ContentLength > maxAnswerBytes {
		_ = resp.Body.Close()
		return nil, &TooLargeError{Limit: maxAnswerBytes}
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: maxAnswerBytes}
	if g.checkJSON {
		if err := checkAnswer(req, resp); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// limitedBody fails a read past the limit instead of handing out more.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte means the answer is over the limit.
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, &TooLargeError{Limit: maxAnswerBytes}
		}
		return b.ReadCloser.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// noRedirects keeps net/http from following a redirect itself (the guard
// refuses it first; this is the second lock).
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// cleanURL is a URL for a message: no query (it may carry codes), no
// control characters, not overlong.
func cleanURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		u.RawQuery, u.Fragment, u.User = "", "", nil
		raw = u.String()
	}
	raw = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, raw)
	if len(raw) > 200 {
		raw = raw[:200] + "…"
	}
	return raw
}

// guardHint follows every guard refusal.
const guardHint = "Graph never answers like this: check --graph-endpoint / PQENTRA_GRAPH_ENDPOINT, --authority-host and any proxy " +
	"in between. pqentra talks only https to the hosts it was given, sent nothing elsewhere, and planned nothing from this answer."

// guardErrorMessage explains a guard refusal for what ("read the
// application …"), or "" when err is none of them.
func guardErrorMessage(err error, what string) string {
	var off *OffOriginError
	var redir *RedirectError
	var large *TooLargeError
	var data *DataError
	switch {
	case errors.As(err, &data):
		return "could not " + what + ": " + data.Error()
	case errors.As(err, &off):
		return "could not " + what + ": " + off.Error()
	case errors.As(err, &redir):
		return "could not " + what + ": " + redir.Error()
	case errors.As(err, &large):
		return "could not " + what + ": " + large.Error()
	}
	return ""
}
