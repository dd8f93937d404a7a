package graph

import (
	"context"
	"time"
)

// Clock is the one source of time for graph's waiting: the pauses of
// waitOut (replication lag, lost answers), the Retry-After waits of the
// throttling retry, and the record of what this client created a moment
// ago. Users always get the real clock. Tests set Config.Clock to one whose
// Sleep returns at once and moves its Now on by the time slept
// (graph/clocktest), and give the emulator the same Now, so a 30-second
// wait for replication takes milliseconds and proves the same thing.
//
// The time limit of one request (patience.go) is not on this clock: it
// bounds a real network exchange.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx ends (and then returns ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
