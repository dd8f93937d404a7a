package tui

import "github.com/charmbracelet/bubbles/key"

// keys are the wizard's own bindings; huh's field keys (enter, tab,
// shift+tab, space/x) work inside the forms as usual.
type keyMap struct {
	Apply, Back, Help, Quit, Copy, Write, Browser, Retry, Edit, Done key.Binding
	Undo, Service, Onboard                                           key.Binding
	PageUp, PageDown, Scroll                                         key.Binding
	// shown is the set the current screen offers, for the help bar.
	shown []key.Binding
}

func newKeys() *keyMap {
	return &keyMap{
		Apply:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next / apply")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "previous step")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Quit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Copy:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy")),
		Write:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write to a file")),
		Browser: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open the browser")),
		Retry:   key.NewBinding(key.WithKeys("enter", "r"), key.WithHelp("enter", "retry")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit the answers")),
		Done:    key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "finish")),
		Undo:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo this run")),
		Service: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "back to the record")),
		Onboard: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "back to the record")),
		// The preview pane scrolls on its own; the form keeps the arrows.
		// A screen taller than the window (the last step's o and s views
		// at 80×24) scrolls with the same keys when the pane does not.
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "scroll the preview up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgup/pgdn", "scroll the preview")),
		Scroll:   key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgup/pgdn", "scroll")),
	}
}

// ShortHelp and FullHelp make keyMap a help.KeyMap.
func (k *keyMap) ShortHelp() []key.Binding { return append(k.shown, k.Help, k.Quit) }

func (k *keyMap) FullHelp() [][]key.Binding {
	// Two columns, short descriptions: bubbles' help cuts a column that
	// does not fit the window to "…", and at 80 columns three did not.
	return [][]key.Binding{k.shown, {
		key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab/enter", "next field")),
		key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous field")),
		key.NewBinding(key.WithKeys("x"), key.WithHelp("space/x", "toggle a checkbox")),
		key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgup/pgdn", "scroll the preview or a long screen")),
		k.Help, k.Quit,
	}}
}
