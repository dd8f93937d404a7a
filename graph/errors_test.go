package graph

import (
	"strings"
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// Graph's conflicts are recognised by the property the message names,
// whatever the status and code: real Graph sends 400 Request_BadRequest
// for a taken uniqueName or identifier URI (docs/graph-rules.md), and the
// recovery after a lost create must run on that answer.
func TestKeyConflictIsRecognisedByTheProperty(t *testing.T) {
	msg := func(prop string) string {
		return "could not register the application: Another object with the same value for property " + prop + " already exists."
	}
	for _, c := range []struct {
		name string
		e    steps.Error
		prop string
		want bool
	}{
		{"Graph's answer", steps.Error{Status: 400, Code: "Request_BadRequest", Message: msg("uniqueName")}, "uniqueName", true},
		{"older 409", steps.Error{Status: 409, Code: "Request_MultipleObjectsWithSameKeyValue", Message: msg("uniqueName")}, "uniqueName", true},
		{"Bicep's BadRequest", steps.Error{Status: 400, Code: "BadRequest", Message: msg("uniqueName")}, "uniqueName", true},
		{"another property", steps.Error{Status: 400, Code: "Request_BadRequest", Message: msg("identifierUris")}, "uniqueName", false},
		{"a 409 about something else", steps.Error{Status: 409, Code: "Request_MultipleObjectsWithSameKeyValue", Message: msg("servicePrincipalNames")}, "uniqueName", false},
		{"an ordinary 400", steps.Error{Status: 400, Code: "Request_BadRequest", Message: "Invalid value specified for property 'displayName'"}, "uniqueName", false},
	} {
		if got := isKeyConflict(&c.e, c.prop); got != c.want {
			t.Errorf("%s: isKeyConflict(%q) = %v", c.name, c.prop, got)
		}
	}
	sp := steps.Error{Status: 409, Code: "Request_MultipleObjectsWithSameKeyValue",
		Message: "could not create the service principal: The service principal cannot be created, updated, or restored because the service principal name 0f3c… is already in use."}
	if !isSPNameTaken(&sp) {
		t.Error("Graph's answer to a second service principal is not recognised")
	}
	if isSPNameTaken(&steps.Error{Status: 400, Code: "Request_BadRequest", Message: msg("uniqueName")}) {
		t.Error("a uniqueName conflict taken for a service principal one")
	}
}

// The hint for a taken Application ID URI comes for Graph's real answer,
// not only for the code a lenient emulator sent.
func TestTakenIdentifierURIHint(t *testing.T) {
	h := hintFor(400, "Request_BadRequest", "could not update the application: Another object with the same value for property identifierUris already exists.", followUp{})
	if !strings.Contains(h, "already uses that Application ID URI") {
		t.Fatalf("hint %q", h)
	}
}
