package emulator

import (
	"net/http"
	"slices"
	"strings"
)

// A collection is one directory entity set (/applications,
// /servicePrincipals). Graph answers list, get, create, update and delete
// the same way for every directory object: the same permission checks, the
// same query validation, the same replication lag, the same status codes.
// So that the two sets cannot drift apart, one set of handlers below serves
// both; a collection only says what differs (type, filters, permissions,
// alternate keys, how an object is created or updated).
type collection struct {
	set     string        // entity set name, as in the URL and @odata.context
	kind    string        // short type name for query errors and Location
	typ     *typeDef      // what request bodies are shape-checked against
	filters filterSupport // $filter clauses the set supports
	// keys are the alternate keys allowed in /set(key='value').
	keys []string
	// navigations are read-only navigation properties (/set/{id}/name),
	// answered by GET only, under the read permission.
	navigations map[string]func(s *Server, g *graphRequest, o *dirObject, key string)

	canRead, canWrite func(*accessToken) bool
	objects           func(s *Server) *[]*dirObject // the stored objects
	create            func(s *Server, body map[string]any) (*dirObject, *graphError)
	update            func(s *Server, o *dirObject, body map[string]any) *graphError
	// upsert answers PATCH with "Prefer: create-if-missing" on an object
	// this replica cannot see (lagging: it exists but is not visible yet),
	// addressed by prop = val.
	upsert func(s *Server, prop, val string, body map[string]any, lagging bool) (*dirObject, *graphError)
	// mayDelete, when set, may refuse a DELETE of o the write permission
	// alone does not decide.
	mayDelete func(s *Server, o *dirObject) *graphError
}

// maxSegs is the longest path under the set: /set/{id}, plus
// /set/{id}/navigation where the set has any.
func (c *collection) maxSegs() int {
	if len(c.navigations) > 0 {
		return 3
	}
	return 2
}

func (s *Server) visible(o *dirObject) bool { return !s.now().Before(o.visibleAt) }

// seen is o as a read (or the checks of a write) sees it: right after an
// update, the replica answering has not caught up yet (Options.UpdateLag).
func (s *Server) seen(o *dirObject) map[string]any {
	if o.stale != nil && s.now().Before(o.staleUntil) {
		return o.stale
	}
	return o.obj
}

// findObject finds an object by a string property (case-insensitively, as
// the directory compares keys), visible or not.
func findObject(objects []*dirObject, prop, val string) *dirObject {
	for _, o := range objects {
		if v, _ := o.obj[prop].(string); v != "" && strings.EqualFold(v, val) {
			return o
		}
	}
	return nil
}

// removeObject deletes o from *objects, if present.
func removeObject(objects *[]*dirObject, o *dirObject) {
	for i, e := range *objects {
		if e == o {
			*objects = append((*objects)[:i], (*objects)[i+1:]...)
			return
		}
	}
}

// routeCollection handles /set, /set/{id} and /set/{id}/navigation.
func (s *Server) routeCollection(g *graphRequest, c *collection) {
	n := c.maxSegs()
	switch {
	case len(g.segs) == 1:
		switch g.r.Method {
		case http.MethodGet:
			s.listCollection(g, c)
		case http.MethodPost:
			s.postCollection(g, c)
		default:
			g.fail(errMethod())
		}
	case len(g.segs) <= n:
		id := g.segs[1]
		if !isGUID(id) {
			g.fail(errBadRequest("Invalid object identifier '%s'.", id))
			return
		}
		s.collectionEntity(g, c, "id", strings.ToLower(id), g.segs[2:])
	default:
		g.fail(errSegment(g.segs[n]))
	}
}

// routeCollectionKey handles /set(prop='val') and its navigations.
func (s *Server) routeCollectionKey(g *graphRequest, c *collection, prop, val string) {
	if !slices.Contains(c.keys, prop) {
		g.fail(errSegment(g.segs[0]))
		return
	}
	if n := c.maxSegs() - 1; len(g.segs) > n {
		g.fail(errSegment(g.segs[n]))
		return
	}
	s.collectionEntity(g, c, prop, val, g.segs[1:])
}

