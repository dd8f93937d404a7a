package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/doctor"
)

// Broken states are built in the emulator the way a user would have made
// them: seeded objects, then PATCHes through a real client (Graph only
// accepts a preauthorization for a scope stored before the request).

const (
	dScope   = "aaaaaaaa-0000-4000-8000-0000000000a1"
	dAdmin   = "aaaaaaaa-0000-4000-8000-0000000000a2"
	dOtherID = "99999999-0000-4000-8000-000000000009"
	dCommon  = "https://login.microsoftonline.com/common/oauth2/authorize"
)

type appSeed struct {
	name     string
	audience string              // default AzureADMultipleOrgs
	noURI    bool                // no identifierUris
	scopes   []steps.Scope       // default: Data.Read, User, enabled
	preauth  map[string][]string // client appId -> scope ids
	noSP     bool
	disable  []string // scope ids to disable after preauthorizing
}

func scope(id, value, typ string) steps.Scope {
	return steps.Scope{ID: id, Value: value, Type: typ, IsEnabled: true,
		AdminConsentDisplayName: "Read " + value, AdminConsentDescription: "Read " + value,
		UserConsentDisplayName: "Read " + value, UserConsentDescription: "Read " + value}
}

func pq(ids ...string) map[string][]string {
	return map[string][]string{steps.ClientExcel.AppID: ids, steps.ClientRefresh.AppID: ids}
}

// seed stores the app and returns its appId.
func (c *cli) seed(s appSeed) string {
	t := c.t
	t.Helper()
	appID := steps.NewGUID()
	if s.audience == "" {
		s.audience = steps.AudienceMulti
	}
	if s.scopes == nil {
		s.scopes = []steps.Scope{scope(dScope, "Data.Read", steps.ConsentUsers)}
	}
	scopes := []any{}
	for _, sc := range s.scopes {
		b, _ := json.Marshal(sc)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		scopes = append(scopes, m)
	}
	obj := map[string]any{"appId": appID, "displayName": s.name, "signInAudience": s.audience,
		"api": map[string]any{"oauth2PermissionScopes": scopes}}
	if !s.noURI {
		obj["identifierUris"] = []any{"api://" + appID}
	}
	oid, _, err := c.emu.SeedApplication(obj)
	if err != nil {
		t.Fatal(err)
	}
	if !s.noSP {
		if _, err := c.emu.SeedServicePrincipal(appID, ""); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.preauth) > 0 {
		var pre []steps.PreAuthorizedApp
		for id, ids := range s.preauth {
			pre = append(pre, steps.PreAuthorizedApp{AppID: id, DelegatedPermissionIDs: ids})
		}
		c.patch(oid, steps.AppPatch{PreAuthorized: &pre})
	}
	if len(s.disable) > 0 {
		sc := append([]steps.Scope{}, s.scopes...)
		for i := range sc {
			for _, id := range s.disable {
				if sc[i].ID == id {
					sc[i].IsEnabled = false
				}
			}
		}
		c.patch(oid, steps.AppPatch{Scopes: &sc})
	}
	return appID
}

func (c *cli) patch(objectID string, p steps.AppPatch) {
	c.t.Helper()
	ep, err := graph.ResolveEndpoints("public", c.emu.URL(), c.emu.URL())
	if err != nil {
		c.t.Fatal(err)
	}
	gc, err := graph.New(graph.Config{Endpoints: ep, ExtraRootsPEM: c.emu.CACertPEM(), LagTimeout: 5 * time.Second})
	if err != nil {
		c.t.Fatal(err)
	}
	if err := gc.PatchApplication(context.Background(), objectID, p); err != nil {
		c.t.Fatal(err)
	}
}

// app returns the emulator's stored application.
func (c *cli) app(appID string) map[string]any {
	for _, a := range c.emu.Applications() {
		if a["appId"] == appID {
			return a
		}
	}
	c.t.Fatalf("no app %s", appID)
	return nil
}

type doctorOut struct {
	AppID    string           `json:"appId"`
	Healthy  bool             `json:"healthy"`
	Findings []doctor.Finding `json:"findings"`
}

// doctorJSON runs doctor with --output json and decodes stdout strictly:
// exactly one object with exactly the documented fields.
func (c *cli) doctorJSON(args ...string) (doctorOut, runResult) {
	c.t.Helper()
	r := c.run(append([]string{"doctor", "--output", "json"}, args...)...)
	var v doctorOut
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		c.t.Fatalf("stdout is not the doctor object: %v\n%s\nstderr:\n%s", err, r.stdout, r.stderr)
	}
	if dec.More() {
		c.t.Fatalf("more than one JSON value on stdout:\n%s", r.stdout)
	}
	return v, r
}

func (v doctorOut) find(id string) *doctor.Finding {
	for i := range v.Findings {
		if v.Findings[i].ID == id {
			return &v.Findings[i]
		}
	}
	return nil
}

func (v doctorOut) errors() []string {
	var out []string
	for _, f := range v.Findings {
		if f.Severity == doctor.SeverityError {
			out = append(out, f.ID)
		}
	}
	return out
}

// connectorFile writes a connector whose Aad record holds fields.
func connectorFile(t *testing.T, fields ...string) string {
	t.Helper()
	src := "section Contoso;\n\n[DataSource.Kind=\"Contoso\", Publish=\"Contoso.Publish\"]\n" +
		"shared Contoso.Contents = (url as text) => Web.Contents(url);\n\n" +
		"// The data source kind.\nContoso = [\n    Authentication = [\n        Aad = [\n            " +
		strings.Join(fields, ",\n            ") +
		"\n        ]\n    ],\n    Label = \"Contoso\"\n];\n\n" +
		"Contoso.Publish = [ Beta = true, Category = \"Other\", ButtonText = { \"Contoso\", \"Contoso\" } ];\n"
	p := filepath.Join(t.TempDir(), "Contoso.pq")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runTTY runs pqentra as if stdin were a terminal, answering prompts with
// answer.
func (c *cli) runTTY(answer string, args ...string) runResult {
	c.t.Helper()
	var out, errb strings.Builder
	f := &Factory{IO: &IOStreams{In: strings.NewReader(answer), Out: &out, Err: &errb, InTTY: true},
		Getenv: func(k string) string { return c.env[k] }, Config: Config{TrustPEM: c.emu.CACertPEM()}}
	args = append(args, "--authority-host", c.emu.URL(), "--graph-endpoint", c.emu.URL())
	code := Execute(context.Background(), f, args)
	return runResult{code: code, stdout: out.String(), stderr: errb.String()}
}
