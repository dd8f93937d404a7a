package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// globals are the flags every command takes, before or after its name.
type globals struct {
	tenant        string
	clientID      string
	cloud         string
	authorityHost string
	graphEndpoint string
	demo          bool
	noColor       bool
}

// session is a signed-in (or about to be) connection to one directory.
type session struct {
	client *graph.Client
	emu    *emulator.Server
	notes  []string
}

func (s *session) Close() {
	if s.emu != nil {
		s.emu.Close()
	}
}

// demoApproveAfter is how long the demo's pretend user takes to approve the
// device code in the browser.
var demoApproveAfter = 1500 * time.Millisecond

// open resolves clouds and overrides and builds the Graph client. With
// --demo it starts the built-in emulator and points everything at it.
// Nothing is sent yet: sign-in happens on the first call.
func (g *globals) open(io *IO, onDeviceCode func(graph.DeviceCode), notify func(string)) (*session, error) {
	authority := g.authorityHost
	if authority == "" {
		authority = io.Getenv("AZURE_AUTHORITY_HOST")
	}
	graphRoot := g.graphEndpoint
	if graphRoot == "" {
		graphRoot = io.Getenv("PQENTRA_GRAPH_ENDPOINT")
	}
	if g.demo && (authority != "" || graphRoot != "") {
		return nil, usagef("--demo runs against the built-in emulator; leave out --authority-host/--graph-endpoint (and their environment variables) or --demo")
	}
	if g.tenant != "" && !steps.IsGUID(g.tenant) && !looksLikeDomain(g.tenant) && g.tenant != "organizations" && g.tenant != "common" {
		return nil, usagef("--tenant %q is neither a tenant GUID nor a domain: use e.g. --tenant contoso.onmicrosoft.com or --tenant 00001111-aaaa-2222-bbbb-3333cccc4444", g.tenant)
	}
	if g.clientID != "" {
		if err := steps.ValidateGUID("--client-id", g.clientID); err != nil {
			return nil, asUsage(err)
		}
	}
	s := &session{}
	cfg := graph.Config{Tenant: g.tenant, ClientID: g.clientID, Notify: notify, OnDeviceCode: onDeviceCode,
		ExtraRootsPEM: io.TrustPEM}
	if g.demo {
		emu, err := emulator.Start(emulator.Options{AutoApprove: demoApproveAfter})
		if err != nil {
			return nil, fmt.Errorf("cannot start the demo emulator: %w", err)
		}
		s.emu = emu
		if err := seedDemo(emu); err != nil {
			s.Close()
			return nil, fmt.Errorf("cannot prepare the demo tenant: %w", err)
		}
		authority, graphRoot = emu.URL(), emu.URL()
		cfg.ExtraRootsPEM = emu.CACertPEM()
		if g.cloud != "" && g.cloud != "public" {
			s.notes = append(s.notes, "--cloud is ignored in demo mode")
		}
	}
	ep, err := graph.ResolveEndpoints(g.cloud, authority, graphRoot)
	if err != nil {
		s.Close()
		return nil, asUsage(err)
	}
	cfg.Endpoints = ep
	if !g.demo {
		path, err := graph.CacheFile(io.Getenv)
		if err != nil {
			s.Close()
			return nil, err
		}
		cfg.CachePath = path
	}
	if s.client, err = graph.New(cfg); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openCLI opens a session for a non-interactive command: the sign-in prompt
// and progress notices go to stderr, keeping stdout for results.
func (g *globals) openCLI(io *IO) (*session, error) {
	s, err := g.open(io, deviceCodePrinter(io, g.demo), stderrNotifier(io))
	if err != nil {
		return nil, err
	}
	for _, n := range s.notes {
		fmt.Fprintln(io.Err, n)
	}
	return s, nil
}

func looksLikeDomain(s string) bool {
	return strings.Contains(s, ".") && !strings.ContainsAny(s, " /\\:@")
}

// deviceCodePrinter writes the device-code prompt to stderr, keeping stdout
// for results (JSON stays parseable).
func deviceCodePrinter(io *IO, demo bool) func(graph.DeviceCode) {
	return func(dc graph.DeviceCode) {
		fmt.Fprintf(io.Err, "To sign in, open %s and enter the code %s\n", steps.Clean(dc.VerificationURL), steps.Clean(dc.UserCode))
		if demo {
			fmt.Fprintln(io.Err, "(demo: the built-in emulator approves it by itself in a few seconds)")
		}
	}
}

func stderrNotifier(io *IO) func(string) {
	return func(msg string) { fmt.Fprintln(io.Err, steps.Clean(msg)) }
}
