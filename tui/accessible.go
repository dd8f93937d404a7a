package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/pqentra/pqentra/steps"
)

// errInputEnded: stdin closed before the wizard had its answers.
var errInputEnded = errors.New("input ended before the wizard finished: nothing more was sent; run pqentra again to continue")

// Plain runs the same steps as the full-screen wizard as plain prompts
// (huh's accessible mode): for screen readers, TERM=dumb and piped input.
// Prompts, previews and progress go to errw; the snippet and summary go to
// out. Each step shows its requests, then sends them when confirmed.
func Plain(ctx context.Context, o Options, in io.Reader, out, errw io.Writer) (Result, error) {
	p := &plain{o: o, ctx: ctx, in: &lineReader{r: bufio.NewReader(in)}, w: errw}
	return p.run(out)
}

type plain struct {
	o   Options
	ctx context.Context
	in  *lineReader
	w   io.Writer
	st  steps.State
	d   steps.Desired
	id  string
}

// ask runs one huh field in accessible mode and fails once input is over.
func (p *plain) ask(f huh.Field) error {
	f.WithTheme(huh.ThemeBase())
	if err := f.RunAccessible(p.w, p.in); err != nil {
		return err
	}
	if p.in.empty {
		return errInputEnded
	}
	return nil
}

func (p *plain) say(format string, a ...any) { fmt.Fprintf(p.w, format+"\n", a...) }

func (p *plain) run(out io.Writer) (Result, error) {
	p.d = New(p.ctx, p.o).desired // the same defaults as the full-screen wizard
	p.id = steps.NewGUID()
	p.say("Step 1 of 6: Sign in")
	st, err := steps.Read(p.ctx, p.o.Client, p.d)
	if err != nil {
		return Result{}, err
	}
	p.st = st
	p.say("Signed in as %s to %s (tenant %s)\n", steps.Clean(st.User.UserPrincipalName), steps.Clean(st.Tenant.DisplayName), steps.Clean(st.Tenant.ID))
	for _, step := range []func() error{p.register, p.appIDURI, p.scope, p.preauthorize} {
		if err := step(); err != nil {
			return Result{}, err
		}
	}
	m := New(p.ctx, p.o)
	m.state, m.desired = p.st, p.d
	a := p.st.App
	text, err := p.o.Snippet(steps.ResolveURI(p.d.IdentifierURI, a.AppID), a.DisplayName)
	if err != nil {
		return Result{}, err
	}
	p.say("Step 6 of 6: Snippet — paste this into your connector's data source kind record, inside Authentication = [ … ]:")
	fmt.Fprintln(out, text)
	return Result{Done: true, Snippet: text, Summary: m.summary()}, nil
}

func (p *plain) register() error {
	p.say("Step 2 of 6: Register the resource application")
	mode, name, aud, query := modeNew, p.d.DisplayName, steps.AudienceSingle, p.d.AppID
	if query != "" {
		mode = modeExisting
	}
	if err := p.ask(huh.NewSelect[string]().Title("Resource application").Options(modeOptions()...).Value(&mode)); err != nil {
		return err
	}
	d := p.d
	if mode == modeNew {
		if err := p.ask(huh.NewInput().Title("Display name (what users see when they consent):").Value(&name).Validate(keep(name, steps.ValidateDisplayName))); err != nil {
			return err
		}
		p.say("This organization only if the service is internal; any organization for a public, multitenant service.")
		if err := p.ask(huh.NewSelect[string]().Title("Supported account types").Options(audienceOptions()...).Value(&aud)); err != nil {
			return err
		}
		d.AppID, d.DisplayName, d.SignInAudience = "", name, aud
	} else {
		id, err := p.pickApp(query)
		if err != nil {
			return err
		}
		d.AppID, d.DisplayName, d.SignInAudience = id, "", ""
	}
	return p.apply(steps.StepRegister, d, true)
}

