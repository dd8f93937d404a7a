package m

import (
	"fmt"
	"strings"
	"testing"
)

const resourceURI = "api://00001111-aaaa-2222-bbbb-3333cccc4444"

// Real-shaped connector files, as the SDK templates and samples lay them out.
var patchFixtures = map[string]string{
	"anonymous": `// This file contains your Data Connector logic
[Version = "1.0.0"]
section Contoso;

[DataSource.Kind="Contoso", Publish="Contoso.Publish"]
shared Contoso.Contents = (optional message as text) =>
    let
        _message = if (message <> null) then message else "(no message)",
        a = "Hello from Contoso: " & _message
    in
        a;

// Data Source Kind description
Contoso = [
    Authentication = [
        // Key = [],
        // UsernamePassword = [],
        // Windows = [],
        Anonymous = []
    ]
];

// Data Source UI publishing description
Contoso.Publish = [
    Beta = true,
    Category = "Other",
    ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") },
    LearnMoreUrl = "https://powerbi.microsoft.com/",
    SourceImage = Contoso.Icons,
    SourceTypeImage = Contoso.Icons
];
`,
	"oauth-many": `section GitHubSample;

/* Aad = [ AuthorizationUri = "commented out" ] -- must not be touched */
client_id = Text.FromBinary(Extension.Contents("client_id")); // "]" in a comment
redirect_uri = "https://oauth.powerbi.com/views/oauthredirect.html?x=[y]";

[DataSource.Kind="GitHubSample", Publish="GitHubSample.Publish"]
shared GitHubSample.Contents = (url as text) =>
    let
        content = Web.Contents(url, [Headers = [Accept = "application/json"]]),
        json = Json.Document(content)
    in
        json;

GitHubSample = [
    TestConnection = (dataSourcePath) => { "GitHubSample.Contents", dataSourcePath },
    Authentication = [
        OAuth = [
            StartLogin = StartLogin,
            FinishLogin = FinishLogin,
            Label = Extension.LoadString("AuthenticationLabel")
        ],
        // Aad = [ Resource = "old" ],
        UsernamePassword = [ UsernameLabel = "User [name]", PasswordLabel = "Pass ""word"" #(lf)" ],
        Key = [ KeyLabel = "API key /* not a comment */" ]
    ],
    Label = "GitHub [Sample]"
];

StartLogin = (resourceUrl, state, display) =>
    let
        authorizeUrl = "https://github.com/login/oauth/authorize?" & Uri.BuildQueryString([client_id = client_id, state = state])
    in
        [LoginUri = authorizeUrl, CallbackUri = redirect_uri, WindowHeight = 1024, WindowWidth = 720, Context = null];

FinishLogin = (context, callbackUri, state) =>
    let
        parts = Uri.Parts(callbackUri)[Query]
    in
        parts;

GitHubSample.Publish = [ Beta = true, Category = "Other", ButtonText = { "GitHub", "Sign in" } ];
`,
	"existing-aad-crlf": strings.ReplaceAll(`section Crlf;

[DataSource.Kind="Crlf", Publish="Crlf.Publish"]
shared Crlf.Contents = (url as text) => Json.Document(Web.Contents(url));

Crlf = [
    Authentication = [
        Anonymous = [],
        Aad = [
            AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize",
            Resource = "api://old"
        ],
        Windows = [] // trailing comment
    ],
    Label = "Crlf"
];

Crlf.Publish = [ Beta = true, Category = "Other", ButtonText = { "Crlf", "Crlf" } ];
`, "\n", "\r\n"),
	"tabs":          "section Tabs;\n\n[DataSource.Kind=\"Tabs\"]\nshared Tabs.Contents = () => 1;\n\nTabs = [\n\tAuthentication = [\n\t\tAnonymous = []\n\t],\n\tLabel = \"Tabs\"\n];\n",
	"one-line":      "section One;\nOne = [ Authentication = [ Anonymous = [] ], Label = \"One\" ];\n",
	"empty-auth":    "section Empty;\nEmpty = [\n    Authentication = [],\n    Label = \"Empty\"\n];\n",
	"empty-auth-nl": "section Empty;\nEmpty = [\n    Authentication = [\n    ],\n    Label = \"Empty\"\n];",
	"dynamic-aad": `section Dyn;
#"My Kind" = [
    Authentication = [
        Aad = [
            AuthorizationUri = (dataSourcePath) =>
                let
                    a = 1,
                    b = 2
                in
                    "https://login.microsoftonline.com/common/oauth2/authorize",
            Resource = "api://old",
            Scope = null
        ]
    ]
];
`,
	"comment-after-bracket":       "section C;\nC = [\n  Authentication = [ // kinds we accept\n    Anonymous = []\n  ]\n];\n",
	"block-comment-after-bracket": "section B;\nB = [\n  Authentication = [ /* a\n  multi-line ] comment */\n    Anonymous = []\n  ]\n];\n",
	"two-kinds": `section Two;
First = [ Authentication = [ Anonymous = [] ] ];
Second = [ Authentication = [ Aad = [ AuthorizationUri = "x", Resource = "y", Scope = "z" ] ] ];
`,
}

