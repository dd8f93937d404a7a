package tui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// snippetScreen hands over the connector's Aad record: coloured, copyable
// (c), writable to a file (w), with a link to the app in the admin center.
// The form only exists while a file name (or a yes to replace) is asked.
type snippetScreen struct {
	formScreen
	path      string
	overwrite bool
	exists    bool
	status    string
	undo      undoOffer // u: undo the run just made (undo.go)
	// service: s shows what the connector's service must accept instead
	// of the record (s again, or esc, goes back); c then copies that.
	service bool
	// onboarding: o shows, for a multitenant app, what to send the
	// organizations that use the connector (o again, or esc, goes back);
	// c then copies that.
	onboarding bool
}

func (s *snippetScreen) step() string { return steps.StepSnippet }

func (s *snippetScreen) enter(m *Model) tea.Cmd {
	s.f, s.status, s.service, s.onboarding = nil, "", false, false
	m.snippet, m.failed = "", nil
	text, err := m.flow.snippet()
	if err != nil {
		m.fail(err)
		return nil
	}
	m.snippet = text
	m.result.Done, m.result.Snippet, m.result.Summary = true, text, m.flow.closingSummary()
	return nil
}

func (s *snippetScreen) desired(m *Model) (steps.Desired, error) { return m.flow.desired, nil }

// previewNote keeps the preview pane for the request previews: the file
// prompt is not a Graph call.
func (s *snippetScreen) previewNote(m *Model) string {
	if p := s.undo.preview(m); p != "" {
		return p
	}
	return "No request: this writes a local file only."
}

func (s *snippetScreen) askPath(m *Model) tea.Cmd {
	s.path = m.flow.defaultSnippetPath()
	s.exists, s.overwrite = false, false
	in := huh.NewInput().Title("Write the Aad record to (a new file, or an SDK project folder: into its connector)").Value(&s.path).Validate(func(v string) error {
		return m.flow.checkSnippetPath(v)
	})
	return s.setForm(m, huh.NewForm(huh.NewGroup(in)), in)
}

// submit writes the file. An existing file is never replaced silently: the
// user is asked, and says yes, first.
func (s *snippetScreen) submit(m *Model) tea.Cmd {
	if s.undo.asking {
		return s.undo.answered(m, s)
	}
	path := strings.TrimSpace(s.path)
	if s.exists && !s.overwrite {
		s.f, s.status = nil, "Kept "+path+"; nothing written (w to choose another name)."
		return nil
	}
	said, err := m.flow.saveSnippet(path, m.snippet, s.overwrite)
	if errors.Is(err, errFileExists) {
		s.exists = true
		c := huh.NewConfirm().Title(path + " exists. Replace it?").Affirmative("Replace").Negative("Keep it").Value(&s.overwrite)
		return s.setForm(m, huh.NewForm(huh.NewGroup(c)), c)
	}
	s.f = nil
	if err != nil {
		s.status = steps.Clean(err.Error())
		return nil
	}
	s.status = said
	m.result.Summary = m.flow.closingSummary() // now naming the file
	return nil
}

func (s *snippetScreen) handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	// Another view (o, s, back to the record) starts at its top.
	view := [2]bool{s.onboarding, s.service}
	defer func() {
		if view != [2]bool{s.onboarding, s.service} {
			m.bodyOff = 0
		}
	}()
	if s.f != nil {
		if k.String() == "esc" {
			if s.undo.asking {
				s.undo.cancel()
				s.f = nil
				return nil, true
			}
			s.f, s.status = nil, "Nothing written."
			return nil, true
		}
		return nil, false
	}
	// A new action's line replaces the last one: no stale "Nothing
	// undone." or clipboard note under the next result.
	if key.Matches(k, m.keys.Copy, m.keys.Write, m.keys.Undo) {
		s.status = ""
		if !s.undo.done {
			s.undo.status = ""
		}
	}
	if s.undo.done && key.Matches(k, m.keys.Done) {
		return tea.Quit, true
	}
	if m.snippet == "" {
		return nil, false
	}
	switch {
	case s.onboarding && key.Matches(k, m.keys.Copy):
		s.status = copyText(m, m.flow.onboardingText(), "onboarding instructions")
		return nil, true
	case s.onboarding && (key.Matches(k, m.keys.Onboard) || k.String() == "esc"):
		s.onboarding, s.status = false, ""
		return nil, true
	case s.onboarding && key.Matches(k, m.keys.Done):
		return tea.Quit, true
	case s.onboarding:
		return nil, true // w, s and u act from the record: back to it first
	case key.Matches(k, m.keys.Onboard) && !s.service && m.flow.onboardingText() != "":
		s.onboarding, s.status = true, ""
		return nil, true
	case s.service && key.Matches(k, m.keys.Copy):
		s.status = copyText(m, m.flow.serviceText(), "service configuration")
		return nil, true
	case s.service && (key.Matches(k, m.keys.Service) || k.String() == "esc"):
		s.service, s.status = false, ""
		return nil, true
	case s.service && key.Matches(k, m.keys.Done):
		return tea.Quit, true
	case s.service:
		return nil, true // w and u act on the record: back to it first
	case key.Matches(k, m.keys.Service) && m.flow.serviceText() != "":
		s.service, s.status = true, ""
		return nil, true
	case key.Matches(k, m.keys.Copy):
		s.status = copyText(m, m.snippet, "Aad record")
		return nil, true
	case key.Matches(k, m.keys.Write):
		return s.askPath(m), true
	case key.Matches(k, m.keys.Done):
		return tea.Quit, true
	case key.Matches(k, m.keys.Undo) && s.undo.available(m):
		return s.undo.start(m), true
	}
	return nil, false
}

