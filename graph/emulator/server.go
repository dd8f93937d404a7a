// Package emulator is a strict, in-process emulator of Entra ID sign-in
// (the endpoints MSAL for Go's public client uses) and of the slice of
// Microsoft Graph v1.0 that pqentra needs. It serves both the login host
// and the Graph host from one TLS listener on 127.0.0.1.
//
// It is deliberately as strict as the real services: every rule pqentra
// relies on (and every way real Graph refuses a request) is enforced, so a
// bug in pqentra shows up against the emulator instead of in a customer's
// tenant. See README.md for the list of what is emulated.
package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Server. The zero value is a usable default tenant.
type Options struct {
	TenantID          string   // default: fixed GUID "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	TenantName        string   // default "Contoso (demo)"
	VerifiedDomains   []string // default {"contoso.onmicrosoft.com" (initial, default), "contoso.com"}; the first is initial and default
	UserName, UserUPN string   // default "Adele Vance", "adele@contoso.com"
	// StateFile, when set, keeps the directory (applications, service
	// principals, the consent setting) in this JSON file: loaded at Start
	// if it exists, saved after every Graph write that succeeds.
	StateFile           string
	AutoApprove         time.Duration // >0: each device code is approved this long after it is issued; 0: only Approve() approves
	AccessTokenLifetime time.Duration // default 1h
	ThrottleEvery       int           // >0: every Nth Graph request (counting all /v1.0 requests) gets 429
	RetryAfter          int           // seconds in the Retry-After header of injected 429s (default 1)
	ReplicationLag      time.Duration // after an application/servicePrincipal is created, it is invisible for this long
	// UserObjectQuota is how many directory objects a user without an
	// admin role may create, soft-deleted ones included (quota.go);
	// 0 means Entra's 250.
	UserObjectQuota int
	// AppManagementPolicy is the tenant's identifier URI policy
	// (appmgmt.go); nil: DefaultAppManagementPolicy, as Microsoft set it in
	// tenants since mid-2025.
	AppManagementPolicy *AppManagementPolicy
	// UpdateLag: after a write to an application, reads — and the checks
	// of the next write — see the application as it was before, for this
	// long (Entra replicates updates too; graph_apps.go). Deletes and
	// restores replicate the same way: a deleted application or service
	// principal still reads as live, and is not in deleted items yet; a
	// restored one is not found yet (graph_deleted.go).
	UpdateLag time.Duration
	// UsersCannotRegisterApps makes creating applications answer 403
	// Authorization_RequestDenied (the tenant setting "Users can register
	// applications" = No, and the user holds no developer role).
	UsersCannotRegisterApps bool
	// AdminConsentRequired: no admin has consented to any Graph permission
	// for any client but the Azure CLI (which Microsoft preauthorized), and
	// the user is no admin, so asking for Application.ReadWrite.All fails
	// with AADSTS65001.
	AdminConsentRequired bool
	// BlockDeviceCode is a Conditional Access policy that blocks the device
	// code flow: the poll answers AADSTS53003 after the user signed in.
	BlockDeviceCode bool
	// UserRoles are the directory roles (display names, e.g. "Application
	// Developer") the user holds, listed by /me/transitiveMemberOf.
	UserRoles []string
	// UsersCannotCreateServicePrincipals makes creating service principals
	// answer 403 Authorization_RequestDenied, while apps may be registered
	// (a tenant that restricts service principal creation, or a
	// multitenant app whose SP needs an admin role).
	UsersCannotCreateServicePrincipals bool
	// Latency delays every Graph answer (a slow service); see also
	// DelayNext.
	Latency time.Duration
	// DeviceCodeLifetime is how long a device code lasts (default 15
	// minutes, as in Entra).
	DeviceCodeLifetime time.Duration
	Now                func() time.Time // default time.Now
}

const (
	defaultTenantID = "6f1c2a9e-3b8d-4c57-9e21-5a7d0c4b8e13"
	// userObjectID is the signed-in user's object id (oid); fixed so tests
	// and the demo are reproducible.
	userObjectID = "4b2c8d1e-7a3f-4e6b-9c5d-2f8a1b3c4d5e"
	// microsoftTenantID owns Microsoft's first-party applications.
	microsoftTenantID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
)

// Server is a running emulator. All methods are safe for concurrent use.
type Server struct {
	opts  Options
	ln    net.Listener
	srv   *http.Server
	url   string
	pool  *x509.CertPool
	caPEM []byte
	cert  atomic.Pointer[tls.Certificate] // what the server presents (SwitchCertificate)

	connMu sync.Mutex
	conns  map[net.Conn]bool // open connections, closed by SwitchCertificate

	mu sync.Mutex // guards everything below; handlers hold it for the whole request

	// sign-in
	deviceCodes   map[string]*deviceCode // by device_code
	userCodes     map[string]string      // user_code -> device_code
	codesIssued   int
	accessTokens  map[string]*accessToken
	refreshTokens map[string]*refreshToken
	authRequests  map[string]*authRequest // sign-in pages shown, by id
	authCodes     map[string]*authCode
	grants        map[string][]string // client id -> permissions consented since Start
	verifiers     []string            // PKCE verifiers received (Secrets)

	// directory
	apps               []*dirObject // in creation order
	sps                []*dirObject
	deleted            []*deletedItem // soft-deleted objects (graph_deleted.go)
	ghosts             []*ghost       // just-deleted objects replicas still show (graph_deleted.go)
	spLagRefusals      map[string]int // per appId: SP creates refused before the app replicated (graph_sps.go)
	userConsentAllowed bool
	otherUsers         map[string]OtherUser // owners other than the signed-in user (owners.go)

	// faults and accounting
	graphSeq                    int
	faults                      []*fault
	drops                       []*drop
	delays                      []*delay
	throttled, faulted, dropped int
	reads, writes               int
	log                         []LoggedRequest

	// tenants: what this tenant shares with the others on its listener
	// (tenants.go), and its user's object id.
	hub    *hub
	userID string

	// persistence (Options.StateFile)
	loaded   bool
	stateErr error
}

