package emulator

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

func searchNames(t *testing.T, s *Server, tok, search string, hdr ...string) resp {
	t.Helper()
	return call(t, s, tok, "GET", "/v1.0/applications?$search="+url.QueryEscape(search)+"&$select=displayName", nil, hdr...)
}

func names(r resp) map[string]bool {
	out := map[string]bool{}
	vals, _ := r.body["value"].([]any)
	for _, v := range vals {
		out[v.(map[string]any)["displayName"].(string)] = true
	}
	return out
}

// TestSearchAsGraphDoesIt: $search needs ConsistencyLevel: eventual, and
// matches the start of any word of the name, whatever the case.
func TestSearchAsGraphDoesIt(t *testing.T) {
	s, tok := startSignedIn(t, Options{})
	for _, n := range []string{"Contoso Legacy API", "Fabrikam-Sales", "SalesReportUser", "Legacyish"} {
		createApp(t, s, tok, map[string]any{"displayName": n})
	}
	expect(t, searchNames(t, s, tok, `"displayName:legacy"`), 400, "Request_UnsupportedQuery")
	if m := searchNames(t, s, tok, `"displayName:legacy"`).errMessage(); m != "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'" {
		t.Errorf("message %q", m)
	}
	eventual := []string{"ConsistencyLevel", "eventual"}
	for search, want := range map[string][]string{
		`"displayName:legacy"`:                          {"Contoso Legacy API", "Legacyish"},
		`"displayName:LEG"`:                             {"Contoso Legacy API", "Legacyish"},
		`"displayName:sales"`:                           {"Fabrikam-Sales", "SalesReportUser"},
		`"displayName:report"`:                          {"SalesReportUser"},
		`"displayName:egacy"`:                           {},
		`"displayName:contoso" AND "displayName:api"`:   {"Contoso Legacy API"},
		`"displayName:fabrikam" OR "displayName:user"`:  {"Fabrikam-Sales", "SalesReportUser"},
		`"displayName:fabrikam" AND "displayName:user"`: {},
	} {
		r := searchNames(t, s, tok, search, eventual...)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", search, r.status, r.raw)
		}
		got := names(r)
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", search, got, want)
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("%s: %q missing from %v", search, w, got)
			}
		}
	}
	expect(t, searchNames(t, s, tok, `displayName:legacy`, eventual...), 400, "Request_BadRequest")
	expect(t, searchNames(t, s, tok, `"appId:legacy"`, eventual...), 400, "Request_UnsupportedQuery")
	// $search and $filter must both match.
	r := call(t, s, tok, "GET", "/v1.0/applications?$search="+url.QueryEscape(`"displayName:legacy"`)+"&$filter="+url.QueryEscape("startswith(displayName,'Contoso')"), nil, eventual...)
	if got := names(r); len(got) != 1 || !got["Contoso Legacy API"] {
		t.Errorf("search and filter: %v %s", got, r.raw)
	}
}

// TestStateFileKeepsTheDirectory: with a state file, what was written in
// one run is there in the next; the file is private to the user.
func TestStateFileKeepsTheDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "pqentra", "demo.json")
	s, tok := startSignedIn(t, Options{StateFile: path})
	if s.Loaded() {
		t.Fatal("a missing file counts as loaded")
	}
	_, appID := createApp(t, s, tok, map[string]any{"displayName": "Kept App"})
	expect(t, call(t, s, tok, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 201, "")
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("state folder mode %v, want 0700", di.Mode().Perm())
	}

	s2, tok2 := startSignedIn(t, Options{StateFile: path})
	if !s2.Loaded() {
		t.Fatal("the state file was not loaded")
	}
	r := call(t, s2, tok2, "GET", "/v1.0/applications(appId='"+appID+"')", nil)
	if r.status != 200 || r.body["displayName"] != "Kept App" {
		t.Fatalf("app after restart: %d %s", r.status, r.raw)
	}
	expect(t, call(t, s2, tok2, "GET", "/v1.0/servicePrincipals(appId='"+appID+"')", nil), 200, "")
	// Rules still hold on what was loaded: the unique app can't be made twice.
	expect(t, call(t, s2, tok2, "POST", "/v1.0/servicePrincipals", map[string]any{"appId": appID}), 409, "Request_MultipleObjectsWithSameKeyValue")

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Start(Options{StateFile: path}); err == nil {
		t.Fatal("a broken state file was accepted")
	}
}
