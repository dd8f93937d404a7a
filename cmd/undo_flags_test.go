package cmd

import (
	"testing"

	"github.com/pqentra/pqentra/steps"
)

// undo, restore and export flags, parsed without a directory (runF).

func TestUndoFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
		want    steps.UndoSpec
	}{
		{args: []string{"--display-name", " Contoso Connector "}, want: steps.UndoSpec{DisplayName: "Contoso Connector"}},
		{args: []string{"--app-id", "00001111-AAAA-2222-BBBB-3333CCCC4444", "--scope", "Data.Read", "--identifier-uri", "api://{appId}", "--purge"},
			want: steps.UndoSpec{AppID: guid, Scope: "Data.Read", IdentifierURI: "api://{appId}", Purge: true}},
		{args: []string{}, wantErr: "say which app"},
		{args: []string{"--app-id", guid, "--display-name", "X"}, wantErr: "not both"},
		{args: []string{"--app-id", "nope"}, wantErr: "is not a GUID"},
		{args: []string{"--app-id", guid, "--scope", "has space"}, wantErr: "scope"},
		{args: []string{"--app-id", guid, "--dry-run", "--yes"}, wantErr: "--dry-run sends nothing"},
		{args: []string{"--app-id", guid, "--output", "yaml"}, wantErr: "yaml"},
		{args: []string{"--app-id", guid, "extra"}, wantErr: "takes no arguments"},
	} {
		got, err := parseWith(testFactory(), NewCmdUndo, tc.args...)
		if checkParse(t, got, err, tc.wantErr) && got.Spec != tc.want {
			t.Errorf("%v: spec %+v, want %+v", tc.args, got.Spec, tc.want)
		}
	}
}

func TestRestoreAndExportFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{args: []string{}, wantErr: "--app-id"},
		{args: []string{"--app-id", "x"}, wantErr: "is not a GUID"},
		{args: []string{"--app-id", guid, "--dry-run", "--output", "json"}},
	} {
		got, err := parseWith(testFactory(), NewCmdRestore, tc.args...)
		checkParse(t, got, err, tc.wantErr)
	}
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{args: []string{"--app-id", guid}, wantErr: "--format terraform"},
		{args: []string{"--app-id", guid, "--format", "pulumi"}, wantErr: "pulumi"},
		{args: []string{"--format", "az"}, wantErr: "say which app"},
		{args: []string{"--app-id", guid, "--display-name", "X", "--format", "az"}, wantErr: "not both"},
		{args: []string{"--app-id", guid, "--format", "terraform", "--set-unique-name"}, wantErr: "--set-unique-name is for --format bicep"},
		{args: []string{"--app-id", guid, "--format", "az", "--yes"}, wantErr: "--yes only goes with --set-unique-name"},
		{args: []string{"--display-name", "Contoso", "--format", "bicep", "--set-unique-name", "--yes", "--out", "main.bicep"}},
	} {
		got, err := parseWith(testFactory(), NewCmdExport, tc.args...)
		checkParse(t, got, err, tc.wantErr)
	}
}
