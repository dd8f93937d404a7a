package graph

import (
	"strings"
	"testing"
)

func TestResolveEndpoints(t *testing.T) {
	e, err := ResolveEndpoints("usgov", "", "")
	if err != nil || e.LoginHost != "https://login.microsoftonline.us" || e.GraphBase() != "https://graph.microsoft.us/v1.0" || !e.Known {
		t.Errorf("usgov: %+v %v", e, err)
	}
	if e.Scope() != "https://graph.microsoft.us/Application.ReadWrite.All" {
		t.Errorf("scope %s", e.Scope())
	}
	e, err = ResolveEndpoints("public", "https://127.0.0.1:8443/", "https://127.0.0.1:9443/v1.0/")
	if err != nil || e.LoginHost != "https://127.0.0.1:8443" || e.GraphBase() != "https://127.0.0.1:9443/v1.0" || e.Known {
		t.Errorf("overrides: %+v %v", e, err)
	}
	// Tokens are still for Graph, whatever host answers.
	if e.Scope() != "https://graph.microsoft.com/Application.ReadWrite.All" {
		t.Errorf("scope %s", e.Scope())
	}
	if e.Authority("") != "https://127.0.0.1:8443/organizations" {
		t.Errorf("authority %s", e.Authority(""))
	}
	for _, bad := range [][3]string{{"mars", "", ""}, {"public", "http://login.example", ""}, {"public", "", "https://graph.example/beta"}, {"public", "login.example", ""}} {
		if _, err := ResolveEndpoints(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("%v accepted", bad)
		} else if !strings.Contains(err.Error(), "cloud") && !strings.Contains(err.Error(), "https") && !strings.Contains(err.Error(), "host root") {
			t.Errorf("%v: unclear error %v", bad, err)
		}
	}
}
