package tui

import (
	"context"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// screen is one step of the quickstart in the full-screen wizard. A screen
// binds its form to the step's answers (answers.go), asks the flow to turn
// them into steps.Desired, and hands the flow's calls to the root model as
// tea.Cmds; the root model does the rest (preview, apply, errors, retry,
// edit, going back), so every screen behaves the same.
type screen interface {
	step() string
	// enter starts the screen from the flow's answers for its step.
	enter(m *Model) tea.Cmd
	form() *huh.Form
	// desired is the screen's answers as the flow validates them.
	desired(m *Model) (steps.Desired, error)
	submit(m *Model) tea.Cmd
	// extra is the screen's own content under its form, fitted to width w.
	// The root shows it only while the screen is idle: not while a call is
	// out, not while an error is shown.
	extra(m *Model, w int) string
	// bindings are the screen's keys for the help bar, asked for (and its
	// keyHandler called) only while the screen is idle too.
	bindings(m *Model) []key.Binding
}

// Optional abilities of a screen. Which screen has which is declared below
// (the var block), so an ability is never lost to a typo in a signature.
type (
	// builder rebuilds the form from the answers as they are (after an
	// error, 'e' keeps what the user typed).
	builder interface{ build(m *Model) tea.Cmd }
	// keyHandler has keys of its own (sign-in, snippet, a confirmation).
	keyHandler interface {
		handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool)
	}
	// previewNoter replaces the request preview with a note.
	previewNoter interface{ previewNote(m *Model) string }
	// formWatcher runs after every form update (on the program's goroutine).
	formWatcher interface{ formUpdated(m *Model) tea.Cmd }
	// firstFielder names the form's first field: shift+tab there leaves
	// the screen.
	firstFielder interface{ firstField() huh.Field }
	// messageHandler takes the screen's own messages (search results, a
	// client lookup).
	messageHandler interface {
		handleMsg(m *Model, msg tea.Msg) (tea.Cmd, bool)
	}
	// failureKeyHandler has keys that work while its error is shown (the
	// sign-in's c for the admin-consent link).
	failureKeyHandler interface {
		handleFailureKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool)
		// failureView is what those keys did, under the error.
		failureView(m *Model, w int) string
	}
	// busyScreen has content and keys while its call is out (the sign-in's
	// device code and browser URL, with c to copy and esc to stop).
	busyScreen interface {
		busyView(m *Model, w int) string
		busyBindings(m *Model) []key.Binding
		handleBusyKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool)
	}
)

var (
	_ busyScreen        = (*signInScreen)(nil)
	_ messageHandler    = (*signInScreen)(nil)
	_ failureKeyHandler = (*signInScreen)(nil)
	_ previewNoter      = (*signInScreen)(nil)

	_ builder        = (*registerScreen)(nil)
	_ formWatcher    = (*registerScreen)(nil)
	_ messageHandler = (*registerScreen)(nil)
	_ previewNoter   = (*registerScreen)(nil)
	_ firstFielder   = (*registerScreen)(nil)

	_ builder      = (*appIDURIScreen)(nil)
	_ firstFielder = (*appIDURIScreen)(nil)

	_ builder      = (*scopeScreen)(nil)
	_ firstFielder = (*scopeScreen)(nil)

	_ builder        = (*preauthScreen)(nil)
	_ keyHandler     = (*preauthScreen)(nil)
	_ messageHandler = (*preauthScreen)(nil)
	_ firstFielder   = (*preauthScreen)(nil)

	_ keyHandler     = (*snippetScreen)(nil)
	_ messageHandler = (*snippetScreen)(nil)
	_ previewNoter   = (*snippetScreen)(nil)
)

// Model is the full-screen wizard: the flow plus what is on screen.
type Model struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	st     styles
	keys   *keyMap
	help   help.Model
	spin   spinner.Model
	flow   *flow

	screens []screen
	cur     int

	width, height int
	busy          string   // spinner label while a call is out
	applying      bool     // a write is out: Ctrl-C asks first
	failed        error    // error on the current screen
	recovery      recovery // the ways out of it, as the flow says
	// review: the answers are in but the requests were not all on the
	// screen; they are shown now, Enter reads on to their end, and only
	// then does Enter send them.
	review      bool
	reviewLabel string
	flash       string // the last step's result
	notice      string // from the graph client (throttling, replication)
	confirmQuit bool
	showHelp    bool

	// The request preview: planned when the answers change (never in
	// View), shown in its own scrolling pane.
	pv     viewport.Model
	pvText string
	pvKey  previewKey
	pvRows int // rows the pane has, title and marker included
	// pvSeen is how many of the preview's lines, from its top, have been
	// on the screen since it last changed (previewSeen).
	pvSeen int
	// wentBack: the last key moved the focus back (shift+tab); the
	// preview does not read along then.
	wentBack   bool
	hyperlinks bool
	// The screen's own content, when taller than the window, scrolls
	// (PgUp/PgDn, mouse wheel) from its line bodyOff; bodyLines and
	// bodyRows are its size and its rows as last drawn (rows 0: it fit).
	bodyOff, bodyLines, bodyRows int

	// frame is the screen as of the last update: drawn once per update,
	// so View only hands it out.
	frame string

	deviceCode *DeviceCode
	signedIn   bool
	snippet    string
	result     Result
}

