package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/pqentra/pqentra/graph/emulator"
)

// The demo tenant is the built-in emulator, kept in a file between runs so
// that what one run registers the next can find: `pqentra --demo setup …`
// then `pqentra --demo doctor --app-id <that id>`. --reset starts afresh.

// demoLegacyApp is a half-configured app the demo tenant starts with, made
// the way people often click it together by hand: a custom URI, an
// admin-only scope, no preauthorized clients and no service principal. It
// gives `pqentra --demo doctor --display-name "Contoso Legacy API"` (and the
// wizard's "use an existing application") something real to find and fix.
// Its ids are fixed, so the README's examples work offline.
const (
	demoLegacyApp      = "Contoso Legacy API"
	demoLegacyObjectID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
)

// demoStateFile is where the demo tenant is kept:
// $XDG_STATE_HOME/pqentra/demo.json, by default
// ~/.local/state/pqentra/demo.json (%LOCALAPPDATA%\pqentra on Windows).
// "" when there is no home to keep it in.
func demoStateFile(getenv func(string) string) string {
	return demoStateFileOn(runtime.GOOS, getenv)
}

func demoStateFileOn(goos string, getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "pqentra", "demo.json")
	}
	if goos == "windows" {
		if d := getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "pqentra", "demo.json")
		}
		return ""
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "pqentra", "demo.json")
	}
	return ""
}

// The demo's two sides: the publisher's tenant (Contoso, where the
// connector's resource app is registered) and a customer's (Fabrikam, an
// organization that uses the published connector). Both are kept in the
// one state file; --demo-tenant picks whose user signs in.
const (
	demoPublisher = "publisher"
	demoCustomer  = "customer"
)

// startDemo starts the emulator on the kept demo tenants (fresh ones, with
// the seeded apps, on first use or with reset) and says what it did. side
// is --demo-tenant.
func startDemo(getenv func(string) string, reset bool, side string) (*emulator.Server, []string, error) {
	path := demoStateFile(getenv)
	var notes []string
	if path == "" {
		notes = append(notes, "The demo tenant is not kept between runs: set XDG_STATE_HOME or HOME to keep it.")
	} else if reset {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("cannot reset the demo tenant: %w", err)
		}
		notes = append(notes, "Started a fresh demo tenant ("+path+").")
	}
	if path != "" {
		tightenDemoState(path)
	}
	emu, err := emulator.Start(emulator.Options{AutoApprove: demoApproval(getenv), StateFile: path})
	if err != nil {
		return nil, nil, fmt.Errorf("cannot start the demo emulator: %w (pqentra --demo --reset starts the demo tenant afresh)", err)
	}
	fresh := !emu.Loaded()
	if fresh {
		if err := seedDemo(emu); err != nil {
			emu.Close()
			return nil, nil, fmt.Errorf("cannot prepare the demo tenant: %w", err)
		}
	}
	custOpts := emulator.CustomerOptions()
	custOpts.AutoApprove = demoApproveAfter
	cust, err := emu.AddTenant(custOpts)
	if err != nil {
		emu.Close()
		return nil, nil, fmt.Errorf("cannot prepare the demo's customer tenant: %w (pqentra --demo --reset starts the demo afresh)", err)
	}
	if side == demoCustomer {
		emu.SetSignInTenant(cust)
		notes = append(notes, "Demo: you are Megan Bowen, an admin (Cloud Application Administrator) of Fabrikam, an organization that uses Contoso's connector.")
	}
	if fresh {
		if err := emu.SaveState(); err != nil {
			emu.Close()
			return nil, nil, fmt.Errorf("cannot keep the demo tenant in %s: %w", path, err)
		}
	}
	return emu, notes, nil
}

// demoApproval is how long the demo's pretend user takes to approve the
// sign-in: demoApproveAfter, or PQENTRA_DEMO_APPROVE_AFTER (a duration,
// e.g. 1ms) for the end-to-end tests, which run the demo dozens of times
// and have no one to show the sign-in screen to. Users never need it.
func demoApproval(getenv func(string) string) time.Duration {
	if d, err := time.ParseDuration(getenv("PQENTRA_DEMO_APPROVE_AFTER")); err == nil && d > 0 {
		return d
	}
	return demoApproveAfter
}

