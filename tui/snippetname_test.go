package tui

import "testing"

// Issue 9: "🚀 Données 東京 Connector" became DonnEsConnector.aad.pq.
func TestDefaultPathKeepsLettersOfAnyScript(t *testing.T) {
	for name, want := range map[string]string{
		"🚀 Données 東京 Connector": "Données東京Connector.aad.pq",
		"Contoso Connector":      "ContosoConnector.aad.pq",
		"🚀":                      "MyConnector.aad.pq",
		"a/b\\c:d*e?":            "ABCDE.aad.pq",
	} {
		if got := defaultPath(name); got != want {
			t.Errorf("defaultPath(%q) = %q, want %q", name, got, want)
		}
	}
}