// New builds the wizard. ctx bounds every directory call.
func New(ctx context.Context, o Options) *Model {
	ctx, cancel := context.WithCancel(ctx)
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	m := &Model{opts: o, ctx: ctx, cancel: cancel, st: newStyles(o.Color), keys: newKeys(),
		help: help.New(), spin: spinner.New(spinner.WithSpinner(spinner.Dot)), flow: newFlow(o),
		width: 80, height: 24, pv: viewport.New(40, 5), hyperlinks: hyperlinksSupported(o.Getenv)}
	m.pv.KeyMap = viewport.KeyMap{} // PgUp/PgDn are routed by the model
	m.pv.MouseWheelEnabled = true
	for _, s := range wizardSteps {
		m.screens = append(m.screens, newScreen(s.id))
	}
	return m
}

func newScreen(id string) screen {
	switch id {
	case steps.StepSignIn:
		return &signInScreen{}
	case steps.StepRegister:
		return &registerScreen{}
	case steps.StepIdentifierURI:
		return &appIDURIScreen{}
	case steps.StepScope:
		return &scopeScreen{}
	case steps.StepPreauthorize:
		return &preauthScreen{}
	default:
		return &snippetScreen{}
	}
}

// Result is the outcome, for printing after the program exits.
func (m *Model) Result() Result { return m.result }

func (m *Model) screen() screen { return m.screens[m.cur] }

// Init starts the sign-in right away: a cached token skips the screen.
func (m *Model) Init() tea.Cmd { return m.screen().enter(m) }

// goToStep enters the screen of step id, rebuilding its form from the flow.
func (m *Model) goToStep(id string) tea.Cmd {
	m.cur = stepIndex(id)
	m.failed = nil
	m.confirmQuit = false
	m.pv.GotoTop()
	m.bodyOff = 0
	return m.screen().enter(m)
}

func (m *Model) next() tea.Cmd { return m.goToStep(m.flow.next(m.screen().step())) }

// canGoBack: every step after Register can go back; sign-in cannot be
// redone from inside the wizard.
func (m *Model) canGoBack() bool { return m.cur > stepIndex(steps.StepRegister) }

// back goes to the previous step. The last result line belongs to the step
// just left, so it goes too.
func (m *Model) back() tea.Cmd {
	m.flash = ""
	return m.goToStep(wizardSteps[m.cur-1].id)
}

// startBusy shows the spinner with label while a call is out.
func (m *Model) startBusy(label string, cmd tea.Cmd) tea.Cmd {
	m.busy = label
	return tea.Batch(cmd, m.spin.Tick)
}

// Update is the state machine's transition function.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	_, tick := msg.(spinner.TickMsg)
	m.refresh(!tick)
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.resizeForm()
		return nil
	case spinner.TickMsg:
		if m.busy == "" {
			return nil // idle: let the ticking stop
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case deviceCodeMsg:
		dc := DeviceCode(msg)
		m.deviceCode = &dc
		m.busy = "Waiting for you to enter the code and sign in…"
		return nil
	case noticeMsg:
		m.notice = string(msg)
		return nil
	case signedInMsg:
		if msg.err != nil {
			m.busy = ""
			m.fail(msg.err)
			return nil
		}
		m.deviceCode = nil
		return m.startBusy("Reading your tenant…", m.readCmd())
	case readMsg:
		m.busy = ""
		if msg.err != nil {
			m.fail(msg.err)
			return nil
		}
		m.flow.signedIn(msg.st)
		m.signedIn = true
		return m.next()
	case appliedMsg:
		return m.applied(outcome(msg))
	case cursor.BlinkMsg:
		// A steady cursor: blinking would wake the wizard twice a second
		// for nothing, and the idle budget is 0.5 % of a core.
		return nil
	case tea.MouseMsg:
		if m.wheelScrollsBody(msg) {
			if msg.Button == tea.MouseButtonWheelUp {
				m.scrollBody(-m.pv.MouseWheelDelta)
			} else {
				m.scrollBody(m.pv.MouseWheelDelta)
			}
			return nil
		}
		var cmd tea.Cmd
		m.pv, cmd = m.pv.Update(msg)
		return cmd
	case tea.KeyMsg:
		m.wentBack = msg.String() == "shift+tab"
		if cmd, handled := m.key(msg); handled {
			return cmd
		}
	}
	if h, ok := m.screen().(messageHandler); ok {
		if cmd, used := h.handleMsg(m, msg); used {
			return cmd
		}
	}
	return m.updateForm(msg)
}

