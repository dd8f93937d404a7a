package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Read gathers the state a plan needs: tenant, user, the application (by
// appId, or by the unique name derived from the display name) and its
// service principal.
func Read(ctx context.Context, dir Directory, d Desired) (State, error) {
	var st State
	var err error
	if st.Tenant, st.User, err = readWho(ctx, dir); err != nil {
		return st, err
	}
	readURIPolicy(ctx, dir, st.Tenant)
	return readApp(ctx, dir, d, st)
}

// readWho reads the tenant and the signed-in user, which every plan
// (setup's and undo's) names in its summary.
func readWho(ctx context.Context, dir Directory) (*Tenant, *User, error) {
	t, err := dir.Organization(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, err := dir.Me(ctx)
	if err != nil {
		return t, nil, err
	}
	return t, u, nil
}

// readApp reads the application and its service principal into st. An
// app found by name is the one FindApp finds (pqentra's, also after a
// rename), and only when it is provably the user's: a *NotYoursError
// stops the run before anything is planned.
func readApp(ctx context.Context, dir Directory, d Desired, st State) (State, error) {
	f, err := FindApp(ctx, dir, AppQuery{AppID: d.AppID, DisplayName: d.DisplayName}, st.User)
	if err != nil {
		return st, err
	}
	st.App, st.Provenance = f.App, f.Provenance
	if st.App == nil {
		// Not live: in deleted items it still holds the name (deletedkey.go).
		return readDeleted(ctx, dir, d, st)
	}
	st.ServicePrincipal, err = dir.ServicePrincipalByAppID(ctx, st.App.AppID)
	return st, err
}

// Apply sends the plan's changes in order. After the application is created
// the ids it got are put into the changes that follow. On error, the changes
// already applied are marked; running the whole thing again converges,
// because every write is an idempotent upsert or a full-collection PATCH.
func Apply(ctx context.Context, dir Directory, p *Plan, graphBase string) error {
	return apply(ctx, dir, p, graphBase, nil)
}

// ProgressEvent tells about one change while it is sent: before (Done
// false) and after (Done true, Err its result). Index counts from 1.
type ProgressEvent struct {
	Index, Total int
	Change       Change
	Done         bool
	Err          error
}

func apply(ctx context.Context, dir Directory, p *Plan, graphBase string, progress func(ProgressEvent)) error {
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Applied {
			continue
		}
		if progress != nil {
			progress(ProgressEvent{Index: i + 1, Total: len(p.Changes), Change: *c})
		}
		err := applyOne(ctx, dir, p, i, graphBase)
		if progress != nil {
			progress(ProgressEvent{Index: i + 1, Total: len(p.Changes), Change: *c, Done: true, Err: err})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// applyOne sends change i and marks it applied.
func applyOne(ctx context.Context, dir Directory, p *Plan, i int, graphBase string) error {
	c := &p.Changes[i]
	if strings.Contains(c.Path, PlaceholderAppID) || strings.Contains(c.Path, PlaceholderObjectID) {
		return fmt.Errorf("internal error: %s still names a placeholder (the application was not created first)", c.Path)
	}
	switch c.Kind {
	case OpUpsertApp:
		app, _, err := dir.UpsertApplication(ctx, c.UniqueName, c.Patch)
		if err != nil {
			return err
		}
		for j := i + 1; j < len(p.Changes); j++ {
			p.Changes[j].fill(app.AppID, app.ObjectID, graphBase)
		}
		p.State.App = app
	case OpPatchApp:
		if err := dir.PatchApplication(ctx, c.ObjectID, c.Patch); err != nil {
			return err
		}
	case OpUpsertSP:
		sp, err := dir.UpsertServicePrincipal(ctx, c.AppID)
		if err != nil {
			return err
		}
		p.State.ServicePrincipal = sp
	default: // deletes and restores (undo.go)
		if err := applyUndoChange(ctx, dir, c); err != nil {
			return err
		}
	}
	c.Applied = true
	return nil
}

// Outcome is the result of Converge.
type Outcome struct {
	Plan  *Plan // what was planned (and, unless DryRun, applied)
	Final State // the state read after applying (the starting state on a dry run)
	// Known is true when Final is what the directory holds now: read after
	// the run, or before it when nothing was sent. After a failure the app
	// is read again; when that read fails too (or the run was
	// interrupted), Known is false and Final is what was read last.
	Known bool
}

// Converge reads, plans, applies and reads again to prove the directory now
// matches. It is the whole non-interactive setup.
func Converge(ctx context.Context, dir Directory, d Desired, o Options, dryRun bool) (*Outcome, error) {
	if o.GraphBase == "" {
		o.GraphBase = DefaultGraphBase
	}
	st, err := Read(ctx, dir, d)
	if err != nil {
		return nil, err
	}
	if c := st.Provenance.Caution(st.App); c != "" && o.Warn != nil {
		o.Warn(c) // before any write, dry runs too
	}
	var out *Outcome
	var applied []Change
	for round := 1; ; round++ {
		if round > 1 {
			// Tenant and user stay as read; the app is what changed.
			if st, err = readApp(ctx, dir, d, State{Tenant: st.Tenant, User: st.User}); err != nil {
				return out, err
			}
		}
		p, err := Diff(st, d, o)
		if err != nil {
			return out, err
		}
		out = &Outcome{Plan: p, Final: st, Known: true} // st was just read
		if round == 1 && o.Warn != nil {
			for _, w := range p.Warnings {
				o.Warn(w)
			}
		}
		if dryRun || p.Empty() {
			p.Changes = append(applied, p.Changes...)
			return out, nil
		}
		err = apply(ctx, dir, p, o.GraphBase, o.Progress)
		if errors.Is(err, ErrReplan) && round < 3 {
			applied = append(applied, appliedOnly(p.Changes)...)
			continue
		}
		p.Changes = append(applied, p.Changes...)
		if err != nil {
			err = explainQuota(ctx, dir, err, o.Command)
			settle(ctx, dir, d, out)
			return out, err
		}
		break
	}
	p := out.Plan
	if d.AppID == "" && p.State.App != nil {
		// Read the app by the id it got, as a user checking would.
		d.AppID = p.State.App.AppID
	}
	// Tenant and user do not change during a run; read the app again.
	out.Known = false
	final, err := readApp(ctx, dir, d, State{Tenant: out.Final.Tenant, User: out.Final.User})
	if err != nil {
		return out, fmt.Errorf("the changes were sent, but reading the result failed: %w", err)
	}
	out.Final, out.Known = final, true
	left, err := Diff(final, d, o)
	if err != nil {
		return out, err
	}
	if !left.Empty() {
		var what []string
		for _, c := range left.Changes {
			what = append(what, c.Summary)
		}
		return out, fmt.Errorf("the directory does not match yet after applying; still needed: %s. Run the same command again", strings.Join(what, "; "))
	}
	out.Plan.Scope = left.Scope
	return out, nil
}

// settleTimeout bounds the read after a failed run: the user is waiting
// for the error, and the report can say "unknown" instead.
const settleTimeout = 20 * time.Second

// settle reads the application again after a failed run, so that what is
// reported is what the directory holds, not what was planned: a write whose
// answer was lost may have been applied, and one that failed was not. An
// interrupted run is not kept waiting; its state stays unknown.
func settle(ctx context.Context, dir Directory, d Desired, out *Outcome) {
	out.Known = false
	if ctx.Err() != nil {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	if d.AppID == "" && out.Plan.State.App != nil {
		d.AppID = out.Plan.State.App.AppID
	}
	final, err := readApp(rctx, dir, d, State{Tenant: out.Final.Tenant, User: out.Final.User})
	if err != nil {
		return
	}
	out.Final, out.Known = final, true
}

func appliedOnly(cs []Change) []Change {
	var out []Change
	for _, c := range cs {
		if c.Applied {
			out = append(out, c)
		}
	}
	return out
}
