package graph

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Issue 10 F3: the answer to the create is lost, and the retry meets Graph's
// 400 "Another object with the same value for property uniqueName already
// exists" while the new app replicates. That means the app exists now: the
// run reads it by its key and carries on.
func TestLostCreateDuringLagConverges(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ReplicationLag: 4 * time.Second})
	env.emu.DropResponse(func(r *http.Request) bool { return r.Method != http.MethodGet }, 1)
	out := env.converge(t, desired(t, "Lagging Lost Connector"))
	assertQuickstartState(t, env.emu, "Lagging Lost Connector", "Data.Read")
	if n := len(env.emu.Applications()); n != 1 {
		t.Fatalf("%d applications", n)
	}
	if _, _, dropped := env.emu.Injected(); dropped != 1 {
		t.Fatalf("dropped %d answers: the test proves nothing", dropped)
	}
	if slept, _ := env.clock.Slept(); slept < 3*time.Second {
		t.Fatalf("waited %s on the clock for 4 s of lag: the lag was not waited out", slept)
	}
	if out.Final.App == nil || out.Final.ServicePrincipal == nil {
		t.Fatalf("final state not read: %+v", out.Final)
	}
	// A re-run has nothing to do.
	env.client = env.newClient(t)
	again, err := steps.Converge(context.Background(), env.client, desired(t, "Lagging Lost Connector"), steps.Options{GraphBase: env.client.GraphBase()}, false)
	if err != nil || !again.Plan.Empty() {
		t.Fatalf("re-run: %v, %d changes", err, len(again.Plan.Changes))
	}
}

// switchAfterFirstWrite is the real client; once the first write is done,
// the server starts presenting a certificate nobody trusts.
type switchAfterFirstWrite struct {
	*Client
	emu *emulator.Server
}

func (s *switchAfterFirstWrite) UpsertApplication(ctx context.Context, u string, p steps.AppPatch) (*steps.App, bool, error) {
	a, created, err := s.Client.UpsertApplication(ctx, u, p)
	if err == nil {
		_, err = s.emu.SwitchCertificate()
	}
	return a, created, err
}

// Issue 10 F4: a TLS failure is permanent. It is not replication lag, it is
// not retried, and the message says how to trust the server.
func TestTLSFailureAfterFirstWriteStopsAtOnce(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ReplicationLag: 2 * time.Second})
	dir := &switchAfterFirstWrite{Client: env.client, emu: env.emu}
	start := time.Now()
	_, err := steps.Converge(context.Background(), dir, desired(t, "TLS Connector"), steps.Options{GraphBase: env.client.GraphBase()}, false)
	took := time.Since(start)
	e, ok := steps.AsError(err)
	if !ok || e.Retryable || !strings.Contains(e.Message, "certificate") || !strings.Contains(e.Hint, "SSL_CERT_FILE") {
		t.Fatalf("want a permanent TLS error with the SSL_CERT_FILE hint, got %#v", err)
	}
	if took > 3*time.Second {
		t.Errorf("took %s: the TLS failure was retried", took)
	}
	// A request already on its way may meet real lag once; the TLS failure
	// itself is never waited out (before the fix: 42 "Waiting…" lines).
	waits := 0
	for _, n := range env.notes {
		if strings.Contains(n, "Waiting") || strings.Contains(n, "Retrying") {
			waits++
		}
	}
	if waits > 1 {
		t.Errorf("told the user %d times it was waiting for a TLS failure: %q", waits, env.notes)
	}
}

// Issue 10 F4: a stalled Graph. Each request has a time limit; while it
// waits the user hears so, and the run ends with a hint, not Go's raw
// "context deadline exceeded". The stalled write was never applied, and
// a re-run converges.
func TestStalledGraphTimesOutWithAHint(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	env.configure = func(c *Config) { c.RequestTimeout = 1 * time.Second }
	env.client = env.newClient(t)
	env.emu.DelayNext(emulator.MatchWrite("", "/applications"), time.Hour, 1)
	start := time.Now()
	_, err := steps.Converge(context.Background(), env.client, desired(t, "Stalled Connector"), steps.Options{GraphBase: env.client.GraphBase()}, false)
	took := time.Since(start)
	e, ok := steps.AsError(err)
	if !ok || !strings.Contains(e.Message, "did not answer within 1 s") || !strings.Contains(e.Hint, "PQENTRA_REQUEST_TIMEOUT") {
		t.Fatalf("want a timeout with a hint, got %#v", err)
	}
	if strings.Contains(err.Error(), "context deadline exceeded") {
		t.Errorf("raw Go error shown: %v", err)
	}
	if took > 5*time.Second {
		t.Errorf("took %s for a 1 s limit: the stall was retried", took)
	}
	slow := false
	for _, n := range env.notes {
		slow = slow || strings.Contains(n, "Graph has not answered for 0.5 s; still waiting")
	}
	if !slow {
		t.Errorf("the user was not told Graph is slow: %q", env.notes)
	}
	if n := len(env.emu.Applications()); n != 0 {
		t.Fatalf("%d apps after a stalled create", n)
	}
	env.converge(t, desired(t, "Stalled Connector"))
	assertQuickstartState(t, env.emu, "Stalled Connector", "Data.Read")
}

func TestSlowButAnsweredRequestsSucceed(t *testing.T) {
	// Every answer is slow (100 ms) but well inside the request limit.
	env := newTestEnv(t, emulator.Options{Latency: 100 * time.Millisecond})
	env.configure = func(c *Config) { c.RequestTimeout = time.Second }
	env.client = env.newClient(t)
	env.converge(t, desired(t, "Slow Connector"))
	assertQuickstartState(t, env.emu, "Slow Connector", "Data.Read")
}
