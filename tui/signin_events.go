package tui

import "github.com/pqentra/pqentra/steps"

// BrowserURL shows the browser sign-in URL (graph.SignInEvents.OnBrowser):
// the screen keeps it visible, with c to copy, for when no browser opens.
func (e *Events) BrowserURL(url string) { e.post(browserURLMsg(steps.Clean(url))) }

// SignInNote shows a sign-in note on the sign-in screen: why auto moved on
// to the browser, or that no browser could be opened.
func (e *Events) SignInNote(note string) { e.post(signInNoteMsg(steps.Clean(note))) }

type (
	browserURLMsg string
	signInNoteMsg string
)
