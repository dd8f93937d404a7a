package e2e

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// The plain wizard (--accessible) undone at the end says what it undid,
// and the command to bring the app back, once: it said so before it
// exited, so the closing summary does not repeat it.
func TestPlainWizardUndoSaysItOnce(t *testing.T) {
	t.Parallel()
	env := demoDirs(t)
	// Register (1, name, audience, send), URI (keep, send), Scope (name,
	// consent, texts, send), Preauthorize (clients, other, send), no file,
	// no service text, undo this run, send.
	answers := "\nPlain Undo\n\n\n" + "\n\n" + "\n\n\n\n" + "\n\n\n" + "\n\n" + "n\ny\n"
	cmd := binaryCmd(env, "--demo", "--accessible")
	cmd.Stdin = strings.NewReader(answers)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
		t.Fatalf("exit %v\n%s", err, errb.String())
	}
	all := out.String() + errb.String()
	if n := strings.Count(all, "Undone: deleted the app"); n != 1 {
		t.Errorf("the undo is reported %d times:\n%s", n, all)
	}
	if n := strings.Count(all, "pqentra --demo restore --app-id"); n != 1 {
		t.Errorf("the restore command is printed %d times:\n%s", n, all)
	}
	if p := runBinary(t, env, "--demo", "doctor", "--display-name", "Plain Undo"); p.code != 1 || !strings.Contains(p.stdout+p.stderr, "register it") {
		t.Errorf("the app is still there after the undo: exit %d\n%s%s", p.code, p.stdout, p.stderr)
	}
}

// The plain wizard meets an app in deleted items that holds the name, as
// the full-screen one does: it names the app and the ways on with the
// run's global flags (never a command that would leave the demo), and
// "Try again" shows the restore and then restores it and goes on
// configuring that app.
func TestPlainWizardRestoresTheDeletedApp(t *testing.T) {
	t.Parallel()
	env := demoDirs(t)
	p := runBinary(t, env, "--demo", "setup", "--non-interactive", "--display-name", "Gone Plain", "--output", "json")
	var made struct {
		AppID string `json:"appId"`
	}
	if err := json.Unmarshal([]byte(p.stdout), &made); err != nil || made.AppID == "" {
		t.Fatalf("setup: %v\n%s", err, p.stderr)
	}
	if p := runBinary(t, env, "--demo", "undo", "--app-id", made.AppID, "--yes"); p.code != 0 {
		t.Fatalf("undo: exit %d\n%s", p.code, p.stderr)
	}
	cmd := binaryCmd(env, "--demo", "--accessible")
	cmd.Stdin = strings.NewReader("\nGone Plain\n\n" + strings.Repeat("\n", 20))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("wizard: %v\n%s", err, errb.String())
	}
	all := out.String() + errb.String()
	for _, want := range []string{"is in deleted items", "pqentra --demo restore --app-id " + made.AppID, "/restore", "paste this into your connector"} {
		if !strings.Contains(all, want) {
			t.Errorf("the plain wizard does not say %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "pqentra restore") || strings.Contains(all, "pqentra setup") {
		t.Errorf("a printed command drops --demo:\n%s", all)
	}
	if ids := doctorFindings(t, env, made.AppID); len(ids) == 0 {
		t.Errorf("doctor finds nothing on the restored app")
	}
}
