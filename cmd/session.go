package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
)

// Globals are the flags every command takes, before or after its name.
type Globals struct {
	Tenant        string
	ClientID      string
	Cloud         string
	AuthorityHost string
	GraphEndpoint string
	Demo          bool
	ResetDemo     bool // --reset: start the demo tenant afresh
	// DemoTenant is --demo-tenant: the side of the demo the user plays,
	// "" or "publisher" (Contoso), or "customer" (Fabrikam).
	DemoTenant string
	NoColor    bool
	// SignIn is --sign-in ("" until resolved: then $PQENTRA_SIGN_IN, then auto).
	SignIn string
	// Run is how this run was started (the global flags as given, and
	// whether it is the wizard), set before the command runs: what graph
	// and steps print as a follow-up command is built from it.
	Run steps.Command
}

// RunCloud is the cloud the run works in: --cloud, except in the demo,
// whose tenant is a public-cloud tenant (--cloud is ignored there, with a
// note): its sign-in, its Graph tokens and everything printed about it
// (snippets, onboarding, service configuration) are the public cloud's.
func (g *Globals) RunCloud() string {
	if g.Demo {
		return "public"
	}
	return g.Cloud
}

// Directory is what the commands read and write: *graph.Client, or a fake
// in tests. It is steps.Directory (every capability the engine uses) plus
// the session: where previews point, the sign-in and what it holds.
type Directory interface {
	steps.Directory
	// GraphBase is the Graph root the previews name.
	GraphBase() string
	// EnsureSignedIn signs in, by device code if no cached sign-in works.
	EnsureSignedIn(ctx context.Context) error
	// SignInMethod and SignInClientID say how the user signed in.
	SignInMethod() string
	SignInClientID() string
	// GraphScopes are the Graph permissions of the sign-in's token.
	GraphScopes(ctx context.Context) ([]string, error)
}

// SessionHooks receive what the sign-in has to tell the user.
type SessionHooks struct {
	OnDeviceCode func(graph.DeviceCode)
	Notify       func(string)
	// SignIn shows the browser URL, sign-in notes and the end of a wait.
	SignIn graph.SignInEvents
}

// Session is a signed-in (or about to be) connection to one directory.
type Session struct {
	Dir Directory
	// Portal is the Entra admin center of the session's cloud.
	Portal string
	// Notes are notices about the flags to show before anything else.
	Notes []string
	// DemoState is the file the demo tenant is kept in ("" outside --demo).
	DemoState string
	close     func()
}

// Close releases what the session holds (the demo's emulator).
func (s *Session) Close() {
	if s.close != nil {
		s.close()
	}
}

// demoApproveAfter is how long the demo's pretend user takes to approve the
// device code in the browser.
var demoApproveAfter = 1500 * time.Millisecond

// openGraphSession resolves clouds and overrides and builds the Graph
// client. With --demo it starts the built-in emulator and points everything
// at it. Nothing is sent yet: sign-in happens on the first call.
func (f *Factory) openGraphSession(g *Globals, h SessionHooks) (*Session, error) {
	authority := g.AuthorityHost
	if authority == "" {
		authority = f.Getenv("AZURE_AUTHORITY_HOST")
	}
	graphRoot := g.GraphEndpoint
	if graphRoot == "" {
		graphRoot = f.Getenv("PQENTRA_GRAPH_ENDPOINT")
	}
	if g.Demo && (authority != "" || graphRoot != "") {
		return nil, usagef("--demo runs against the built-in emulator; leave out --authority-host/--graph-endpoint (and their environment variables) or --demo")
	}
	if err := steps.ValidateTenant(g.Tenant); err != nil {
		return nil, badInput(err)
	}
	if g.ClientID != "" {
		if err := steps.ValidateGUID(steps.FieldSignInClient, g.ClientID); err != nil {
			return nil, badInput(err)
		}
	}
	method, err := resolveSignIn(g, f.Getenv)
	if err != nil {
		return nil, err
	}
	timeout, err := requestTimeout(f.Getenv)
	if err != nil {
		return nil, err
	}
	s := &Session{}
	cfg := graph.Config{RequestTimeout: timeout, Tenant: g.Tenant, ClientID: g.ClientID, Notify: h.Notify, OnDeviceCode: h.OnDeviceCode,
		ExtraRootsPEM: f.Config.TrustPEM, SignInMethod: method, OpenURL: f.Browser, SignInEvents: h.SignIn, Command: g.Run}
	if g.ResetDemo && !g.Demo {
		return nil, usagef("--reset starts the demo tenant afresh: use it with --demo")
	}
	if g.DemoTenant != "" && !g.Demo {
		return nil, usagef("--demo-tenant picks a side of the demo: use it with --demo")
	}
	if g.Demo {
		emu, notes, err := startDemo(f.Getenv, g.ResetDemo, g.DemoTenant)
		if err != nil {
			return nil, err
		}
		s.close, s.Notes, s.DemoState = emu.Close, append(s.Notes, notes...), demoStateFile(f.Getenv)
		f.demoState = s.DemoState
		authority, graphRoot = emu.URL(), emu.URL()
		cfg.ExtraRootsPEM = emu.CACertPEM()
		cfg.OpenURL = demoBrowser(emu)
		if g.Cloud != "" && g.Cloud != "public" {
			s.Notes = append(s.Notes, "--cloud is ignored in demo mode")
		}
	}
	ep, err := graph.ResolveEndpoints(g.RunCloud(), authority, graphRoot)
	if err != nil {
		s.Close()
		return nil, asUsage(err)
	}
	cfg.Endpoints = ep
	// The Azure CLI keeps its own sign-in: pqentra stores nothing then.
	if !g.Demo && method != graph.MethodAzureCLI {
		path, err := graph.CacheFile(f.Getenv)
		if err != nil {
			s.Close()
			return nil, err
		}
		cfg.CachePath = path
	}
	client, err := graph.New(cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Dir, s.Portal = client, ep.Cloud.Portal
	return s, nil
}

// requestTimeout reads PQENTRA_REQUEST_TIMEOUT, the limit on one Graph
// request ("90s", "2m", or plain seconds); 0 means the default.
func requestTimeout(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv("PQENTRA_REQUEST_TIMEOUT"))
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if n, nerr := strconv.Atoi(v); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil || d <= 0 {
		return 0, usagef("PQENTRA_REQUEST_TIMEOUT=%q is not a duration: use e.g. 90s or 2m", v)
	}
	return d, nil
}

// openCLI opens a session for a non-interactive command: the sign-in prompt
// and progress notices go to stderr, keeping stdout for results.
func openCLI(ios *IOStreams, open func(*Globals, SessionHooks) (*Session, error), g *Globals) (*Session, error) {
	s, err := open(g, SessionHooks{Notify: stderrNotifier(ios), SignIn: newCLISignIn(ios.Err, ios.ErrTTY, g.Demo).events()})
	if err != nil {
		return nil, err
	}
	for _, n := range s.Notes {
		fmt.Fprintln(ios.Err, n)
	}
	return s, nil
}

func stderrNotifier(ios *IOStreams) func(string) {
	return func(msg string) { fmt.Fprintln(ios.Err, steps.Clean(msg)) }
}
