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
}

// Client talks to one tenant's Graph as the signed-in user. It implements
// steps.Directory.
type Client struct {
	cfg    Config
	signIn *SignIn
	gc     *msgraph.GraphServiceClient

	mu     sync.Mutex
	recent map[string]time.Time // keys of objects this client created, for lag retries
}

var _ steps.Directory = (*Client)(nil)

// New builds a client. Nothing is sent until the first call.
func New(cfg Config) (*Client, error) {
	if cfg.LagTimeout == 0 {
		cfg.LagTimeout = 90 * time.Second
	}
	ev := cfg.SignInEvents
	if cfg.OnDeviceCode != nil {
		ev.OnDeviceCode = cfg.OnDeviceCode
	}
	s, err := NewSignIn(SignInConfig{Endpoints: cfg.Endpoints, Tenant: cfg.Tenant, ClientID: cfg.ClientID,
		Method: cfg.SignInMethod, CachePath: cfg.CachePath, HTTP: plainHTTPClient(cfg.ExtraRootsPEM),
		OpenURL: cfg.OpenURL, Events: ev})
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(cfg.Endpoints.GraphRoot)
	if err != nil {
		return nil, err
	}
	tp := &tokenProvider{signIn: s, hosts: absauth.NewAllowedHostsValidator([]string{u.Hostname()})}
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(tp)
	adapter, err := msgraph.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, nil, nil, graphHTTPClient(cfg.ExtraRootsPEM, cfg.Notify))
	if err != nil {
		return nil, err
	}
	adapter.SetBaseUrl(cfg.Endpoints.GraphBase())
	return &Client{cfg: cfg, signIn: s, gc: msgraph.NewGraphServiceClient(adapter), recent: map[string]time.Time{}}, nil
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
			c.recent[strings.ToLower(k)] = time.Now()
		}
	}
}

func (c *Client) isRecent(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.recent[strings.ToLower(key)]
	return ok && time.Since(t) < 2*c.cfg.LagTimeout
}

// tokenProvider hands MSAL's tokens to kiota, for the Graph host only.
type tokenProvider struct {
	signIn *SignIn
	hosts  absauth.AllowedHostsValidator
}

func (t *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !t.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	return t.signIn.Token(ctx)
}

func (t *tokenProvider) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return &t.hosts }
