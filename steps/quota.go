package steps

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The per-user object quota: a user who is not a Global, Application or
// Cloud Application Administrator (an Application Developer included) may
// create at most 250 directory objects, and the ones in deleted items
// count until they are purged, 30 days after deletion. Graph refuses the
// next create with Directory_QuotaExceeded. A connector author who tried
// pqentra (and undo) often is the one to meet it: the error says that
// deleted objects count, how many apps pqentra registered are holding
// quota in deleted items, and the commands that purge them.

// QuotaLimit is Entra's per-user object quota.
const QuotaLimit = 250

// quotaHint is the fix for Directory_QuotaExceeded: held are the apps
// pqentra registered that are in deleted items (counted: they could be
// listed), c how pqentra was started.
func quotaHint(held []DeletedApp, counted bool, c Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Entra limits the directory objects a user may create to %d unless they are a Global, Application or Cloud "+
		"Application Administrator (Application Developers are limited too), and objects in deleted items count until they are "+
		"purged, 30 days after deletion. Nothing more was created.", QuotaLimit)
	switch {
	case !counted:
		b.WriteString("\nDeleted apps you registered hold quota: purge them in the Entra admin center (App registrations > Deleted applications), or ask an administrator to raise your quota or to create the app.")
	case len(held) == 0:
		b.WriteString("\nNo app pqentra registered is in deleted items: purge other deleted objects you created (Entra admin center > App registrations > Deleted applications), or ask an administrator.")
	default:
		fmt.Fprintf(&b, "\n%d application%s pqentra registered %s in deleted items, holding quota. Purge %s (each is restored first, so that undo can check it is yours):",
			len(held), Plural(len(held), "", "s"), Plural(len(held), "is", "are"), Plural(len(held), "it", "them"))
		held = append([]DeletedApp{}, held...)
		sort.Slice(held, func(i, j int) bool { return held[i].DeletedAt.Before(held[j].DeletedAt) })
		const show = 10
		for i, a := range held {
			if i == show {
				fmt.Fprintf(&b, "\n  … and %d more (Entra admin center > App registrations > Deleted applications)", len(held)-show)
				break
			}
			fmt.Fprintf(&b, "\n  %s && %s   # %q, deleted %s", c.Line("restore", "--app-id", a.AppID),
				c.Line("undo", "--app-id", a.AppID, "--purge", "--yes"), Clean(a.DisplayName), a.DeletedAt.UTC().Format("2006-01-02"))
		}
	}
	return b.String()
}

// IsQuotaExceeded reports Graph's Directory_QuotaExceeded.
func IsQuotaExceeded(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == "Directory_QuotaExceeded" || strings.Contains(strings.ToLower(e.Message), "object quota limit for the principal")
}

// explainQuota gives Directory_QuotaExceeded its fix, naming the deleted
// apps pqentra registered; other errors pass through.
func explainQuota(ctx context.Context, dir Directory, err error, c Command) error {
	var e *Error
	if !IsQuotaExceeded(err) || !errors.As(err, &e) || ctx.Err() != nil {
		return err
	}
	var held []DeletedApp
	counted := false
	if all, lerr := dir.DeletedApplications(ctx); lerr == nil {
		counted = true
		for _, a := range all {
			if RegisteredByPqentra(&a.App) {
				held = append(held, a)
			}
		}
	}
	e.Hint = quotaHint(held, counted, c)
	return err
}
