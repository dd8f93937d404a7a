package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/safefile"
)

// `pqentra doctor --error 'AADSTS650052: …'`: what a sign-in error users
// meet in Power Query means, and the pqentra command that fixes it, for
// the app at hand (--app-id, the connector's Resource, or the app the
// message names). Nothing is read from the directory.

// checkExplain validates --error's companions.
func (f *DoctorOptions) checkExplain() error {
	switch {
	case strings.TrimSpace(f.Error) == "":
		return usagef("--error needs the error: the AADSTS code Power Query showed (e.g. AADSTS650052, or 650052), or the whole message")
	case f.Fix || f.Yes || f.Force:
		return usagef("--error only explains (it reads and writes nothing): leave out --fix, --yes and --force, or run doctor without --error to check and fix the app")
	case f.IdentifierURI != "" || f.DisplayName != "":
		return usagef("--error takes the app by --app-id (or a --connector whose Resource is api://{appId}); --identifier-uri and --display-name need the directory")
	case f.AppID != "":
		return badInput(steps.ValidateGUID(steps.FieldAppID, strings.TrimSpace(f.AppID)))
	}
	if _, err := steps.ParseErrorCode(f.Error); err != nil {
		return usagef("--error: %v", err)
	}
	return nil
}

func doctorExplain(opts *DoctorOptions) error {
	appID := strings.TrimSpace(opts.AppID)
	if appID == "" && opts.Connector != "" {
		file, err := safefile.Read(opts.Connector)
		if err != nil {
			return usagef("cannot read --connector: %v", err)
		}
		d := &doctorSession{opts: opts}
		appID = d.askedAppID("", readConnector(opts.Connector, file.Text))
	}
	cmd := opts.Command
	cmd.Selector = nil
	k, err := steps.ExplainError(opts.Error, steps.ExplainContext{AppID: appID, Cmd: cmd, LoginHost: loginHostFor(opts.Globals)})
	var unknown *steps.ErrUnknownCode
	if errors.As(err, &unknown) && opts.Output == "json" {
		_ = steps.WriteJSON(opts.IO.Out, map[string]string{"code": unknown.Code, "error": errorText(err)})
	}
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		return steps.WriteJSON(opts.IO.Out, k)
	}
	w := opts.IO.Out
	fmt.Fprintf(w, "%s: %s\n", k.Code, k.Says)
	if k.AppID != "" {
		fmt.Fprintf(w, "App:  %s\n", k.AppID)
	}
	fmt.Fprintf(w, "\nWhy: %s\n\nFix:\n", k.Cause)
	for _, f := range k.Fix {
		fmt.Fprintf(w, "  - %s\n", f)
	}
	fmt.Fprintf(w, "\nMore in docs/troubleshooting.md; `%s` checks the app for every cause doctor knows.\n", cmd.Line("doctor", "--app-id", orPlaceholder(k.AppID)))
	return nil
}

func orPlaceholder(id string) string {
	if id == "" {
		return "APPID"
	}
	return id
}
