package tui

import "github.com/pqentra/pqentra/steps"

// BrowserURL shows the browser sign-in URL (graph.SignInEvents.OnBrowser):
// the screen keeps it visible, with c to copy, for when no browser opens.
func (e *Events) BrowserURL(url string) { e.post(browserURLMsg(steps.Clean(url))) }

type browserURLMsg string
