package emulator

import (
	"fmt"
	"net/http"
	"time"
)

// graphError is a Graph error response: status, code and message, written
// as {"error":{"code","message","innerError":{date,request-id,client-request-id}}}.
type graphError struct {
	status        int
	code, message string
	header        map[string]string
	// details are Graph's error details ({code, message, target}), sent
	// only where Graph sends them.
	details []map[string]any
}

func (e *graphError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message) }

func newGraphError(status int, code, format string, args ...any) *graphError {
	return &graphError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func errBadRequest(format string, args ...any) *graphError {
	return newGraphError(http.StatusBadRequest, "Request_BadRequest", format, args...)
}

func errUnauthorized(msg string) *graphError {
	return &graphError{
		status: http.StatusUnauthorized, code: "InvalidAuthenticationToken", message: msg,
		// Real Graph points clients at the authority to sign in with.
		header: map[string]string{"WWW-Authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`},
	}
}

func errDenied() *graphError {
	return newGraphError(http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
}

func errNotFound(key string) *graphError {
	return newGraphError(http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '%s' does not exist or one of its queried reference-property objects are not present.", key)
}

func errSegment(seg string) *graphError {
	return newGraphError(http.StatusBadRequest, "BadRequest", "Resource not found for the segment '%s'.", seg)
}

func errMethod() *graphError {
	return newGraphError(http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
}

func errUnsupportedQuery(format string, args ...any) *graphError {
	return newGraphError(http.StatusBadRequest, "Request_UnsupportedQuery", format, args...)
}

// errKeyTaken is Graph's answer when a unique property of an application
// (uniqueName, identifierUris) is given a value another application already
// holds — a live one, one this replica cannot see yet (the create whose
// answer was lost, sent again during replication), or one in deleted items:
// 400 Request_BadRequest, with the property named only in the message.
// Not 409, and not Request_MultipleObjectsWithSameKeyValue: see
// docs/graph-rules.md.
func errKeyTaken(prop string) *graphError {
	return errBadRequest("Another object with the same value for property %s already exists.", prop)
}

// errSPNameTaken is Graph's answer to a second service principal for an
// appId (create, upsert during lag, or restore beside a live one): 409
// Request_MultipleObjectsWithSameKeyValue, as azure-cli and Terraform users
// report it.
func errSPNameTaken(appID string) *graphError {
	return newGraphError(http.StatusConflict, "Request_MultipleObjectsWithSameKeyValue",
		"The service principal cannot be created, updated, or restored because the service principal name %s is already in use.", appID)
}

// writeGraphError writes e with Graph's headers and innerError block.
func writeGraphError(w http.ResponseWriter, r *http.Request, e *graphError) {
	reqID := newGUID()
	clientReqID := r.Header.Get("client-request-id")
	if clientReqID == "" {
		clientReqID = reqID
	}
	for k, v := range e.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("request-id", reqID)
	w.Header().Set("client-request-id", clientReqID)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	body := map[string]any{
		"code":    e.code,
		"message": e.message,
		"innerError": map[string]any{
			"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
			"request-id":        reqID,
			"client-request-id": clientReqID,
		},
	}
	if e.details != nil {
		body["details"] = e.details
	}
	_, _ = w.Write(mustJSON(map[string]any{"error": body}))
}