// collectionEntity handles one addressed object (and its navigations).
func (s *Server) collectionEntity(g *graphRequest, c *collection, prop, val string, rest []string) {
	var nav func(*Server, *graphRequest, *dirObject, string)
	if len(rest) == 1 {
		if nav = c.navigations[rest[0]]; nav == nil {
			g.fail(errSegment(rest[0]))
			return
		}
	}
	o := findObject(*c.objects(s), prop, val)
	lagging := o != nil && !s.visible(o)
	if lagging {
		o = nil // replication lag: this replica has not seen it yet
	}
	if nav != nil {
		if g.r.Method != http.MethodGet {
			g.fail(errMethod())
			return
		}
		if !c.canRead(g.tok) {
			g.fail(errDenied())
			return
		}
		nav(s, g, o, val)
		return
	}
	switch g.r.Method {
	case http.MethodGet:
		q, ok := s.readQuery(g, c, false)
		if !ok {
			return
		}
		if o == nil {
			if gh := s.ghostOf(c, prop, val); gh != nil && !lagging {
				s.writeEntity(g.w, g.r, http.StatusOK, c.set, q, gh) // deleted, not replicated yet
				return
			}
			g.fail(errNotFound(val))
			return
		}
		s.writeEntity(g.w, g.r, http.StatusOK, c.set, q, s.seen(o))
	case http.MethodPatch:
		s.patchCollectionEntity(g, c, o, prop, val, lagging)
	case http.MethodDelete:
		if !c.canWrite(g.tok) {
			g.fail(errDenied())
			return
		}
		if o == nil {
			g.fail(errNotFound(val))
			return
		}
		if c.mayDelete != nil {
			if gerr := c.mayDelete(s, o); gerr != nil {
				g.fail(gerr)
				return
			}
		}
		s.softDelete(c, o)
		writeGraphJSON(g.w, g.r, http.StatusNoContent, nil)
	default:
		g.fail(errMethod())
	}
}

// patchCollectionEntity updates o, or (upsert) creates it when it is
// missing and the client asked for that.
func (s *Server) patchCollectionEntity(g *graphRequest, c *collection, o *dirObject, prop, val string, lagging bool) {
	body, ok := s.writeRequest(g, c)
	if !ok {
		return
	}
	if o != nil {
		if gerr := c.update(s, o, body); gerr != nil {
			g.fail(gerr)
			return
		}
		writeGraphJSON(g.w, g.r, http.StatusNoContent, nil)
		return
	}
	if !g.wantsCreate() {
		g.fail(errNotFound(val))
		return
	}
	created, gerr := c.upsert(s, prop, val, body, lagging)
	if gerr != nil {
		g.fail(gerr)
		return
	}
	s.writeCreated(g, c, created)
}

// listCollection answers GET /set with the visible objects.
func (s *Server) listCollection(g *graphRequest, c *collection) {
	q, ok := s.readQuery(g, c, true)
	if !ok {
		return
	}
	var out []map[string]any
	for _, o := range *c.objects(s) {
		if obj := s.seen(o); s.visible(o) && (q.filter == nil || q.filter(obj)) && (q.search == nil || q.search(obj)) {
			out = append(out, obj)
		}
	}
	for _, obj := range s.ghostsOf(c) { // deleted, not replicated yet
		if (q.filter == nil || q.filter(obj)) && (q.search == nil || q.search(obj)) {
			out = append(out, obj)
		}
	}
	s.writeCollection(g.w, g.r, c.set, q, out)
}

// readQuery checks the read permission and then the query options of a
// GET on the set (isCollection) or on one object, in that order: Graph
// answers 403 before it looks at the query. On failure it has answered.
func (s *Server) readQuery(g *graphRequest, c *collection, isCollection bool) (*query, bool) {
	if !c.canRead(g.tok) {
		g.fail(errDenied())
		return nil, false
	}
	q, gerr := parseQuery(g.r, c.typ, c.filters, isCollection, c.kind)
	if gerr != nil {
		g.fail(gerr)
		return nil, false
	}
	return q, true
}

// writeRequest checks the write permission and then the body of a POST
// or PATCH, in that order (403 before 400). On failure it has answered.
func (s *Server) writeRequest(g *graphRequest, c *collection) (map[string]any, bool) {
	if !c.canWrite(g.tok) {
		g.fail(errDenied())
		return nil, false
	}
	body, gerr := g.writeBody(c.typ)
	if gerr != nil {
		g.fail(gerr)
		return nil, false
	}
	return body, true
}

// copyObjects returns deep copies of objects, for the exported accessors:
// callers must not reach the emulator's state.
func copyObjects(objects []*dirObject) []map[string]any {
	out := make([]map[string]any, len(objects))
	for i, o := range objects {
		out[i] = deepCopy(o.obj)
	}
	return out
}

// postCollection answers POST /set.
func (s *Server) postCollection(g *graphRequest, c *collection) {
	body, ok := s.writeRequest(g, c)
	if !ok {
		return
	}
	created, gerr := c.create(s, body)
	if gerr != nil {
		g.fail(gerr)
		return
	}
	s.writeCreated(g, c, created)
}

// writeCreated answers a create with 201, the object and its Location
// (Graph points it at the directoryObjects endpoint of the v2 API).
func (s *Server) writeCreated(g *graphRequest, c *collection, o *dirObject) {
	id, _ := o.obj["id"].(string)
	g.w.Header().Set("Location", s.url+"/v2/"+s.opts.TenantID+"/directoryObjects/"+id+"/Microsoft.DirectoryServices."+c.kind)
	s.writeEntity(g.w, g.r, http.StatusCreated, c.set, nil, o.obj)
}
