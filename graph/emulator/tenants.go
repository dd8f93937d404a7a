package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// More than one tenant. Entra is one service for every organization: one
// sign-in host, one Graph host, and the tenant a request acts in is the one
// its token was issued for (the token's tid). A multitenant application
// lives in its publisher's tenant; another tenant sees it only through its
// appId, when an admin there creates its service principal (or consents),
// and never through /applications.
//
// Here each tenant is a Server of its own (its own directory, users,
// tokens, options and request log), added with AddTenant next to the first
// one and served from the first one's listener. A hub routes each request
// to its tenant: Graph requests by the token's tid, sign-in requests by the
// tenant in the path (organizations and common mean the tenant of the user
// at the keyboard, SetSignInTenant). The tenants share nothing else but an
// index of their applications (what a service principal of another
// tenant's app is made from) and the state file.

// hub is what the tenants of one listener share. Lock order: a tenant's mu
// may be held while taking hub.mu, never the other way round.
type hub struct {
	mu      sync.Mutex
	tenants []*Server // [0] owns the listener
	signIn  *Server   // whose user signs in through organizations/common
	// apps indexes every tenant's applications by lower-case appId, kept
	// only while there is more than one tenant.
	apps map[string]sharedApp
	// parts are the tenants' states in the state file (Options.StateFile
	// of the first tenant), as JSON, by tenant id.
	parts map[string]json.RawMessage
}

// sharedApp is what other tenants may learn of an application: enough to
// create its service principal.
type sharedApp struct {
	home       *Server
	obj        map[string]any // a deep copy, taken under home.mu
	visibleAt  time.Time
	homeTenant string
}

// customer defaults: a second tenant that differs from the first in every
// name, so that a test or the demo can tell them apart.
const (
	customerTenantID = "3d9b7c21-5e4a-4f86-b0c3-8a1e2f4d6b70"
	customerUserID   = "7e3a9c5b-1d2f-4a8e-b6c4-0f9e8d7c6b5a"
)

// CustomerOptions are the defaults of a customer's tenant (Fabrikam) for
// AddTenant: another tenant id, name, domains and user, whose user is a
// Cloud Application Administrator (an admin who may onboard another
// tenant's app).
func CustomerOptions() Options {
	return Options{
		TenantID:        customerTenantID,
		TenantName:      "Fabrikam (demo customer)",
		VerifiedDomains: []string{"fabrikam.onmicrosoft.com", "fabrikam.com"},
		UserName:        "Megan Bowen",
		UserUPN:         "megan@fabrikam.com",
		UserRoles:       []string{"Cloud Application Administrator"},
	}
}

func newHub(first *Server) *hub {
	return &hub{tenants: []*Server{first}, signIn: first, parts: map[string]json.RawMessage{}}
}

// AddTenant adds another tenant to the server, served from the same
// listener (URL, certificate). opts must name another TenantID and other
// verified domains; zero fields take the defaults of Start, except that
// the user is another (see CustomerOptions for a ready-made customer).
// StateFile is ignored: when the first tenant keeps a state file, every
// tenant is kept in it. Only the first tenant's Close stops the listener.
func (s *Server) AddTenant(opts Options) (*Server, error) {
	h := s.hub
	opts.TenantID = strings.ToLower(opts.TenantID)
	if !isGUID(opts.TenantID) {
		return nil, errors.New("emulator: AddTenant needs a TenantID (a GUID)")
	}
	if len(opts.VerifiedDomains) == 0 {
		return nil, errors.New("emulator: AddTenant needs VerifiedDomains of the new tenant")
	}
	if opts.UserName == "" || opts.UserUPN == "" {
		opts.UserName, opts.UserUPN = "Megan Bowen", "megan@"+strings.ToLower(opts.VerifiedDomains[len(opts.VerifiedDomains)-1])
	}
	if opts.TenantName == "" {
		opts.TenantName = opts.VerifiedDomains[0]
	}
	first := h.tenants[0]
	opts.StateFile = first.opts.StateFile
	if err := fillDefaults(&opts); err != nil {
		return nil, err
	}
	h.mu.Lock()
	for _, t := range h.tenants {
		if t.opts.TenantID == opts.TenantID {
			h.mu.Unlock()
			return nil, errors.New("emulator: a tenant with that id exists already")
		}
		for _, d := range opts.VerifiedDomains {
			if t.knownTenant(d) {
				h.mu.Unlock()
				return nil, errors.New("emulator: domain " + d + " belongs to another tenant")
			}
		}
	}
	h.mu.Unlock()

	t := &Server{
		opts: opts, ln: first.ln, srv: nil, url: first.url, pool: first.pool, caPEM: first.caPEM,
		conns: map[net.Conn]bool{}, hub: h, userID: customerUserID,
	}
	if opts.TenantID != customerTenantID {
		t.userID = newGUID()
	}
	t.initState()
	t.seedFirstPartyServicePrincipals()
	h.mu.Lock()
	part := h.parts[opts.TenantID]
	h.mu.Unlock()
	if part != nil {
		if err := t.loadPart(part); err != nil {
			return nil, err
		}
	}

	h.mu.Lock()
	h.tenants = append(h.tenants, t)
	needIndex := h.apps == nil
	if needIndex {
		h.apps = map[string]sharedApp{}
	}
	tenants := append([]*Server(nil), h.tenants...)
	h.mu.Unlock()
	for _, x := range tenants {
		if needIndex || x == t {
			x.mu.Lock()
			x.publishAppsLocked()
			x.mu.Unlock()
		}
	}
	// Keep the new tenant (and the first one, if it was never saved) in
	// the state file from now on.
	for _, x := range []*Server{first, t} {
		x.mu.Lock()
		err := x.saveStateLocked()
		x.mu.Unlock()
		if err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Tenants are the server's tenants, the first one first.
func (s *Server) Tenants() []*Server {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return append([]*Server(nil), s.hub.tenants...)
}

// SetSignInTenant makes t's user the one who signs in through the
// multi-tenant authorities (organizations, common) and the device-code
// page: the person at the keyboard. By default that is the first tenant's
// user. A sign-in that names a tenant (by id or domain) signs in that
// tenant's user.
func (s *Server) SetSignInTenant(t *Server) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	for _, x := range s.hub.tenants {
		if x == t {
			s.hub.signIn = t
		}
	}
}

func (h *hub) snapshot() (tenants []*Server, signIn *Server) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*Server(nil), h.tenants...), h.signIn
}

