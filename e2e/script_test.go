package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the CLI scenarios in testdata/script: one .txtar file
// each, the built binary driven through its flags, environment, exit code
// and output against the emulator (see README.md in this folder for the
// commands a script can use).
//
//	go test ./e2e -run TestScripts/setup-twice
//	go test ./e2e -run TestScripts -testwork   # keep $WORK to look at
func TestScripts(t *testing.T) {
	t.Parallel()
	helpers := helpers(t) // the stand-ins az and fakebrowser
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(env *testscript.Env) error {
			env.Setenv("HELPERS", helpers)
			return setupScript(env)
		},
		Cmds:                scriptCmds,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}

// setupScript gives each script a home of its own: the token cache, the
// demo tenant and the user's home live under $WORK, and the built binary
// is on PATH as pqentra (for `exec sh -c '…'` lines; a script runs it
// with the pqentra command, which also keeps the exit code). $HELPERS is a
// folder with the stand-ins az and fakebrowser (testdata/fakeaz,
// testdata/fakebrowser), on PATH only where a script puts it.
func setupScript(env *testscript.Env) error {
	work := env.WorkDir
	for _, d := range []string{"home", ".cache", ".state"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o700); err != nil {
			return err
		}
	}
	env.Setenv("PATH", filepath.Dir(binary)+string(os.PathListSeparator)+env.Getenv("PATH"))
	env.Setenv("HOME", filepath.Join(work, "home"))
	env.Setenv("XDG_CACHE_HOME", filepath.Join(work, ".cache"))
	env.Setenv("XDG_STATE_HOME", filepath.Join(work, ".state"))
	env.Setenv("TERM", "dumb")
	k, v, _ := strings.Cut(quickDemo, "=")
	env.Setenv(k, v)
	env.Values[scriptStateKey{}] = &scriptState{}
	return nil
}
