// Package tui is pqentra's wizard: the quickstart "Configuring Microsoft
// Entra for a custom connector" as a Bubble Tea state machine, one screen
// per step, each a huh form beside a live preview of the Graph request the
// step will send. All directory work goes through the engine (steps/) and the
// graph client; this package only asks, shows and sequences.
package tui

import (
	"github.com/pqentra/pqentra/steps/service"

	"context"
	"io"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pqentra/pqentra/steps"
)

// Directory is what the wizard needs from Entra: the engine's directory,
// the Graph root its previews name, and sign-in. *graph.Client satisfies it;
// taking an interface keeps msgraph-sdk-go (slow to build and link) out of
// this package.
type Directory interface {
	steps.Directory
	GraphBase() string
	// EnsureSignedIn signs in, by device code if no cached sign-in works.
	EnsureSignedIn(ctx context.Context) error
}

// DeviceCode is what the user needs to finish signing in in a browser.
type DeviceCode struct {
	UserCode        string
	VerificationURL string
	Message         string
	ExpiresOn       time.Time
}

// Options is everything the wizard needs from the command that starts it.
type Options struct {
	Client Directory
	// Portal is the Entra admin center of the cloud, for the app's link.
	Portal  string
	Desired steps.Desired // prefilled from setup flags; zero values mean defaults
	Color   bool
	Demo    bool // say that the emulator approves the sign-in by itself
	// Command is how pqentra was started (its global flags): every command
	// the wizard prints (restore after u, …) carries them.
	Command steps.Command
	// Out receives clipboard escape sequences; it must be the stream the
	// program renders to, so the terminal sees them.
	Out    io.Writer
	Getenv func(string) string
	// OpenBrowser opens the verification URL; nil where there is no browser.
	OpenBrowser func(url string) error
	// Snippet generates the connector's Aad record for an Application ID URI.
	Snippet func(identifierURI, displayName string) (string, error)
	// WriteFile writes a new file and must refuse to overwrite unless
	// force; nil means steps/safefile (tests put a recorder here).
	WriteFile func(path, text string, force bool) error
	// PatchConnector puts the Aad record for identifierURI into a
	// connector file's text (w with an SDK project folder); nil: folders
	// are refused.
	PatchConnector func(src, identifierURI string) (string, error)
	// ServiceCloud names the cloud's token issuers and keys for the
	// service configuration the last step shows (s); its zero value hides
	// that key.
	ServiceCloud service.Cloud
	// Onboarding is what to send the organizations that use a
	// multitenant app (the last step shows it on o); nil hides it.
	Onboarding func(appID string) steps.Onboarding
	// Events delivers device codes and notices from the graph client.
	Events *Events
}

// Result is what the wizard leaves behind, printed after the full-screen UI
// is gone so that it stays in the scroll-back.
type Result struct {
	Done     bool // reached the snippet
	Snippet  string
	Summary  string
	Canceled bool
}

// Events carries the graph client's callbacks (device code, notices) into
// the running program. The client is built before the program exists, so
// messages sent before Attach are queued and delivered on Attach.
type Events struct {
	mu      sync.Mutex
	send    func(tea.Msg)
	pending []tea.Msg
}

// NewEvents returns an unattached Events.
func NewEvents() *Events { return &Events{} }

// Attach connects to the program (Program.Send) and flushes the queue.
func (e *Events) Attach(send func(tea.Msg)) {
	e.mu.Lock()
	e.send = send
	q := e.pending
	e.pending = nil
	e.mu.Unlock()
	for _, m := range q {
		send(m)
	}
}

func (e *Events) post(m tea.Msg) {
	e.mu.Lock()
	send := e.send
	if send == nil {
		e.pending = append(e.pending, m)
	}
	e.mu.Unlock()
	if send != nil {
		send(m)
	}
}

// DeviceCode shows a device code (graph.Config.OnDeviceCode, converted).
func (e *Events) DeviceCode(dc DeviceCode) { e.post(deviceCodeMsg(dc)) }

// Notify is graph.Config.Notify: throttling and replication waits.
func (e *Events) Notify(s string) { e.post(noticeMsg(steps.Clean(s))) }

type deviceCodeMsg DeviceCode
type noticeMsg string