// dirObject is one stored directory object (application or service
// principal) as Graph JSON, plus emulator bookkeeping.
type dirObject struct {
	obj       map[string]any
	visibleAt time.Time // replication lag: invisible to reads before this
	owners    []string  // user object ids
	// stale is the object as replicas still hold it until staleUntil,
	// after an update (Options.UpdateLag); see seen.
	stale      map[string]any
	staleUntil time.Time
	// createdBy is the user who created it (quota.go); "" for seeded
	// objects.
	createdBy string
}

// Start starts an emulator on https://127.0.0.1:0.
func Start(opts Options) (*Server, error) {
	if opts.TenantID == "" {
		opts.TenantID = defaultTenantID
	}
	if opts.TenantName == "" {
		opts.TenantName = "Contoso (demo)"
	}
	if len(opts.VerifiedDomains) == 0 {
		opts.VerifiedDomains = []string{"contoso.onmicrosoft.com", "contoso.com"}
	}
	if opts.UserName == "" {
		opts.UserName = "Adele Vance"
	}
	if opts.UserUPN == "" {
		opts.UserUPN = "adele@contoso.com"
	}
	if err := fillDefaults(&opts); err != nil {
		return nil, err
	}

	cert, leaf, pemBytes, err := selfSignedCert()
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:   opts,
		ln:     ln,
		url:    "https://" + ln.Addr().String(),
		pool:   pool,
		caPEM:  pemBytes,
		conns:  map[net.Conn]bool{},
		userID: userObjectID,
	}
	s.hub = newHub(s)
	s.initState()
	s.cert.Store(&cert)
	s.seedFirstPartyServicePrincipals()
	if s.opts.StateFile != "" {
		if err := s.loadState(); err != nil {
			_ = ln.Close()
			return nil, err
		}
	}
	s.srv = &http.Server{
		Handler:   s,
		TLSConfig: &tls.Config{GetCertificate: s.getCertificate, MinVersion: tls.VersionTLS12},
		ConnState: s.trackConn,
		// HTTP/1.1 only: DropResponse needs http.Hijacker, which HTTP/2
		// connections do not offer.
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ReadHeaderTimeout: 10 * time.Second,
		// Handshake failures from clients that do not trust the
		// certificate are expected in tests; keep them off stderr.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() { _ = s.srv.Serve(tls.NewListener(ln, s.srv.TLSConfig)) }()
	return s, nil
}

// fillDefaults completes what every tenant needs; the tenant's names are
// filled by the caller.
func fillDefaults(opts *Options) error {
	opts.TenantID = strings.ToLower(opts.TenantID)
	if !isGUID(opts.TenantID) {
		return errors.New("emulator: TenantID must be a GUID")
	}
	doms := make([]string, len(opts.VerifiedDomains))
	for i, d := range opts.VerifiedDomains {
		doms[i] = strings.ToLower(d)
	}
	opts.VerifiedDomains = doms
	if opts.DeviceCodeLifetime <= 0 {
		opts.DeviceCodeLifetime = deviceCodeLifetime
	}
	if opts.AccessTokenLifetime <= 0 {
		opts.AccessTokenLifetime = time.Hour
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = 1
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AppManagementPolicy == nil {
		opts.AppManagementPolicy = DefaultAppManagementPolicy()
	} else {
		p := *opts.AppManagementPolicy // the caller's value stays theirs
		opts.AppManagementPolicy = &p
	}
	return nil
}

// initState makes the empty maps of a new tenant.
func (s *Server) initState() {
	s.deviceCodes = map[string]*deviceCode{}
	s.userCodes = map[string]string{}
	s.accessTokens = map[string]*accessToken{}
	s.refreshTokens = map[string]*refreshToken{}
	s.authRequests = map[string]*authRequest{}
	s.authCodes = map[string]*authCode{}
	s.grants = map[string][]string{}
	s.userConsentAllowed = true
	s.spLagRefusals = map[string]int{}
}

// URL is "https://127.0.0.1:PORT"; it serves both the login host
// (authority URL()+"/organizations") and the Graph host (URL()+"/v1.0").
func (s *Server) URL() string { return s.url }

// CertPool trusts the server's self-signed certificate.
func (s *Server) CertPool() *x509.CertPool { return s.pool }

// CACertPEM is the server certificate in PEM (for SSL_CERT_FILE).
func (s *Server) CACertPEM() []byte { return append([]byte(nil), s.caPEM...) }

// Client returns an http.Client that trusts the server (HTTP/1.1).
func (s *Server) Client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: s.pool, MinVersion: tls.VersionTLS12},
		},
		Timeout: 60 * time.Second,
	}
}

// Close stops the server and closes open connections. On a tenant added
// with AddTenant it does nothing: the first tenant owns the listener.
func (s *Server) Close() {
	if s.srv != nil {
		_ = s.srv.Close()
	}
}

// TenantID is the emulated tenant's id.
func (s *Server) TenantID() string { return s.opts.TenantID }

func (s *Server) now() time.Time { return s.opts.Now() }

// SetUserConsentAllowed sets the tenant's "users can consent to apps"
// setting, visible through GET /v1.0/policies/authorizationPolicy.
func (s *Server) SetUserConsentAllowed(allowed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userConsentAllowed = allowed
}

// defaultDomain is the tenant's default (and initial) verified domain.
func (s *Server) defaultDomain() string { return s.opts.VerifiedDomains[0] }
