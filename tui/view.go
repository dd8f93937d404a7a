package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/pqentra/pqentra/steps"
)

// wideAt is the width from which the preview sits beside the form rather
// than under it.
const wideAt = 100

func (m *Model) wide() bool { return m.width >= wideAt }

func (m *Model) formWidth() int {
	if m.wide() {
		return max(40, m.width*9/20)
	}
	return max(20, m.width-2)
}

// View draws header, screen, preview and help, fitted to the window: on a
// narrow terminal the preview goes under the form and is cut to the rows
// left, so 80×24 (and 60 columns) keep the form and keys visible.
func (m *Model) View() string {
	w := max(20, m.width)
	var top []string
	top = append(top, m.st.title.Render("pqentra")+m.st.faint.Render(" · Microsoft Entra for a Power Query connector"))
	top = append(top, wrap(m.progress(), w))
	if id := m.identity(); id != "" {
		top = append(top, wrap(id, w))
	}
	if f := m.facts(); f != "" {
		top = append(top, wrap(f, w))
	}
	if m.flash != "" && m.cur > 0 {
		top = append(top, m.st.ok.Render(m.flash))
	}
	if m.notice != "" && m.busy != "" {
		top = append(top, m.st.warn.Render(wrap(m.notice, w)))
	}
	header := strings.Join(top, "\n") + "\n"

	footer := m.footer(w)
	avail := max(3, m.height-lipgloss.Height(header)-lipgloss.Height(footer)-1)

	main := m.body(w)
	prev := m.preview()
	var body string
	switch {
	case prev == "":
		body = clip(main, avail)
	case m.wide():
		fw := m.formWidth()
		left := lipgloss.NewStyle().Width(fw).Render(clip(main, avail))
		right := m.st.pane.Width(w - fw - 3).Render(clip(m.st.paneTitle.Render("Request preview")+"\n"+prev, avail))
		body = lipgloss.JoinHorizontal(lipgloss.Top, left, " ", right)
	default:
		main = clip(main, avail)
		left := avail - lipgloss.Height(main) - 1
		if left >= 2 {
			body = main + "\n" + clip(m.st.paneTitle.Render("Request preview")+"\n"+wrap(prev, w), left)
		} else {
			body = main
		}
	}
	return header + "\n" + body + "\n" + footer
}

// body is the current screen: its form (or its own content), guidance, the
// spinner while a call is out, and the error with its fix.
func (m *Model) body(w int) string {
	s := m.screen()
	var parts []string
	if f := s.form(); f != nil && m.busy == "" && m.failed == nil {
		parts = append(parts, f.View())
	}
	if x := s.extra(m); x != "" {
		parts = append(parts, wrap(x, min(w, m.formWidthOrFull())))
	}
	if m.busy != "" {
		parts = append(parts, m.spin.View()+" "+m.busy)
	}
	if m.failed != nil {
		parts = append(parts, m.errorView(min(w, m.formWidthOrFull())))
	}
	if m.confirmQuit {
		parts = append(parts, m.st.bad.Render("A change is being sent. Quit anyway? (y/N)")+"\n"+
			m.st.faint.Render("Nothing is left half-made: run pqentra again to finish."))
	}
	return strings.Join(parts, "\n\n")
}

func (m *Model) formWidthOrFull() int {
	if m.wide() && m.screen().form() != nil {
		return m.formWidth()
	}
	return m.width
}

// errorView shows the engine's translation: what happened and how to fix
// it, then the ways out.
func (m *Model) errorView(w int) string {
	msg, hint := steps.CleanMultiline(m.failed.Error()), ""
	if e, ok := steps.AsError(m.failed); ok {
		msg = steps.Clean(e.Message)
		if e.Code != "" {
			msg = steps.Clean(e.Code) + ": " + msg
		}
		hint = steps.CleanMultiline(e.Hint)
	}
	out := m.st.bad.Render("✗ ") + wrap(msg, w-2)
	if hint != "" {
		out += "\n" + m.st.hint.Render(wrap("Fix: "+hint, w))
	}
	ways := "enter: retry"
	if m.cur > 0 {
		ways += " · e: edit the answers"
	}
	if m.cur > 1 {
		ways += " · esc: previous step"
	}
	return out + "\n" + m.st.faint.Render(ways)
}

func (m *Model) footer(w int) string {
	m.keys.shown = m.screen().bindings(m)
	m.help.ShowAll = m.showHelp
	return m.help.View(m.keys)
}

// wrap breaks text to width (lipgloss keeps ANSI styles intact).
func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	return lipgloss.NewStyle().Width(w).Render(s)
}

// clip keeps the first n lines, saying that more is hidden.
func clip(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return strings.Join(append(lines[:n-1], "… (more below: enlarge the window to see it)"), "\n")
}
