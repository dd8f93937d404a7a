package graph

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// throttleRetry sends a request again when Graph answers 429, 503 or 504,
// after the wait Graph's Retry-After asks for (seconds or an HTTP date),
// or else 3 s, 6 s, 12 s (plus up to a second of jitter). It does what
// kiota's RetryHandler does — at most three retries, none once 180 s have
// been waited — but waits on the client's Clock, so that tests of
// throttling do not sleep.
type throttleRetry struct {
	clock Clock
}

const (
	throttleMaxRetries = 3
	throttleMaxWaited  = 180 * time.Second
)

func (r throttleRetry) Intercept(pl khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	resp, err := pl.Next(req, i)
	var waited time.Duration
	for n := 1; err == nil && n <= throttleMaxRetries && waited < throttleMaxWaited && throttled(resp.StatusCode); n++ {
		seeker, ok := req.Body.(io.Seeker)
		if req.Body != nil && !ok {
			break // the body cannot be sent a second time
		}
		delay := retryDelay(resp.Header.Get("Retry-After"), n, r.clock.Now())
		if left := throttleMaxWaited - waited; delay > left {
			// Longer than pqentra waits in all: stop at once and say how
			// long Graph asked for, instead of sleeping on (a Retry-After
			// of 999999 is 11 days).
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
			return nil, &ThrottledError{Status: resp.StatusCode, Asked: delay, Patience: left}
		}
		waited += delay
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		if err := r.clock.Sleep(req.Context(), delay); err != nil {
			return nil, err
		}
		if seeker != nil {
			if _, err := seeker.Seek(0, io.SeekStart); err != nil {
				return nil, err
			}
		}
		req.Header.Set("Retry-Attempt", strconv.Itoa(n))
		resp, err = pl.Next(req, i)
	}
	return resp, err
}

func throttled(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// retryDelay is what Retry-After asks for, or the exponential back-off of
// the nth retry when it asks nothing readable.
func retryDelay(retryAfter string, n int, now time.Time) time.Duration {
	if retryAfter != "" {
		if s, err := strconv.ParseFloat(retryAfter, 64); err == nil && s >= 0 {
			if s > float64(math.MaxInt64/int64(time.Second)) {
				return time.Duration(math.MaxInt64) // beyond any patience, not an overflow
			}
			return time.Duration(s * float64(time.Second))
		}
		if t, err := http.ParseTime(retryAfter); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	return 3*time.Second<<(n-1) + time.Duration(rand.Int64N(int64(time.Second)))
}

// ThrottledError: Graph asked to wait (Retry-After) longer than the run's
// remaining patience, so the run ends now instead of sleeping.
type ThrottledError struct {
	Status   int
	Asked    time.Duration
	Patience time.Duration
}

func (e *ThrottledError) Error() string {
	asked := e.Asked.Round(time.Second).String()
	if e.Asked >= time.Duration(math.MaxInt64) {
		asked = "longer than any wait"
	}
	return fmt.Sprintf("Graph answered %d and asked to wait %s before trying again (Retry-After), longer than pqentra waits (%s left of %s)",
		e.Status, asked, e.Patience.Round(time.Second), throttleMaxWaited)
}
