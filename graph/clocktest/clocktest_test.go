package clocktest

import (
	"context"
	"testing"
	"time"
)

func TestSleepMovesTheClockAtOnce(t *testing.T) {
	c := New()
	before := c.Now()
	start := time.Now()
	if err := c.Sleep(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("Sleep took %s", took)
	}
	if d := c.Now().Sub(before); d < time.Hour || d > time.Hour+time.Minute {
		t.Fatalf("the clock moved %s, want an hour", d)
	}
	if slept, n := c.Slept(); slept != time.Hour || n != 1 {
		t.Fatalf("Slept() = %s, %d", slept, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil {
		t.Fatal("Sleep after cancel returned nil")
	}
	if slept, _ := c.Slept(); slept != time.Hour {
		t.Fatalf("a cancelled Sleep moved the clock: %s", slept)
	}
}