// demoLegacyAppID is fixed so that the commands doctor prints for it
// (`pqentra --demo doctor --app-id … --fix`) name the same app in the next
// demo run.
const demoLegacyAppID = "8a4d6f2e-1c3b-4e5a-9d7f-0b2c4e6a8d10"

// demoPublishedApp is a multitenant connector app the demo's publisher
// (Contoso) has published: the customer side (--demo-tenant customer) can
// onboard it at once, by the fixed app id the docs name.
const (
	demoPublishedApp   = "Contoso Sales Connector"
	demoPublishedAppID = "5c7e9a1b-3d2f-4e6a-8b0c-1d2e3f4a5b6c"
)

func seedDemo(emu *emulator.Server) error {
	if err := seedLegacy(emu); err != nil {
		return err
	}
	if _, _, err := emu.SeedApplication(map[string]any{
		"appId":          demoPublishedAppID,
		"displayName":    demoPublishedApp,
		"signInAudience": "AzureADMultipleOrgs",
		"identifierUris": []any{"api://" + demoPublishedAppID},
		"api": map[string]any{
			"oauth2PermissionScopes": []any{map[string]any{
				"id": "9e1f3a5c-7b2d-4c8e-a0f1-2b3c4d5e6f70", "value": "Data.Read", "type": "User", "isEnabled": true,
				"adminConsentDisplayName": "Read Contoso Sales data (Data.Read)",
				"adminConsentDescription": "Allows Power Query connectors to read data in Contoso Sales on behalf of the signed-in user.",
				"userConsentDisplayName":  "Read your Contoso Sales data",
				"userConsentDescription":  "Allows Power Query to read your data in Contoso Sales on your behalf.",
			}},
		},
	}); err != nil {
		return err
	}
	_, err := emu.SeedServicePrincipal(demoPublishedAppID, "")
	return err
}

func seedLegacy(emu *emulator.Server) error {
	_, _, err := emu.SeedApplication(map[string]any{
		"id":             demoLegacyObjectID,
		"appId":          demoLegacyAppID,
		"displayName":    demoLegacyApp,
		"signInAudience": "AzureADMyOrg",
		"identifierUris": []any{"api://" + emu.TenantID() + "/legacy"},
		"api": map[string]any{
			"oauth2PermissionScopes": []any{map[string]any{
				"id": "5d8c6c1e-2f4b-4d0a-9a51-6f2e8b7c3a10", "value": "Legacy.Read", "type": "Admin", "isEnabled": true,
				"adminConsentDisplayName": "Read legacy data",
				"adminConsentDescription": "Allows the app to read legacy data as the signed-in user.",
			}},
		},
	})
	return err
}

// demoHint is added to an unknown-app error in the demo: the id may be from
// a demo tenant that was reset, or from a real tenant.
func demoHint(err error, stateFile string) string {
	if err == nil || stateFile == "" || !strings.Contains(err.Error(), "no application with appId") {
		return ""
	}
	return demoStateNote(stateFile)
}

func demoStateNote(stateFile string) string {
	return "The demo tenant is kept in " + stateFile + "; it holds only what earlier --demo runs made (pqentra --demo --reset starts it afresh)."
}

// tightenDemoState makes the demo tenant's folder 0700 and its file 0600
// when they are looser (an older version, or made by hand): the file names
// what the user registered. Symbolic links are left alone (chmod would
// follow them out of the folder). Windows has ACLs, not modes.
func tightenDemoState(path string) {
	if runtime.GOOS == "windows" {
		return
	}
	for _, t := range []struct {
		path string
		mode fs.FileMode
	}{{filepath.Dir(path), 0o700}, {path, 0o600}} {
		li, err := os.Lstat(t.path)
		if err != nil || li.Mode()&fs.ModeSymlink != 0 || li.Mode().Perm()&0o077 == 0 {
			continue
		}
		if li.IsDir() || li.Mode().IsRegular() {
			_ = os.Chmod(t.path, t.mode)
		}
	}
}
