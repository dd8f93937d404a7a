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
// telemetry, /me rewriting, retry (429/503/504 with Retry-After), redirects,
// parameter decoding, user agent, header inspection — over our transport.
// kiota's own default list comes out of a map in random order, and with its
// compression handler outside the retry handler a retried PATCH is sent with
// a body Graph cannot decode; Graph takes plain JSON, so bodies go
// uncompressed.
//
// patience, innermost, limits each attempt to timeout and says so while a
// request is slow; there is no limit on the whole call, whose retries wait
// as long as Graph's Retry-After asks.
func graphHTTPClient(extra []byte, notify func(string), timeout time.Duration, clock Clock) *http.Client {
	mw := []khttp.Middleware{
		msgraphcore.NewGraphTelemetryHandler(&msgraphcore.GraphClientOptions{}),
		khttp.NewUrlReplaceHandler(true, msgraphcore.ReplacementPairs),
		throttleRetry{clock: clock}, // kiota's RetryHandler, on graph's Clock (retry.go)
		khttp.NewRedirectHandler(),
		khttp.NewParametersNameDecodingHandler(),
		khttp.NewUserAgentHandler(),
		khttp.NewHeadersInspectionHandler(),
		throttleObserver{notify: notify},
		patience{timeout: timeout, slowAfter: slowAfterFor(timeout), notify: notify},
	}
	return &http.Client{Transport: khttp.NewCustomTransportWithParentTransport(baseTransport(extra), mw...)}
}

// plainHTTPClient is for MSAL.
func plainHTTPClient(extra []byte) *http.Client {
	return &http.Client{Transport: baseTransport(extra), Timeout: time.Minute}
}
