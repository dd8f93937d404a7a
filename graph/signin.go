package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
)

// DefaultClientID is Microsoft Graph Command Line Tools, a public client that
// exists in every tenant and may ask for Application.ReadWrite.All. A tenant
// that blocks it needs its own public client app (--client-id).
const DefaultClientID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

// AzureCLIClientID is the Azure CLI's client, the identity of
// --sign-in azure-cli tokens.
const AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// Sign-in methods (--sign-in).
const (
	MethodAuto     = "auto"      // cached token, else device code; browser when device code is blocked
	MethodDevice   = "device"    // device code only
	MethodBrowser  = "browser"   // authorization code + PKCE in the system browser
	MethodAzureCLI = "azure-cli" // the Azure CLI's signed-in session; no token stored
)

// Methods are the --sign-in values, for validation and completion.
var Methods = []string{MethodAuto, MethodDevice, MethodBrowser, MethodAzureCLI}

// DeviceCode is what the user needs to finish signing in on another device.
type DeviceCode struct {
	UserCode        string
	VerificationURL string
	Message         string
	ExpiresOn       time.Time
}

// SignInEvents tell the user what the sign-in needs from them. Any may be nil.
type SignInEvents struct {
	// OnDeviceCode shows a device code and its URL.
	OnDeviceCode func(DeviceCode)
	// OnBrowser shows the browser sign-in URL. It is called before the
	// browser is opened, so the URL is visible even when no browser opens.
	OnBrowser func(url string)
	// OnNote gets one-line notes: why auto sign-in moves on to the
	// browser, or that no browser could be opened.
	OnNote func(note string)
	// OnWaitEnd is called when a pending device code or browser sign-in
	// is over (a spinner stops).
	OnWaitEnd func()
}

// SignIn gets Graph tokens for one user: through MSAL (cache, device code,
// browser) or through the Azure CLI.
type SignIn struct {
	cfg    SignInConfig
	app    public.Client
	scopes []string
	az     *azureCLI
	// method is what actually got the token ("device", "browser",
	// "azure-cli"); "" until signed in.
	method  string
	granted []string

	mu sync.Mutex
}

// SignInConfig configures SignIn.
type SignInConfig struct {
	Endpoints Endpoints
	Tenant    string // GUID, domain, or "" for organizations
	ClientID  string // "" for DefaultClientID
	Method    string // "" for MethodAuto
	CachePath string // "" keeps tokens in memory only
	HTTP      *http.Client
	// OpenURL opens the browser sign-in page ($BROWSER or the system
	// opener). nil: the URL is only shown.
	OpenURL func(url string) error
	Events  SignInEvents
	// CacheWarn hears, once, that the cache cannot be saved; nil ignores it.
	CacheWarn func(string)
}

// NewSignIn builds the MSAL public client (or the Azure CLI credential).
func NewSignIn(cfg SignInConfig) (*SignIn, error) {
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	if cfg.Method == "" {
		cfg.Method = MethodAuto
	}
	s := &SignIn{cfg: cfg, scopes: []string{cfg.Endpoints.Scope()}}
	switch cfg.Method {
	case MethodAzureCLI:
		az, err := newAzureCLI(cfg.Endpoints, cfg.Tenant)
		if err != nil {
			return nil, err
		}
		s.az = az
		return s, nil
	case MethodAuto, MethodDevice, MethodBrowser:
	default:
		return nil, fmt.Errorf("unknown sign-in method %q: use %s", cfg.Method, strings.Join(Methods, ", "))
	}
	opts := []public.Option{
		public.WithAuthority(cfg.Endpoints.Authority(cfg.Tenant)),
		public.WithInstanceDiscovery(cfg.Endpoints.Known),
	}
	if cfg.HTTP != nil {
		opts = append(opts, public.WithHTTPClient(cfg.HTTP))
	}
	if cfg.CachePath != "" {
		opts = append(opts, public.WithCache(newFileCache(cfg.CachePath, cfg.CacheWarn)))
	}
	app, err := public.New(cfg.ClientID, opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot set up sign-in for %s: %w", cfg.Endpoints.Authority(cfg.Tenant), err)
	}
	s.app = app
	return s, nil
}

// Method is how the user signed in: device, browser or azure-cli (the
// configured method before the first token).
func (s *SignIn) Method() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.method != "" {
		return s.method
	}
	if s.cfg.Method == MethodAzureCLI || s.cfg.Method == MethodBrowser {
		return s.cfg.Method
	}
	return MethodDevice
}

// ClientID is the public client the tokens are issued to.
func (s *SignIn) ClientID() string {
	if s.az != nil {
		return AzureCLIClientID
	}
	return s.cfg.ClientID
}

