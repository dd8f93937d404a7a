package emulator

import "testing"

func TestSmokeCreateAndGet(t *testing.T) {
	s := start(t, Options{})
	tok := signIn(t, s, scopeRW)
	id, appID := createApp(t, s, tok, map[string]any{"displayName": "Contoso API", "@odata.type": "#microsoft.graph.application"})
	r := call(t, s, tok, "GET", "/v1.0/applications/"+id, nil)
	expect(t, r, 200, "")
	if r.body["appId"] != appID || r.body["publisherDomain"] != "contoso.onmicrosoft.com" {
		t.Fatalf("%s", r.raw)
	}
	r = call(t, s, tok, "GET", "/v1.0/applications(appId='"+appID+"')", nil)
	expect(t, r, 200, "")
}
