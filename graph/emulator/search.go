package emulator

import (
	"net/http"
	"strings"
	"unicode"
)

// $search on directory objects, as Graph does it: an advanced query, so
// the request must carry "ConsistencyLevel: eventual" (without it Graph
// refuses the request). The value is one or more quoted "property:term"
// clauses joined by AND or OR (OR when nothing joins them). Only the
// tokenized properties (displayName, description) can be searched. Their
// text is split into words at spaces, punctuation and lower-to-upper case
// changes, and a clause matches when a word starts with the term; case
// does not matter. $search and $filter together must both match.

var searchClauseRE = lazyRegexp(`^"([A-Za-z]+):([^"]*)"$`)

// searchable are the tokenized properties of applications and service
// principals.
var searchable = map[string]bool{"displayName": true, "description": true}

func errSearchHeader() *graphError {
	return newGraphError(http.StatusBadRequest, "Request_UnsupportedQuery",
		"Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'")
}

// parseSearch compiles a $search value.
func parseSearch(r *http.Request, v string) (func(map[string]any) bool, *graphError) {
	if !consistencyEventual(r) {
		return nil, errSearchHeader()
	}
	type clause struct{ prop, term string }
	var clauses []clause
	var ops []string
	for _, part := range splitSearch(v) {
		switch up := strings.ToUpper(part); {
		case up == "AND" || up == "OR":
			if len(clauses) == len(ops) {
				return nil, errBadRequest("Syntax error: invalid $search query '%s'.", v)
			}
			ops = append(ops, up)
		default:
			m := searchClauseRE().FindStringSubmatch(part)
			if m == nil {
				return nil, errBadRequest("Syntax error: invalid $search query '%s'. Put each clause in double quotes, as \"displayName:term\".", v)
			}
			if !searchable[m[1]] {
				return nil, errUnsupportedQuery("Unsupported or invalid search clause specified for property '%s'.", m[1])
			}
			if len(clauses) > len(ops) {
				ops = append(ops, "OR")
			}
			clauses = append(clauses, clause{m[1], strings.ToLower(strings.TrimSpace(m[2]))})
		}
	}
	if len(clauses) == 0 || len(ops) >= len(clauses) {
		return nil, errBadRequest("Syntax error: invalid $search query '%s'.", v)
	}
	match := func(o map[string]any, c clause) bool {
		s, _ := o[c.prop].(string)
		for _, w := range searchWords(s) {
			if strings.HasPrefix(w, c.term) {
				return true
			}
		}
		return false
	}
	return func(o map[string]any) bool {
		ok := match(o, clauses[0])
		for i, op := range ops {
			if op == "AND" {
				ok = ok && match(o, clauses[i+1])
			} else {
				ok = ok || match(o, clauses[i+1])
			}
		}
		return ok
	}, nil
}

// splitSearch splits a $search value into quoted clauses and operators.
func splitSearch(v string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range v {
		switch {
		case r == '"':
			cur.WriteRune(r)
			if quoted {
				out = append(out, cur.String())
				cur.Reset()
			}
			quoted = !quoted
		case r == ' ' && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// searchWords tokenizes text as the directory's search index does: words
// split at anything but letters and digits and where a lower-case letter
// is followed by an upper-case one; lower-cased.
func searchWords(s string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return words
}
