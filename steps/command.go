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
