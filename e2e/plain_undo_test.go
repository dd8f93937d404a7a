package e2e

import (
	"bytes"
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
