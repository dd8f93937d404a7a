package steps

import (
	"strings"
)

// Command is how the user started doctor, so that every Fix line is a
// command that works when run as printed: the same global flags (--demo,
// --tenant, --authority-host, …) and the app named by its app id.
type Command struct {
	// Globals are the global flags as given, each flag and value its own
	// element, e.g. ["--demo"] or ["--tenant", "contoso.com"].
	Globals []string
	// Selector is the flag and value that picked the app, e.g.
	// ["--display-name", "Contoso"]; used only when no app was found.
	Selector []string
}

// Line is `pqentra <globals> args…`, quoted for a shell.
func (c Command) Line(args ...string) string { return c.pqentra(args...) }

// pqentra builds a pqentra command line with the globals, quoted for a
// shell.
func (c Command) pqentra(args ...string) string {
	parts := []string{"pqentra"}
	for _, a := range append(append([]string{}, c.Globals...), args...) {
		parts = append(parts, ShellQuote(a))
	}
	return strings.Join(parts, " ")
}

// doctorFix is `pqentra … doctor --app-id X [--connector F] --fix`.
func (in DiagnoseInput) doctorFix() string {
	args := []string{"doctor"}
	if in.App != nil {
		args = append(args, "--app-id", in.App.AppID)
	} else {
		args = append(args, in.Command.Selector...)
	}
	if in.Connector != nil && in.Connector.Path != "" {
		args = append(args, "--connector", in.Connector.Path)
	}
	return in.Command.pqentra(append(args, "--fix")...)
}

// fixHint says how doctor --fix repairs an app finding.
func (in DiagnoseInput) fixHint() string {
	return "run `" + in.doctorFix() + "` (it previews every change and asks first)"
}

// fixConnectorHint says how doctor --fix repairs a connector finding.
func (in DiagnoseInput) fixConnectorHint() string {
	return "run `" + in.doctorFix() + "` (it shows the diff and keeps a .bak)"
}

// ShellQuote quotes s for a shell when it needs it. Double quotes are used
// when they mean the same in sh, PowerShell and cmd.exe (no $ ` " \ !
// inside); otherwise POSIX single quotes.
func ShellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) {
		return s
	}
	if !strings.ContainsAny(s, "$`\"\\!%") {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
