package tui

import (
	"reflect"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// previewKey is what the preview depends on: when none of it changed, the
// plan is not made again (an idle wizard plans nothing).
type previewKey struct {
	step    string
	d       steps.Desired
	derr    string
	note    string
	st      steps.State
	scopeID string
	width   int
	form    bool
	// deleted: the app in deleted items Register met (its restore is
	// what Enter sends now).
	deleted *steps.DeletedApp
}

// refresh runs after every update: when the answers may have changed it
// plans the preview (only if they did) and sizes its pane to the layout;
// then it draws the frame View will show.
func (m *Model) refresh(answers bool) {
	if m.tooSmall() {
		m.frame = m.tooSmallView()
		return
	}
	l := m.layout()
	if answers {
		if m.planPreview(l.paneW) {
			// The preview as planned: whether its pane shows, and
			// whether it scrolls (the key help says so).
			l = m.layout()
		}
		m.sizePane(l)
	}
	m.bodyLines, m.bodyRows = l.bodyLines, l.bodyRows
	m.frame = m.compose(l)
	if m.notePreviewShown() && m.review {
		// This frame showed the last of the requests: the key help says
		// Enter sends now.
		m.frame = m.compose(m.layout())
	}
}

func (m *Model) sizePane(l layout) {
	m.pvRows = l.paneRows
	if l.paneRows == 0 {
		return
	}
	m.pv.Width = l.paneW
	title := strings.Count(m.paneTitle(l.paneW), "\n") + 1
	rows := l.paneRows - title
	if m.pv.TotalLineCount() > rows {
		rows-- // the "more" marker
	}
	m.pv.Height = max(1, rows)
	if m.pv.YOffset > max(0, m.pv.TotalLineCount()-m.pv.Height) {
		m.pv.GotoBottom()
	}
}

// planPreview plans the preview for pane width w when what it depends on
// changed; it reports whether the preview's content changed.
func (m *Model) planPreview(w int) bool {
	if w <= 0 {
		w = max(20, m.width-2)
	}
	s := m.screen()
	k := previewKey{step: s.step(), st: m.flow.state, scopeID: m.flow.scopeID, width: w, form: s.form() != nil, deleted: m.flow.deleted}
	if k.form {
		if n, ok := s.(previewNoter); ok {
			k.note = n.previewNote(m)
		}
		var err error
		if k.d, err = s.desired(m); err != nil {
			k.derr = err.Error()
		}
	}
	if reflect.DeepEqual(k, m.pvKey) {
		return false
	}
	m.pvKey = k
	text := m.preview(k)
	if text != m.pvText {
		m.pvText = text
	}
	m.pv.SetContent(wrap(text, max(10, w)))
	m.pvSeen = 0 // what Enter sends is to be seen again
	return true
}

// preview is the exact request the current step will send, diffed from the
// answers against the state already read. It never calls the directory.
func (m *Model) preview(k previewKey) string {
	switch {
	case !k.form:
		return ""
	case k.note != "":
		return k.note
	case k.derr != "":
		return m.st.warn.Render("Not ready yet: " + k.derr)
	}
	p, err := m.flow.plan(k.step, k.d)
	if err != nil {
		return m.st.warn.Render(err.Error())
	}
	if p.Empty() {
		return m.st.ok.Render("Nothing to change: Graph already matches.") + "\nEnter moves on."
	}
	var warn string
	for _, w := range p.Warnings {
		warn += m.st.warn.Render("Warning: "+steps.CleanMultiline(w)) + "\n\n"
	}
	return warn + m.requestsView(p.Changes)
}

// requestsView shows requests as the preview pane does: each change's
// summary, then the request, URLs relative to the Graph root.
func (m *Model) requestsView(cs []steps.Change) string {
	base := m.opts.Client.GraphBase()
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(m.st.paneTitle.Render("# "+steps.Clean(c.Summary)) + "\n")
		b.WriteString(strings.ReplaceAll(steps.CleanMultiline(c.Preview()), base, ""))
	}
	return strings.TrimRight(b.String(), "\n")
}