// kindFor names the kind to patch in fixtures that need one.
var kindFor = map[string]string{"two-kinds": "Second", "dynamic-aad": "My Kind"}

// assertOnlyAadChanged checks that out differs from src only inside the Aad
// entry of kind: the old Aad value (or nothing, for an insert) was replaced
// by the new Aad field plus the whitespace and comma around it.
func assertOnlyAadChanged(t *testing.T, name, src, out, kind string) {
	t.Helper()
	oldF := findAad(t, src, kind, false)
	newF := findAad(t, out, kind, true)
	if oldF != nil {
		// Replace: bytes before and after the Aad value are identical.
		if out[:oldF.Aad.Start] != src[:oldF.Aad.Start] || newF.Aad.Start != oldF.Aad.Start {
			t.Errorf("%s: bytes before the Aad value changed", name)
		}
		if out[newF.Aad.End:] != src[oldF.Aad.End:] {
			t.Errorf("%s: bytes after the Aad value changed", name)
		}
		return
	}
	// Insert: out is src with one run of bytes added, and that run is the
	// new Aad field plus whitespace and a comma. (The run is found around the
	// field rather than by a prefix/suffix diff, which can slide it sideways.)
	grow := len(out) - len(src)
	isGlue := func(c byte) bool { return strings.IndexByte(" \t\r\n,", c) >= 0 }
	for a := newF.Field.Start; a >= 0; a-- {
		b := a + grow
		if b >= newF.Field.End && b <= len(out) && out[:a]+out[b:] == src {
			glueOK := true
			for i := b - 1; i >= newF.Field.End; i-- {
				glueOK = glueOK && isGlue(out[i])
			}
			if glueOK {
				return
			}
		}
		if a > 0 && !isGlue(out[a-1]) {
			break
		}
	}
	t.Fatalf("%s: insert changed bytes outside the Aad field:\n%s", name, Diff(src, out))
}

func findAad(t *testing.T, src, kind string, must bool) *AadFinding {
	t.Helper()
	fs, err := ReadAad(src)
	if err != nil {
		t.Fatalf("ReadAad: %v", err)
	}
	for i := range fs {
		if kind == "" || fs[i].Kind == kind {
			return &fs[i]
		}
	}
	if must {
		t.Fatalf("no Aad for kind %q in\n%s", kind, src)
	}
	return nil
}

