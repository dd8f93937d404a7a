package graph

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	khttp "github.com/microsoft/kiota-http-go"

	"github.com/pqentra/pqentra/graph/clocktest"
)

// answers is a pipeline that answers each request with the next status
// (and Retry-After), remembering the bodies and Retry-Attempt headers sent.
type answers struct {
	statuses   []int
	retryAfter string
	bodies     []string
	attempts   []string
}

func (a *answers) Next(req *http.Request, _ int) (*http.Response, error) {
	b := ""
	if req.Body != nil {
		raw, _ := io.ReadAll(req.Body)
		b = string(raw)
	}
	a.bodies = append(a.bodies, b)
	a.attempts = append(a.attempts, req.Header.Get("Retry-Attempt"))
	st := a.statuses[0]
	if len(a.statuses) > 1 {
		a.statuses = a.statuses[1:]
	}
	h := http.Header{}
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	return &http.Response{StatusCode: st, Header: h, Body: io.NopCloser(strings.NewReader("{}"))}, nil
}

var _ khttp.Pipeline = (*answers)(nil)

func patchRequest(t *testing.T, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPatch, "https://graph.example/v1.0/applications/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = khttp.NopCloser(bytes.NewReader([]byte(body)))
	return req
}

// A 429 is sent again after exactly the Retry-After Graph asked for, on the
// client's clock, with the whole body each time.
func TestThrottleRetryWaitsRetryAfterOnTheClock(t *testing.T) {
	clock := clocktest.New()
	p := &answers{statuses: []int{429, 429, 204}, retryAfter: "7"}
	resp, err := throttleRetry{clock: clock}.Intercept(p, 0, patchRequest(t, `{"displayName":"x"}`))
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("%v %v", resp, err)
	}
	if slept, n := clock.Slept(); slept != 14*time.Second || n != 2 {
		t.Fatalf("waited %s in %d sleeps, want 2 × Retry-After 7 s", slept, n)
	}
	for i, b := range p.bodies {
		if b != `{"displayName":"x"}` {
			t.Errorf("attempt %d sent %q", i+1, b)
		}
	}
	if strings.Join(p.attempts, ",") != ",1,2" {
		t.Errorf("Retry-Attempt headers %q", p.attempts)
	}
}

// Three retries at most, then Graph's answer goes to the caller; without
// Retry-After the waits grow from 3 s.
func TestThrottleRetryGivesUpAfterThree(t *testing.T) {
	clock := clocktest.New()
	p := &answers{statuses: []int{503}}
	resp, err := throttleRetry{clock: clock}.Intercept(p, 0, patchRequest(t, "{}"))
	if err != nil || resp.StatusCode != 503 || len(p.bodies) != 4 {
		t.Fatalf("%v %v after %d attempts", resp, err, len(p.bodies))
	}
	if slept, _ := clock.Slept(); slept < 21*time.Second || slept > 24*time.Second {
		t.Fatalf("waited %s, want 3 + 6 + 12 s (and jitter)", slept)
	}
	// An HTTP date is read too.
	clock = clocktest.New()
	p = &answers{statuses: []int{429, 200}, retryAfter: clock.Now().Add(30 * time.Second).UTC().Format(http.TimeFormat)}
	if _, err := (throttleRetry{clock: clock}).Intercept(p, 0, patchRequest(t, "{}")); err != nil {
		t.Fatal(err)
	}
	if slept, _ := clock.Slept(); slept < 28*time.Second || slept > 31*time.Second {
		t.Fatalf("waited %s for a Retry-After date 30 s ahead", slept)
	}
}
