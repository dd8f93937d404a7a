package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Graph's data is input. msgraph-sdk-go's parser skips a value of the
// wrong type without a word (an "api" that is a string reads as no api at
// all, and the planner would then "add" scopes over the real ones), and
// hands out a nil for a null inside a collection. So before the SDK sees an
// answer, checkShape reads it as plain JSON and holds it to what Graph
// sends: no null inside any collection, and the properties pqentra reads
// of the right JSON type wherever they appear. A bad answer is an error
// naming the request and the field; nothing is planned from it.

// kind is a JSON type.
type kind int

const (
	kString kind = 1 << iota
	kBool
	kNumber
	kObject
	kArray
	kNull
)

// propKinds are the JSON types each property pqentra reads may have (0:
// not checked). A switch, not a map: nothing is built at start-up.
func propKinds(name string) kind {
	switch name {
	case "id", "appId":
		return kString
	case "displayName", "uniqueName", "signInAudience", "userPrincipalName", "type", "keyId", "deletedDateTime", "name",
		"adminConsentDisplayName", "adminConsentDescription", "userConsentDisplayName", "userConsentDescription":
		return kString | kNull
	case "value":
		return kString | kArray
	case "identifierUris", "redirectUris", "delegatedPermissionIds", "oauth2PermissionScopes", "preAuthorizedApplications",
		"passwordCredentials", "keyCredentials", "verifiedDomains", "permissionGrantPoliciesAssigned":
		return kArray
	case "api", "web", "spa", "publicClient":
		return kObject | kNull
	case "isEnabled":
		return kBool
	case "isDefault":
		return kBool | kNull
	case "requestedAccessTokenVersion":
		return kNumber | kNull
	}
	return 0
}

// arrayOf is the element type of the collections pqentra reads (0: not
// checked beyond "no null").
func arrayOf(name string) kind {
	switch name {
	case "identifierUris", "redirectUris", "delegatedPermissionIds", "permissionGrantPoliciesAssigned":
		return kString
	case "oauth2PermissionScopes", "preAuthorizedApplications", "passwordCredentials", "keyCredentials", "verifiedDomains":
		return kObject
	case "value":
		return kObject | kString
	}
	return 0
}

// DataError: Graph's answer does not hold what Graph sends.
type DataError struct {
	Request string // "GET /v1.0/applications(…)"
	Field   string // "api.oauth2PermissionScopes[0]"
	Problem string
}

func (e *DataError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("the answer to %s is not valid JSON (%s)", e.Request, e.Problem)
	}
	return fmt.Sprintf("the answer to %s is malformed: %s %s", e.Request, e.Field, e.Problem)
}

// checkAnswer buffers a JSON answer of a Graph request and checks its
// shape; the body is handed on as read.
func checkAnswer(req *http.Request, resp *http.Response) error {
	if resp.StatusCode < 200 || resp.StatusCode > 299 || !strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "json") {
		return nil
	}
	data, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	request := req.Method + " " + cleanURL(req.URL.EscapedPath())
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return &DataError{Request: request, Problem: err.Error()}
	}
	if field, problem := checkShape("", "", v); problem != "" {
		return &DataError{Request: request, Field: field, Problem: problem}
	}
	return nil
}

// checkShape walks v (the value of property prop at path) and returns the
// first field that is not as Graph sends it.
func checkShape(path, prop string, v any) (string, string) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if want := propKinds(k); want != 0 && !inPolicyRestrictions(p) && kindOf(e)&want == 0 {
				return p, "is " + kindName(kindOf(e)) + ", where Graph sends " + kindNames(want)
			}
			if f, problem := checkShape(p, k, e); problem != "" {
				return f, problem
			}
		}
	case []any:
		elem := arrayOf(prop)
		for i, e := range x {
			p := fmt.Sprintf("%s[%d]", path, i)
			if e == nil {
				return p, "is null: Graph never puts null in a collection"
			}
			if elem != 0 && kindOf(e)&elem == 0 {
				return p, "is " + kindName(kindOf(e)) + ", where Graph sends " + kindNames(elem)
			}
			if f, problem := checkShape(p, "", e); problem != "" {
				return f, problem
			}
		}
	}
	return "", ""
}

// inPolicyRestrictions: the app management policy's restrictions reuse
// property names with other types (its identifierUris is an object of
// settings, not the list of URIs); appmgmt.go reads them itself.
func inPolicyRestrictions(path string) bool {
	return strings.HasPrefix(path, "applicationRestrictions.") || strings.HasPrefix(path, "servicePrincipalRestrictions.")
}

func kindOf(v any) kind {
	switch v.(type) {
	case string:
		return kString
	case bool:
		return kBool
	case json.Number, float64:
		return kNumber
	case map[string]any:
		return kObject
	case []any:
		return kArray
	}
	return kNull
}

func kindName(k kind) string {
	switch k {
	case kString:
		return "a string"
	case kBool:
		return "true or false"
	case kNumber:
		return "a number"
	case kObject:
		return "an object"
	case kArray:
		return "a list"
	}
	return "null"
}

func kindNames(k kind) string {
	var names []string
	for b := kString; b <= kNull; b <<= 1 {
		if k&b != 0 {
			names = append(names, kindName(b))
		}
	}
	return strings.Join(names, " or ")
}
