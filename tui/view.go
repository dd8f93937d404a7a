package tui

import (
	"fmt"
	"github.com/charmbracelet/bubbles/key"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/pqentra/pqentra/steps"
)

// The screen's layout, by the window's size: header and footer pinned, the
// form and its guidance get the rows they need, and the request preview
// gets the rest, scrolling on its own (PgUp/PgDn, mouse wheel). A screen
// taller than its rows scrolls too, with the same keys, and says so.

// wideAt is the width from which the preview sits beside the form rather
// than under it.
const wideAt = 100

// Below this size no layout keeps header, form and keys readable.
const minWidth, minHeight = 60, 16

func (m *Model) wide() bool { return m.width >= wideAt }

func (m *Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m *Model) formWidth() int {
	if m.wide() {
		// Wide enough for "> api://{appId}" whole, so the URI field shows
		// the start of the URI at 100 columns.
		return max(47, m.width*9/20)
	}
	return max(20, m.width-2)
}

// mainWidth is the width of the form column (all of it without a preview).
func (m *Model) mainWidth() int {
	if m.wide() && m.hasPreview() {
		return m.formWidth()
	}
	return m.width
}

func (m *Model) hasPreview() bool { return m.pvText != "" }

// layout is one frame's parts. It is computed from the model without
// changing it: Update uses it to size the preview, View to draw.
type layout struct {
	header, main, footer string
	paneW, paneRows      int // the preview pane's size; rows 0: no pane
	rows                 int // between header and footer
	// The screen's own content when it is taller than rows: its lines,
	// and the rows it scrolls in (0: it fits).
	bodyLines, bodyRows int
}

func (m *Model) layout() layout {
	header := m.header(m.width)
	body := m.body(m.mainWidth())
	// The key help names PgUp/PgDn when something scrolls, and may take a
	// row more for them: laid out without them first, and again with them
	// when something turns out to scroll.
	l := m.fit(header, body, noScroll)
	if s := m.scrolls(l); s != noScroll {
		l = m.fit(header, body, s)
		if t := m.scrolls(l); t != s {
			// The row the keys took left nothing to scroll (a pane too
			// short to show): the key help says what is so, and the row
			// it gives back stays blank, the key help on the last row.
			f := m.footer(t)
			l.rows += lipgloss.Height(l.footer) - lipgloss.Height(f)
			l.footer = f
		}
	}
	return l
}

// scrollTarget is what PgUp/PgDn scroll.
type scrollTarget int

const (
	noScroll scrollTarget = iota
	scrollPreview
	scrollScreen
)

// fit lays header, body and the key help (naming the keys that scroll s)
// out in the window.
func (m *Model) fit(header, body string, s scrollTarget) layout {
	l := layout{header: header, footer: m.footer(s)}
	avail := m.height - lipgloss.Height(header) - lipgloss.Height(l.footer) - 1
	l.rows = avail
	l.main, l.bodyLines, l.bodyRows = m.scrolled(body, avail)
	switch {
	case !m.hasPreview():
	case m.wide():
		l.paneW, l.paneRows = m.width-m.formWidth()-4, avail // 1 gap, 2 border and padding
	default:
		l.paneW, l.paneRows = m.width, avail-lipgloss.Height(l.main)-1
		if l.paneRows < 3 {
			l.paneRows = 0
		}
	}
	return l
}

// scrolls is what PgUp/PgDn scroll in l: the preview pane when it is shown
// and the preview is taller than it, else the screen when it is taller
// than its rows.
func (m *Model) scrolls(l layout) scrollTarget {
	switch {
	case l.paneRows > 0 && m.pv.TotalLineCount() > l.paneRows-lipgloss.Height(m.paneTitle(l.paneW)):
		return scrollPreview
	case l.bodyRows > 0:
		return scrollScreen
	}
	return noScroll
}

// paneTitle is the preview's title; its URLs are relative to the Graph root.
func (m *Model) paneTitle(w int) string {
	return m.st.paneTitle.Render(wrap("Request preview", w)) + "\n" +
		m.st.faint.Render(wrap("URLs relative to "+m.opts.Client.GraphBase(), w))
}

// View hands out the frame drawn by the last update. It changes nothing
// and plans nothing: an idle wizard costs only its cursor blinks.
func (m *Model) View() string {
	if m.frame == "" {
		return m.compose(m.layout()) // before the first update
	}
	return m.frame
}

func (m *Model) tooSmallView() string {
	return wrap(fmt.Sprintf("pqentra: enlarge the window to at least %d×%d (it is %d×%d now).", minWidth, minHeight, m.width, m.height), max(10, m.width))
}

