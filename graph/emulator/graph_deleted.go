package emulator

import (
	"net/http"
	"strings"
	"time"
)

// Soft delete and /directory/deletedItems.
//
// Deleting an application or a service principal does not destroy it: Entra
// moves it to the deleted items container, where it can be read, restored
// (POST …/restore) or deleted for good (DELETE) for 30 days. Deleting an
// application also deletes its service principal in the home tenant; restoring
// the application does not bring the service principal back — that is a
// second restore, as Graph's documentation of restore says.

// deletedItem is one soft-deleted object.
type deletedItem struct {
	set *collection // applications or servicePrincipals
	o   *dirObject
	// visibleAt: with Options.UpdateLag, deleted items shows the object
	// (and lets it be restored or purged) only once the delete replicated.
	visibleAt time.Time
}

// A ghost is a just-deleted object as the replicas that have not seen the
// delete yet still show it (Options.UpdateLag): GET and lists return it,
// live, until then. Writes go to the directory, where it is gone (404).
// Microsoft: "A successful write to Microsoft Entra does not guarantee that
// an immediate read will reflect that change" (docs/graph-rules.md).
type ghost struct {
	set   *collection
	obj   map[string]any
	until time.Time
}

// ghostsOf are c's ghosts still shown; s.mu is held.
func (s *Server) ghostsOf(c *collection) []map[string]any {
	keep := s.ghosts[:0]
	var out []map[string]any
	for _, g := range s.ghosts {
		if !s.now().Before(g.until) {
			continue
		}
		keep = append(keep, g)
		if g.set == c {
			out = append(out, g.obj)
		}
	}
	s.ghosts = keep
	return out
}

// ghostOf is the ghost of c whose prop is val, or nil; s.mu is held.
func (s *Server) ghostOf(c *collection, prop, val string) map[string]any {
	for _, o := range s.ghostsOf(c) {
		if v, _ := o[prop].(string); v != "" && strings.EqualFold(v, val) {
			return o
		}
	}
	return nil
}

// inDeletedItems: the delete of d has replicated, so deleted items shows it.
func (s *Server) inDeletedItems(d *deletedItem) bool { return !s.now().Before(d.visibleAt) }

// deletedCasts maps the OData cast segment of /directory/deletedItems/{cast}
// to the collection whose deleted objects it lists. Graph takes the type
// with its namespace (microsoft.graph.application) or the namespace's alias
// (graph.application, which msgraph-sdk-go sends). Graph also accepts the
// casts of types the emulator does not model; the emulator has none of those
// objects, so it lists none.
var deletedCasts = map[string]func() *collection{
	"application":        func() *collection { return applications },
	"serviceprincipal":   func() *collection { return servicePrincipals },
	"group":              nil,
	"user":               nil,
	"administrativeunit": nil,
	"device":             nil,
}

// castType returns the type name of a cast segment ("" when seg is not
// one): microsoft.graph.x and graph.x both name x.
func castType(seg string) string {
	low := strings.ToLower(seg)
	for _, ns := range []string{"microsoft.graph.", "graph."} {
		if t, ok := strings.CutPrefix(low, ns); ok {
			return t
		}
	}
	return ""
}

// deletedRetention is how long Entra keeps a deleted object restorable.
const deletedRetention = 30 * 24 * time.Hour

// softDelete moves o from its collection to deleted items; s.mu is held.
func (s *Server) softDelete(c *collection, o *dirObject) {
	removeObject(c.objects(s), o)
	item := &deletedItem{set: c, o: o}
	if lag := s.opts.UpdateLag; lag > 0 && s.visible(o) {
		s.ghosts = append(s.ghosts, &ghost{set: c, obj: deepCopy(s.seen(o)), until: s.now().Add(lag)})
		item.visibleAt = s.now().Add(lag)
	}
	o.stale = nil
	o.obj["deletedDateTime"] = s.now().UTC().Format(time.RFC3339)
	s.deleted = append(s.deleted, item)
	if c == applications {
		// The home tenant's service principal goes with its application.
		appID, _ := o.obj["appId"].(string)
		if sp := s.findSP("appId", appID); sp != nil {
			s.softDelete(servicePrincipals, sp)
		}
	}
}

