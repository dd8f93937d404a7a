package steps

import (
	"strings"
)

// Command is how the user started pqentra, so that every command it
// prints works when run as printed: the same global flags (--demo,
// --tenant, --cloud, --authority-host, …).
type Command struct {
	// Globals are the global flags as given, each flag and value its own
	// element, e.g. ["--demo"] or ["--tenant", "contoso.com"].
	Globals []string
	// Selector is the flag and value that picked the app, e.g.
	// ["--display-name", "Contoso"]; doctor repeats it when no app was found.
	Selector []string
	// Wizard is set when the run is the wizard (full-screen or plain):
	// its answers are fields on a screen, not flags, so advice names the
	// field ("leave the Application ID URI empty"), not the flag.
	Wizard bool
}

// AppIDOrPlaceholder is the app id for a printed command, or APPID where
// the run does not know it (the text around says where to find it): a
// word that stays one argument in every shell, unlike <appId>.
func AppIDOrPlaceholder(appID string) string {
	if appID == "" {
		return "APPID"
	}
	return appID
}

// Says picks the words of the run's front end: the command line's (which
// name flags) or the wizard's (which name its fields and choices).
func (c Command) Says(cli, wizard string) string {
	if c.Wizard {
		return wizard
	}
	return cli
}

// Line is `pqentra <globals> args…`, quoted for a shell: every follow-up
// command pqentra prints (doctor's Fix lines, undo's restore hint, the
// wizard's undo) is built here, so run as printed it goes to the same
// tenant, cloud and hosts (or the same demo) as the run that printed it.
func (c Command) Line(args ...string) string {
	parts := []string{"pqentra"}
	for _, a := range append(append([]string{}, c.Globals...), args...) {
		parts = append(parts, ShellQuote(a))
	}
	return strings.Join(parts, " ")
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