func TestPatchFixtures(t *testing.T) {
	var in []mInput
	for name, src := range patchFixtures {
		in = append(in, mInput{ID: "fixture " + name, Text: src})
		for _, md := range modes {
			o := SnippetOptions{Resource: resourceURI, Scopes: []string{"Data.Read"}, AuthorizationURI: md, Tenant: "contoso.com"}
			out, err := Patch(src, kindFor[name], o)
			if err != nil {
				t.Errorf("%s/%s: %v", name, md, err)
				continue
			}
			assertOnlyAadChanged(t, name, src, out, kindFor[name])
			f := findAad(t, out, kindFor[name], true)
			if f.Resource.Text != resourceURI || f.Scope.Text != "Data.Read" {
				t.Errorf("%s/%s: patched Aad reads %+v", name, md, f)
			}
			if strings.Contains(src, "\r\n") && strings.Count(out, "\n") != strings.Count(out, "\r\n") {
				t.Errorf("%s/%s: mixed line endings after patch", name, md)
			}
			if !strings.Contains(src, "\r\n") && strings.Contains(out, "\r") {
				t.Errorf("%s/%s: CR introduced", name, md)
			}
			// Patching again with the same options changes nothing.
			again, err := Patch(out, kindFor[name], o)
			if err != nil || again != out {
				t.Errorf("%s/%s: second patch not idempotent (%v)\n%s", name, md, err, Diff(out, again))
			}
			in = append(in, mInput{ID: fmt.Sprintf("patched %s/%s", name, md), Text: out})
		}
	}
	mparse(t, in)
}

func TestPatchLayout(t *testing.T) {
	out, err := Patch(patchFixtures["anonymous"], "", SnippetOptions{Resource: resourceURI})
	if err != nil {
		t.Fatal(err)
	}
	want := `Contoso = [
    Authentication = [
        Aad = [
            AuthorizationUri = "https://login.microsoftonline.com/common/oauth2/authorize",
            Resource = "api://00001111-aaaa-2222-bbbb-3333cccc4444",
            Scope = ".default"
        ],
        // Key = [],
        // UsernamePassword = [],
        // Windows = [],
        Anonymous = []
    ]
];`
	if !strings.Contains(out, want) {
		t.Errorf("unexpected layout:\n%s", Diff(patchFixtures["anonymous"], out))
	}
	out, err = Patch(patchFixtures["tabs"], "", SnippetOptions{Resource: resourceURI})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\tAuthentication = [\n\t\tAad = [\n\t\t\tAuthorizationUri = ") || !strings.Contains(out, "\n\t\t],\n\t\tAnonymous") {
		t.Errorf("tabs not kept:\n%s", out)
	}
	out, err = Patch(patchFixtures["existing-aad-crlf"], "", SnippetOptions{Resource: resourceURI})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "        Anonymous = [],\r\n        Aad = [\r\n            AuthorizationUri = \"https://login.microsoftonline.com/common/oauth2/authorize\",\r\n            Resource = \"api://00001111-aaaa-2222-bbbb-3333cccc4444\",\r\n            Scope = \".default\"\r\n        ],\r\n        Windows = [] // trailing comment\r\n") {
		t.Errorf("CRLF replace:\n%q", out)
	}
}

