package tui

import (
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// preview is the exact request the current step will send, diffed from the
// form's answers against the state already read. Diff is pure and cheap, so
// it is recomputed on every frame: the pane follows the user's typing with
// no debounce, and never calls the directory.
func (m *Model) preview() string {
	s := m.screen()
	if s.form() == nil {
		return ""
	}
	if msg, ok := s.(interface{ previewNote(*Model) string }); ok {
		if n := msg.previewNote(m); n != "" {
			return n
		}
	}
	d := s.desired(m)
	if err := d.Normalize(); err != nil {
		return m.st.warn.Render("Not ready yet: " + err.Error())
	}
	p, err := steps.Diff(m.state, d, steps.Options{GraphBase: m.opts.Client.GraphBase(),
		Only: []string{s.step()}, NewID: m.newIDFunc()})
	if err != nil {
		return m.st.warn.Render(err.Error())
	}
	if p.Empty() {
		return m.st.ok.Render("Nothing to change: Graph already matches.") + "\nEnter moves on."
	}
	var b strings.Builder
	for i, c := range p.Changes {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m.st.paneTitle.Render("# "+steps.Clean(c.Summary)) + "\n")
		b.WriteString(steps.CleanMultiline(c.Preview()))
	}
	return strings.TrimRight(b.String(), "\n")
}
