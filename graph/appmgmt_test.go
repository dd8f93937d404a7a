package graph

import (
	"context"
	"strings"
	"testing"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/steps"
)

// Rule 6: the tenant's Identifier URI protection. Read silently when the
// user may (Policy.Read.All and a role), and then a URI the policy refuses
// is stopped before any write, naming the setting; unreadable, Graph's
// refusal is explained in the same words.
func TestAppManagementPolicyChecksBeforeAnyWrite(t *testing.T) {
	nonDefault := &emulator.AppManagementPolicy{NonDefault: emulator.URIRestriction{Enabled: true}}
	for _, tc := range []struct {
		name   string
		opts   emulator.Options
		uri    string
		known  bool
		want   string // in the error; "" for success
		writes bool   // some writes were sent
	}{
		{"readable, Microsoft's default", emulator.Options{UserRoles: []string{"Global Reader"}}, "api://myapi", true, steps.SettingUniqueTenantIdentifier, false},
		{"readable, default forms only", emulator.Options{UserRoles: []string{"Global Reader"}, AppManagementPolicy: nonDefault},
			"https://api.contoso.com/pq", true, steps.SettingNonDefault, false},
		{"readable, off", emulator.Options{UserRoles: []string{"Global Reader"}, AppManagementPolicy: emulator.NoAppManagementPolicy()},
			"api://myapi", true, "", true},
		{"unreadable, Graph refuses", emulator.Options{AppManagementPolicy: nonDefault}, "https://api.contoso.com/pq", false, steps.SettingNonDefault, true},
		// Unreadable, pqentra cannot tell: it sends, and Graph's refusal
		// (of the create: nothing is made) is explained in words.
		{"unreadable, Microsoft's default", emulator.Options{}, "api://myapi", false, steps.SettingUniqueTenantIdentifier, true},
		{"unreadable, off", emulator.Options{AppManagementPolicy: emulator.NoAppManagementPolicy()}, "api://myapi", false, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, tc.opts)
			d := steps.Desired{DisplayName: "Policy Connector", IdentifierURI: tc.uri}
			if err := d.Normalize(); err != nil {
				t.Fatal(err)
			}
			st, err := steps.Read(context.Background(), env.client, d)
			if err != nil {
				t.Fatal(err)
			}
			if (st.Tenant.URIPolicy != nil) != tc.known {
				t.Fatalf("policy read: %+v, want known=%v", st.Tenant.URIPolicy, tc.known)
			}
			env.emu.ResetLog()
			_, err = steps.Converge(context.Background(), env.client, d, steps.Options{GraphBase: env.client.GraphBase()}, false)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				apps := env.emu.Applications()
				if len(apps) != 1 || len(asList(apps[0]["identifierUris"])) != 1 || asList(apps[0]["identifierUris"])[0] != tc.uri {
					t.Fatalf("apps %v", apps)
				}
				return
			}
			text := ""
			if err != nil {
				text = err.Error()
				if e, ok := steps.AsError(err); ok {
					text += " " + e.Hint
				}
			}
			if !strings.Contains(text, tc.want) {
				t.Fatalf("error %q lacks %q", text, tc.want)
			}
			if n := writes(env.emu.Log()); (n > 0) != tc.writes {
				t.Fatalf("%d writes sent", n)
			}
			if _, isInput := steps.AsInputError(err); isInput == tc.writes {
				t.Fatalf("input error %v, but writes %v: %v", isInput, tc.writes, err)
			}
		})
	}
}