// key handles the wizard-wide keys; it reports whether it used the key.
func (m *Model) key(k tea.KeyMsg) (tea.Cmd, bool) {
	if m.confirmQuit {
		switch k.String() {
		case "y", "Y":
			m.result.Canceled = true
			m.cancel()
			return tea.Quit, true
		case "n", "N", "esc", "enter":
			m.confirmQuit = false
		}
		return nil, true
	}
	if key.Matches(k, m.keys.Quit) {
		if m.applying {
			m.confirmQuit = true
			return nil, true
		}
		m.result.Canceled = !m.result.Done
		m.cancel()
		return tea.Quit, true
	}
	switch {
	case key.Matches(k, m.keys.PageDown):
		m.scrollPage(1)
		return nil, true
	case key.Matches(k, m.keys.PageUp):
		m.scrollPage(-1)
		return nil, true
	}
	if m.busy != "" {
		// Only Ctrl-C while a call is out, and the keys of a screen that
		// has some then (the sign-in's copy and esc).
		if h, ok := m.screen().(busyScreen); ok {
			if cmd, used := h.handleBusyKey(m, k); used {
				return cmd, true
			}
		}
		return nil, true
	}
	if k.String() == "?" && !m.typing() {
		m.showHelp = !m.showHelp
		return nil, true
	}
	if m.failed != nil {
		if h, ok := m.screen().(failureKeyHandler); ok {
			if cmd, used := h.handleFailureKey(m, k); used {
				return cmd, true
			}
		}
		switch {
		case key.Matches(k, m.keys.Retry):
			return m.retry(), true
		case key.Matches(k, m.keys.Edit) && m.canEdit():
			return m.edit(), true
		case key.Matches(k, m.keys.Back) && m.recovery.back:
			return m.back(), true
		}
		return nil, true
	}
	if m.review {
		switch {
		case key.Matches(k, m.keys.Apply) && !m.previewSeen() && m.pvRows > 0 && !m.pv.AtBottom():
			// Not all of them on the screen yet: Enter reads on.
			m.pv.PageDown()
			return nil, true
		case key.Matches(k, m.keys.Apply):
			m.review = false
			return m.send(m.reviewLabel), true
		case key.Matches(k, m.keys.Back):
			m.review = false
			return m.edit(), true
		}
		return nil, true
	}
	if h, ok := m.screen().(keyHandler); ok {
		if cmd, used := h.handleKey(m, k); used {
			return cmd, true
		}
	}
	if key.Matches(k, m.keys.Back) && m.canGoBack() {
		return m.back(), true
	}
	if k.String() == "shift+tab" && m.canGoBack() && m.atFirstField() {
		return m.back(), true
	}
	return nil, false
}

// wheelScrollsBody: the mouse wheel turned over a screen taller than the
// window, where the preview pane has nothing to scroll (or beside it).
func (m *Model) wheelScrollsBody(msg tea.MouseMsg) bool {
	wheel := msg.Action == tea.MouseActionPress && (msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown)
	return wheel && m.bodyRows > 0 && (!m.paneCut() || m.wide() && msg.X < m.formWidth())
}

// canEdit: an error caused by an answer offers to edit that answer.
func (m *Model) canEdit() bool { return m.recovery.edit != "" }

// edit goes to the answer that caused the error: on this screen, the form
// as the user left it; on another step's screen, that screen afresh.
func (m *Model) edit() tea.Cmd {
	if e := m.recovery.edit; e != "" && e != m.screen().step() {
		return m.goToStep(e)
	}
	m.failed = nil
	if b, ok := m.screen().(builder); ok {
		return b.build(m)
	}
	return m.screen().enter(m)
}

// fail shows err on the current screen, with the ways out the flow offers.
func (m *Model) fail(err error) {
	m.failed = err
	m.recovery = m.flow.recovery(m.screen().step(), err)
}

// typing reports whether a text field has the focus, where ? is a character.
func (m *Model) typing() bool {
	f := m.screen().form()
	if f == nil || f.State != huh.StateNormal {
		return false
	}
	switch f.GetFocusedField().(type) {
	case *huh.Input, *huh.Text:
		return true
	}
	return false
}

