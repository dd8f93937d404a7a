package emulator

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// OData plumbing: path segments, alternate keys, system query options
// ($filter, $select, $top, $skiptoken) and response envelopes.

// splitSegments splits the escaped path after /v1.0 and unescapes each
// segment separately, so an encoded "/" inside a key stays in its segment.
// Kiota percent-encodes key values (and may encode the parentheses and
// quotes around them).
func splitSegments(escapedPath string) ([]string, bool) {
	p := strings.TrimPrefix(escapedPath, "/v1.0")
	p = strings.Trim(p, "/")
	if p == "" {
		return nil, true
	}
	raw := strings.Split(p, "/")
	out := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		out[i] = u
	}
	return out, true
}

// keySegmentRE matches "applications(appId='…')" style alternate keys;
// a quote inside the value is doubled, as OData requires.
var keySegmentRE = lazyRegexp(`^([A-Za-z]+)\(\s*([A-Za-z]+)\s*=\s*'((?:[^']|'')*)'\s*\)$`)

// parseKeySegment returns entity set, key property and key value for an
// alternate-key segment.
func parseKeySegment(seg string) (set, prop, value string, ok bool) {
	m := keySegmentRE().FindStringSubmatch(seg)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], strings.ReplaceAll(m[3], "''", "'"), true
}

// query holds the parsed system query options of a request.
type query struct {
	filter      func(map[string]any) bool
	search      func(map[string]any) bool // $search; both must match
	selectProps []string
	top         int
	skip        int
	count       bool // $count=true: the answer carries @odata.count
	// eventual: the request carries "ConsistencyLevel: eventual". With
	// count it makes an advanced query (advanced.go).
	eventual bool
}

var (
	stringLit = `'((?:[^']|'')*)'`
	eqRE      = lazyRegexp(`^\s*([A-Za-z]+)\s+eq\s+` + stringLit + `\s*$`)
	startsRE  = lazyRegexp(`^\s*startswith\(\s*([A-Za-z]+)\s*,\s*` + stringLit + `\s*\)\s*$`)
	anyRE     = lazyRegexp(`^\s*([A-Za-z]+)/any\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+` + stringLit + `\s*\)\s*$`)
)

func unquote(s string) string { return strings.ReplaceAll(s, "''", "'") }

// filterSupport lists, per entity set, which properties support which
// $filter form. Anything else is Request_UnsupportedQuery.
type filterSupport struct {
	eq, startsWith, anyEq map[string]bool
}

// parseFilter compiles the few $filter shapes the directory supports for
// pqentra's needs. Directory string comparisons are case-insensitive.
func parseFilter(expr string, fs filterSupport) (func(map[string]any) bool, *graphError) {
	if m := eqRE().FindStringSubmatch(expr); m != nil && fs.eq[m[1]] {
		prop, val := m[1], unquote(m[2])
		return func(o map[string]any) bool {
			s, _ := o[prop].(string)
			return strings.EqualFold(s, val)
		}, nil
	}
	if m := startsRE().FindStringSubmatch(expr); m != nil && fs.startsWith[m[1]] {
		prop, val := m[1], strings.ToLower(unquote(m[2]))
		return func(o map[string]any) bool {
			s, _ := o[prop].(string)
			return strings.HasPrefix(strings.ToLower(s), val)
		}, nil
	}
	if m := anyRE().FindStringSubmatch(expr); m != nil && fs.anyEq[m[1]] && m[2] == m[3] {
		prop, val := m[1], unquote(m[4])
		return func(o map[string]any) bool {
			list, _ := o[prop].([]any)
			for _, v := range list {
				if s, _ := v.(string); strings.EqualFold(s, val) {
					return true
				}
			}
			return false
		}, nil
	}
	return nil, errUnsupportedQuery("Unsupported or invalid query filter clause specified for property '%s' of resource '%s'.", filterProp(expr), "")
}

// filterProp guesses the property a filter clause is about, for messages.
func filterProp(expr string) string {
	for _, re := range []*regexp.Regexp{eqRE(), startsRE(), anyRE()} {
		if m := re.FindStringSubmatch(expr); m != nil {
			return m[1]
		}
	}
	f := strings.FieldsFunc(expr, func(r rune) bool { return r == ' ' || r == '(' || r == ',' || r == '/' })
	if len(f) > 0 {
		return f[0]
	}
	return expr
}

