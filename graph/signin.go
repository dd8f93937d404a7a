package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/pqentra/pqentra/steps"
)

// DefaultClientID is Microsoft Graph Command Line Tools, a public client that
// exists in every tenant and may ask for Application.ReadWrite.All. A tenant
// that blocks it needs its own public client app (--client-id).
const DefaultClientID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

// DeviceCode is what the user needs to finish signing in on another device.
type DeviceCode struct {
	UserCode        string
	VerificationURL string
	Message         string
	ExpiresOn       time.Time
}

// SignIn gets Graph tokens for one user through MSAL: silently from the
// cache when it can, else by device code.
type SignIn struct {
	app    public.Client
	scopes []string
	tenant string
	// OnDeviceCode is called once a device code is issued; it shows the
	// code and URL (and may copy the code or open the browser).
	OnDeviceCode func(DeviceCode)

	mu sync.Mutex
}

// SignInConfig configures SignIn.
type SignInConfig struct {
	Endpoints Endpoints
	Tenant    string // GUID, domain, or "" for organizations
	ClientID  string // "" for DefaultClientID
	CachePath string // "" keeps tokens in memory only
	HTTP      *http.Client
}

// NewSignIn builds the MSAL public client.
func NewSignIn(cfg SignInConfig) (*SignIn, error) {
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	opts := []public.Option{
		public.WithAuthority(cfg.Endpoints.Authority(cfg.Tenant)),
		public.WithInstanceDiscovery(cfg.Endpoints.Known),
	}
	if cfg.HTTP != nil {
		opts = append(opts, public.WithHTTPClient(cfg.HTTP))
	}
	if cfg.CachePath != "" {
		opts = append(opts, public.WithCache(&fileCache{path: cfg.CachePath}))
	}
	app, err := public.New(cfg.ClientID, opts...)
	if err != nil {
		return nil, fmt.Errorf("cannot set up sign-in for %s: %w", cfg.Endpoints.Authority(cfg.Tenant), err)
	}
	return &SignIn{app: app, scopes: []string{cfg.Endpoints.Scope()}, tenant: cfg.Tenant}, nil
}

// Token returns an access token for Graph, signing in if it must. It is
// safe for concurrent use; only one sign-in runs at a time.
func (s *SignIn) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if res, err := s.silent(ctx); err == nil {
		return res.AccessToken, nil
	}
	dc, err := s.app.AcquireTokenByDeviceCode(ctx, s.scopes)
	if err != nil {
		return "", signInError(err)
	}
	if s.OnDeviceCode != nil {
		s.OnDeviceCode(DeviceCode{UserCode: dc.Result.UserCode, VerificationURL: dc.Result.VerificationURL,
			Message: dc.Result.Message, ExpiresOn: dc.Result.ExpiresOn})
	}
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		return "", signInError(err)
	}
	return res.AccessToken, nil
}

// EnsureSignedIn signs in now (silently if it can), so the first Graph call
// does not have to.
func (c *Client) EnsureSignedIn(ctx context.Context) error {
	_, err := c.signIn.Token(ctx)
	return err
}

func (s *SignIn) silent(ctx context.Context) (public.AuthResult, error) {
	accounts, err := s.app.Accounts(ctx)
	if err != nil {
		return public.AuthResult{}, err
	}
	var lastErr error = errors.New("no cached account")
	for _, a := range s.pick(accounts) {
		res, err := s.app.AcquireTokenSilent(ctx, s.scopes, public.WithSilentAccount(a))
		if err == nil {
			return res, nil
		}
		lastErr = err
	}
	return public.AuthResult{}, lastErr
}

// pick orders cached accounts: with a tenant id given, only that tenant's.
func (s *SignIn) pick(accounts []public.Account) []public.Account {
	if s.tenant == "" || s.tenant == "organizations" || s.tenant == "common" || !strings.Contains(s.tenant, "-") {
		return accounts
	}
	var out []public.Account
	for _, a := range accounts {
		if strings.EqualFold(a.Realm, s.tenant) {
			out = append(out, a)
		}
	}
	return out
}

// signInError explains the sign-in failures people actually meet.
func signInError(err error) error {
	msg := err.Error()
	hint := ""
	switch {
	case strings.Contains(msg, "AADSTS65001"), strings.Contains(msg, "consent_required"):
		hint = "Your tenant needs an admin to consent to Application.ReadWrite.All for this client; ask an admin, or use your own public client app with --client-id."
	case strings.Contains(msg, "AADSTS700016"), strings.Contains(msg, "AADSTS7000218"):
		hint = "The client app does not exist in this tenant or is not a public client: register a public client (Allow public client flows = Yes) and pass --client-id."
	case strings.Contains(msg, "AADSTS90002"), strings.Contains(msg, "AADSTS900023"):
		hint = "The tenant was not found: check --tenant (a tenant GUID or a verified domain such as contoso.onmicrosoft.com)."
	case strings.Contains(msg, "AADSTS50059"):
		hint = "No tenant could be identified: pass --tenant with your tenant id or domain."
	case strings.Contains(msg, "expired_token"), strings.Contains(msg, "code_expired"):
		hint = "The code expired before sign-in finished; run the command again."
	case strings.Contains(msg, "authorization_declined"), strings.Contains(msg, "access_denied"):
		hint = "Sign-in was declined in the browser; run the command again to get a new code."
	case errors.Is(err, context.Canceled):
		return err
	case strings.Contains(msg, "x509:") || strings.Contains(msg, "tls:"):
		i := strings.Index(msg, "x509:")
		if i < 0 {
			i = strings.Index(msg, "tls:")
		}
		return fmt.Errorf("sign-in failed: the sign-in server's TLS certificate is not trusted (%s)\n"+
			"If you use a proxy or a test server with its own certificate authority, point SSL_CERT_FILE at its PEM file.", firstLine(msg[i:]))
	case strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") || strings.Contains(msg, "i/o timeout"):
		hint = "The sign-in server could not be reached: check your network, proxy, --cloud and --authority-host."
	default:
		hint = "Check --tenant, --cloud and your network, then run the command again."
	}
	return fmt.Errorf("sign-in failed: %s\n%s", summarize(msg), hint)
}

// summarize folds MSAL's multi-line error (which may carry the server's
// AADSTS text) into one bounded, terminal-safe line.
func summarize(msg string) string {
	s := strings.Join(strings.Fields(steps.Clean(msg)), " ")
	if r := []rune(s); len(r) > 400 {
		s = string(r[:400]) + "…"
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