// purgeExpired drops deleted items older than the retention period; s.mu is
// held.
func (s *Server) purgeExpired() {
	keep := s.deleted[:0]
	for _, d := range s.deleted {
		at, err := time.Parse(time.RFC3339, asString(d.o.obj["deletedDateTime"]))
		if err == nil && s.now().Sub(at) > deletedRetention {
			continue
		}
		keep = append(keep, d)
	}
	s.deleted = keep
}

// findDeleted finds the deleted item id, once deleted items shows it.
func (s *Server) findDeleted(id string) *deletedItem {
	for _, d := range s.deleted {
		if strings.EqualFold(asString(d.o.obj["id"]), id) && s.inDeletedItems(d) {
			return d
		}
	}
	return nil
}

// typed returns a copy of a deleted object carrying its @odata.type, as
// Graph returns members of the directoryObject collection.
func (d *deletedItem) typed(q *query) map[string]any {
	if q == nil {
		q = &query{}
	}
	out := q.project(d.o.obj)
	out["@odata.type"] = "#microsoft.graph." + lowerFirst(d.set.kind)
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// routeDirectory handles /directory/deletedItems and below.
func (s *Server) routeDirectory(g *graphRequest) {
	if len(g.segs) < 2 {
		g.fail(errSegment("directory"))
		return
	}
	if g.segs[1] != "deletedItems" {
		g.fail(errSegment(g.segs[1]))
		return
	}
	s.purgeExpired()
	switch len(g.segs) {
	case 2:
		// Graph needs the cast: GET /directory/deletedItems alone is not
		// supported.
		if g.r.Method != http.MethodGet {
			g.fail(errMethod())
			return
		}
		g.fail(errBadRequest("The OData cast is a required part of the URI: use /directory/deletedItems/microsoft.graph.application (or microsoft.graph.servicePrincipal, microsoft.graph.group, microsoft.graph.user, microsoft.graph.administrativeUnit)."))
	case 3:
		seg := g.segs[2]
		if set, ok := deletedCasts[castType(seg)]; ok {
			s.listDeleted(g, seg, set)
			return
		}
		if !isGUID(seg) {
			g.fail(errBadRequest("Invalid object identifier '%s'.", seg))
			return
		}
		s.deletedEntity(g, strings.ToLower(seg))
	case 4:
		if !isGUID(g.segs[2]) {
			g.fail(errBadRequest("Invalid object identifier '%s'.", g.segs[2]))
			return
		}
		if g.segs[3] != "restore" && castType(g.segs[3]) != "restore" {
			g.fail(errSegment(g.segs[3]))
			return
		}
		if g.r.Method != http.MethodPost {
			g.fail(errMethod())
			return
		}
		s.restoreDeleted(g, strings.ToLower(g.segs[2]))
	default:
		g.fail(errSegment(g.segs[4]))
	}
}

// listDeleted answers GET /directory/deletedItems/microsoft.graph.{type}.
func (s *Server) listDeleted(g *graphRequest, cast string, set func() *collection) {
	if g.r.Method != http.MethodGet {
		g.fail(errMethod())
		return
	}
	c := applications // the permission and query rules of the modelled types
	if set != nil {
		c = set()
	}
	q, ok := s.readQuery(g, c, true)
	if !ok {
		return
	}
	var out []map[string]any
	if set != nil {
		for _, d := range s.deleted {
			if d.set == c && s.inDeletedItems(d) && (q.filter == nil || q.filter(d.o.obj)) && (q.search == nil || q.search(d.o.obj)) {
				out = append(out, d.o.obj)
			}
		}
	}
	s.writeCollection(g.w, g.r, "directory/deletedItems/"+cast, q, out)
}

// deletedEntity answers GET and DELETE /directory/deletedItems/{id}.
func (s *Server) deletedEntity(g *graphRequest, id string) {
	d := s.findDeleted(id)
	switch g.r.Method {
	case http.MethodGet:
		c := applications
		if d != nil {
			c = d.set
		}
		q, ok := s.readQuery(g, c, false)
		if !ok {
			return
		}
		if d == nil {
			g.fail(errNotFound(id))
			return
		}
		out := d.typed(q)
		out["@odata.context"] = s.url + "/v1.0/$metadata#directory/deletedItems/$entity"
		writeGraphJSON(g.w, g.r, http.StatusOK, out)
	case http.MethodDelete:
		if !canWriteApps(g.tok) {
			g.fail(errDenied())
			return
		}
		if d == nil {
			g.fail(errNotFound(id))
			return
		}
		s.dropDeleted(d)
		writeGraphJSON(g.w, g.r, http.StatusNoContent, nil)
	default:
		g.fail(errMethod())
	}
}

func (s *Server) dropDeleted(d *deletedItem) {
	for i, e := range s.deleted {
		if e == d {
			s.deleted = append(s.deleted[:i], s.deleted[i+1:]...)
			return
		}
	}
}

// restoreDeleted answers POST /directory/deletedItems/{id}/restore: the
// object comes back as it was, unless what made it unique is now taken.
func (s *Server) restoreDeleted(g *graphRequest, id string) {
	if !canWriteApps(g.tok) {
		g.fail(errDenied())
		return
	}
	d := s.findDeleted(id)
	if d == nil {
		g.fail(errNotFound(id))
		return
	}
	obj := d.o.obj
	switch d.set {
	case applications:
		// No live app can hold a deleted app's keys any more (keyHolders
		// refuses them, as Graph does), so Graph never gets here; a demo
		// state file saved before that rule can still hold such a pair,
		// and restoring would make two live apps with one key.
		if u := asString(obj["uniqueName"]); u != "" && findObject(s.apps, "uniqueName", u) != nil {
			g.fail(errKeyTaken("uniqueName"))
			return
		}
		for _, u := range stringsOf(obj["identifierUris"]) {
			for _, o := range s.apps {
				if containsFold(stringsOf(o.obj["identifierUris"]), u) {
					g.fail(errKeyTaken("identifierUris"))
					return
				}
			}
		}
	case servicePrincipals:
		appID := asString(obj["appId"])
		if s.findSP("appId", appID) != nil {
			g.fail(errSPNameTaken(appID))
			return
		}
		if owner := asString(obj["appOwnerOrganizationId"]); owner == s.opts.TenantID && s.findApp("appId", appID) == nil {
			g.fail(errBadRequest("The appId '%s' of the service principal does not reference a valid application object.", appID))
			return
		}
	}
	s.dropDeleted(d)
	obj["deletedDateTime"] = nil
	// Restored, it is not found at once everywhere (Options.UpdateLag).
	d.o.visibleAt = s.now().Add(s.opts.UpdateLag)
	*d.set.objects(s) = append(*d.set.objects(s), d.o)
	if d.set == servicePrincipals {
		if app := s.findApp("appId", asString(obj["appId"])); app != nil {
			s.syncServicePrincipal(app.obj)
		}
	}
	out := d.typed(nil)
	out["@odata.context"] = s.url + "/v1.0/$metadata#directoryObjects/$entity"
	writeGraphJSON(g.w, g.r, http.StatusOK, out)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// DeletedItems returns copies of the soft-deleted objects, each with its
// @odata.type.
func (s *Server) DeletedItems() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purgeExpired()
	out := make([]map[string]any, len(s.deleted))
	for i, d := range s.deleted {
		out[i] = d.typed(nil)
	}
	return out
}

// SeedDeletedApplication stores an application as if created earlier and
// then deleted at deletedAt (zero: now): it is in deleted items, holding
// its uniqueName and identifier URIs, with its owners.
func (s *Server) SeedDeletedApplication(app map[string]any, deletedAt time.Time) (objectID, appID string, err error) {
	objectID, appID, err = s.SeedApplication(app)
	if err != nil {
		return "", "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.findApp("id", objectID)
	s.softDelete(applications, o)
	if !deletedAt.IsZero() {
		o.obj["deletedDateTime"] = deletedAt.UTC().Format(time.RFC3339)
	}
	return objectID, appID, nil
}
