package steps

import (
	"strings"
	"testing"
)

func TestDecideAccess(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name                 string
		f                    AccessFacts
		register, edit, csp  Answer
		blocked, warnContain string
	}{
		{name: "setting yes", f: AccessFacts{AllowedToCreateApps: &yes, RolesKnown: true}, register: Yes},
		{name: "setting no, no role", f: AccessFacts{AllowedToCreateApps: &no, RolesKnown: true}, register: No,
			blocked: "Users can register applications"},
		{name: "setting no, developer", f: AccessFacts{AllowedToCreateApps: &no, RolesKnown: true, Roles: []string{"Application Developer"}}, register: Yes},
		{name: "setting unread, developer", f: AccessFacts{RolesKnown: true, Roles: []string{"Cloud Application Administrator"}}, register: Yes},
		{name: "setting no, roles unread", f: AccessFacts{AllowedToCreateApps: &no, Unknowns: []string{"roles"}}, register: Unknown, warnContain: "roles"},
		{name: "nothing read", f: AccessFacts{}, register: Unknown, warnContain: "a read was refused"},
		{name: "owner of a named app, may not register", f: AccessFacts{AllowedToCreateApps: &no, RolesKnown: true, AppChecked: true, AppFound: true, OwnsApp: &yes},
			register: No, edit: Yes},
		{name: "not owner, no role", f: AccessFacts{AllowedToCreateApps: &yes, RolesKnown: true, AppChecked: true, AppFound: true, OwnsApp: &no},
			register: Yes, edit: No, blocked: "not one of its owners"},
		{name: "not owner, app admin", f: AccessFacts{RolesKnown: true, Roles: []string{"Application Administrator"}, AppChecked: true, AppFound: true, OwnsApp: &no},
			register: Yes, edit: Yes},
		{name: "multitenant without SP, not owner", f: AccessFacts{AllowedToCreateApps: &yes, RolesKnown: true, AppChecked: true, AppFound: true, OwnsApp: &no, Multitenant: true},
			register: Yes, edit: No, csp: No, blocked: "not one of its owners", warnContain: "service principal"},
		{name: "named app not found needs register", f: AccessFacts{AllowedToCreateApps: &no, RolesKnown: true, AppChecked: true}, register: No,
			blocked: "may not register"},
	}
	for _, c := range cases {
		a := DecideAccess(c.f)
		if a.Register != c.register || a.EditApp != c.edit || a.CreateSP != c.csp {
			t.Errorf("%s: got %+v", c.name, a)
		}
		b := a.Blocked(c.f)
		if (c.blocked == "") != (b == "") || !strings.Contains(b, c.blocked) {
			t.Errorf("%s: blocked %q, want %q", c.name, b, c.blocked)
		}
		if c.blocked != "" && !strings.Contains(b, "Nothing was changed") {
			t.Errorf("%s: %q does not say nothing was changed", c.name, b)
		}
		w := strings.Join(a.Warnings(c.f), "\n")
		if c.warnContain != "" && !strings.Contains(w, c.warnContain) {
			t.Errorf("%s: warnings %q, want %q", c.name, w, c.warnContain)
		}
	}
	if DecideAccess(AccessFacts{AllowedToCreateApps: &no, RolesKnown: true}).Register.Bool() == nil {
		t.Error("no must be false, not null")
	}
}
