// Package clocktest is a clock for tests of code that waits: it runs with
// the wall clock, but a Sleep returns at once and moves the clock on by the
// time slept. Give the same clock to graph.Config.Clock and its Now to
// emulator.Options.Now, and a wait for 30 seconds of replication lag takes
// milliseconds while the client and the emulator agree that 30 seconds
// passed.
//
// It imports nothing of pqentra, so any package's tests can use it.
package clocktest

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// Clock is safe for concurrent use. The zero value is ready.
type Clock struct {
	mu      sync.Mutex
	skipped time.Duration // how far Sleep has moved the clock ahead of the wall clock
	sleeps  int
}

// New returns a clock at the wall clock's time.
func New() *Clock { return &Clock{} }

// Now is the wall clock plus all time slept so far.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.skipped)
}

// Sleep moves the clock on by d and returns at once (or ctx.Err() when ctx
// has ended, moving nothing).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	if d > 0 {
		c.skipped += d
	}
	c.sleeps++
	c.mu.Unlock()
	runtime.Gosched() // let others run, as a real sleep would
	return nil
}

// Slept is the total time Sleep skipped, and how many times it was
// called: a test can check that the code did wait, and about how long.
func (c *Clock) Slept() (time.Duration, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skipped, c.sleeps
}

// Add moves the clock on by d without a Sleep (time passing meanwhile).
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.skipped += d
}
