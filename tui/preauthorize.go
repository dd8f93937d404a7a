package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

var errEmptyText = errors.New("Entra requires this text")

// preauthScreen preauthorizes client apps for the scope. Preauthorizing
// skips consent, so another client ID is looked up and shown by name, and
// must be confirmed, before it is added.
type preauthScreen struct {
	formScreen
	known   []string
	other   string
	looking bool
	// confirm is the other client waiting for y/n; trusted is the one the
	// user said yes to.
	confirm *clientLookupMsg
	trusted string
}

func (s *preauthScreen) step() string  { return steps.StepPreauthorize }
func (s *preauthScreen) label() string { return "Preauthorize" }

func (s *preauthScreen) enter(m *Model) tea.Cmd {
	s.known, s.other, s.confirm, s.looking, s.trusted = nil, "", nil, false, ""
	for _, id := range m.desired.Clients {
		if _, ok := steps.KnownClientByAppID(id); ok {
			s.known = append(s.known, strings.ToLower(id))
		} else {
			s.other, s.trusted = id, id // confirmed when it was added
		}
	}
	return s.build(m)
}

// build makes the form from the screen's current answers (also after an
// error, so 'e' keeps what the user typed).
func (s *preauthScreen) build(m *Model) tea.Cmd {
	var opts []huh.Option[string]
	for _, c := range steps.KnownClients {
		on := slices.ContainsFunc(s.known, func(id string) bool { return strings.EqualFold(id, c.AppID) })
		opts = append(opts, huh.NewOption(clientOption(c), c.AppID).Selected(on))
	}
	ms := huh.NewMultiSelect[string]().Title("Client applications to preauthorize").
		Description("Both Power Query clients are needed: Excel/Desktop sign-in and Power BI refresh.").
		Options(opts...).Value(&s.known)
	f := huh.NewForm(huh.NewGroup(ms,
		huh.NewInput().Title("Other client ID (optional)").Placeholder("00001111-aaaa-2222-bbbb-3333cccc4444").
			Value(&s.other).Validate(func(v string) error {
			if v = strings.TrimSpace(v); v == "" {
				return nil
			}
			return steps.ValidateGUID("client id", v)
		})))
	return s.setForm(m, f, ms)
}

func (s *preauthScreen) clients() []string {
	out := slices.Clone(s.known)
	if o := strings.ToLower(strings.TrimSpace(s.other)); steps.IsGUID(o) {
		out = append(out, o)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func (s *preauthScreen) desired(m *Model) steps.Desired {
	d := m.desired
	d.Clients = s.clients()
	return d
}

func (s *preauthScreen) submit(m *Model) tea.Cmd {
	other := strings.ToLower(strings.TrimSpace(s.other))
	if other != "" && other != s.trusted {
		if _, known := steps.KnownClientByAppID(other); !known {
			s.looking = true
			m.busy = "Looking up " + other + "…"
			return tea.Batch(m.lookupClientCmd(other), m.spin.Tick)
		}
	}
	return s.apply(m)
}

func (s *preauthScreen) apply(m *Model) tea.Cmd {
	d := s.desired(m)
	if len(d.Clients) == 0 {
		m.failed = errors.New("no client chosen: Power Query cannot sign users in to your service unless its clients are preauthorized (or users consent). Choose at least Power Query for Excel and Power BI Data Refresh")
		return nil
	}
	if err := d.Normalize(); err != nil {
		m.failed = err
		return nil
	}
	return m.startApply("Preauthorizing the clients…", d, false)
}

// looked shows who the other client is and asks before trusting it.
func (s *preauthScreen) looked(m *Model, msg clientLookupMsg) tea.Cmd {
	m.busy, s.looking = "", false
	if msg.err != nil {
		m.failed = msg.err
		return nil
	}
	s.confirm = &msg
	return nil
}

func (s *preauthScreen) handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool) {
	if s.confirm == nil {
		return nil, false
	}
	switch k.String() {
	case "y", "Y":
		s.trusted, s.confirm = s.confirm.appID, nil
		return s.apply(m), true
	case "n", "N", "esc":
		s.confirm = nil
		return s.build(m), true
	}
	return nil, true
}

func (s *preauthScreen) form() *huh.Form {
	if s.confirm != nil {
		return nil
	}
	return s.f
}

func (s *preauthScreen) extra(m *Model) string {
	if c := s.confirm; c != nil {
		name := c.name
		if name == "" {
			name = "an application not found in this tenant (no service principal)"
		}
		return m.st.warn.Render(fmt.Sprintf("Trust %s (%s)?", name, c.appID)) + "\n" +
			wrap("A preauthorized client gets tokens for your scope without asking the user. Only add applications you own or know.", m.formWidthOrFull()) +
			"\n\n" + m.st.key.Render("y") + ": add it · " + m.st.key.Render("n") + ": go back"
	}
	if m.busy != "" || m.failed != nil {
		return ""
	}
	return m.st.faint.Render("space/x toggles a client; enter confirms.")
}

func (s *preauthScreen) bindings(m *Model) []key.Binding {
	return []key.Binding{m.keys.Apply, m.keys.Back}
}

// clientOption is a short checklist label: name and where Power Query uses it.
func clientOption(c steps.Client) string {
	where := map[string]string{steps.ClientExcel.AppID: "Desktop, Excel, gateway",
		steps.ClientRefresh.AppID: "Power BI service refresh", steps.ClientPowerApps.AppID: "optional"}[c.AppID]
	if where == "" {
		return c.Name
	}
	return c.Name + " (" + where + ")"
}