// atFirstField: shift+tab on the first field leaves the screen, so one key
// walks all the way back through fields and steps.
func (m *Model) atFirstField() bool {
	f := m.screen().form()
	fs, ok := m.screen().(firstFielder)
	if f == nil || f.State != huh.StateNormal || !ok {
		return true
	}
	return f.GetFocusedField() == fs.firstField()
}

func (m *Model) updateForm(msg tea.Msg) tea.Cmd {
	f := m.screen().form()
	if f == nil || f.State != huh.StateNormal || m.busy != "" {
		return nil
	}
	focused := f.GetFocusedField()
	nf, cmd := f.Update(msg)
	if f.State == huh.StateNormal && f.GetFocusedField() != focused && !m.wentBack {
		m.readAlong()
	}
	if w, ok := m.screen().(formWatcher); ok {
		cmd = tea.Batch(cmd, w.formUpdated(m))
	}
	if hf, ok := nf.(*huh.Form); ok && hf.State == huh.StateCompleted {
		return tea.Batch(cmd, m.screen().submit(m))
	}
	return cmd
}

// readAlong: the focus moved on to the next field. When the preview pane
// has its top on the screen and the rest of the preview fits one more
// pane, the pane shows that rest: the requests are read along with the
// answers, so a request up to two panes long has been on the screen whole
// when Enter on the last field sends it (the Preauthorize step's at
// 140×40, 37 lines in a pane of 30 rows). A longer one stays at its top,
// where its method and URL are, and Enter shows it whole first (apply).
// Going back leaves the pane where it is.
func (m *Model) readAlong() {
	if m.paneCut() && m.pvSeen >= m.pv.YOffset+m.pv.Height && m.pv.TotalLineCount()-m.pvSeen <= m.pv.Height {
		m.pv.GotoBottom()
	}
}

// apply sends the current screen's answers, as the flow validates them.
// Requests the user has not had wholly on the screen — the pane cut them
// off, or the window left it no room — are shown first (the review), and
// only a second Enter sends them: nothing is applied unseen. A preview the
// user has scrolled through to its end counts as seen.
func (m *Model) apply(label string) tea.Cmd {
	d, err := m.screen().desired(m)
	if err != nil {
		m.fail(err)
		return nil
	}
	if m.hasPreview() && !m.previewSeen() && !m.previewEmpty(d) {
		m.review, m.reviewLabel = true, label
		m.pv.GotoTop()
		return nil
	}
	return m.send(label)
}

// previewSeen: every line of the preview (the requests, or the note that
// says in words what Enter sends) has been in the pane since the preview
// last changed — all at once, by scrolling down to its end, or on the
// review. A pane too short to show, or one cut before its end, is not a
// preview of what is below the cut.
func (m *Model) previewSeen() bool {
	return m.pvSeen >= m.pv.TotalLineCount()
}

// notePreviewShown counts the lines of the preview the frame just drawn
// shows, when they follow on from those already seen; it reports whether
// that made the preview seen whole.
func (m *Model) notePreviewShown() bool {
	if m.pvRows == 0 || m.pv.YOffset > m.pvSeen {
		return false
	}
	was := m.previewSeen()
	m.pvSeen = max(m.pvSeen, min(m.pv.YOffset+m.pv.Height, m.pv.TotalLineCount()))
	return !was && m.previewSeen()
}

// send sends the current screen's answers.
func (m *Model) send(label string) tea.Cmd {
	d, err := m.screen().desired(m)
	if err != nil {
		m.fail(err)
		return nil
	}
	m.applying, m.failed, m.notice = true, nil, ""
	return m.startBusy(label, m.applyCmd(m.flow.request(m.screen().step(), d)))
}

// previewEmpty: the step would send nothing for d (Enter just moves on).
func (m *Model) previewEmpty(d steps.Desired) bool {
	p, err := m.flow.plan(m.screen().step(), d)
	return err == nil && p.Empty()
}

func (m *Model) applied(o outcome) tea.Cmd {
	m.busy, m.applying = "", false
	line, err := m.flow.commit(o)
	if err != nil {
		m.fail(err)
		return nil
	}
	m.flash = line
	return m.next()
}

func (m *Model) retry() tea.Cmd {
	m.failed = nil
	if m.screen().step() == steps.StepSignIn {
		return m.screen().enter(m)
	}
	return m.screen().submit(m)
}

func (m *Model) resizeForm() {
	if f := m.screen().form(); f != nil {
		f.WithWidth(m.formWidth())
		fitForm(f, m)
	}
}
