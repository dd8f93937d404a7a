package tui

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// screen is one step of the quickstart. Form screens build a huh form from
// the wizard's shared state on enter and hand their answers back through
// desired; the root model does the rest (preview, apply, errors, going
// back), so every screen behaves the same.
type screen interface {
	step() string
	label() string
	enter(m *Model) tea.Cmd
	form() *huh.Form
	desired(m *Model) steps.Desired
	submit(m *Model) tea.Cmd
	extra(m *Model) string
	bindings(m *Model) []key.Binding
}

// keyHandler is implemented by screens with keys of their own (sign-in,
// snippet, the preauthorize confirmation).
type keyHandler interface {
	handleKey(m *Model, k tea.KeyMsg) (tea.Cmd, bool)
}

// Model is the wizard's root: shared state plus the current screen.
type Model struct {
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc
	st     styles
	keys   *keyMap
	help   help.Model
	spin   spinner.Model

	screens []screen
	cur     int
	done    map[string]bool

	// What the wizard knows: the desired state (grown screen by screen) and
	// the directory state last read. Read only after an apply; the preview
	// diffs against this copy.
	desired steps.Desired
	state   steps.State
	scopeID string // id a new scope will get, fixed so the preview shows what is sent

	width, height int
	busy          string // spinner label while a call is out
	applying      bool   // a write is out: Ctrl-C asks first
	failed        error  // error on the current screen
	failedStep    string
	flash         string // the last step's result
	notice        string // from the graph client (throttling, replication)
	confirmQuit   bool
	showHelp      bool

	// findings is the doctor's view of an existing app the user picked,
	// shown on the next screen: what the remaining steps will put right.
	findings []steps.Finding

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
	d := o.Desired
	if d.Scope.Value == "" {
		d.Scope.Value = steps.DefaultScopeValue
	}
	if d.Scope.Type == "" {
		d.Scope.Type = steps.ConsentUsers
	}
	if d.Clients == nil {
		d.Clients = steps.DefaultClients()
	}
	if d.IdentifierURI == "" {
		d.IdentifierURI = steps.DefaultIdentifierURI
	}
	m := &Model{opts: o, ctx: ctx, cancel: cancel, st: newStyles(o.Color), keys: newKeys(),
		help: help.New(), spin: spinner.New(spinner.WithSpinner(spinner.Dot)),
		desired: d, done: map[string]bool{}, scopeID: steps.NewGUID(), width: 80, height: 24}
	m.screens = []screen{&signInScreen{}, &registerScreen{}, &appIDURIScreen{}, &scopeScreen{}, &preauthScreen{}, &snippetScreen{}}
	return m
}

// Result is the outcome, for printing after the program exits.
func (m *Model) Result() Result { return m.result }

func (m *Model) newIDFunc() func() string {
	id := m.scopeID
	return func() string { return id }
}

func (m *Model) applyCtx() context.Context { return m.ctx }

func (m *Model) screen() screen { return m.screens[m.cur] }

// Init starts the sign-in right away: a cached token skips the screen.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.screen().enter(m), m.spin.Tick)
}

// goTo enters screen i, rebuilding its form from the shared state.
func (m *Model) goTo(i int) tea.Cmd {
	m.cur = i
	m.failed = nil
	m.confirmQuit = false
	return m.screen().enter(m)
}

// Update is the state machine's transition function.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.resizeForm()
		return m, nil
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case deviceCodeMsg:
		dc := DeviceCode(msg)
		m.deviceCode = &dc
		m.busy = "Waiting for you to sign in in the browser…"
		return m, nil
	case noticeMsg:
		m.notice = string(msg)
		return m, nil
	case signedInMsg:
		if msg.err != nil {
			m.busy, m.failed, m.failedStep = "", msg.err, steps.StepSignIn
			return m, nil
		}
		m.deviceCode = nil
		m.busy = "Reading your tenant…"
		return m, m.readCmd(m.desired)
	case readMsg:
		m.busy = ""
		if msg.err != nil {
			m.failed, m.failedStep = msg.err, steps.StepSignIn
			return m, nil
		}
		m.state, m.signedIn = msg.st, true
		m.done[steps.StepSignIn] = true
		return m, m.goTo(1)
	case appliedMsg:
		return m, m.applied(msg)
	case clientLookupMsg:
		if p, ok := m.screen().(*preauthScreen); ok {
			return m, p.looked(m, msg)
		}
		return m, nil
	case tea.KeyMsg:
		if cmd, handled := m.key(msg); handled {
			return m, cmd
		}
	}
	return m, m.updateForm(msg)
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
	if m.busy != "" && m.deviceCode == nil {
		return nil, true // only Ctrl-C while a call is out
	}
	if k.String() == "?" && !m.typing() {
		m.showHelp = !m.showHelp
		return nil, true
	}
	if m.failed != nil {
		switch {
		case key.Matches(k, m.keys.Retry):
			return m.retry(), true
		case key.Matches(k, m.keys.Edit) && m.cur > 0:
			m.failed = nil
			if b, ok := m.screen().(interface{ build(*Model) tea.Cmd }); ok {
				return b.build(m), true
			}
			return m.screen().enter(m), true
		case key.Matches(k, m.keys.Back) && m.cur > 1:
			return m.goTo(m.cur - 1), true
		}
		return nil, true
	}
	if h, ok := m.screen().(keyHandler); ok {
		if cmd, used := h.handleKey(m, k); used {
			return cmd, true
		}
	}
	if key.Matches(k, m.keys.Back) && m.cur > 1 {
		return m.goTo(m.cur - 1), true
	}
	if k.String() == "shift+tab" && m.cur > 1 && m.atFirstField() {
		return m.goTo(m.cur - 1), true
	}
	return nil, false
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
	fs, ok := m.screen().(interface{ firstField() huh.Field })
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
	nf, cmd := f.Update(msg)
	if s, ok := m.screen().(interface{ formUpdated() }); ok {
		s.formUpdated()
	}
	if hf, ok := nf.(*huh.Form); ok && hf.State == huh.StateCompleted {
		return tea.Batch(cmd, m.screen().submit(m))
	}
	return cmd
}

// startApply sends the current screen's changes.
func (m *Model) startApply(label string, d steps.Desired, reread bool) tea.Cmd {
	m.busy, m.applying, m.failed, m.notice = label, true, nil, ""
	return tea.Batch(m.applyCmd(m.screen().step(), d, m.state, reread), m.spin.Tick)
}

func (m *Model) applied(msg appliedMsg) tea.Cmd {
	m.busy, m.applying = "", false
	if msg.err != nil {
		m.failed, m.failedStep = msg.err, msg.step
		if msg.plan != nil && msg.plan.State.App != nil && msg.desired.AppID == "" {
			// The app was created before the failure: keep addressing it.
			m.state.App = msg.plan.State.App
		}
		return nil
	}
	m.desired, m.state = msg.desired, msg.st
	m.done[msg.step] = true
	m.flash = resultLine(msg)
	m.findings = nil
	if msg.step == steps.StepRegister && msg.desired.DisplayName == "" && msg.st.App != nil {
		m.findings = steps.Diagnose(steps.DiagnoseInput{Tenant: msg.st.Tenant, App: msg.st.App,
			ServicePrincipal: msg.st.ServicePrincipal, OwnersUnknown: true})
	}
	if msg.step == steps.StepScope {
		m.scopeID = steps.NewGUID() // that id is taken now
	}
	return m.goTo(m.cur + 1)
}

func (m *Model) retry() tea.Cmd {
	m.failed = nil
	if m.cur == 0 {
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
