package graph

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph/clocktest"
	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// testEnv is a real Client (MSAL + msgraph-sdk-go over HTTPS) against a
// fresh emulator.
type testEnv struct {
	emu       *emulator.Server
	client    *Client
	cachePath string
	codes     []DeviceCode
	notes     []string
	// clock is the client's and the emulator's: waits for replication
	// and throttling skip ahead on it instead of sleeping.
	clock *clocktest.Clock
	// configure, when set, adjusts the Config of every client built.
	configure func(*Config)
}

func newTestEnv(t *testing.T, opts emulator.Options) *testEnv {
	t.Helper()
	clock := clocktest.New()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	emu := emulatortest.Start(t, opts)
	env := &testEnv{emu: emu, cachePath: filepath.Join(t.TempDir(), "pqentra", "msal_token_cache.json"), clock: clock}
	env.client = env.newClient(t)
	return env
}

// newClient builds another client sharing the emulator and token cache, as
// a second run of the program would.
func (e *testEnv) newClient(t testing.TB) *Client {
	t.Helper()
	ep, err := ResolveEndpoints("public", e.emu.URL(), e.emu.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Endpoints: ep, CachePath: e.cachePath, ExtraRootsPEM: e.emu.CACertPEM(),
		OnDeviceCode: func(dc DeviceCode) { e.codes = append(e.codes, dc) },
		Notify:       func(s string) { e.notes = append(e.notes, s) },
		LagTimeout:   20 * time.Second, Clock: e.clock}
	if e.configure != nil {
		e.configure(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *testEnv) dumpLog(t *testing.T) {
	t.Helper()
	emulatortest.DumpLog(t, e.emu)
}

func TestSignInDeviceCodeThenCache(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	ctx := context.Background()
	me, err := env.client.Me(ctx)
	if err != nil {
		env.dumpLog(t)
		t.Fatal(err)
	}
	if me.UserPrincipalName == "" {
		t.Fatalf("no user: %+v", me)
	}
	_ = me
}
