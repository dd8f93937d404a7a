package graph

import (
	"context"
	"fmt"
	"time"
)

// waitOut retries fn while again(err) says the failure is passing —
// replication lag after a create, or a lost answer to an idempotent write —
// with growing pauses, for at most the configured lag timeout. It tells the
// user why it waits.
func (c *Client) waitOut(ctx context.Context, why string, fn func() error, again func(error) bool) error {
	return c.waitOutSaying(ctx, func(error) string { return why }, fn, again)
}

// waitOutSaying is waitOut where why depends on the failure being waited
// out (a create replicating, or an update).
func (c *Client) waitOutSaying(ctx context.Context, whyFor func(error) string, fn func() error, again func(error) bool) error {
	clock := c.cfg.Clock
	deadline := clock.Now().Add(c.cfg.LagTimeout)
	pause := 500 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !again(err) {
			return err
		}
		if clock.Now().Add(pause).After(deadline) {
			return err
		}
		c.notify(fmt.Sprintf("%s (attempt %d, retrying in %s)", whyFor(err), attempt, pause))
		if err := clock.Sleep(ctx, pause); err != nil {
			return err
		}
		pause = min(pause*2, 8*time.Second)
	}
}
