package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/atotto/clipboard"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/pqentra/pqentra/graph"
	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/service"
	"github.com/pqentra/pqentra/steps/token"
)

// TokenInspectOptions is `pqentra token inspect`.
type TokenInspectOptions struct {
	IO          *IOStreams
	OpenSession func(*Globals, SessionHooks) (*Session, error)
	Globals     *Globals
	Now         func() time.Time
	// ReadClipboard reads the system clipboard (--clipboard).
	ReadClipboard func() (string, error)

	Source       string // FILE, "-" for stdin, "" for stdin or a prompt
	Clipboard    bool
	AppID        string
	Audiences    []string
	Scopes       []string
	ShowPersonal bool
	ClockSkew    time.Duration
	Output       string

	// Command is how token inspect was started, for the Fix lines.
	Command steps.Command
}

// NewCmdTokenInspect builds `pqentra token inspect`; runF replaces
// tokenInspectRun in tests.
func NewCmdTokenInspect(f *Factory, runF func(*TokenInspectOptions) error) *cobra.Command {
	opts := &TokenInspectOptions{IO: f.IO, OpenSession: f.OpenSession, Globals: f.Globals, Now: f.Now, ReadClipboard: clipboard.ReadAll}
	c := &cobra.Command{
		Use:   "inspect [FILE|-]",
		Short: "Decode an access token and check it against the app: for \"my service says 401\"",
		Long: `token inspect reads an access token (from FILE, from stdin with - or when piped, from the
clipboard with --clipboard, or pasted at a prompt that does not echo it), decodes its header
and claims, and checks what a service checks:

  audience  aud is one the service must accept (v1 tokens: the Application ID URI as the
            connector's Resource names it; v2 tokens: the app id)
  issuer    iss is Microsoft Entra's for the token's version, tenant and cloud
  tenant    tid is the app's tenant (or --tenant); any tenant for a multitenant app
  scope     scp holds the app's scope (or each --scope)
  client    appid (v1) or azp (v2) is a client the app preauthorizes (Power Query's)
  lifetime  not expired and already valid, allowing --clock-skew (default 5m, as
            Microsoft IdentityModel does)
  version   ver is the version the app asks for (with --app-id)

With --app-id the app is read from the directory (signs in); with --audience (and --tenant,
--scope) nothing is sent anywhere. The token itself is never printed, logged or stored, and
personal claims (name, upn, email, oid, …) are left out unless --show-personal. The signature
is NOT verified: your service must do that with the tenant's keys.

Exit status: 0 every check passed, 1 a check failed, 2 not a JWT or bad usage, 130 interrupted.`,
		Example: `  pqentra token inspect --app-id 00001111-aaaa-2222-bbbb-3333cccc4444 token.txt`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Source = args[0]
			}
			if err := opts.check(); err != nil {
				return opts.jsonFailure(err)
			}
			opts.Command = fixCommand(c)
			if runF != nil {
				return runF(opts)
			}
			return tokenInspectRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.Clipboard, "clipboard", false, "read the token from the clipboard")
	fl.StringVar(&opts.AppID, "app-id", "", "check against this app, read from the directory (signs in)")
	fl.StringArrayVar(&opts.Audiences, "audience", nil, "an audience the service accepts (repeatable); no sign-in")
	fl.StringArrayVar(&opts.Scopes, "scope", nil, "a scope the service requires in scp (repeatable)")
	fl.BoolVar(&opts.ShowPersonal, "show-personal", false, "also show personal claims (name, upn, email, oid, …)")
	fl.DurationVar(&opts.ClockSkew, "clock-skew", token.DefaultSkew, "how far exp and nbf may be off, as your service allows")
	EnumFlag(c, false, &opts.Output, "output", "o", "text", "output format", outputChoices...)
	return c
}

// check validates the flags before anything is read or sent.
func (o *TokenInspectOptions) check() error {
	o.AppID = strings.ToLower(strings.TrimSpace(o.AppID))
	switch {
	case o.Clipboard && o.Source != "":
		return usagef("give the token one way: FILE, - (stdin) or --clipboard")
	case o.AppID == "" && len(o.Audiences) == 0:
		return usagef("say what to check the token against: --app-id GUID (reads the app from the directory), or --audience with what your service accepts (no sign-in; add --tenant and --scope)")
	case o.ClockSkew < 0:
		return usagef("--clock-skew must not be negative")
	case o.AppID != "":
		if err := steps.ValidateGUID(steps.FieldAppID, o.AppID); err != nil {
			return badInput(err)
		}
	case o.Globals.Tenant != "" && !steps.IsGUID(o.Globals.Tenant):
		return usagef("--tenant %s: without --app-id give the tenant id (a GUID): tokens name their tenant by id", steps.Clean(o.Globals.Tenant))
	}
	for _, s := range o.Scopes {
		if strings.TrimSpace(s) == "" {
			return usagef("--scope is empty: name the scope the service requires, e.g. Data.Read")
		}
	}
	for _, a := range o.Audiences {
		if strings.TrimSpace(a) == "" {
			return usagef("--audience is empty: give an audience your service accepts")
		}
	}
	return nil
}

