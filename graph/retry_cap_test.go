package graph

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/clocktest"
)

// A Retry-After longer than the patience left ends the call at once —
// nothing slept, one request — with an error saying how long Graph asked;
// one that fits is waited (issue 17).
func TestThrottleRetryStopsAtOnceForARetryAfterBeyondPatience(t *testing.T) {
	for _, ra := range []string{"999999", "1e300", "181"} {
		clock := clocktest.New()
		p := &answers{statuses: []int{429, 204}, retryAfter: ra}
		_, err := throttleRetry{clock: clock}.Intercept(p, 0, patchRequest(t, "{}"))
		var te *ThrottledError
		if !errors.As(err, &te) || te.Status != 429 || !strings.Contains(err.Error(), "asked to wait") {
			t.Fatalf("Retry-After %s: %v", ra, err)
		}
		if slept, n := clock.Slept(); slept != 0 || n != 0 || len(p.bodies) != 1 {
			t.Errorf("Retry-After %s: slept %s in %d sleeps, %d requests", ra, slept, n, len(p.bodies))
		}
		if e, _ := translate(err, "read the application", followUp{}).(interface{ Error() string }); !strings.Contains(e.Error(), "read the application") {
			t.Errorf("the error does not name the request: %v", e)
		}
	}
	// After waiting 100 s of 180, a second Retry-After of 100 s no longer fits.
	clock := clocktest.New()
	p := &answers{statuses: []int{429, 429, 204}, retryAfter: "100"}
	_, err := throttleRetry{clock: clock}.Intercept(p, 0, patchRequest(t, "{}"))
	if slept, _ := clock.Slept(); err == nil || slept != 100*time.Second || !strings.Contains(err.Error(), "1m40s") {
		t.Errorf("second wait: slept %s, %v", slept, err)
	}
}
