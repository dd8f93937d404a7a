package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pqentra/pqentra/steps"
	"github.com/pqentra/pqentra/steps/m"
	"github.com/pqentra/pqentra/steps/safefile"
	"github.com/pqentra/pqentra/steps/sdkproject"
	"github.com/pqentra/pqentra/steps/service"
)

// errFileExists: the snippet's file exists; the front end asks before
// replacing it.
var errFileExists = errors.New("the file exists")

// defaultSnippetPath is <Name>.aad.pq, named after the app, in the current
// folder.
func (f *flow) defaultSnippetPath() string { return defaultPath(f.appName()) }

// defaultPath keeps the letters and digits of any script in the app's name
// ("🚀 Données 東京 Connector" → Données東京Connector.aad.pq), not only
// ASCII as the connector's M name does (issue 9).
func defaultPath(displayName string) string {
	return safefile.NameFrom(displayName, m.DefaultConnectorName) + ".aad.pq"
}

// checkSnippetPath refuses what can never be written (no name, a folder, a
// folder that does not exist, a name the system refuses) with what to do
// instead. An existing file passes: the front end asks about it.
func (f *flow) checkSnippetPath(path string) error {
	path = strings.TrimSpace(path)
	if sdkproject.IsQueryFile(path) {
		return fmt.Errorf("%s is the SDK project's test query file: give the project folder to put the record into its connector, or a new file name", path)
	}
	err := safefile.CheckNew(path)
	switch {
	case err == nil, errors.Is(err, safefile.ErrExists):
		return nil
	case path == "":
		return errors.New("give a file name, e.g. " + f.defaultSnippetPath())
	case errors.Is(err, safefile.ErrIsDir):
		// A Power Query SDK project folder: its connector file is patched.
		_, perr := sdkproject.Find(path)
		var several *sdkproject.SeveralError
		switch {
		case perr == nil:
			return nil
		case errors.As(perr, &several):
			var names []string
			for _, c := range several.Candidates {
				names = append(names, filepath.Base(c))
			}
			return fmt.Errorf("%s holds several connector files (%s): name the one to put the record into", path, strings.Join(names, ", "))
		}
		return fmt.Errorf("%s is a folder: name a file in it, e.g. %s (it is no SDK project with one connector file)", path, filepath.Join(path, f.defaultSnippetPath()))
	}
	return err
}

// saveSnippet is the w key: a folder that is a Power Query SDK project gets
// the record patched into its connector file (a backup kept); any other
// path gets a new file (writeSnippet). It returns what to tell the user.
func (f *flow) saveSnippet(path, text string, force bool) (said string, err error) {
	defer func() {
		if err == nil {
			f.saved = said
		}
	}()
	path = strings.TrimSpace(path)
	if !sdkproject.IsDir(path) {
		if err := f.writeSnippet(path, text, force); err != nil {
			return "", err
		}
		return "Wrote " + path + ".", nil
	}
	if err := f.checkSnippetPath(path); err != nil {
		return "", err
	}
	p, err := sdkproject.Find(path)
	if err != nil {
		return "", err
	}
	if f.opts.PatchConnector == nil || f.state.App == nil {
		return "", errors.New("cannot patch a connector here: name a file instead")
	}
	file, err := safefile.Read(p.Connector)
	if err != nil {
		return "", err
	}
	uri := steps.ResolveURI(f.desired.IdentifierURI, f.state.App.AppID)
	updated, err := f.opts.PatchConnector(file.Text, uri)
	if err != nil {
		return "", fmt.Errorf("%s was left untouched: %w", p.Connector, err)
	}
	if updated == file.Text {
		f.nextSteps = p.NextSteps("", false)
		return p.Connector + " already has this Aad record.", nil
	}
	res, err := file.Replace(updated, false)
	if err != nil {
		return "", err
	}
	testConnection, kind := false, ""
	if ks, err := m.Kinds(updated); err == nil {
		for _, k := range ks {
			if slices.Contains(k.AuthKinds, "Aad") {
				kind, testConnection = k.Name, k.TestConnection
				break
			}
		}
	}
	f.nextSteps = p.NextSteps(kind, testConnection)
	return fmt.Sprintf("Updated %s (original kept as %s).", res.Path, res.Backup), nil
}

// onboardingText is what to send the organizations that use the connector
// when the app is multitenant ("" otherwise): the commands and the
// admin-consent URL setup prints.
func (f *flow) onboardingText() string {
	if f.opts.Onboarding == nil || f.state.App == nil || !steps.IsMultitenant(f.state.App.SignInAudience) {
		return ""
	}
	return f.opts.Onboarding(f.state.App.AppID).Text()
}

// serviceText is what the connector's service must accept for the app
// (service-config's text), for the last step; "" when the cloud is not
// known. Client names are the ones pqentra knows: it reads nothing.
func (f *flow) serviceText() string {
	if f.opts.ServiceCloud.Name == "" || f.state.App == nil {
		return ""
	}
	in := service.Input{App: *f.state.App, Cloud: f.opts.ServiceCloud}
	if f.state.Tenant != nil {
		in.Tenant = *f.state.Tenant
	}
	return service.Text(service.Build(in))
}

// serviceCommand is the service-config command for the app, with the
// run's global flags: run as printed it reads the same app in the same
// tenant (or demo).
func (f *flow) serviceCommand() string {
	return f.opts.Command.Line("service-config", "--app-id", f.appID())
}

// writeSnippet writes text to path, with safefile's guarantees. An
// existing file is replaced only when force is set; otherwise errFileExists
// lets the front end ask first.
func (f *flow) writeSnippet(path, text string, force bool) error {
	path = strings.TrimSpace(path)
	if err := f.checkSnippetPath(path); err != nil {
		return err
	}
	if !force && errors.Is(safefile.CheckNew(path), safefile.ErrExists) {
		return errFileExists
	}
	write := f.opts.WriteFile
	if write == nil {
		write = func(path, text string, force bool) error {
			_, err := safefile.WriteNew(path, text, force)
			return err
		}
	}
	if err := write(path, text+"\n", force); err != nil {
		return fmt.Errorf("could not write %s: %w", path, err)
	}
	return nil
}
