package graph

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// Transport errors (no HTTP answer) come in two kinds. Transient ones — a
// connection reset, a lost answer, a refused connection — may pass, and an
// idempotent write may be sent again. Permanent ones — the server's
// certificate is not trusted, the URL cannot work — fail the same way every
// time: retrying them only makes the user wait, so the run stops at once
// and says what to change. A request that got no answer in time is its own
// kind: not retried, explained.

// translateTransport explains an error that came without an HTTP answer.
func translateTransport(err error, uerr *url.Error, what string) *steps.Error {
	out := &steps.Error{Err: err}
	host := uerr.URL
	if u, perr := url.Parse(uerr.URL); perr == nil && u.Host != "" {
		host = u.Scheme + "://" + u.Host
	}
	var te *timeoutError
	switch {
	case errors.As(err, &te):
		out.Retryable = true // a re-run may get through; this run does not retry
		out.Message = fmt.Sprintf("could not %s: %s (%s)", what, te.Error(), host)
		out.Hint = "Graph, or the network on the way to it, is very slow right now. Nothing is half-made: run the same " +
			"command again in a few minutes. Behind a slow proxy, allow more time with PQENTRA_REQUEST_TIMEOUT (e.g. 2m)."
	case isCertificateError(err):
		out.Message = fmt.Sprintf("could not %s: the TLS certificate of %s is not trusted (%s)", what, host, tlsReason(err))
		out.Hint = "Nothing will get through until the certificate is trusted, so pqentra stopped instead of retrying. " +
			"Behind a TLS-inspecting proxy, or with a test server that has its own certificate authority, point SSL_CERT_FILE " +
			"at that authority's PEM file (or add it to the system store), then run the same command again: it picks up where it stopped."
	case isBadURL(err):
		out.Message = fmt.Sprintf("could not %s: %s cannot be reached as given (%s)", what, host, steps.Clean(unwrapURLError(uerr)))
		out.Hint = "Check --graph-endpoint / PQENTRA_GRAPH_ENDPOINT and --cloud."
	case isUnreachable(err):
		h, why, _ := unreachable(err)
		out.Retryable = true
		out.Message = fmt.Sprintf("could not %s: cannot reach %s: %s", what, h, why)
		out.Hint = offlineHint(h)
	default:
		out.Retryable = true
		out.Message = fmt.Sprintf("could not %s: no answer from %s (%s)", what, uerr.URL, steps.Clean(unwrapURLError(uerr)))
		out.Hint = "Check your network or proxy. Nothing is half-made: run the same command again and it picks up where it stopped."
	}
	return out
}

// isCertificateError reports a failed TLS handshake or certificate check.
func isCertificateError(err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		alert    tls.AlertError
		rec      tls.RecordHeaderError
	)
	if errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &alert) || errors.As(err, &rec) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "x509:") || strings.Contains(msg, "tls: ")
}

// tlsReason is the x509/tls part of the message, on one line.
func tlsReason(err error) string {
	msg := err.Error()
	for _, p := range []string{"x509:", "tls:"} {
		if i := strings.Index(msg, p); i >= 0 {
			return steps.Clean(firstLine(msg[i:]))
		}
	}
	return steps.Clean(firstLine(msg))
}

// isBadURL reports a request that could never be sent as addressed.
func isBadURL(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid URL") ||
		strings.Contains(msg, "missing protocol scheme")
}

// isTimeout reports a request that ran out of time (timeoutError).
func isTimeout(err error) bool {
	var te *timeoutError
	return errors.As(err, &te)
}
