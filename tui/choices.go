package tui

import (
	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// The choices both wizards offer — the full-screen one and the plain
// (accessible) one — written once, so the two never drift apart.

func modeOptions() []huh.Option[string] {
	return []huh.Option[string]{huh.NewOption("Register a new application", modeNew),
		huh.NewOption("Use an existing application", modeExisting)}
}

func audienceOptions() []huh.Option[string] {
	return []huh.Option[string]{huh.NewOption("Accounts in this organizational directory only", steps.AudienceSingle),
		huh.NewOption("Accounts in any organizational directory (multitenant)", steps.AudienceMulti)}
}

func consentOptions() []huh.Option[string] {
	return []huh.Option[string]{huh.NewOption("Admins and users", steps.ConsentUsers),
		huh.NewOption("Admins only", steps.ConsentAdmins)}
}

// appOption shows an app found in the tenant: its (cleaned) name and id.
func appOption(a steps.App) huh.Option[string] {
	return huh.NewOption(steps.Clean(a.DisplayName)+"  "+a.AppID, a.AppID)
}