// compose draws a frame from its parts: the preview was planned, and its
// pane sized, when the answers or the window last changed.
func (m *Model) compose(l layout) string {
	body := l.main
	if l.paneRows > 0 {
		pane := m.paneTitle(l.paneW) + "\n" + m.pv.View()
		if m.paneCut() {
			pane += "\n" + m.st.faint.Render(m.moreMarker())
		}
		if m.wide() {
			left := lipgloss.NewStyle().Width(m.formWidth()).Render(l.main)
			right := m.st.pane.Render(fitLines(pane, l.paneW, l.paneRows))
			body = lipgloss.JoinHorizontal(lipgloss.Top, left, " ", right)
		} else {
			body = l.main + "\n" + fitLines(pane, l.paneW, l.paneRows)
		}
	} else if m.hasPreview() && lipgloss.Height(l.main)+2 <= l.rows {
		body += "\n\n" + m.st.faint.Render(clipLine("(The request preview needs a taller window.)", m.width))
	}
	// The footer keeps to the bottom row.
	if n := lipgloss.Height(body); n < l.rows {
		body += strings.Repeat("\n", l.rows-n)
	}
	return l.header + "\n" + body + "\n" + l.footer
}

// paneCut: the preview is shown, and taller than its pane.
func (m *Model) paneCut() bool { return m.pvRows > 0 && m.pv.TotalLineCount() > m.pv.Height }

func (m *Model) moreMarker() string { return moreMarker(m.pv.AtTop(), m.pv.AtBottom()) }

// moreMarker says that a scrolling part has more, where, and how to get
// to it.
func moreMarker(atTop, atBottom bool) string {
	switch {
	case atBottom:
		return "↑ more above (PgUp, mouse wheel)"
	case atTop:
		return "↓ more below (PgDn, mouse wheel)"
	}
	return "↕ more above and below (PgUp/PgDn, mouse wheel)"
}

// scrolled fits the screen's content s into n rows: whole when it fits;
// otherwise the rows from bodyOff on, and a last row saying there is more
// and how to scroll to it. It returns the lines of s and the rows they
// scroll in (0: no scrolling).
func (m *Model) scrolled(s string, n int) (shown string, lines, rows int) {
	all := strings.Split(s, "\n")
	if len(all) <= n {
		return s, len(all), 0
	}
	if n < 2 {
		return strings.Join(all[:max(0, n)], "\n"), len(all), 0
	}
	rows = n - 1
	off := min(max(0, m.bodyOff), len(all)-rows)
	marker := m.st.faint.Render(moreMarker(off == 0, off+rows >= len(all)))
	return strings.Join(append(all[off:off+rows:off+rows], marker), "\n"), len(all), rows
}

// scrollBody moves the screen's content by delta lines, within its ends.
func (m *Model) scrollBody(delta int) {
	m.bodyOff = min(max(0, m.bodyOff+delta), max(0, m.bodyLines-m.bodyRows))
}

// scrollPage is PgUp (-1) or PgDn (1): the preview pane when it has more
// to show, else the screen's content when it is taller than the window.
func (m *Model) scrollPage(dir int) {
	switch {
	case m.paneCut() || m.bodyRows == 0:
		if dir < 0 {
			m.pv.PageUp()
		} else {
			m.pv.PageDown()
		}
	default:
		m.scrollBody(dir * m.bodyRows)
	}
}

// header is pinned: title, progress, who and where, the app's ids, and the
// last step's result.
func (m *Model) header(w int) string {
	top := []string{clipLine(m.st.title.Render("pqentra")+m.st.faint.Render(" · Microsoft Entra for a Power Query connector"), w),
		wrap(m.progress(), w)}
	if id := m.identity(w); id != "" {
		top = append(top, id)
	}
	if f := m.facts(w); f != "" {
		top = append(top, f)
	}
	if m.flash != "" {
		top = append(top, m.st.ok.Render(wrap(m.flash, w)))
	}
	if m.notice != "" && m.busy != "" {
		top = append(top, m.st.warn.Render(wrap(m.notice, w)))
	}
	return strings.Join(top, "\n") + "\n"
}

