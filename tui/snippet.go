package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
)

// snippetScreen hands over the connector's Aad record: coloured, copyable
// (c), writable to a file (w), with a link to the app in the admin center.
// The form only exists while a file name is being asked for.
type snippetScreen struct {
	formScreen
	path      string
	overwrite bool
	exists    bool
	status    string
}

func (s *snippetScreen) step() string  { return steps.StepSnippet }
func (s *snippetScreen) label() string { return "Snippet" }

func (s *snippetScreen) enter(m *Model) tea.Cmd {
	s.f, s.status = nil, ""
	m.snippet, m.failed = "", nil
	a := m.state.App
	if a == nil {
		m.failed = errors.New("no application yet: go back to Register")
		return nil
	}
	uri := steps.ResolveURI(m.desired.IdentifierURI, a.AppID)
	text, err := m.opts.Snippet(uri, a.DisplayName)
	if err != nil {
		m.failed = err
		return nil
	}
	m.snippet = text
	m.done[steps.StepSnippet] = true
	m.result.Done, m.result.Snippet, m.result.Summary = true, text, m.summary()
	return nil
}

func (s *snippetScreen) desired(m *Model) steps.Desired { return m.desired }

// previewNote keeps the preview pane for the request previews: the file
// prompt is not a Graph call.
func (s *snippetScreen) previewNote(m *Model) string {
	return "No request: this writes a local file only."
}

// defaultPath is <ConnectorName>.aad.pq: a safe file name from the app's
// display name, in the current folder.
func defaultPath(displayName string) string {
	n := m.ConnectorName(displayName)
	return regexp.MustCompile(`[^A-Za-z0-9_.-]`).ReplaceAllString(n, "") + ".aad.pq"
}

func (s *snippetScreen) askPath(m *Model) tea.Cmd {
	if s.path == "" {
		s.path = defaultPath(m.state.App.DisplayName)
	}
	s.exists, s.overwrite = false, false
	in := huh.NewInput().Title("Write the Aad record to").Value(&s.path).Validate(func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("give a file name, e.g. " + defaultPath(m.state.App.DisplayName))
		}
		return nil
	})
	return s.setForm(m, huh.NewForm(huh.NewGroup(in)), in)
}

// submit writes the file. An existing file is never replaced silently: the
// user is asked, and says yes, first.
func (s *snippetScreen) submit(m *Model) tea.Cmd {
	path := strings.TrimSpace(s.path)
	if s.exists && !s.overwrite {
		s.f, s.status = nil, "Kept "+path+"; nothing written (w to choose another name)."
		return nil
	}
	if !s.exists {
		if _, err := os.Stat(path); err == nil {
			s.exists = true
			c := huh.NewConfirm().Title(path + " exists. Replace it?").Affirmative("Replace").Negative("Keep it").Value(&s.overwrite)
			return s.setForm(m, huh.NewForm(huh.NewGroup(c)), c)
		} else if !errors.Is(err, fs.ErrNotExist) {
			s.f, s.status = nil, "Cannot write "+path+": "+err.Error()
			return nil
		}
	}
	s.f = nil
	if err := m.opts.WriteFile(path, m.snippet+"\n", s.overwrite); err != nil {
		s.status = "Could not write " + path + ": " + err.Error()
		return nil
	}
	s.status = "Wrote " + path + "."
	m.result.Summary = m.summary() + "\nWrote " + path
	return nil
}

func (s *snippetScreen) handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	if s.f != nil {
		if k.String() == "esc" {
			s.f, s.status = nil, "Nothing written."
			return nil, true
		}
		return nil, false
	}
	if m.snippet == "" {
		return nil, false
	}
	switch {
	case key.Matches(k, m.keys.Copy):
		s.status = copyText(m, m.snippet, "Aad record")
		return nil, true
	case key.Matches(k, m.keys.Write):
		s.path = ""
		return s.askPath(m), true
	case key.Matches(k, m.keys.Done):
		return tea.Quit, true
	}
	return nil, false
}

func (s *snippetScreen) extra(m *Model) string {
	if m.snippet == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("Paste this into your connector's data source kind record, inside Authentication = [ … ]:\n\n")
	b.WriteString(m.highlight(m.snippet) + "\n\n")
	if s.status != "" {
		b.WriteString(m.st.ok.Render(s.status) + "\n")
	}
	if a := m.state.App; a != nil {
		b.WriteString(m.st.faint.Render("Your app in the Entra admin center: ") + portalLink(m, a.AppID) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func portalLink(m *Model, appID string) string {
	portal := m.opts.Portal
	if portal == "" {
		portal = "https://entra.microsoft.com"
	}
	return portal + "/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + appID
}

// summary is what is printed after the wizard closes.
func (m *Model) summary() string {
	a, t := m.state.App, m.state.Tenant
	if a == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Application:             %s\n", steps.Clean(a.DisplayName))
	fmt.Fprintf(&b, "Application (client) ID: %s\n", a.AppID)
	if t != nil {
		fmt.Fprintf(&b, "Directory (tenant) ID:   %s (%s)\n", t.ID, steps.Clean(t.DisplayName))
	}
	fmt.Fprintf(&b, "Application ID URI:      %s\n", steps.Clean(steps.ResolveURI(m.desired.IdentifierURI, a.AppID)))
	if sc := a.ScopeByValue(m.desired.Scope.Value); sc != nil {
		fmt.Fprintf(&b, "Scope:                   %s (%s can consent)\n", steps.Clean(sc.Value), steps.ConsentLabel(sc.Type))
	}
	var names []string
	for _, p := range a.PreAuthorized {
		names = append(names, steps.ClientLabel(p.AppID))
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "Preauthorized:           %s\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "Admin center:            %s", portalLink(m, a.AppID))
	return b.String()
}

func (s *snippetScreen) bindings(m *Model) []key.Binding {
	if s.f != nil {
		return []key.Binding{m.keys.Apply, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))}
	}
	return []key.Binding{m.keys.Copy, m.keys.Write, m.keys.Done, m.keys.Back}
}
