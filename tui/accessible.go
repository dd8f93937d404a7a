package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pqentra/pqentra/steps"
)

// errInputEnded: stdin closed before the wizard had its answers.
var errInputEnded = errors.New("input ended before the wizard finished: nothing more was sent")

// errStopped: the user chose to stop at a step.
var errStopped = errors.New("stopped before sending: nothing more was changed")

// Plain runs the wizard as plain prompts, one line each: for screen
// readers, TERM=dumb and piped input. It asks the same questions (fields.go)
// and drives the same flow as the full-screen wizard; this file only
// prompts. Prompts, previews and progress go to errw; the snippet goes to
// out. When ctx ends (Ctrl-C) it stops at once and sends nothing more.
func Plain(ctx context.Context, o Options, in io.Reader, out, errw io.Writer) (Result, error) {
	p := &plain{f: newFlow(o), ctx: ctx, in: newLineReader(in), w: errw}
	res, err := p.run(out)
	if ctx.Err() != nil {
		return Result{Canceled: true}, ctx.Err()
	}
	if errors.Is(err, errInputEnded) || errors.Is(err, errStopped) {
		// Whole, with the run's global flags: run as printed after a
		// demo, it goes on in the demo.
		err = fmt.Errorf("%w; run `%s` again to continue", err, o.Command.Line("--accessible"))
	}
	return res, err
}

type plain struct {
	f   *flow
	ctx context.Context
	in  *lineReader
	w   io.Writer
}

func (p *plain) say(format string, a ...any) { fmt.Fprintf(p.w, format+"\n", a...) }

func (p *plain) run(out io.Writer) (Result, error) {
	p.say("%s", stepHeading(steps.StepSignIn))
	if err := p.f.signIn(p.ctx); err != nil {
		return Result{}, err
	}
	st, err := p.f.readTenant(p.ctx)
	if err != nil {
		return Result{}, err
	}
	p.f.signedIn(st)
	p.say("Signed in as %s to %s (tenant %s)\n", steps.Clean(st.User.UserPrincipalName), steps.Clean(st.Tenant.DisplayName), steps.Clean(st.Tenant.ID))
	for id := p.f.next(steps.StepSignIn); id != steps.StepSnippet; {
		edit, err := p.step(id)
		if err != nil {
			return Result{}, err
		}
		if edit != "" {
			id = edit // the answers of an earlier step caused an error
			continue
		}
		id = p.f.next(id)
	}
	p.say("%s — paste this into your connector's data source kind record, inside Authentication = [ … ]:", stepHeading(steps.StepSnippet))
	text, err := p.f.snippet()
	if err != nil {
		return Result{}, err
	}
	fmt.Fprintln(out, text)
	res := Result{Done: true, Snippet: text, Summary: p.f.summary()}
	if err := p.writeFile(text); err != nil {
		return res, err
	}
	res.Summary = p.f.summary() // with the file written and the SDK's next steps after a patch
	if o := p.f.onboardingText(); o != "" {
		fmt.Fprint(out, "\n"+o)
	}
	if svc := p.f.serviceText(); svc != "" {
		show := false
		if err := p.askField(field{title: "Show what your service must accept (audiences, issuers, keys)?", yes: &show, affirmative: "show", negative: "no"}); err == nil && show {
			fmt.Fprint(out, "\n"+svc+"\nThe same from the command line (add --format json, env or aspnet for the other forms):\n  "+p.f.serviceCommand()+"\n")
		}
	}
	status, undone, err := p.offerUndo()
	if err != nil {
		return res, err
	}
	if undone {
		res.Snippet, res.Summary = "", status
	}
	return res, nil
}

