package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/tui/clipboard"
)

// signInScreen gets a Graph token: silently from the cache, else by device
// code, shown large with its URL. It has no form: the work happens in the
// browser, and the screen moves on by itself once the token arrives.
type signInScreen struct{ copied string }

func (s *signInScreen) step() string                            { return steps.StepSignIn }
func (s *signInScreen) form() *huh.Form                         { return nil }
func (s *signInScreen) desired(m *Model) (steps.Desired, error) { return m.flow.desired, nil }
func (s *signInScreen) submit(m *Model) tea.Cmd                 { return nil }
func (s *signInScreen) previewNote(m *Model) string             { return "" }
func (s *signInScreen) enter(m *Model) tea.Cmd {
	m.deviceCode = nil
	return m.startBusy("Checking for a saved sign-in…", m.signInCmd())
}

func (s *signInScreen) extra(m *Model, w int) string {
	dc := m.deviceCode
	if dc == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(wrap("Sign in to Microsoft Entra with an account that may register applications (any member user, unless your tenant restricts it).", w) + "\n\n")
	fmt.Fprintf(&b, "1. Open  %s\n", m.st.key.Render(steps.Clean(dc.VerificationURL)))
	fmt.Fprintf(&b, "2. Enter the code:\n\n%s\n", m.st.code.Render(spaced(steps.Clean(dc.UserCode))))
	if s.copied != "" {
		b.WriteString(m.st.ok.Render(wrap(s.copied, w)) + "\n")
	}
	if m.opts.Demo {
		b.WriteString(m.st.faint.Render(wrap("(demo: the built-in emulator approves the code by itself in a few seconds)", w)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (s *signInScreen) bindings(m *Model) []key.Binding {
	if m.deviceCode == nil {
		return nil
	}
	bs := []key.Binding{m.keys.Copy}
	if m.opts.OpenBrowser != nil {
		bs = append(bs, m.keys.Browser)
	}
	return bs
}

func (s *signInScreen) handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	dc := m.deviceCode
	if dc == nil {
		return nil, false
	}
	switch {
	case key.Matches(k, m.keys.Copy):
		s.copied = copyText(m, dc.UserCode, "code")
		return nil, true
	case key.Matches(k, m.keys.Browser) && m.opts.OpenBrowser != nil:
		if err := m.opts.OpenBrowser(dc.VerificationURL); err != nil {
			s.copied = "Could not open the browser: " + steps.Clean(err.Error())
		} else {
			s.copied = "Opened the browser."
		}
		return nil, true
	}
	return nil, false
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
