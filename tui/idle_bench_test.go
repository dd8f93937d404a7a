package tui

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// BenchmarkIdleWizard measures what the full-screen wizard costs while
// nobody types: it runs the real program (renderer, huh form, graph
// client, emulator in-process, as --demo does) to the Register screen,
// then takes the process's CPU time over an idle window
// (PQENTRA_IDLE_SECONDS, default 2). The target is < 0.5 % of a core
// (issue 21); test-tools/idle-cpu.sh measures the built binary the same
// way and, with --profile, writes this benchmark's pprof CPU profile.
func BenchmarkIdleWizard(b *testing.B) {
	secs := 2.0
	if v, err := strconv.ParseFloat(os.Getenv("PQENTRA_IDLE_SECONDS"), 64); err == nil && v > 0 {
		secs = v
	}
	var total time.Duration
	for range b.N {
		_, c, ev := newEmulator(&testing.T{}, emulator.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		out := &watchWriter{seen: make(chan struct{}, 1), want: "Resource application"}
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = Run(ctx, Options{Client: c, Desired: steps.Desired{}, Events: ev, Snippet: snippetFor}, pr, out)
		}()
		select {
		case <-out.seen:
		case <-time.After(30 * time.Second):
			b.Fatal("the Register screen never showed")
		}
		time.Sleep(500 * time.Millisecond) // the first frames settle
		b.ResetTimer()
		t0 := cpuTime()
		time.Sleep(time.Duration(secs * float64(time.Second)))
		total += cpuTime() - t0
		b.StopTimer()
		cancel()
		_ = pw.Close()
		<-done
	}
	b.ReportMetric(100*total.Seconds()/(secs*float64(b.N)), "%core-idle")
}

// cpuTime is this process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchWriter signals once the program has written want.
type watchWriter struct {
	seen chan struct{}
	want string
	buf  strings.Builder
	done bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	if !w.done {
		w.buf.Write(p)
		if strings.Contains(w.buf.String(), w.want) {
			w.done = true
			w.seen <- struct{}{}
		}
	}
	return len(p), nil
}
