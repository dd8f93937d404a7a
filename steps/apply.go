package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Read gathers the state a plan needs: tenant, user, the application (by
// appId, or by the unique name derived from the display name) and its
// service principal.
func Read(ctx context.Context, dir Directory, d Desired) (State, error) {
	var st State
	var err error
	if st.Tenant, err = dir.Organization(ctx); err != nil {
		return st, err
	}
	if st.User, err = dir.Me(ctx); err != nil {
		return st, err
	}
	return readApp(ctx, dir, d, st)
}

// readApp reads the application and its service principal into st.
func readApp(ctx context.Context, dir Directory, d Desired, st State) (State, error) {
	var err error
	if d.AppID != "" {
		st.App, err = dir.ApplicationByAppID(ctx, d.AppID)
	} else {
		st.App, err = dir.ApplicationByUniqueName(ctx, UniqueName(d.DisplayName))
	}
	if err != nil || st.App == nil {
		return st, err
	}
	st.ServicePrincipal, err = dir.ServicePrincipalByAppID(ctx, st.App.AppID)
	return st, err
}

// Apply sends the plan's changes in order. After the application is created
// the ids it got are put into the changes that follow. On error, the changes
// already applied are marked; running the whole thing again converges,
// because every write is an idempotent upsert or a full-collection PATCH.
func Apply(ctx context.Context, dir Directory, p *Plan, graphBase string) error {
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Applied {
			continue
		}
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
	}
	return nil
}

// Outcome is the result of Converge.
type Outcome struct {
	Plan  *Plan // what was planned (and, unless DryRun, applied)
	Final State // the state read after applying (the starting state on a dry run)
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
		out = &Outcome{Plan: p, Final: st}
		if dryRun || p.Empty() {
			p.Changes = append(applied, p.Changes...)
			return out, nil
		}
		err = Apply(ctx, dir, p, o.GraphBase)
		if errors.Is(err, ErrReplan) && round < 3 {
			applied = append(applied, appliedOnly(p.Changes)...)
			continue
		}
		p.Changes = append(applied, p.Changes...)
		if err != nil {
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
	final, err := readApp(ctx, dir, d, State{Tenant: out.Final.Tenant, User: out.Final.User})
	if err != nil {
		return out, fmt.Errorf("the changes were sent, but reading the result failed: %w", err)
	}
	out.Final = final
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

func appliedOnly(cs []Change) []Change {
	var out []Change
	for _, c := range cs {
		if c.Applied {
			out = append(out, c)
		}
	}
	return out
}
