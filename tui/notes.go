package tui

import (
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
)

// The per-step notes: guidance, the can-I-register refusal, the doctor's
// findings on a picked app. The flow decides them once; the full-screen
// wizard styles them under the form (notesView), the plain wizard prints
// them as lines (plain.sayNotes), so both say the same things.

type noteKind int

const (
	noteInfo    noteKind = iota // guidance (faint)
	noteHint                    // what to do instead
	noteWarn                    // a warning
	noteRefusal                 // the user may not do this
	noteHeading                 // heads a list of findings
	noteError                   // a doctor finding that is an error
	noteWarning                 // a doctor finding that is a warning
)

type note struct {
	kind noteKind
	text string
}

// registerNotes: the can-I-register check, said before anything is sent.
func (f *flow) registerNotes(a registerAnswers) []note {
	ns := append(f.cautionNotes(), f.deletedNotes(a)...)
	if r := f.registerRefusal(); r != "" && a.mode != modeExisting {
		ns = append(ns, note{noteRefusal, r}, note{noteHint, "You can still configure an application you own: choose \"Use an existing application\"."})
	}
	for _, n := range f.accessNotes() {
		ns = append(ns, note{noteWarn, n})
	}
	return append(ns, note{noteInfo, "No redirect URI is needed: Power Query's own client apps sign users in."})
}

// uriNotes: what the URI becomes, and what the doctor found on a picked
// app (the steps ahead fix it).
func (f *flow) uriNotes() []note {
	ns := []note{{noteInfo, "This URI becomes Resource in your connector's Aad record."}}
	if forms := steps.AllowedURIForms(f.state.Tenant); forms != "" {
		ns = append(ns, note{noteInfo, "The tenant's app management policy: " + forms})
	}
	if steps.IsMultitenant(f.audience()) {
		ns = append(ns, note{noteInfo, "The app is multitenant: its URI must be unique in every organization, so only api://{appId} or a URI on one of your verified domains will do (not api://{tenantId}/…)."})
	}
	var found []note
	for _, fd := range f.findings {
		if fd.Severity == doctor.SeverityInfo || len(found) == 5 {
			continue
		}
		k := noteWarning
		if fd.Severity == doctor.SeverityError {
			k = noteError
		}
		found = append(found, note{k, steps.Clean(fd.Message)})
	}
	if len(found) > 0 {
		ns = append(ns, note{noteHeading, "What the doctor found on this app (the next steps fix these):"})
		ns = append(ns, found...)
	}
	return ns
}

// scopeNotes is the guidance under the scope fields: what "Admins only"
// means, and on a picked app which of its scopes the step starts from.
func (f *flow) scopeNotes(a scopeAnswers) []note {
	var ns []note
	if cur := f.state.App.ScopeByValue(a.value); cur != nil {
		switch {
		case cur.Type == steps.ConsentAdmins && a.consent == steps.ConsentUsers:
			ns = append(ns, note{noteWarn, "The app's scope " + steps.Clean(cur.Value) + " is admins only, so users see \"Need admin approval\": this step makes it Admins and users, in place (as doctor --fix does)."})
		case cur.IsEnabled && cur.Type == a.consent:
			ns = append(ns, note{noteInfo, "The app already has the scope " + steps.Clean(cur.Value) + "; the step keeps it."})
		}
	}
	if a.consent == steps.ConsentAdmins {
		return append(ns, note{noteWarn, "Admins only: users who connect will see \"Need admin approval\" unless an admin consents for the whole tenant. Power Query connectors normally use Admins and users."})
	}
	return append(ns, note{noteInfo, "The scope is saved enabled. Preauthorizing the Power Query clients (next) spares users the consent prompt."})
}

// trustNotes: what preauthorizing another client means.
func trustNotes() []note { return []note{{noteWarn, trustWarning}} }

// notesView draws notes for the full-screen wizard, wrapped to w.
func (m *Model) notesView(ns []note, w int) string {
	var out []string
	for i, n := range ns {
		text := wrap(n.text, w)
		switch n.kind {
		case noteInfo:
			text = m.st.faint.Render(text)
		case noteHint:
			text = m.st.hint.Render(text)
		case noteWarn:
			text = m.st.warn.Render(text)
		case noteRefusal:
			text = m.st.bad.Render(text)
		case noteHeading:
			if i > 0 {
				out = append(out, "")
			}
			text = m.st.paneTitle.Render(text)
		case noteError:
			text = m.st.bad.Render("✗") + " " + wrap(n.text, w-2)
		case noteWarning:
			text = m.st.warn.Render("!") + " " + wrap(n.text, w-2)
		}
		out = append(out, text)
	}
	return strings.Join(out, "\n")
}

// sayNotes prints notes as the plain wizard's lines.
func (p *plain) sayNotes(ns []note) {
	for _, n := range ns {
		switch n.kind {
		case noteWarn, noteWarning:
			p.say("Warning: %s", steps.CleanMultiline(n.text))
		case noteError:
			p.say("Error: %s", steps.CleanMultiline(n.text))
		case noteRefusal:
			p.say("%s", steps.CleanMultiline(n.text))
		default:
			p.say("%s", steps.CleanMultiline(n.text))
		}
	}
}
