package graph

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	msgraph "github.com/microsoftgraph/msgraph-sdk-go"

	"github.com/pqentra/pqentra/steps"
)

// Config is everything a Client needs.
type Config struct {
	Endpoints Endpoints
	Tenant    string // GUID or domain; "" means organizations
	ClientID  string // public client; "" means DefaultClientID
	CachePath string // token cache file; "" keeps tokens in memory
	// ExtraRootsPEM adds trusted roots (the built-in emulator's); the
	// system roots are always trusted.
	ExtraRootsPEM []byte
	// Notify receives progress worth telling the user: throttling and
	// waits for replication. It may be nil.
	Notify func(string)
	// OnDeviceCode shows a device code to the user.
	OnDeviceCode func(DeviceCode)
	// SignInMethod is --sign-in: auto (""), device, browser or azure-cli.
	SignInMethod string
	// OpenURL opens the browser sign-in page; nil only shows the URL.
	OpenURL func(url string) error
	// SignInEvents show the browser URL, notes and the end of a wait
	// (OnDeviceCode above wins over SignInEvents.OnDeviceCode).
	SignInEvents SignInEvents
	// LagTimeout bounds how long a call waits for a newly created object to
	// replicate (default 90 s).
	LagTimeout time.Duration
	// RequestTimeout bounds one Graph request (default
	// DefaultRequestTimeout). From half of it, or 10 s, Notify hears that
	// Graph has not answered yet.
	RequestTimeout time.Duration
	// Command is how the run was started: the hints graph gives name
	// follow-up commands with its global flags, and answers in the words
	// of its front end (the wizard's fields, or flags).
	Command steps.Command
	// Clock times the waits for replication and throttling (clock.go);
	// nil is the wall clock. Only tests set it.
	Clock Clock
}

// Client talks to one tenant's Graph as the signed-in user. It implements
// steps.Directory.
type Client struct {
	cfg    Config
	signIn *SignIn
	gc     *msgraph.GraphServiceClient

	mu     sync.Mutex
	recent map[string]time.Time // keys of objects this client created, for lag retries
	writes map[string]written   // what this client last wrote to each app, by object id (replication.go)
	// audiences are the sign-in audiences of apps read or written, by
	// appId, so a failure on the app's service principal is explained
	// for the app it is.
	audiences map[string]string
	// appIDs are the appIds of apps read, by object id, so a failed write
	// to /applications/{id} can name the app in a printed command.
	appIDs map[string]string
	// scopes are the delegated permissions of the last token sent, when
	// the token is readable (scopesKnown); see explain.
	scopes      []string
	scopesKnown bool
}

var _ steps.Directory = (*Client)(nil)

// New builds a client. Nothing is sent until the first call.
func New(cfg Config) (*Client, error) {
	if cfg.LagTimeout == 0 {
		cfg.LagTimeout = 90 * time.Second
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	// The cache is checked before anything is sent: a cache that cannot
	// work is reported before the user is asked to sign in.
	warning, err := PrepareCache(cfg.CachePath, cfg.Command)
	if err != nil {
		return nil, err
	}
	cacheWarn := cfg.Notify
	if warning != "" {
		if cfg.Notify != nil {
			cfg.Notify(warning)
		}
		cacheWarn = nil // told once already
	}
	ev := cfg.SignInEvents
	if cfg.OnDeviceCode != nil {
		ev.OnDeviceCode = cfg.OnDeviceCode
	}
	s, err := NewSignIn(SignInConfig{Endpoints: cfg.Endpoints, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
		Method: cfg.SignInMethod, CachePath: cfg.CachePath, HTTP: plainHTTPClient(cfg.ExtraRootsPEM, loginRoots(cfg.Endpoints)...),
		OpenURL: cfg.OpenURL, Events: ev, CacheWarn: cacheWarn})
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(cfg.Endpoints.GraphRoot)
	if err != nil {
		return nil, err
	}
	tp := &tokenProvider{signIn: s, hosts: absauth.NewAllowedHostsValidator([]string{u.Hostname()}),
		guard: newOriginGuard(nil, "Microsoft Graph", cfg.Endpoints.GraphRoot)}
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(tp)
	adapter, err := msgraph.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, nil, nil, graphHTTPClient(cfg.Endpoints.GraphRoot, cfg.ExtraRootsPEM, cfg.Notify, cfg.RequestTimeout, cfg.Clock))
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(cfg.Endpoints.GraphBase())
	c := &Client{cfg: cfg, signIn: s, gc: msgraph.NewGraphServiceClient(adapter), recent: map[string]time.Time{}, writes: map[string]written{}, audiences: map[string]string{}, appIDs: map[string]string{}}
	tp.onToken = c.noteToken
	return c, nil
}

// GraphBase is the v1.0 root the client calls.
func (c *Client) GraphBase() string { return c.cfg.Endpoints.GraphBase() }

// Endpoints are the hosts the client uses.
func (c *Client) Endpoints() Endpoints { return c.cfg.Endpoints }

func (c *Client) notify(msg string) {
	if c.cfg.Notify != nil {
		c.cfg.Notify(msg)
	}
}

// remember marks keys of an object this client just created (or may have
// created, when the answer was lost): a 404 for them is replication lag, not
// absence.
func (c *Client) remember(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if k != "" {
			c.recent[strings.ToLower(k)] = c.cfg.Clock.Now()
		}
	}
}

// isRecent reports a key remembered within the lag budget (twice
// LagTimeout: a create's replication may take that long to show).
func (c *Client) isRecent(key string) bool { return c.recentWithin(key, 2*c.cfg.LagTimeout) }

// recentWithin reports a key remembered less than window ago.
func (c *Client) recentWithin(key string, window time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.recent[strings.ToLower(key)]
	return ok && c.cfg.Clock.Now().Sub(t) < window
}

// tokenProvider hands MSAL's tokens to kiota, for the Graph host only.
type tokenProvider struct {
	signIn  *SignIn
	hosts   absauth.AllowedHostsValidator
	guard   originGuard  // its allows: the one origin a token may go to
	onToken func(string) // sees each token sent (for its scopes only)
}

func (t *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]any) (string, error) {
	// The token goes only over https to Graph's configured host and port
	// (kiota's host check alone ignores the scheme and the port).
	if !t.hosts.IsUrlHostValid(u) || !t.guard.allows(u) {
		return "", nil
	}
	tok, err := t.signIn.Token(ctx)
	if err == nil && t.onToken != nil {
		t.onToken(tok)
	}
	return tok, err
}

// noteApp remembers an app's sign-in audience and appId (see audiences
// and appIDs).
func (c *Client) noteApp(a *steps.App) {
	if a == nil || a.AppID == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.audiences[strings.ToLower(a.AppID)] = a.SignInAudience
	if a.ObjectID != "" {
		c.appIDs[strings.ToLower(a.ObjectID)] = a.AppID
	}
}

func (c *Client) audienceOf(appID string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.audiences[strings.ToLower(appID)]
}

func (t *tokenProvider) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return &t.hosts }
