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

// offlineClient is a graph client that is never called: the first frame
// must not wait for the network.
func offlineClient(b testing.TB) *graph.Client {
	ep, err := graph.ResolveEndpoints("public", "", "")
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

// TestFirstFrameWithin100ms starts a real program (renderer and all) and
// times the first bytes on its output: the issue asks for 100 ms.
func TestFirstFrameWithin100ms(t *testing.T) {
	c := offlineClient(t)
	out := &firstWrite{at: make(chan time.Time, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	m := New(ctx, Options{Client: c, Snippet: snippetFor, Desired: steps.Desired{}})
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(&bytes.Buffer{}), tea.WithOutput(out))
	go func() { _, _ = p.Run() }()
	select {
	case at := <-out.at:
		d := at.Sub(start)
		t.Logf("first frame after %v", d)
		if d > 100*time.Millisecond {
			t.Errorf("first frame after %v; want under 100 ms", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no frame")
	}
	p.Kill()
}

type firstWrite struct{ at chan time.Time }

func (f *firstWrite) Write(p []byte) (int, error) {
	select {
	case f.at <- time.Now():
	default:
	}
	return len(p), nil
}