// offerUndo is the last step's "undo this run", as the full-screen
// wizard's u: asked, planned from a fresh read, shown, confirmed, sent.
// Input ending here keeps the setup.
func (p *plain) offerUndo() (status string, undone bool, err error) {
	req, ok := p.f.undoRequest()
	if !ok {
		return "", false, nil
	}
	keep := true
	err = p.askField(field{title: "Keep this setup?", yes: &keep, affirmative: "keep it", negative: "undo this run (the requests are shown first)"})
	if errors.Is(err, errInputEnded) || err == nil && keep {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	plan, err := req.plan(p.ctx)
	if err != nil {
		return "", false, err
	}
	if plan.Empty() {
		p.say("Nothing to undo: what this run changed is no longer on the app.")
		return "", false, nil
	}
	p.say("%s\n%s", undoQuestion(plan), steps.CleanMultiline(steps.PreviewAll(plan.Changes)))
	send := false
	if err := p.askField(field{title: "Send these requests?", yes: &send, affirmative: "undo", negative: "keep it"}); err != nil && !errors.Is(err, errInputEnded) {
		return "", false, err
	}
	if !send {
		p.say("Nothing undone.")
		return "", false, nil
	}
	status, ok = p.f.undone(plan, req.send(p.ctx, plan))
	p.say("%s", status)
	return status, ok, nil
}

// step asks one step's questions, shows its requests and sends them once
// confirmed. After a failure the user retries, edits the answers, or stops.
func (p *plain) step(id string) (editStep string, err error) {
	p.say("%s", stepHeading(id))
	ask, desired := p.questions(id)
	for {
		if err := ask(); err != nil {
			return "", err
		}
		d, err := desired()
		if err != nil {
			p.showErr(err)
			continue
		}
		edit, err := p.apply(id, d)
		if err != nil || edit == "" {
			return "", err
		}
		if edit != id {
			return edit, nil
		}
	}
}

// questions are a step's prompts (the shared field builders) and how its
// answers become steps.Desired.
func (p *plain) questions(id string) (ask func() error, desired func() (steps.Desired, error)) {
	switch id {
	case steps.StepRegister:
		a := p.f.registerStart()
		return func() error {
			p.sayNotes(p.f.registerNotes(a))
			if err := p.askField(modeField(&a)); err != nil {
				return err
			}
			if a.mode == modeNew {
				return p.askGroup(newAppGroup(&a))
			}
			return p.pickApp(&a)
		}, func() (steps.Desired, error) { return p.f.registerDesired(a) }
	case steps.StepIdentifierURI:
		a := p.f.uriStart()
		return func() error {
				p.sayNotes(p.f.uriNotes())
				return p.askField(uriField(p.f, &a))
			},
			func() (steps.Desired, error) { return p.f.uriDesired(a) }
	case steps.StepScope:
		a := p.f.scopeStart()
		return func() error {
			gs := scopeGroups(&a)
			if err := p.askGroup(gs[0]); err != nil {
				return err
			}
			p.sayNotes(p.f.scopeNotes(a))
			return p.askGroup(gs[1])
		}, func() (steps.Desired, error) { return p.f.scopeDesired(a) }
	default:
		a := p.f.preauthStart()
		return func() error {
			if err := p.askGroup(clientGroup(&a)); err != nil {
				return err
			}
			return p.trustOther(&a)
		}, func() (steps.Desired, error) { return p.f.preauthDesired(a) }
	}
}

// trustOther looks up another client by name and asks before trusting it.
func (p *plain) trustOther(a *preauthAnswers) error {
	other := a.untrusted()
	if other == "" {
		return nil
	}
	name, err := p.f.lookupClient(p.ctx, other)
	if err != nil {
		return err
	}
	p.sayNotes(trustNotes())
	ok := false
	if err := p.askField(field{title: trustQuestion(name, other), yes: &ok, affirmative: "add it", negative: "leave it out"}); err != nil {
		return err
	}
	if ok {
		a.trusted = other
	} else {
		a.other = ""
	}
	return nil
}

// pickApp searches the tenant until one app is chosen.
func (p *plain) pickApp(a *registerAnswers) error {
	for {
		if err := p.askField(appQueryField(a)); err != nil {
			return err
		}
		apps, err := p.f.searchApps(p.ctx, a.query)
		if err != nil {
			if p.ctx.Err() != nil {
				return p.ctx.Err()
			}
			p.showErr(err)
			continue
		}
		if len(apps) == 0 {
			p.say("No application found; try another word of its name or paste the appId.")
			continue
		}
		var cs []choice
		for _, app := range apps {
			cs = append(cs, appChoice(app, 0))
		}
		if a.picked == "" || !containsValue(cs, a.picked) {
			a.picked = apps[0].AppID
		}
		return p.askField(field{title: "Application", choice: &a.picked, options: cs})
	}
}

func containsValue(cs []choice, v string) bool {
	for _, c := range cs {
		if strings.EqualFold(c.value, v) {
			return true
		}
	}
	return false
}

// apply shows the step's requests, sends them once confirmed, and commits
// the outcome to the flow. edit reports that the user wants to change the
// answers after a failure.
func (p *plain) apply(step string, d steps.Desired) (edit string, err error) {
	asked := false
	for {
		r := p.f.request(step, d)
		var plan *steps.Plan
		err := r.prepare(p.ctx)
		if isCaution(err) {
			// The app found by name carries what pqentra never sets: said
			// before its requests, and "Send these requests?" is the
			// user's answer to both (caution.go).
			_, _ = p.f.commit(outcome{step: step, st: r.st, before: r.st, desired: d, err: err})
			p.say("Warning: %s", steps.CleanMultiline(err.Error()))
			continue
		}
		if err == nil {
			var de *steps.DeletedAppError
			if plan, err = r.plan(); errors.As(err, &de) {
				// The name is held by an app in deleted items: the flow
				// notes it (its ways on, with the run's global flags), and
				// trying again restores it, as on the full screen.
				_, err = p.f.commit(outcome{step: step, st: r.st, before: r.st, desired: d, err: err})
			} else if err != nil && !asked {
				// Refused before anything was asked: back to the answers
				// (of the step at fault), as a bad answer is.
				p.showErr(err)
				return p.f.recovery(step, err).edit, nil
			}
		}
		if err == nil && !asked {
			asked = true
			p.say("%s", steps.CleanMultiline(steps.PreviewAll(plan.Changes)))
			for _, w := range plan.Warnings {
				p.say("Warning: %s", steps.CleanMultiline(w))
			}
			if !plan.Empty() {
				send := true
				if err := p.askField(field{title: "Send these requests?", yes: &send, affirmative: "send", negative: "stop"}); err != nil {
					return "", err
				}
				if !send {
					return "", errStopped
				}
			}
		}
		if err == nil {
			var line string
			if line, err = p.f.commit(r.send(p.ctx, plan)); err == nil {
				p.say("%s", line)
				if step == steps.StepRegister {
					p.say("Application (client) ID: %s\nDirectory (tenant) ID:   %s", p.f.state.App.AppID, p.f.state.Tenant.ID)
				}
				p.say("")
				return "", nil
			}
		}
		if p.ctx.Err() != nil {
			return "", p.ctx.Err()
		}
		p.showErr(err)
		next := "retry"
		rec := p.f.recovery(step, err)
		options := []choice{{"Try again", "retry"}}
		if rec.edit != "" {
			options = append(options, choice{"Edit the answers of " + stepLabel(rec.edit), "edit"})
		}
		options = append(options, choice{"Stop", "stop"})
		if err := p.askField(field{title: "What now?", choice: &next, options: options}); err != nil {
			return "", err
		}
		switch next {
		case "edit":
			return rec.edit, nil
		case "stop":
			return "", err
		}
	}
}

// writeFile offers to write the record to a file (or into the connector
// of an SDK project folder); the default name comes from the app. Input
// ending here means no: the record is already out. What was written goes
// into the summary (flow.saved).
func (p *plain) writeFile(text string) error {
	write := false
	err := p.askField(field{title: "Also write the Aad record to a file?", yes: &write, affirmative: "write", negative: "no"})
	if errors.Is(err, errInputEnded) || err == nil && !write {
		return nil
	} else if err != nil {
		return err
	}
	path := p.f.defaultSnippetPath()
	for {
		if err := p.askField(field{title: "File name (or an SDK project folder: the record goes into its connector)", text: &path, validate: p.f.checkSnippetPath}); err != nil {
			return err
		}
		said, err := p.f.saveSnippet(path, text, false)
		if errors.Is(err, errFileExists) {
			replace := false
			if err := p.askField(field{title: strings.TrimSpace(path) + " exists. Replace it?", yes: &replace, affirmative: "replace", negative: "keep it"}); err != nil {
				return err
			}
			if !replace {
				continue
			}
			said, err = p.f.saveSnippet(path, text, true)
		}
		if err != nil {
			p.showErr(err)
			continue
		}
		p.say("%s", said)
		return nil
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

// askGroup asks a group's fields when the group is shown.
func (p *plain) askGroup(g fieldGroup) error {
	if g.shown != nil && !g.shown() {
		return nil
	}
	for _, fd := range g.fields {
		if err := p.askField(fd); err != nil {
			return err
		}
	}
	return nil
}

// askField asks one question: its title, then its description, then the
// prompt with the default an empty answer keeps. A bad answer is explained
// and asked again.
func (p *plain) askField(fd field) error {
	p.say("%s", fd.title)
	if fd.desc != "" {
		p.say("  %s", fd.desc)
	}
	switch {
	case fd.text != nil:
		return p.askText(fd)
	case fd.choice != nil:
		return p.askChoice(fd)
	case fd.yes != nil:
		return p.askYes(fd)
	default:
		return p.askChecks(fd)
	}
}

func (p *plain) askText(fd field) error {
	prompt := "> "
	switch {
	case *fd.text != "":
		prompt = fmt.Sprintf("[Enter keeps %s] > ", *fd.text)
	case fd.placeholder != "":
		prompt = fmt.Sprintf("(e.g. %s) > ", fd.placeholder)
	}
	for {
		line, err := p.prompt(prompt)
		if err != nil {
			return err
		}
		v := strings.TrimSpace(line)
		if v == "" {
			v = *fd.text
		}
		if fd.validate != nil {
			if err := fd.validate(v); err != nil {
				p.say("Not accepted: %s", steps.Clean(err.Error()))
				continue
			}
		}
		*fd.text = v
		return nil
	}
}

func (p *plain) askChoice(fd field) error {
	def := 1
	for i, c := range fd.options {
		if c.value == *fd.choice {
			def = i + 1
		}
		p.say("  %d. %s", i+1, c.label)
	}
	for {
		line, err := p.prompt(fmt.Sprintf("Number [Enter keeps %d] > ", def))
		if err != nil {
			return err
		}
		n := def
		if v := strings.TrimSpace(line); v != "" {
			if n, err = strconv.Atoi(v); err != nil || n < 1 || n > len(fd.options) {
				p.say("Not accepted: type a number from 1 to %d.", len(fd.options))
				continue
			}
		}
		*fd.choice = fd.options[n-1].value
		return nil
	}
}

func (p *plain) askYes(fd field) error {
	def := "y/N"
	if *fd.yes {
		def = "Y/n"
	}
	for {
		line, err := p.prompt(fmt.Sprintf("y = %s, n = %s [%s] > ", fd.affirmative, fd.negative, def))
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "":
			return nil
		case "y", "yes":
			*fd.yes = true
			return nil
		case "n", "no":
			*fd.yes = false
			return nil
		}
		p.say("Not accepted: type y or n.")
	}
}

// askChecks lists the options with [x] for chosen ones; the answer is the
// numbers to switch, and Enter keeps the list as shown.
func (p *plain) askChecks(fd field) error {
	for {
		for i, c := range fd.options {
			mark := "[ ]"
			if containsFold(*fd.checks, c.value) {
				mark = "[x]"
			}
			p.say("  %d. %s %s", i+1, mark, c.label)
		}
		line, err := p.prompt("Numbers to switch on or off (e.g. 1 3) [Enter keeps the [x] ones] > ")
		if err != nil {
			return err
		}
		words := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == ',' })
		if len(words) == 0 {
			return nil
		}
		next := append([]string(nil), *fd.checks...)
		ok := true
		for _, w := range words {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 || n > len(fd.options) {
				p.say("Not accepted: %q is not a number from 1 to %d.", w, len(fd.options))
				ok = false
				break
			}
			v := fd.options[n-1].value
			if containsFold(next, v) {
				next = removeFold(next, v)
			} else {
				next = append(next, v)
			}
		}
		if ok && len(fd.fixed) > 0 {
			if err := fd.keepsFixed(next); err != nil {
				p.say("Not accepted: %s.", steps.Clean(err.Error()))
				ok = false
			}
		}
		if ok {
			*fd.checks = next
			p.say("Chosen:")
			for i, c := range fd.options {
				if containsFold(next, c.value) {
					p.say("  %d. %s", i+1, c.label)
				}
			}
			return nil
		}
	}
}

func containsFold(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

func removeFold(list []string, v string) []string {
	var out []string
	for _, s := range list {
		if !strings.EqualFold(s, v) {
			out = append(out, s)
		}
	}
	return out
}

// prompt writes the prompt and waits for a line, or for ctx to end.
func (p *plain) prompt(text string) (string, error) {
	fmt.Fprint(p.w, text)
	line, err := p.in.readLine(p.ctx)
	if err != nil {
		fmt.Fprintln(p.w)
	}
	return line, err
}
