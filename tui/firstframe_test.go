package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
)

// offlineClient is a real graph client whose hosts are a closed port on
// this machine: the first frame must not wait for the network, and a test
// must never reach Microsoft.
func offlineClient(b testing.TB) *graph.Client {
	ep, err := graph.ResolveEndpoints("public", "https://127.0.0.1:1", "https://127.0.0.1:1")
	if err != nil {
		b.Fatal(err)
	}
	c, err := graph.New(graph.Config{Endpoints: ep})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkFirstFrame is the time from building the wizard to its first
// frame: New, Init (which only starts commands) and View at 80×24.
func BenchmarkFirstFrame(b *testing.B) {
	c := offlineClient(b)
	for i := 0; i < b.N; i++ {
		m := New(context.Background(), Options{Client: c, Snippet: snippetFor})
		_ = m.Init()
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if v := m.View(); !strings.Contains(v, "Sign in") {
			b.Fatal(v)
		}
	}
}

// BenchmarkFirstFrameProgram starts a real program (renderer and all) and
// measures the time to the first bytes on its output; the target is
// 100 ms. Reported as ms-to-first-frame.
func BenchmarkFirstFrameProgram(b *testing.B) {
	c := offlineClient(b)
	var total time.Duration
	for i := 0; i < b.N; i++ {
		out := &firstWrite{at: make(chan time.Time, 1)}
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		m := New(ctx, Options{Client: c, Snippet: snippetFor, Desired: steps.Desired{}})
		p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(&bytes.Buffer{}), tea.WithOutput(out))
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		select {
		case at := <-out.at:
			total += at.Sub(start)
		case <-time.After(5 * time.Second):
			b.Fatal("no frame within 5 s")
		}
		p.Kill()
		cancel()
		<-done
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-frame")
}

type firstWrite struct{ at chan time.Time }

func (f *firstWrite) Write(p []byte) (int, error) {
	select {
	case f.at <- time.Now():
	default:
	}
	return len(p), nil
}