// jsonFailure prints, with --output json, the one object a failure owes
// stdout.
func (o *TokenInspectOptions) jsonFailure(err error) error {
	if err != nil && o.Output == "json" {
		_ = steps.WriteJSON(o.IO.Out, map[string]string{"error": errorText(err)})
	}
	return err
}

func tokenInspectRun(ctx context.Context, opts *TokenInspectOptions) error {
	input, err := opts.read()
	if err != nil {
		return opts.jsonFailure(err)
	}
	tok, err := token.Parse(input)
	input = "" // nothing keeps the token's text longer than this
	if err != nil {
		// Bad input, not a failed check: exit 2, without the usage hint
		// (the command line was fine).
		fmt.Fprintln(opts.IO.Err, "error: "+steps.Clean(err.Error()))
		_ = opts.jsonFailure(err)
		return silentError{code: ExitUsage}
	}
	g := opts.Globals
	cl := serviceCloud(g)
	e := token.Expect{Audiences: opts.Audiences, Scopes: opts.Scopes, Cloud: cl, Clouds: allServiceClouds(),
		Now: opts.Now(), Skew: opts.ClockSkew, Run: opts.Command}
	if opts.AppID == "" {
		e.TenantID = g.Tenant
	} else {
		cfg, err := opts.readApp(ctx)
		if err != nil {
			return opts.jsonFailure(err)
		}
		e.App = cfg
		e.Fix = opts.Command.Line("doctor", "--app-id", opts.AppID, "--fix")
	}
	tid := tok.String("tid")
	if !steps.IsGUID(tid) {
		tid = "common"
	}
	r := token.NewReport(tok, e, opts.ShowPersonal, strings.TrimRight(cl.LoginHost, "/")+"/"+tid+"/discovery/v2.0/keys")
	if opts.Output == "json" {
		if err := steps.WriteJSON(opts.IO.Out, r); err != nil {
			return err
		}
	} else {
		pal := newPalette(opts.IO.Out, opts.IO.ColorOut())
		fmt.Fprint(opts.IO.Out, r.Text(func(ok bool) string {
			if ok {
				return pal.ok.Render("✓")
			}
			return pal.fail.Render("✗")
		}))
	}
	if !r.OK {
		return silentError{code: ExitError}
	}
	return nil
}

// readApp reads the app and its tenant: what the checks compare with.
func (opts *TokenInspectOptions) readApp(ctx context.Context) (*service.Config, error) {
	s, err := openCLI(opts.IO, opts.OpenSession, opts.Globals)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	tenant, err := s.Dir.Organization(ctx)
	if err != nil {
		return nil, err
	}
	app, err := findAppByIDOrName(ctx, s.Dir, opts.AppID, "")
	if err != nil {
		return nil, err
	}
	c := serviceConfig(ctx, s.Dir, opts.Globals, tenant, app)
	return &c, nil
}

// read reads the token from where the user said, at most token.MaxSize+1
// bytes (Parse says when that is too much).
func (opts *TokenInspectOptions) read() (string, error) {
	limit := func(r io.Reader) (string, error) {
		b, err := io.ReadAll(io.LimitReader(r, token.MaxSize+1))
		return string(b), err
	}
	switch {
	case opts.Clipboard:
		s, err := opts.ReadClipboard()
		if err != nil {
			return "", fmt.Errorf("cannot read the clipboard: %w (give the token as FILE or on stdin instead)", err)
		}
		return s, nil
	case opts.Source != "" && opts.Source != "-":
		info, err := os.Stat(opts.Source)
		if err != nil {
			return "", usagef("cannot read the token: %v", err)
		}
		if info.IsDir() {
			return "", usagef("%s is a folder: give the file that holds the token", steps.Clean(opts.Source))
		}
		f, err := os.Open(opts.Source)
		if err != nil {
			return "", usagef("cannot read the token: %v", err)
		}
		defer f.Close()
		return limit(f)
	case opts.Source == "" && opts.IO.InTTY:
		// Pasted at a prompt: not echoed, so the token stays out of the
		// terminal's scrollback.
		f, ok := opts.IO.In.(*os.File)
		if !ok {
			return limit(opts.IO.In)
		}
		fmt.Fprint(opts.IO.Err, "Paste the access token and press Enter (it is not shown): ")
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(opts.IO.Err)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
	return limit(opts.IO.In)
}

// allServiceClouds are every cloud's token hosts, to name the cloud a
// token came from.
func allServiceClouds() []service.Cloud {
	var out []service.Cloud
	for _, name := range []string{"public", "usgov", "china"} {
		c := graph.Clouds[name]
		out = append(out, service.Cloud{Name: c.Name, LoginHost: c.LoginHost, V1Issuer: c.V1Issuer, V2Issuer: c.V2Issuer})
	}
	return out
}