// body is the current screen: its form (or its own content), guidance, the
// spinner while a call is out, and the error with its fix.
func (m *Model) body(w int) string {
	s := m.screen()
	idle := m.busy == "" && m.failed == nil
	var parts []string
	switch {
	case idle && m.review:
		parts = append(parts, m.st.warn.Render(wrap("Not all of the requests fit with the answers: here they are. Enter sends them once all have been on the screen; Esc goes back to the answers.", w)))
	case idle:
		if f := s.form(); f != nil {
			// huh pads a form to its tallest page; the blank rows are the
			// preview's.
			parts = append(parts, strings.TrimRight(f.View(), " \n"))
		}
		if x := s.extra(m, w); x != "" {
			parts = append(parts, x)
		}
	case m.busy != "":
		if b, ok := s.(busyScreen); ok {
			if x := b.busyView(m, w); x != "" {
				parts = append(parts, x)
			}
		}
	}
	if m.busy != "" {
		parts = append(parts, m.spin.View()+" "+m.busy)
	}
	if m.failed != nil {
		parts = append(parts, m.errorView(w))
		if h, ok := s.(failureKeyHandler); ok {
			if x := h.failureView(m, w); x != "" {
				parts = append(parts, x)
			}
		}
	}
	if m.confirmQuit {
		parts = append(parts, m.st.bad.Render("A change is being sent. Quit anyway? (y/N)")+"\n"+
			m.st.faint.Render(wrap("Nothing is left half-made: run "+m.opts.Command.Line()+" again to finish.", w)))
	}
	return strings.Join(parts, "\n\n")
}

// errorView shows the engine's translation: what happened and how to fix
// it, then the ways out — always one to edit the answer that caused it.
func (m *Model) errorView(w int) string {
	msg, hint := steps.CleanMultiline(m.failed.Error()), ""
	if e, ok := steps.AsError(m.failed); ok {
		msg = steps.Clean(e.Message)
		if e.Code != "" {
			msg = steps.Clean(e.Code) + ": " + msg
		}
		hint = steps.CleanMultiline(e.Hint)
	}
	if isCaution(m.failed) {
		// Not a failure: the app found by name carries what pqentra never
		// sets, and nothing was sent (caution.go).
		return m.st.warn.Render("⚠ ") + wrap(msg, w-2) + "\n" +
			m.st.faint.Render(wrap("Nothing was sent. enter: go on with this app · e: edit the application", w))
	}
	out := m.st.bad.Render("✗ ") + wrap(msg, w-2)
	if hint != "" {
		out += "\n" + m.st.hint.Render(wrap("Fix: "+hint, w))
	}
	ways := "enter: retry"
	if consentLink(m.failed) != "" {
		ways += " · c: copy the admin-consent link"
	}
	if m.canEdit() {
		ways += " · e: edit " + editWhat(m.recovery.edit)
	}
	if m.recovery.back {
		ways += " · esc: previous step"
	}
	return out + "\n" + m.st.faint.Render(wrap(ways, w))
}

// editWhat names the answer 'e' goes to.
func editWhat(step string) string {
	switch step {
	case steps.StepRegister:
		return "the application"
	case steps.StepIdentifierURI:
		return "the Application ID URI"
	case steps.StepScope:
		return "the scope"
	case steps.StepPreauthorize:
		return "the clients"
	}
	return "the answers"
}

// footer is the key help for the current screen, naming the keys that
// scroll s.
func (m *Model) footer(s scrollTarget) string {
	km := *m.keys
	switch {
	case m.failed != nil:
		// The ways out are under the error; the bar keeps to the wizard's.
	case m.busy != "":
		if b, ok := m.screen().(busyScreen); ok {
			km.shown = b.busyBindings(m)
		}
	case m.review:
		enter := "send"
		if !m.previewSeen() {
			enter = "more" // Enter reads on first (Model.key)
		}
		km.shown = []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", enter)),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the answers"))}
	default:
		km.shown = m.screen().bindings(m)
	}
	switch s {
	case scrollPreview:
		km.shown = append(km.shown, m.keys.PageDown)
	case scrollScreen:
		km.shown = append(km.shown, m.keys.Scroll)
	}
	if m.showHelp {
		h := m.help
		h.ShowAll = true
		return fitLines(h.View(&km), m.width, m.height)
	}
	return m.keyLine(km.ShortHelp(), m.width)
}

// keyLine is the short key help, wrapped between bindings so that at 80
// columns no key or description is cut.
func (m *Model) keyLine(bs []key.Binding, w int) string {
	sep := m.st.sep.Render(" • ")
	var lines []string
	line, lineW := "", 0
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		item := m.st.key.Render(b.Help().Key) + " " + m.st.faint.Render(b.Help().Desc)
		iw := ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
		switch {
		case line == "":
			line, lineW = item, iw
		case lineW+3+iw <= w:
			line, lineW = line+sep+item, lineW+3+iw
		default:
			lines = append(lines, line)
			line, lineW = item, iw
		}
	}
	return strings.Join(append(lines, line), "\n")
}
