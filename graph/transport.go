package graph

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strconv"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// baseTransport trusts the system roots (SSL_CERT_FILE and SSL_CERT_DIR
// work, as Go reads them) plus extraPEM, the built-in emulator's root.
func baseTransport(extraPEM []byte) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ForceAttemptHTTP2 = true
	if len(extraPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pool.AppendCertsFromPEM(extraPEM)
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return t
}

// throttleObserver sits innermost in kiota's pipeline, under its retry
// handler, so it sees every 429/503/504 and can tell the user why a call is
// taking longer.
type throttleObserver struct {
	notify func(string)
}

func (o throttleObserver) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	resp, err := p.Next(req, i)
	if err == nil && resp != nil && o.notify != nil {
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			wait := resp.Header.Get("Retry-After")
			if s, err := strconv.Atoi(wait); err == nil {
				wait = (time.Duration(s) * time.Second).String()
			}
			if wait == "" {
				wait = "a moment"
			}
			o.notify("Graph is throttling (" + strconv.Itoa(resp.StatusCode) + "); retrying after " + wait)
		}
	}
	return resp, err
}

// graphHTTPClient is msgraph-sdk-go's pipeline in a fixed order — Graph
// telemetry, /me rewriting, retry (429/503/504 with Retry-After), parameter
// decoding, user agent, header inspection — over our transport.
// kiota's own default list comes out of a map in random order, and with its
// compression handler outside the retry handler a retried PATCH is sent with
// a body Graph cannot decode; Graph takes plain JSON, so bodies go
// uncompressed.
//
// patience, innermost, limits each attempt to timeout and says so while a
// request is slow; there is no limit on the whole call, whose retries wait
// as long as Graph's Retry-After asks.
//
// Under it all, originGuard sends only to graphRoot's origin over https,
// refuses every redirect and bounds each answer (transport_guard.go).
func graphHTTPClient(graphRoot string, extra []byte, notify func(string), timeout time.Duration, clock Clock) *http.Client {
	mw := []khttp.Middleware{
		msgraphcore.NewGraphTelemetryHandler(&msgraphcore.GraphClientOptions{}),
		khttp.NewUrlReplaceHandler(true, msgraphcore.ReplacementPairs),
		throttleRetry{clock: clock}, // kiota's RetryHandler, on graph's Clock (retry.go)
		// No redirect handler: a 3xx is an error (transport_guard.go).
		khttp.NewParametersNameDecodingHandler(),
		khttp.NewUserAgentHandler(),
		khttp.NewHeadersInspectionHandler(),
		throttleObserver{notify: notify},
		patience{timeout: timeout, slowAfter: slowAfterFor(timeout), notify: notify},
	}
	guard := newOriginGuard(baseTransport(extra), "Microsoft Graph ("+graphRoot+")", graphRoot)
	guard.checkJSON = true
	return &http.Client{Transport: khttp.NewCustomTransportWithParentTransport(guard, mw...), CheckRedirect: noRedirects}
}

// plainHTTPClient is for MSAL: https to the sign-in hosts only, no
// redirects, bounded answers.
func plainHTTPClient(extra []byte, loginRoots ...string) *http.Client {
	guard := newOriginGuard(baseTransport(extra), "the sign-in host", loginRoots...)
	return &http.Client{Transport: guard, Timeout: time.Minute, CheckRedirect: noRedirects}
}

// loginRoots are the origins sign-in may reach: the authority host, and
// for a Microsoft cloud the Microsoft login hosts (MSAL's instance
// discovery asks login.microsoftonline.com about the others).
func loginRoots(e Endpoints) []string {
	roots := []string{e.LoginHost}
	if e.Known {
		for _, c := range Clouds {
			roots = append(roots, c.LoginHost)
		}
	}
	return roots
}