func TestPatchRefuses(t *testing.T) {
	bad := map[string]struct{ src, kind, want string }{
		"no kind":           {"section X;\nY = [ Label = \"y\" ];\n", "", "no data source kind"},
		"two kinds":         {patchFixtures["two-kinds"], "", "several"},
		"missing name":      {patchFixtures["two-kinds"], "Third", "no data source kind record named"},
		"unbalanced":        {"section X;\nX = [ Authentication = [ Anonymous = [] ];\n", "", "unbalanced"},
		"mismatched":        {"section X;\nX = [ Authentication = [ Anonymous = [] ) ];\n", "", "closes"},
		"extra close":       {"section X;\nX = [ Authentication = [ Anonymous = [] ] ]];\n", "", "unbalanced"},
		"unterminated text": {"section X;\nX = [ Authentication = [ Anonymous = [] ], Label = \"oops ];\n", "", "unterminated text"},
		"unterminated cmt":  {"section X;\nX = [ Authentication = [ Anonymous = [] ] ]; /* never closed\n", "", "unterminated /*"},
		"bad escape":        {"section X;\nX = [ Authentication = [ Anonymous = [] ], Label = \"#(bogus)\" ];\n", "", "bad escape"},
		"aad not record":    {"section X;\nX = [ Authentication = [ Aad = \"nope\" ] ];\n", "", "not a record"},
		"aad is a name":     {"section X;\nAadRecord = [];\nX = [ Authentication = [ Aad = AadRecord ] ];\n", "", "not a record"},
		"aad record merged": {"section X;\nX = [ Authentication = [ Aad = [] & [] ] ];\n", "", "not a record"},
		"two aad":           {"section X;\nX = [ Authentication = [ Aad = [], Aad = [] ] ];\n", "", "2 Aad fields"},
		"empty":             {"", "", "no data source kind"},
	}
	for name, c := range bad {
		out, err := Patch(c.src, c.kind, SnippetOptions{Resource: resourceURI})
		if err == nil || out != "" {
			t.Errorf("%s: Patch accepted it:\n%s", name, out)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", name, err, c.want)
		}
	}
	if _, err := Patch(patchFixtures["anonymous"], "", SnippetOptions{}); err == nil {
		t.Error("Patch without Resource succeeded")
	}
}

// FuzzPatch patches fixtures with arbitrary values: the result must re-lex,
// read back with the intended values, and differ only in the Aad entry.
func FuzzPatch(f *testing.F) {
	names := sortedFixtureNames()
	for i, h := range hostile {
		f.Add(uint8(i), "api://"+h, h, uint8(i%3))
	}
	f.Add(uint8(0), resourceURI, "Data.Read Data.Write", uint8(2))
	f.Fuzz(func(t *testing.T, which uint8, resource, scope string, mode uint8) {
		name := names[int(which)%len(names)]
		src := patchFixtures[name]
		o := SnippetOptions{Resource: resource, Scopes: []string{scope}, AuthorizationURI: modes[int(mode)%len(modes)], Tenant: "contoso.com"}
		r, rerr := o.resolve()
		out, err := Patch(src, kindFor[name], o)
		if rerr != nil {
			if err == nil {
				t.Fatalf("Patch accepted options resolve rejects: %v", rerr)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := Lex(out); err != nil {
			t.Fatalf("patched output does not lex: %v", err)
		}
		assertOnlyAadChanged(t, name, src, out, kindFor[name])
		got := findAad(t, out, kindFor[name], true)
		if got.Resource.Text != asDecoded(r.resource) || got.Scope.Text != asDecoded(r.scope) {
			t.Fatalf("reads back Resource %q Scope %q, want %q %q", got.Resource.Text, got.Scope.Text, r.resource, r.scope)
		}
	})
}

func sortedFixtureNames() []string {
	var names []string
	for n := range patchFixtures {
		names = append(names, n)
	}
	// Deterministic order so fuzz seeds mean the same fixture every run.
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			if names[j] < names[i] {
				names[i], names[j] = names[j], names[i]
			}
		}
	}
	return names
}

// TestPatchSeedsParse runs FuzzPatch's seed corpus through Microsoft's parser.
func TestPatchSeedsParse(t *testing.T) {
	names := sortedFixtureNames()
	var in []mInput
	for i, h := range hostile {
		name := names[i%len(names)]
		o := SnippetOptions{Resource: "api://" + h, Scopes: []string{h}, AuthorizationURI: modes[i%3], Tenant: "contoso.com"}
		out, err := Patch(patchFixtures[name], kindFor[name], o)
		if err != nil {
			if _, rerr := o.resolve(); rerr == nil {
				t.Errorf("seed %d: %v", i, err)
			}
			continue
		}
		in = append(in, mInput{ID: fmt.Sprintf("seed#%d %s %.30q", i, name, h), Text: out})
	}
	mparse(t, in)
}
