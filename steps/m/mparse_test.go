package m

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// This file runs test-tools/mparse (Microsoft's @microsoft/powerquery-parser)
// over M produced by the tests. Without node/npm the checks skip, except in CI
// (CI=true), where a missing parser must fail the build rather than silently
// let unparseable M through.

type mInput struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	As   string `json:"as,omitempty"` // "section" (default), "expression", "either"
}

type mResult struct {
	ID    string `json:"id"`
	OK    bool   `json:"ok"`
	Stage string `json:"stage"`
	Error string `json:"error"`
	Root  string `json:"root"`
}

var mparseDir = filepath.Join("..", "..", "test-tools", "mparse")

var (
	setupOnce sync.Once
	setupErr  string // why the checker cannot run, "" when it can
)

func setupMParse() {
	if _, err := exec.LookPath("node"); err != nil {
		setupErr = "node is not installed"
		return
	}
	if _, err := os.Stat(filepath.Join(mparseDir, "node_modules", "@microsoft", "powerquery-parser")); err == nil {
		return
	}
	if _, err := exec.LookPath("npm"); err != nil {
		setupErr = "test-tools/mparse/node_modules is missing and npm is not installed"
		return
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = mparseDir
	if out, err := cmd.CombinedOutput(); err != nil {
		setupErr = "npm ci in test-tools/mparse failed: " + err.Error() + "\n" + string(out)
	}
}

// mparse checks every input with Microsoft's parser and fails the test for
// each one that does not parse completely.
func mparse(t *testing.T, inputs []mInput) {
	t.Helper()
	setupOnce.Do(setupMParse)
	if setupErr != "" {
		msg := "M parser check unavailable (run `npm ci` in test-tools/mparse): " + setupErr
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if len(inputs) == 0 {
		return
	}
	payload, err := json.Marshal(inputs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "check.mjs")
	cmd.Dir = mparseDir
	cmd.Stdin = bytes.NewReader(payload)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var results []mResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("mparse: bad output (%v, run error %v): %s %s", err, runErr, stdout.String(), stderr.String())
	}
	if len(results) != len(inputs) {
		t.Fatalf("mparse: %d results for %d inputs", len(results), len(inputs))
	}
	for i, r := range results {
		if !r.OK {
			t.Errorf("Microsoft's parser rejects %s (%s): %s\n%s", r.ID, r.Stage, r.Error, excerpt(inputs[i].Text))
		}
	}
}

func excerpt(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// wrapField makes a section document around an Aad = [...] field.
func wrapField(field string) string {
	return "section Test;\nKind = [\n    Authentication = [\n" + field + "\n    ]\n];\n"
}

// wrapMember makes a section document around a section member.
func wrapMember(member string) string { return "section Test;\n" + member + "\n" }

// TestMParseRejects makes sure the checker is not a rubber stamp.
func TestMParseRejects(t *testing.T) {
	setupOnce.Do(setupMParse)
	if setupErr != "" {
		mparse(t, nil) // skips or fails with the message
	}
	bad := []string{
		"section Test; Kind = [ Aad = [ A = 1 B = 2 ] ];", // the quickstart's missing comma
		"Aad = [ A = 1 ]", // a field is not a document
		"section Test; X = \"open;",
		"section Test; X = 1; trailing",
	}
	var in []mInput
	for i, s := range bad {
		in = append(in, mInput{ID: string(rune('a' + i)), Text: s})
	}
	payload, _ := json.Marshal(in)
	cmd := exec.Command("node", "check.mjs")
	cmd.Dir = mparseDir
	cmd.Stdin = bytes.NewReader(payload)
	out, _ := cmd.Output()
	var results []mResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("bad checker output %q: %v", out, err)
	}
	for i, r := range results {
		if r.OK {
			t.Errorf("checker accepted invalid M %q", bad[i])
		}
	}
}
