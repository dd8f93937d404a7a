package emulator

import (
	"testing"
)

// A cast on a membership is an advanced query: Graph answers it only with
// "ConsistencyLevel: eventual" and $count=true (docs/graph-rules.md).
func TestRoleCastIsAnAdvancedQuery(t *testing.T) {
	s, _ := startSignedIn(t, Options{UserRoles: []string{"Application Developer"}})
	tok := signIn(t, s, "https://graph.microsoft.com/User.Read")
	for _, nav := range []string{"transitiveMemberOf", "memberOf"} {
		path := "/v1.0/me/" + nav + "/microsoft.graph.directoryRole"
		expect(t, call(t, s, tok, "GET", path, nil), 400, "Request_UnsupportedQuery")
		expect(t, call(t, s, tok, "GET", path+"?$count=true", nil), 400, "Request_UnsupportedQuery")
		expect(t, call(t, s, tok, "GET", path, nil, "ConsistencyLevel", "eventual"), 400, "Request_UnsupportedQuery")
		r := call(t, s, tok, "GET", path+"?$count=true&$select=displayName", nil, "ConsistencyLevel", "eventual")
		expect(t, r, 200, "")
		roles := r.body["value"].([]any)
		if len(roles) != 1 || roles[0].(map[string]any)["displayName"] != "Application Developer" || r.body["@odata.count"] != float64(1) {
			t.Fatalf("%s: %s", nav, r.raw)
		}
		// Without the cast, the membership list is a plain query.
		expect(t, call(t, s, tok, "GET", "/v1.0/me/"+nav, nil), 200, "")
	}
	// $count anywhere needs the header.
	rw := signIn(t, s, scopeRW)
	expect(t, call(t, s, rw, "GET", "/v1.0/applications?$count=true", nil), 400, "Request_UnsupportedQuery")
	r := call(t, s, rw, "GET", "/v1.0/applications?$count=true", nil, "ConsistencyLevel", "eventual")
	if r.status != 200 || r.body["@odata.count"] != float64(0) {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	expect(t, call(t, s, rw, "GET", "/v1.0/applications?$count=maybe", nil, "ConsistencyLevel", "eventual"), 400, "Request_BadRequest")
}
