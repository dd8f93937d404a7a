package emulator

import (
	"net/http"
	"strings"
)

// Advanced queries on directory objects. Some queries Graph answers only
// from its eventually consistent index: the request must say it accepts
// that, with the header "ConsistencyLevel: eventual" and (but for $search)
// the query option $count=true. Among them, the ones pqentra sends: $search
// (search.go), $count itself, and an OData cast on a membership
// (/me/memberOf/microsoft.graph.directoryRole,
// /me/transitiveMemberOf/microsoft.graph.directoryRole). Without them Graph
// answers 400 Request_UnsupportedQuery. Sources: docs/graph-rules.md.

// consistencyEventual reports "ConsistencyLevel: eventual" on r.
func consistencyEventual(r *http.Request) bool {
	return strings.EqualFold(strings.TrimSpace(r.Header.Get("ConsistencyLevel")), "eventual")
}

// errAdvancedQuery is Graph's refusal of an advanced query sent as a plain
// one (Graph's code and its terse message).
func errAdvancedQuery() *graphError {
	return newGraphError(http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported Query.")
}

// requireAdvanced refuses q unless it is an advanced query: the header and
// $count=true.
func requireAdvanced(q *query) *graphError {
	if !q.eventual || !q.count {
		return errAdvancedQuery()
	}
	return nil
}
