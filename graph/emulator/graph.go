package emulator

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// serveGraph is the /v1.0 entry point: injected throttling and faults
// first (those requests are not applied), then authentication, routing and
// the handler. It returns the kind of injection applied, for the log.
func (s *Server) serveGraph(sw *statusWriter, r *http.Request, body []byte, bodyErr error) string {
	r.Body = io.NopCloser(bytes.NewReader(body)) // matchers may read it
	s.mu.Lock()
	if d := s.takeDelay(r); d > 0 {
		s.mu.Unlock()
		if !wait(r, d) {
			return "stall" // the client gave up; nothing was applied
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
	}
	s.graphSeq++
	if n := s.opts.ThrottleEvery; n > 0 && s.graphSeq%n == 0 {
		s.throttled++
		s.mu.Unlock()
		writeGraphError(sw, r, s.throttleError())
		return "throttle"
	}
	if f := s.takeFault(r); f != nil {
		s.faulted++
		s.mu.Unlock()
		writeGraphError(sw, r, newGraphError(f.status, f.code, "%s", f.message))
		return "fault"
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	dropIt := s.takeDrop(r)
	if r.Method == http.MethodGet {
		s.reads++
	} else {
		s.writes++
	}
	var w http.ResponseWriter = sw
	var buf *bufferedWriter
	if dropIt {
		buf = &bufferedWriter{h: http.Header{}}
		w = buf
		s.dropped++
	}
	s.routeGraph(w, r, body, bodyErr)
	status := sw.status
	if buf != nil {
		status = buf.status
	}
	if r.Method != http.MethodGet && status >= 200 && status < 300 {
		s.publishAppsLocked()
		if err := s.saveStateLocked(); err != nil {
			s.stateErr = err
		}
	}
	s.mu.Unlock()

	if !dropIt {
		return ""
	}
	sw.status = buf.status
	// ServeHTTP closes the connection once the exchange is logged, so a
	// client that sees the broken connection also finds it in Log().
	return "drop"
}

// routeGraph authenticates and dispatches; s.mu is held.
func (s *Server) routeGraph(w http.ResponseWriter, r *http.Request, body []byte, bodyErr error) {
	fail := func(e *graphError) { writeGraphError(w, r, e) }
	if bodyErr != nil {
		fail(newGraphError(http.StatusBadRequest, "BadRequest", "The request body could not be decoded: %v.", bodyErr))
		return
	}
	segs, ok := splitSegments(r.URL.EscapedPath())
	if !ok {
		fail(newGraphError(http.StatusBadRequest, "BadRequest", "Invalid URI: the path is not correctly escaped."))
		return
	}
	tok, gerr := s.tokenFor(r)
	if gerr != nil {
		fail(gerr)
		return
	}
	if len(segs) == 0 {
		fail(errSegment(""))
		return
	}
	req := &graphRequest{w: w, r: r, body: body, tok: tok, segs: segs}
	head := segs[0]
	if set, prop, val, ok := parseKeySegment(head); ok {
		switch set {
		case "applications":
			s.routeCollectionKey(req, applications, prop, val)
		case "servicePrincipals":
			s.routeCollectionKey(req, servicePrincipals, prop, val)
		default:
			fail(errSegment(head))
		}
		return
	}
	switch head {
	case "me":
		s.routeMe(req)
	case "organization":
		s.routeOrganization(req)
	case "policies":
		s.routePolicies(req)
	case "applications":
		s.routeCollection(req, applications)
	case "servicePrincipals":
		s.routeCollection(req, servicePrincipals)
	case "directory":
		s.routeDirectory(req)
	default:
		fail(errSegment(head))
	}
}

// graphRequest bundles what every Graph handler needs.
type graphRequest struct {
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	tok  *accessToken
	segs []string
}

func (g *graphRequest) fail(e *graphError) { writeGraphError(g.w, g.r, e) }

// wantsCreate reports a "Prefer: create-if-missing" header (upsert).
func (g *graphRequest) wantsCreate() bool {
	for _, v := range g.r.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "create-if-missing") {
				return true
			}
		}
	}
	return false
}

// writeBody parses and shape-checks a POST/PATCH body against t.
func (g *graphRequest) writeBody(t *typeDef) (map[string]any, *graphError) {
	if gerr := requireJSON(g.r); gerr != nil {
		return nil, gerr
	}
	obj, gerr := decodeObject(g.body)
	if gerr != nil {
		return nil, gerr
	}
	if gerr := checkShape(t, obj); gerr != nil {
		return nil, gerr
	}
	return stripAnnotations(obj).(map[string]any), nil
}
