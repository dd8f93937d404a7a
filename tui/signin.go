package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/tui/clipboard"
)

// signInScreen gets a Graph token: silently from the cache, else as
// --sign-in says: a device code shown large with its URL, or the browser,
// whose URL stays on the screen (c copies it) for when no browser opens. It
// has no form: the work happens in the browser, and the screen moves on by
// itself once the token arrives. Esc stops waiting (the browser's loopback
// port closes) and offers to sign in again.
type signInScreen struct {
	copied     string
	browserURL string
	note       string // why auto moved on to the browser, or that no browser opened
	cancel     context.CancelFunc
}

// errSignInStopped is the sign-in the user stopped with Esc.
var errSignInStopped = &steps.Error{Message: "Sign-in stopped; the sign-in page you had open no longer works.",
	Hint: "Press Enter to sign in again, or Ctrl-C to quit."}

func (s *signInScreen) step() string                            { return steps.StepSignIn }
func (s *signInScreen) form() *huh.Form                         { return nil }
func (s *signInScreen) desired(m *Model) (steps.Desired, error) { return m.flow.desired, nil }
func (s *signInScreen) submit(m *Model) tea.Cmd                 { return nil }
func (s *signInScreen) previewNote(m *Model) string             { return "" }

func (s *signInScreen) enter(m *Model) tea.Cmd {
	m.deviceCode = nil
	s.browserURL, s.note, s.copied = "", "", ""
	ctx, cancel := context.WithCancel(m.ctx)
	s.cancel = cancel
	parent, f := m.ctx, m.flow
	return m.startBusy("Checking for a saved sign-in…", func() tea.Msg {
		err := f.signIn(ctx)
		cancel()
		if err != nil && errors.Is(err, context.Canceled) && parent.Err() == nil {
			err = errSignInStopped
		}
		return signedInMsg{err: err}
	})
}

// signInWaiting: a device code or browser sign-in is pending; its keys
// (copy, open, Esc) work while the spinner turns.
func (m *Model) signInWaiting() bool {
	s, ok := m.screen().(*signInScreen)
	return ok && m.busy != "" && (m.deviceCode != nil || s.browserURL != "")
}

func (s *signInScreen) handleMsg(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case browserURLMsg:
		s.browserURL = string(msg)
		m.deviceCode = nil
		m.busy = "Waiting for the sign-in in your browser…"
		return nil, true
	case signInNoteMsg:
		s.note = string(msg)
		return nil, true
	}
	return nil, false
}

// extra: the sign-in screen is idle only between a failure and its retry.
func (s *signInScreen) extra(m *Model, w int) string { return "" }

// busyView is the screen while the sign-in waits: why auto moved on to the
// browser (or that no browser opened), then the device code or the URL.
func (s *signInScreen) busyView(m *Model, w int) string {
	var b strings.Builder
	if s.note != "" {
		b.WriteString(m.st.warn.Render(wrap(s.note, w)) + "\n\n")
	}
	switch dc := m.deviceCode; {
	case s.browserURL != "":
		b.WriteString(wrap("Sign in in your browser with an account that may register applications.", w) + "\n")
		b.WriteString(wrap("No browser? Open this address on this machine (c copies it):", w) + "\n\n")
		b.WriteString(m.st.key.Render(hardWrap(s.browserURL, w)) + "\n")
		if m.opts.Demo {
			b.WriteString("\n" + m.st.faint.Render(wrap("(demo: the built-in emulator signs you in by itself)", w)) + "\n")
		}
	case dc != nil:
		b.WriteString(wrap("Sign in to Microsoft Entra with an account that may register applications (any member user, unless your tenant restricts it).", w) + "\n\n")
		fmt.Fprintf(&b, "1. Open  %s\n", m.st.key.Render(steps.Clean(dc.VerificationURL)))
		if m.opts.OpenBrowser == nil && !m.opts.Demo {
			b.WriteString(m.st.faint.Render(wrap("(No browser can be opened from here: open the address yourself, on this or any other device.)", w)) + "\n")
		}
		fmt.Fprintf(&b, "2. Enter the code:\n\n%s\n", m.st.code.Render(spaced(steps.Clean(dc.UserCode))))
		if m.opts.Demo {
			b.WriteString(m.st.faint.Render(wrap("(demo: the built-in emulator approves the code by itself in a few seconds)", w)) + "\n")
		}
	}
	if s.copied != "" {
		b.WriteString(m.st.ok.Render(wrap(s.copied, w)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (s *signInScreen) bindings(m *Model) []key.Binding { return nil }

func (s *signInScreen) busyBindings(m *Model) []key.Binding {
	if !m.signInWaiting() {
		return nil
	}
	bs := []key.Binding{m.keys.Copy}
	if m.deviceCode != nil && m.opts.OpenBrowser != nil {
		bs = append(bs, m.keys.Browser)
	}
	return append(bs, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop waiting")))
}

func (s *signInScreen) handleBusyKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	if !m.signInWaiting() {
		return nil, false
	}
	switch {
	case k.String() == "esc":
		if s.cancel != nil {
			s.cancel()
		}
		return nil, true
	case key.Matches(k, m.keys.Copy) && s.browserURL != "":
		s.copied = copyText(m, s.browserURL, "sign-in address")
		return nil, true
	case key.Matches(k, m.keys.Copy) && m.deviceCode != nil:
		s.copied = copyText(m, m.deviceCode.UserCode, "code")
		return nil, true
	case key.Matches(k, m.keys.Browser) && m.deviceCode != nil && m.opts.OpenBrowser != nil:
		if err := m.opts.OpenBrowser(m.deviceCode.VerificationURL); err != nil {
			s.copied = "Could not open the browser: " + steps.Clean(err.Error())
		} else {
			s.copied = "Opened the browser."
		}
		return nil, true
	}
	return nil, false
}

// handleFailureKey: on a consent failure, c copies the admin-consent link
// to send to an admin.
func (s *signInScreen) handleFailureKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	if link := consentLink(m.failed); link != "" && key.Matches(k, m.keys.Copy) {
		s.copied = copyText(m, link, "admin-consent link")
		return nil, true
	}
	return nil, false
}

// failureView says what c did with the admin-consent link.
func (s *signInScreen) failureView(m *Model, w int) string {
	if s.copied == "" {
		return ""
	}
	return m.st.ok.Render(wrap(s.copied, w))
}

// hardWrap breaks a long unbreakable string (a URL) at the width, so it
// stays whole on screen instead of running off the edge.
func hardWrap(s string, w int) string {
	if w < 20 {
		w = 20
	}
	r := []rune(s)
	var lines []string
	for len(r) > w {
		lines = append(lines, string(r[:w]))
		r = r[w:]
	}
	return strings.Join(append(lines, string(r)), "\n")
}

// spaced letter-spaces a short code so it reads (and is typed) easily.
func spaced(code string) string {
	if len(code) > 16 {
		return code
	}
	return strings.Join(strings.Split(code, ""), " ")
}

// copyText puts text on the clipboard through the program's output (OSC 52,
// tmux-aware) and the native clipboard, and says what happened.
func copyText(m *Model, text, what string) string {
	// The program renders to m.opts.Out, so it is the terminal.
	r := clipboard.Copy(clipboard.Request{Text: text, Term: m.opts.Out, TermIsTTY: true, Getenv: m.opts.Getenv})
	return what + ": " + steps.Clean(r.Message)
}