// route picks the tenant a request is for. No lock is held.
func (h *hub) route(r *http.Request, body []byte) *Server {
	tenants, signIn := h.snapshot()
	if len(tenants) == 1 {
		return tenants[0]
	}
	p := r.URL.Path
	if p == "/v1.0" || strings.HasPrefix(p, "/v1.0/") {
		// Graph acts in the tenant the token was issued for. A token
		// this tenant never issued is refused there (401), whatever its
		// claims say.
		if t := tenantByID(tenants, bearerTenant(r)); t != nil {
			return t
		}
		return tenants[0]
	}
	if p == "/devicelogin" {
		if r.Method == http.MethodPost {
			form, _ := url.ParseQuery(string(body))
			code := strings.ToUpper(strings.TrimSpace(strings.ReplaceAll(form.Get("otc"), "-", "")))
			if t := findTenant(tenants, func(t *Server) bool { return t.userCodes[code] != "" }); t != nil {
				return t
			}
		}
		return signIn
	}
	seg, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	for _, t := range tenants {
		if !isMultiTenantAuthority(seg) && t.knownTenant(seg) {
			return t
		}
	}
	// organizations/common (or an unknown tenant, refused by the sign-in
	// tenant): continue where the flow started.
	form, _ := url.ParseQuery(string(body))
	var has func(t *Server) bool
	switch {
	case rest == "oauth2/v2.0/token" && form.Get("device_code") != "":
		has = func(t *Server) bool { return t.deviceCodes[form.Get("device_code")] != nil }
	case rest == "oauth2/v2.0/token" && form.Get("refresh_token") != "":
		has = func(t *Server) bool { return t.refreshTokens[form.Get("refresh_token")] != nil }
	case rest == "oauth2/v2.0/token" && form.Get("code") != "":
		has = func(t *Server) bool { return t.authCodes[form.Get("code")] != nil }
	case rest == "oauth2/v2.0/authorize" && r.Method == http.MethodPost:
		has = func(t *Server) bool { return t.authRequests[form.Get("request")] != nil }
	}
	if has != nil {
		if t := findTenant(tenants, has); t != nil {
			return t
		}
	}
	return signIn
}

func isMultiTenantAuthority(seg string) bool {
	seg = strings.ToLower(seg)
	return seg == "organizations" || seg == "common"
}

func tenantByID(tenants []*Server, id string) *Server {
	for _, t := range tenants {
		if id != "" && strings.EqualFold(t.opts.TenantID, id) {
			return t
		}
	}
	return nil
}

// findTenant is the first tenant for which has (called under its lock)
// is true.
func findTenant(tenants []*Server, has func(*Server) bool) *Server {
	for _, t := range tenants {
		t.mu.Lock()
		ok := has(t)
		t.mu.Unlock()
		if ok {
			return t
		}
	}
	return nil
}

// bearerTenant is the tid claim of the request's bearer token, unverified
// (only for routing: the tenant then checks the token is one it issued).
func bearerTenant(r *http.Request) string {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		raw, _ = strings.CutPrefix(r.Header.Get("Authorization"), "bearer ")
	}
	parts := strings.Split(strings.TrimSpace(raw), ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		TID string `json:"tid"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	return claims.TID
}

// publishAppsLocked refreshes this tenant's entries in the shared index
// (s.mu held). Nothing to do while the server has one tenant.
func (s *Server) publishAppsLocked() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.apps == nil {
		return
	}
	for id, a := range h.apps {
		if a.home == s {
			delete(h.apps, id)
		}
	}
	for _, o := range s.apps {
		id := strings.ToLower(asString(o.obj["appId"]))
		h.apps[id] = sharedApp{home: s, obj: deepCopy(o.obj), visibleAt: o.visibleAt, homeTenant: s.opts.TenantID}
	}
}

// foreignApp is another tenant's application with this appId, as this
// tenant may learn of it (nil when there is none, or it has not
// replicated yet). s.mu is held.
func (s *Server) foreignApp(appID string) *sharedApp {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	a, ok := h.apps[strings.ToLower(appID)]
	if !ok || a.home == s || s.now().Before(a.visibleAt) {
		return nil
	}
	return &a
}