// pickApp searches the tenant by name (or takes an appId) until one app is chosen.
func (p *plain) pickApp(query string) (string, error) {
	for {
		if err := p.ask(huh.NewInput().Title("Application name (start of it) or Application (client) ID:").Value(&query)); err != nil {
			return "", err
		}
		m := New(p.ctx, p.o)
		apps, err := m.searchApps(query)
		if err != nil {
			p.showErr(err)
			continue
		}
		if len(apps) == 0 {
			p.say("No application found; try another name or paste the appId.")
			continue
		}
		var opts []huh.Option[string]
		for _, a := range apps {
			opts = append(opts, appOption(a))
		}
		picked := apps[0].AppID
		if err := p.ask(huh.NewSelect[string]().Title("Application").Options(opts...).Value(&picked)); err != nil {
			return "", err
		}
		return picked, nil
	}
}

func (p *plain) appIDURI() error {
	p.say("Step 3 of 6: Application ID URI (becomes Resource in your connector)")
	uri := steps.ResolveURI(p.d.IdentifierURI, p.st.App.AppID)
	if len(p.st.App.IdentifierURIs) > 0 && p.d.IdentifierURI == steps.DefaultIdentifierURI {
		uri = p.st.App.IdentifierURIs[0]
	}
	check := func(v string) error {
		if err := steps.ValidateIdentifierURISyntax(v); err != nil {
			return err
		}
		return steps.CheckIdentifierURIPolicy(v, p.st.App.AppID, p.st.Tenant)
	}
	if err := p.ask(huh.NewInput().Title("Application ID URI:").Value(&uri).Validate(keep(uri, check))); err != nil {
		return err
	}
	d := p.d
	d.IdentifierURI = uri
	return p.apply(steps.StepIdentifierURI, d, false)
}

func (p *plain) scope() error {
	p.say("Step 4 of 6: Scope")
	value, consent, edit := p.d.Scope.Value, p.d.Scope.Type, false
	if err := p.ask(huh.NewInput().Title("Scope name:").Value(&value).Validate(keep(value, steps.ValidateScopeValue))); err != nil {
		return err
	}
	if err := p.ask(huh.NewSelect[string]().Title("Who can consent").Options(consentOptions()...).Value(&consent)); err != nil {
		return err
	}
	if consent == steps.ConsentAdmins {
		p.say("Warning: with Admins only, users who connect see \"Need admin approval\" unless an admin consents for the tenant.")
	}
	if err := p.ask(huh.NewConfirm().Title("Edit the consent texts?").Value(&edit)); err != nil {
		return err
	}
	d := p.d
	d.Scope.Value, d.Scope.Type, d.Scope.Texts = value, consent, nil
	if edit {
		t := steps.DefaultScopeTexts(value, steps.Clean(p.st.App.DisplayName))
		for _, f := range []struct {
			title string
			v     *string
		}{{"Admin consent display name:", &t.AdminConsentDisplayName}, {"Admin consent description:", &t.AdminConsentDescription},
			{"User consent display name:", &t.UserConsentDisplayName}, {"User consent description:", &t.UserConsentDescription}} {
			if err := p.ask(huh.NewInput().Title(f.title).Value(f.v)); err != nil {
				return err
			}
		}
		d.Scope.Texts = &t
	}
	return p.apply(steps.StepScope, d, false)
}

func (p *plain) preauthorize() error {
	p.say("Step 5 of 6: Preauthorize the client applications (they get tokens without a consent prompt)")
	var opts []huh.Option[string]
	for _, c := range steps.KnownClients {
		on := slices.ContainsFunc(p.d.Clients, func(id string) bool { return strings.EqualFold(id, c.AppID) })
		opts = append(opts, huh.NewOption(clientOption(c), c.AppID).Selected(on))
	}
	var chosen []string
	if err := p.ask(huh.NewMultiSelect[string]().Title("Clients to preauthorize (a number toggles one; 0 when done)").Options(opts...).Value(&chosen)); err != nil {
		return err
	}
	var other string
	valid := func(v string) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		return steps.ValidateGUID("client id", strings.TrimSpace(v))
	}
	if err := p.ask(huh.NewInput().Title("Other client ID (optional, empty for none):").Value(&other).Validate(valid)); err != nil {
		return err
	}
	if other = strings.ToLower(strings.TrimSpace(other)); other != "" {
		msg := New(p.ctx, p.o).lookupClientCmd(other)().(clientLookupMsg)
		if msg.err != nil {
			return msg.err
		}
		name := msg.name
		if name == "" {
			name = "an application not found in this tenant"
		}
		ok := false
		if err := p.ask(huh.NewConfirm().Title(fmt.Sprintf("Trust %s (%s) to get tokens for your scope without asking users?", name, other)).Value(&ok)); err != nil {
			return err
		}
		if ok {
			chosen = append(chosen, other)
		}
	}
	d := p.d
	d.Clients = chosen
	return p.apply(steps.StepPreauthorize, d, false)
}

