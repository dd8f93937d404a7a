package graph

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// Default limits for one Graph request (one attempt: a retry after 429 gets
// its own).
const (
	DefaultRequestTimeout = 60 * time.Second
	defaultSlowAfter      = 10 * time.Second
)

// timeoutError is one request that got no answer within the limit. It is
// not retried: a stalled service stays stalled, and waiting twice as long
// tells the user nothing new. The run stops with a hint instead.
type timeoutError struct {
	after time.Duration
}

func (e *timeoutError) Error() string {
	return "Graph did not answer within " + seconds(e.after)
}

// Timeout makes it a net.Error-style timeout for callers that ask.
func (e *timeoutError) Timeout() bool { return true }

// patience sits innermost in the pipeline, under kiota's retry handler, so
// every attempt gets its own time limit. While a request is unanswered it
// tells the user every slowAfter that it is still waiting, so a slow
// service never looks like a hung program.
type patience struct {
	timeout, slowAfter time.Duration
	notify             func(string)
}

func (p patience) Intercept(pl khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	if p.timeout <= 0 {
		return pl.Next(req, i)
	}
	limit := &timeoutError{after: p.timeout}
	ctx, cancel := context.WithTimeoutCause(req.Context(), p.timeout, limit)
	stop, told := make(chan struct{}), make(chan struct{})
	if p.notify != nil && p.slowAfter > 0 {
		go func() { p.tell(stop); close(told) }()
	} else {
		close(told)
	}
	resp, err := pl.Next(req.WithContext(ctx), i)
	close(stop)
	<-told // no "still waiting" after the answer came
	if err != nil {
		cancel()
		if req.Context().Err() == nil && context.Cause(ctx) == limit {
			return nil, limit
		}
		return nil, err
	}
	// The body is read after we return: the limit holds until it is closed.
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

func (p patience) tell(stop <-chan struct{}) {
	t := time.NewTicker(p.slowAfter)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-stop:
			return
		case <-t.C:
			p.notify(fmt.Sprintf("Graph has not answered for %s; still waiting (giving up after %s)",
				seconds(time.Duration(n)*p.slowAfter), seconds(p.timeout)))
		}
	}
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// slowAfterFor is when the first "still waiting" line comes: 10 s, or
// half the limit when the limit is shorter than 20 s.
func slowAfterFor(timeout time.Duration) time.Duration {
	if timeout < 2*defaultSlowAfter {
		return timeout / 2
	}
	return defaultSlowAfter
}

// seconds writes a duration the way people read it: "10 s", "1.5 s", "2 min".
func seconds(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return strconv.Itoa(int(d/time.Minute)) + " min"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}