// Token returns an access token for Graph, signing in if it must. It is
// safe for concurrent use; only one sign-in runs at a time.
func (s *SignIn) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.az != nil {
		tok, err := s.az.token(ctx)
		if err != nil {
			return "", err
		}
		s.method = MethodAzureCLI
		return tok, nil
	}
	if res, err := s.silent(ctx, s.scopes); err == nil {
		s.remember(res, "")
		return res.AccessToken, nil
	}
	var res public.AuthResult
	var err error
	switch s.cfg.Method {
	case MethodBrowser:
		res, err = s.browser(ctx)
	case MethodDevice:
		res, err = s.deviceCode(ctx)
	default:
		res, err = s.deviceCode(ctx)
		if reason := fallbackReason(err); reason != "" && ctx.Err() == nil {
			s.note(reason)
			res, err = s.browser(ctx)
		}
	}
	if err != nil {
		return "", s.explain(ctx, err)
	}
	return res.AccessToken, nil
}

func (s *SignIn) remember(res public.AuthResult, method string) {
	if method != "" {
		s.method = method
	} else if s.method == "" {
		// A cached token: the method is unknown, say what the flag asked.
		s.method = s.cfg.Method
		if s.method == MethodAuto {
			s.method = MethodDevice
		}
	}
	s.granted = res.GrantedScopes
}

func (s *SignIn) deviceCode(ctx context.Context) (public.AuthResult, error) {
	dc, err := s.app.AcquireTokenByDeviceCode(ctx, s.scopes)
	if err != nil {
		return public.AuthResult{}, deviceCodeRequestError{err}
	}
	// The page where the user types the code signs them in: only an https
	// page is shown (a hostile or broken sign-in host could name any).
	if u, perr := url.Parse(dc.Result.VerificationURL); perr != nil || u.Scheme != "https" || u.Host == "" {
		return public.AuthResult{}, fmt.Errorf("the sign-in service named a device-code page that is not https (%s): pqentra does not send you there, "+
			"since the code typed on that page signs you in. Check --authority-host, or sign in with --sign-in browser or azure-cli",
			cleanURL(dc.Result.VerificationURL))
	}
	if s.cfg.Events.OnDeviceCode != nil {
		s.cfg.Events.OnDeviceCode(DeviceCode{UserCode: dc.Result.UserCode, VerificationURL: dc.Result.VerificationURL,
			Message: dc.Result.Message, ExpiresOn: dc.Result.ExpiresOn})
	}
	res, err := dc.AuthenticationResult(ctx)
	s.waitEnded()
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		// MSAL stops polling when the code expires and reports it as its
		// own deadline.
		return res, errCodeExpired
	}
	if err == nil {
		s.remember(res, MethodDevice)
	}
	return res, err
}

func (s *SignIn) note(msg string) {
	if s.cfg.Events.OnNote != nil {
		s.cfg.Events.OnNote(msg)
	}
}

func (s *SignIn) waitEnded() {
	if s.cfg.Events.OnWaitEnd != nil {
		s.cfg.Events.OnWaitEnd()
	}
}

// silent gets a token for scopes from the cache (refreshing it if needed),
// never asking the user anything.
func (s *SignIn) silent(ctx context.Context, scopes []string) (public.AuthResult, error) {
	accounts, err := s.app.Accounts(ctx)
	if err != nil {
		return public.AuthResult{}, err
	}
	var lastErr error = errors.New("no cached account")
	for _, a := range s.pick(accounts) {
		res, err := s.app.AcquireTokenSilent(ctx, scopes, public.WithSilentAccount(a))
		if err == nil {
			return res, nil
		}
		lastErr = err
	}
	return public.AuthResult{}, lastErr
}

// EnsureSignedIn signs in now (silently if it can), so the first Graph call
// does not have to.
func (c *Client) EnsureSignedIn(ctx context.Context) error {
	_, err := c.signIn.Token(ctx)
	return err
}

// SignInMethod is how this client signed in: device, browser or azure-cli.
func (c *Client) SignInMethod() string { return c.signIn.Method() }

// SignInClientID is the client the tokens are issued to.
func (c *Client) SignInClientID() string { return c.signIn.ClientID() }

// pick orders cached accounts: with a tenant id given, only that tenant's.
func (s *SignIn) pick(accounts []public.Account) []public.Account {
	t := s.cfg.Tenant
	if t == "" || t == "organizations" || t == "common" || !strings.Contains(t, "-") {
		return accounts
	}
	var out []public.Account
	for _, a := range accounts {
		if strings.EqualFold(a.Realm, t) {
			out = append(out, a)
		}
	}
	return out
}