// apply shows the step's requests, sends them once confirmed, and reads
// the directory back. On an error it shows the fix and offers a retry.
func (p *plain) apply(step string, d steps.Desired, reread bool) error {
	if err := d.Normalize(); err != nil {
		return err
	}
	m := New(p.ctx, p.o)
	m.scopeID = p.id
	for {
		st := p.st
		var err error
		if reread {
			if st, err = steps.Read(p.ctx, p.o.Client, d); err != nil {
				return err
			}
		}
		plan, err := steps.Diff(st, d, steps.Options{GraphBase: p.o.Client.GraphBase(), Only: []string{step}, NewID: m.newIDFunc()})
		if err != nil {
			return err
		}
		p.say("%s", steps.CleanMultiline(steps.PreviewAll(plan.Changes)))
		if plan.Empty() {
			p.st, p.d = st, d
			return nil
		}
		send := true
		if err := p.ask(huh.NewConfirm().Title("Send these requests?").Affirmative("Send").Negative("Stop").Value(&send)); err != nil {
			return err
		}
		if !send {
			return errors.New("stopped before sending: nothing more was changed; run pqentra again to continue")
		}
		// st was read just above: send exactly the plan that was shown.
		res := m.applyCmd(step, d, st, false)().(appliedMsg)
		if res.err == nil {
			p.st, p.d = res.st, res.desired
			if step == steps.StepScope {
				p.id = steps.NewGUID()
			}
			p.say("✓ done")
			if step == steps.StepRegister {
				p.say("Application (client) ID: %s\nDirectory (tenant) ID:   %s", p.st.App.AppID, p.st.Tenant.ID)
			}
			p.say("")
			return nil
		}
		p.showErr(res.err)
		again := true
		if err := p.ask(huh.NewConfirm().Title("Try again?").Value(&again)); err != nil {
			return err
		}
		if !again {
			return res.err
		}
	}
}

func (p *plain) showErr(err error) {
	if e, ok := steps.AsError(err); ok {
		p.say("Error: %s", steps.Clean(e.Message))
		if e.Hint != "" {
			p.say("Fix: %s", steps.CleanMultiline(e.Hint))
		}
		return
	}
	p.say("Error: %s", steps.CleanMultiline(err.Error()))
}

// lineReader hands huh one line per Read. huh's accessible prompts wrap
// the reader in a new bufio.Scanner each time; given a plain pipe, the first
// scanner would swallow every answer after the first.
type lineReader struct {
	r   *bufio.Reader
	eof bool
	// empty: a prompt asked after the input ended, so it got no answer.
	empty bool
}

func (l *lineReader) Read(b []byte) (int, error) {
	if l.eof {
		l.empty = true
		return 0, io.EOF
	}
	n := 0
	for n < len(b) {
		c, err := l.r.ReadByte()
		if err != nil {
			l.eof = true
			if n == 0 {
				l.empty = true
				return 0, io.EOF
			}
			return n, nil
		}
		b[n] = c
		n++
		if c == '\n' {
			break
		}
	}
	return n, nil
}

// keep adapts a validator to huh's plain prompts, which check the raw line
// before putting the default in: an empty line means "keep def".
func keep(def string, valid func(string) error) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			v = def
		}
		return valid(strings.TrimSpace(v))
	}
}
