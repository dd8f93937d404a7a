package steps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// OpKind is the kind of Graph call a change makes.
type OpKind string

const (
	OpUpsertApp OpKind = "upsert-application"       // PATCH /applications(uniqueName='…'), Prefer: create-if-missing
	OpPatchApp  OpKind = "patch-application"        // PATCH /applications/{id}
	OpUpsertSP  OpKind = "upsert-service-principal" // PATCH /servicePrincipals(appId='…'), Prefer: create-if-missing
)

// Placeholders stand for ids that exist only once the application has been
// created; Apply fills them in. Previews show them as they are.
const (
	PlaceholderAppID    = "{appId}"
	PlaceholderObjectID = "{id}"
)

// Change is one write pqentra will send: the exact request (its preview)
// and the typed operation behind it.
type Change struct {
	Step    string            `json:"step"`
	Steps   []string          `json:"steps"`
	Summary string            `json:"summary"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body"`
	Applied bool              `json:"applied"`

	Kind       OpKind   `json:"-"`
	Path       string   `json:"-"` // URL without the Graph base
	UniqueName string   `json:"-"`
	ObjectID   string   `json:"-"`
	AppID      string   `json:"-"`
	Patch      AppPatch `json:"-"`
}

// Preview renders the request as a person reads it: method and URL, headers,
// then the JSON body.
func (c Change) Preview() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", c.Method, c.URL)
	for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
		fmt.Fprintf(&b, "%s: %s\n", k, Clean(c.Headers[k]))
	}
	if len(c.Body) > 0 {
		var out bytes.Buffer
		if json.Indent(&out, c.Body, "", "  ") == nil {
			b.WriteString("\n")
			b.Write(InertJSON(out.Bytes()))
			b.WriteString("\n")
		}
	}
	return b.String()
}

// PreviewAll renders a list of changes, or says there is nothing to do.
func PreviewAll(cs []Change) string {
	if len(cs) == 0 {
		return "Nothing to change: the directory already matches.\n"
	}
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "# %d. %s\n", i+1, Clean(c.Summary))
		b.WriteString(c.Preview())
	}
	return b.String()
}

// The JSON shapes Graph receives. Field order follows Graph's docs, so the
// preview reads naturally; graph/ sends the same fields through msgraph-sdk-go
// and the tests compare the two on the wire.
type patchBody struct {
	DisplayName    *string   `json:"displayName,omitempty"`
	SignInAudience *string   `json:"signInAudience,omitempty"`
	UniqueName     *string   `json:"uniqueName,omitempty"`
	IdentifierURIs *[]string `json:"identifierUris,omitempty"`
	API            *apiBody  `json:"api,omitempty"`
}

type apiBody struct {
	Scopes        *[]Scope            `json:"oauth2PermissionScopes,omitempty"`
	PreAuthorized *[]PreAuthorizedApp `json:"preAuthorizedApplications,omitempty"`
}

// PatchJSON is the JSON body of an application PATCH.
func PatchJSON(p AppPatch) json.RawMessage {
	body := patchBody{DisplayName: p.DisplayName, SignInAudience: p.SignInAudience, UniqueName: p.UniqueName, IdentifierURIs: p.IdentifierURIs}
	if p.Scopes != nil || p.PreAuthorized != nil {
		body.API = &apiBody{Scopes: p.Scopes, PreAuthorized: p.PreAuthorized}
	}
	b, err := json.Marshal(body)
	if err != nil { // only plain strings and bools: cannot fail
		panic(err)
	}
	return b
}

// fill replaces the placeholders once the app exists.
func (c *Change) fill(appID, objectID, base string) {
	r := strings.NewReplacer(PlaceholderAppID, appID, PlaceholderObjectID, objectID)
	c.Path = r.Replace(c.Path)
	c.Summary = r.Replace(c.Summary)
	c.URL = base + c.Path
	c.ObjectID = r.Replace(c.ObjectID)
	c.AppID = r.Replace(c.AppID)
	if c.Patch.IdentifierURIs != nil {
		uris := make([]string, len(*c.Patch.IdentifierURIs))
		for i, u := range *c.Patch.IdentifierURIs {
			uris[i] = r.Replace(u)
		}
		c.Patch.IdentifierURIs = &uris
	}
	if c.Kind == OpUpsertSP {
		c.Body = json.RawMessage(`{}`)
	} else {
		c.Body = PatchJSON(c.Patch)
	}
}