// parseQuery reads $filter/$select/$top/$skiptoken for a collection or an
// entity (collection=false allows only $select). Unsupported system query
// options are refused rather than silently ignored.
func parseQuery(r *http.Request, t *typeDef, fs filterSupport, collection bool, resource string) (*query, *graphError) {
	q := &query{top: 100, eventual: consistencyEventual(r)}
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, newGraphError(http.StatusBadRequest, "BadRequest", "Invalid query string.")
	}
	for k, v := range vals {
		if len(v) > 1 {
			return nil, newGraphError(http.StatusBadRequest, "BadRequest", "Query option '%s' was specified more than once, but it must be specified at most once.", k)
		}
		key := strings.TrimPrefix(k, "$")
		if key == k { // not a system query option: ignored, as by Graph
			continue
		}
		switch key {
		case "select":
			props, gerr := parseSelect(v[0], t)
			if gerr != nil {
				return nil, gerr
			}
			q.selectProps = props
		case "filter":
			if !collection {
				return nil, newGraphError(http.StatusBadRequest, "BadRequest", "Query option 'Filter' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.")
			}
			f, gerr := parseFilter(v[0], fs)
			if gerr != nil {
				gerr.message = strings.Replace(gerr.message, "resource ''", "resource '"+resource+"'", 1)
				return nil, gerr
			}
			q.filter = f
		case "search":
			if !collection || fs.startsWith == nil {
				return nil, errUnsupportedQuery("$search is not supported on resource '%s'.", resource)
			}
			f, gerr := parseSearch(r, v[0])
			if gerr != nil {
				return nil, gerr
			}
			q.search = f
		case "top":
			n, err := strconv.Atoi(v[0])
			if !collection || err != nil || n < 1 || n > 999 {
				return nil, errBadRequest("Invalid page size specified: '%s'. Must be between 1 and 999 inclusive.", v[0])
			}
			q.top = n
		case "count":
			if !collection || (v[0] != "true" && v[0] != "false") {
				return nil, errBadRequest("Invalid $count value '%s': it must be true or false, on a collection.", v[0])
			}
			// $count on directory objects is an advanced query: Graph
			// counts only with "ConsistencyLevel: eventual".
			if v[0] == "true" && !q.eventual {
				return nil, errAdvancedQuery()
			}
			q.count = v[0] == "true"
		case "skiptoken":
			n, err := strconv.Atoi(strings.TrimPrefix(v[0], "emu"))
			if !collection || err != nil || n < 0 || !strings.HasPrefix(v[0], "emu") {
				return nil, errBadRequest("Invalid paging token specified.")
			}
			q.skip = n
		default:
			return nil, errUnsupportedQuery("The query option '$%s' is not supported by this emulator (pqentra does not need it).", key)
		}
	}
	return q, nil
}

func parseSelect(v string, t *typeDef) ([]string, *graphError) {
	var props []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, newGraphError(http.StatusBadRequest, "BadRequest", "Syntax error: character ',' is not valid at position %d in '%s'.", len(v), v)
		}
		if _, ok := t.props[p]; !ok {
			return nil, newGraphError(http.StatusBadRequest, "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named '%s' on type '%s'.", p, t.name)
		}
		props = append(props, p)
	}
	return props, nil
}

// project applies $select (if any) to a copy of o.
func (q *query) project(o map[string]any) map[string]any {
	if len(q.selectProps) == 0 {
		return deepCopy(o)
	}
	out := map[string]any{}
	for _, p := range q.selectProps {
		out[p] = deepCopyValue(o[p])
	}
	return out
}

// contextURL is the @odata.context value for set (optionally with $select)
// as a collection or as a single entity.
func (s *Server) contextURL(set string, q *query, entity bool) string {
	c := s.url + "/v1.0/$metadata#" + set
	if q != nil && len(q.selectProps) > 0 {
		c += "(" + strings.Join(q.selectProps, ",") + ")"
	}
	if entity {
		c += "/$entity"
	}
	return c
}

// writeGraphJSON writes a Graph success response with Graph's headers.
func writeGraphJSON(w http.ResponseWriter, r *http.Request, status int, body map[string]any) {
	reqID := newGUID()
	clientReqID := r.Header.Get("client-request-id")
	if clientReqID == "" {
		clientReqID = reqID
	}
	w.Header().Set("request-id", reqID)
	w.Header().Set("client-request-id", clientReqID)
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(mustJSON(body))
}

// writeEntity writes one object with its @odata.context.
func (s *Server) writeEntity(w http.ResponseWriter, r *http.Request, status int, set string, q *query, obj map[string]any) {
	if q == nil {
		q = &query{}
	}
	out := q.project(obj)
	out["@odata.context"] = s.contextURL(set, q, true)
	writeGraphJSON(w, r, status, out)
}

// writeCollection writes a page of objects (already filtered), with an
// @odata.nextLink when more remain.
func (s *Server) writeCollection(w http.ResponseWriter, r *http.Request, set string, q *query, objs []map[string]any) {
	start := min(q.skip, len(objs))
	end := min(start+q.top, len(objs))
	page := make([]any, 0, end-start)
	for _, o := range objs[start:end] {
		page = append(page, q.project(o))
	}
	body := map[string]any{"@odata.context": s.contextURL(set, q, false), "value": page}
	if q.count {
		body["@odata.count"] = len(objs)
	}
	if end < len(objs) {
		vals, _ := url.ParseQuery(r.URL.RawQuery)
		vals.Set("$skiptoken", "emu"+strconv.Itoa(end))
		body["@odata.nextLink"] = s.url + r.URL.Path + "?" + vals.Encode()
	}
	writeGraphJSON(w, r, http.StatusOK, body)
}

// sortedKeys is used where deterministic iteration matters (messages).
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