// extra shows the record unwrapped — wrapping would break its strings —
// cut at the window's edge with a marker; c and w take the whole of it.
// Everything else (o's onboarding, s's service configuration, the admin
// center link) wraps, URLs and ids whole or broken at the edge, never cut;
// a view taller than the window scrolls (view.go).
func (s *snippetScreen) extra(m *Model, w int) string {
	if s.undo.asking {
		return "" // room for the requests undo would send, on small screens too
	}
	if m.snippet == "" {
		return s.undo.view(m, w) // the app was undone: no snippet to hand over
	}
	var b strings.Builder
	if s.onboarding {
		for _, l := range strings.Split(strings.TrimRight(m.flow.onboardingText(), "\n"), "\n") {
			b.WriteString(wrap(l, w) + "\n")
		}
		if s.status != "" {
			b.WriteString("\n" + m.st.ok.Render(wrap(s.status, w)) + "\n")
		}
		b.WriteString("\n" + m.st.faint.Render(wrap("c copies it (whole); o or esc goes back to the Aad record.", w)))
		return strings.TrimRight(b.String(), "\n")
	}
	if s.service {
		b.WriteString(wrap("What your connector's service must accept. The same from the command line (add --format json, env or aspnet for JSON, KEY=value lines or appsettings.json):", w) + "\n")
		b.WriteString(wrap("  "+m.flow.serviceCommand(), w) + "\n\n")
		// The text's own first paragraph (which app, which tenant) is in
		// the header already.
		text := m.flow.serviceText()
		if _, rest, ok := strings.Cut(text, "\n\n"); ok {
			text = rest
		}
		for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			b.WriteString(wrap(l, w) + "\n")
		}
		if s.status != "" {
			b.WriteString("\n" + m.st.ok.Render(wrap(s.status, w)) + "\n")
		}
		b.WriteString("\n" + m.st.faint.Render(wrap("c copies it; s or esc goes back to the Aad record.", w)))
		return strings.TrimRight(b.String(), "\n")
	}
	b.WriteString(wrap("Paste this into your connector's data source kind record, inside Authentication = [ … ]:", w) + "\n\n")
	cut := false
	for _, l := range strings.Split(m.highlight(m.snippet), "\n") {
		c := clipLine(l, w)
		cut = cut || c != l
		b.WriteString(c + "\n")
	}
	if cut {
		b.WriteString(m.st.faint.Render(wrap("(→ cut at the window's edge: c copies and w writes the whole record)", w)) + "\n")
	}
	b.WriteString("\n")
	if s.status != "" {
		b.WriteString(m.st.ok.Render(wrap(s.status, w)) + "\n")
	}
	if len(m.flow.nextSteps) > 0 {
		b.WriteString(m.st.faint.Render(wrap("q prints how to try the sign-in with the Power Query SDK (VS Code and PQTest).", w)) + "\n")
	}
	if m.flow.serviceText() != "" && !s.undo.done {
		b.WriteString(m.st.faint.Render(wrap("s shows what your connector's service must accept: audiences, issuers, keys.", w)) + "\n")
	}
	if m.flow.onboardingText() != "" && !s.undo.done {
		b.WriteString(m.st.faint.Render(wrap("The app is multitenant: o shows what to send the organizations that use your connector.", w)) + "\n")
	}
	if u := s.undo.view(m, w); u != "" {
		b.WriteString(u + "\n")
	}
	if m.flow.state.App != nil && !s.undo.done {
		if n := m.flow.portalNote(); n != "" {
			b.WriteString(m.st.faint.Render(wrap(n, w)) + "\n")
		}
		link := m.flow.portalLink()
		if m.hyperlinks {
			b.WriteString(hyperlink(link, "Open your app in the Entra admin center") + "\n")
		} else {
			// Broken at the edge, never cut: the app id is at its end. The
			// summary printed on q has it on one line.
			b.WriteString(m.st.faint.Render(wrap("Your app in the Entra admin center:", w)) + "\n" + breakLine(link, w) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func (s *snippetScreen) bindings(m *Model) []key.Binding {
	if s.f != nil {
		return []key.Binding{m.keys.Apply, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	}
	// s (the service configuration) is offered by a line under the
	// record rather than here: the help bar is full at 100 columns.
	switch {
	case s.onboarding:
		return []key.Binding{m.keys.Copy, m.keys.Onboard, m.keys.Done}
	case s.service:
		return []key.Binding{m.keys.Copy, m.keys.Service, m.keys.Done}
	case s.undo.available(m):
		return []key.Binding{m.keys.Copy, m.keys.Write, m.keys.Done, m.keys.Undo, m.keys.Back}
	case s.undo.done && m.snippet == "":
		return []key.Binding{m.keys.Done}
	}
	return []key.Binding{m.keys.Copy, m.keys.Write, m.keys.Done, m.keys.Back}
}
