package e2e

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pqentra/pqentra/graph/emulator"
	"github.com/pqentra/pqentra/graph/emulator/emulatortest"
)

// The commands a scenario script has besides testscript's own (cd, exec,
// stdout, stderr, exists, cmp, env, …). README.md in this folder lists
// them with examples; keep the two in step.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"pqentra":    cmdPqentra,
	"exitcode":   cmdExitCode,
	"emulator":   cmdEmulator,
	"fail-next":  cmdFailNext,
	"drop-next":  cmdDropNext,
	"delay-next": cmdDelayNext,
	"seed-app":   cmdSeedApp,
	"owners":     cmdOwners,
	"dir":        cmdDir,
	"requests":   cmdRequests,
	"injected":   cmdInjected,
	"json":       cmdJSON,
	"mode":       cmdMode,
	"hcl":        cmdHCL,
	"app":        cmdApp,
	"no-secrets": cmdNoSecrets,
	"az-login":   cmdAzLogin,
	"customer":   cmdCustomer,
	"as":         cmdAs,
}

type scriptStateKey struct{}

// scriptState is what one script's commands share.
type scriptState struct {
	emu      *emulator.Server
	lastCode int // exit code of the last pqentra command
	logSeen  int // requests already printed by `requests`
	// cust is the customer's tenant (the customer command), and the
	// requests of it already printed.
	cust        *emulator.Server
	custLogSeen int
}

func state(ts *testscript.TestScript) *scriptState {
	return ts.Value(scriptStateKey{}).(*scriptState)
}

func needEmulator(ts *testscript.TestScript) *emulator.Server {
	st := state(ts)
	if st.emu == nil {
		ts.Fatalf("no emulator: start one with the emulator command first")
	}
	return st.emu
}

// pqentra ARGS... runs the built binary in the script's environment;
// stdout and stderr are kept for stdout/stderr/cmp as with exec, and the
// exit code for exitcode. Without ! it must exit 0, with ! it must not.
func cmdPqentra(ts *testscript.TestScript, neg bool, args []string) {
	st := state(ts)
	err := ts.Exec(binary, args...)
	var ee *exec.ExitError
	switch {
	case err == nil:
		st.lastCode = 0
	case errors.As(err, &ee):
		st.lastCode = ee.ExitCode()
	default:
		ts.Fatalf("pqentra: %v", err)
	}
	if neg && st.lastCode == 0 {
		ts.Fatalf("pqentra exited 0, want a failure")
	}
	if !neg && st.lastCode != 0 {
		ts.Fatalf("pqentra exited %d, want 0", st.lastCode)
	}
}

// exitcode N: the last pqentra command exited with N.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: exitcode N")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	if got := state(ts).lastCode; (got == want) == neg {
		ts.Fatalf("pqentra exited %d; want %s%d", got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// emulator [flags]: start the Entra/Graph emulator for this script. The
// binary trusts it through SSL_CERT_FILE and reaches it through
// AZURE_AUTHORITY_HOST and PQENTRA_GRAPH_ENDPOINT, as it would reach any
// sovereign cloud; $EMULATOR is its URL and $TENANT its tenant id.
func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! emulator")
	}
	st := state(ts)
	if st.emu != nil {
		ts.Fatalf("the emulator is already running")
	}
	var o emulator.Options
	var roles multiFlag
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.DurationVar(&o.ReplicationLag, "lag", 0, "replication lag after a create")
	fs.DurationVar(&o.UpdateLag, "update-lag", 0, "replication lag after an update, a delete or a restore")
	fs.IntVar(&o.ThrottleEvery, "throttle-every", 0, "answer every Nth Graph request with 429")
	fs.IntVar(&o.RetryAfter, "retry-after", 0, "Retry-After seconds of the 429s")
	fs.DurationVar(&o.Latency, "latency", 0, "delay of every Graph answer")
	fs.BoolVar(&o.UsersCannotRegisterApps, "users-cannot-register-apps", false, "creating applications answers 403")
	fs.BoolVar(&o.UsersCannotCreateServicePrincipals, "users-cannot-create-sps", false, "creating service principals answers 403")
	fs.BoolVar(&o.AdminConsentRequired, "admin-consent-required", false, "nobody consented to pqentra's Graph permission")
	fs.BoolVar(&o.BlockDeviceCode, "block-device-code", false, "Conditional Access blocks the device-code flow")
	fs.Var(&roles, "role", "a directory role the user holds (repeatable)")
	fs.DurationVar(&o.AutoApprove, "approve-after", emulatortest.QuickApproval, "how long the pretend user takes to approve a device code")
	uriPolicy := fs.String("uri-policy", "default", "the app management policy's identifier URI settings: default (uriAdditionWithoutUniqueTenantIdentifier on), off, or non-default (nonDefaultUriAddition on)")
	fs.SetOutput(ts.Stderr())
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("emulator: %v", err)
	}
	o.UserRoles = roles
	switch *uriPolicy {
	case "default":
	case "off":
		o.AppManagementPolicy = emulator.NoAppManagementPolicy()
	case "non-default":
		o.AppManagementPolicy = &emulator.AppManagementPolicy{NonDefault: emulator.URIRestriction{Enabled: true}}
	default:
		ts.Fatalf("emulator: -uri-policy %q: want default, off or non-default", *uriPolicy)
	}
	emu, err := emulator.Start(o)
	ts.Check(err)
	ts.Defer(emu.Close)
	st.emu = emu
	ca := filepath.Join(ts.Getenv("WORK"), ".emulator-ca.pem")
	ts.Check(os.WriteFile(ca, emu.CACertPEM(), 0o600))
	ts.Setenv("SSL_CERT_FILE", ca)
	ts.Setenv("AZURE_AUTHORITY_HOST", emu.URL())
	ts.Setenv("PQENTRA_GRAPH_ENDPOINT", emu.URL())
	ts.Setenv("EMULATOR", emu.URL())
	ts.Setenv("TENANT", emu.TenantID())
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// faultArgs reads [-times N] METHOD PATH: the requests a fault matches.
func faultArgs(ts *testscript.TestScript, name string, args []string, usage string) (times int, match func(*http.Request) bool, rest []string) {
	times = 1
	if len(args) >= 2 && args[0] == "-times" {
		n, err := strconv.Atoi(args[1])
		ts.Check(err)
		times, args = n, args[2:]
	}
	if len(args) < 2 {
		ts.Fatalf("usage: %s [-times N] %s", name, usage)
	}
	method := args[0]
	if method == "write" {
		method = ""
	}
	return times, emulator.MatchWrite(method, args[1]), args[2:]
}

// fail-next [-times N] METHOD PATH STATUS CODE MESSAGE: the next matching
// Graph request(s) get this Graph error and are not applied. METHOD is
// GET, POST, PATCH, DELETE or write (any but GET); PATH is a part of the
// request's path.
func cmdFailNext(ts *testscript.TestScript, neg bool, args []string) {
	times, match, rest := faultArgs(ts, "fail-next", args, "METHOD PATH STATUS CODE MESSAGE")
	if len(rest) != 3 {
		ts.Fatalf("usage: fail-next [-times N] METHOD PATH STATUS CODE MESSAGE")
	}
	status, err := strconv.Atoi(rest[0])
	ts.Check(err)
	needEmulator(ts).FailNext(match, status, rest[1], rest[2], times)
}

// drop-next [-times N] METHOD PATH: the next matching Graph request(s) are
// applied, then the connection closes unanswered (a lost answer).
func cmdDropNext(ts *testscript.TestScript, neg bool, args []string) {
	times, match, rest := faultArgs(ts, "drop-next", args, "METHOD PATH")
	if len(rest) != 0 {
		ts.Fatalf("usage: drop-next [-times N] METHOD PATH")
	}
	needEmulator(ts).DropResponse(match, times)
}

// delay-next [-times N] METHOD PATH DURATION: the next matching Graph
// request(s) wait this long before they are handled (a stall when longer
// than the client waits).
func cmdDelayNext(ts *testscript.TestScript, neg bool, args []string) {
	times, match, rest := faultArgs(ts, "delay-next", args, "METHOD PATH DURATION")
	if len(rest) != 1 {
		ts.Fatalf("usage: delay-next [-times N] METHOD PATH DURATION")
	}
	d, err := time.ParseDuration(rest[0])
	ts.Check(err)
	needEmulator(ts).DelayNext(match, d, times)
}

// seed-app FILE: store the application in the JSON file as if someone had
// created it earlier (in the portal, say); $APPID and $OBJECTID are its ids.
func cmdSeedApp(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: seed-app FILE")
	}
	var app map[string]any
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &app))
	objectID, appID, err := needEmulator(ts).SeedApplication(app)
	ts.Check(err)
	ts.Setenv("APPID", appID)
	ts.Setenv("OBJECTID", objectID)
}

// owners [me] [UPN...]: the owners of the app seed-app stored last
// ($OBJECTID) become the signed-in user (me) and other users of the
// tenant, each named after its UPN (mallory@contoso.com is "Mallory").
func cmdOwners(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! owners")
	}
	me := len(args) > 0 && args[0] == "me"
	if me {
		args = args[1:]
	}
	var others []emulator.OtherUser
	for i, upn := range args {
		local, _, _ := strings.Cut(upn, "@")
		if local == "" {
			ts.Fatalf("owners: %q is not a UPN", upn)
		}
		others = append(others, emulator.OtherUser{ID: fmt.Sprintf("0c0c0c0c-0000-4000-8000-%012d", i+1),
			DisplayName: strings.ToUpper(local[:1]) + local[1:], UPN: upn})
	}
	if !needEmulator(ts).SetOwners(ts.Getenv("OBJECTID"), me, others...) {
		ts.Fatalf("owners: no app %s (seed-app first)", ts.Getenv("OBJECTID"))
	}
}

// dir: print the emulator's directory as the tenant's admin would see it,
// one line per application, service principal (of the tenant's own apps)
// and deleted item, for stdout and cmp to check:
//
//	app "Contoso Connector" uri=api://… audience=AzureADMyOrg scopes=Data.Read(User,enabled) preauthorized=a672d62c…,b52893c8…
//	sp "Contoso Connector"
//	deleted app "Old Connector"
//
// Ids are left out so that a script can compare the whole listing.
func cmdDir(ts *testscript.TestScript, neg bool, args []string) {
	emu := needEmulator(ts)
	if len(args) == 1 && args[0] == "-customer" {
		dirCustomer(ts)
		return
	}
	out := ts.Stdout()
	own := map[string]bool{}
	for _, a := range emu.Applications() {
		own[str(a["appId"])] = true
		fmt.Fprintf(out, "app %q uri=%s audience=%s scopes=%s preauthorized=%s\n", str(a["displayName"]),
			strings.Join(strs(a["identifierUris"]), ","), str(a["signInAudience"]), scopes(a), preauthorized(a))
	}
	for _, sp := range emu.ServicePrincipals() {
		if own[str(sp["appId"])] {
			fmt.Fprintf(out, "sp %q\n", str(sp["displayName"]))
		}
	}
	for _, d := range emu.DeletedItems() {
		kind := "app"
		if strings.Contains(str(d["@odata.type"]), "servicePrincipal") {
			kind = "sp"
		}
		fmt.Fprintf(out, "deleted %s %q\n", kind, str(d["displayName"]))
	}
}

func str(v any) string { s, _ := v.(string); return s }

func strs(v any) []string {
	var out []string
	for _, x := range asSlice(v) {
		out = append(out, str(x))
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

func scopes(app map[string]any) string {
	var out []string
	for _, s := range asSlice(asMap(app["api"])["oauth2PermissionScopes"]) {
		m := asMap(s)
		state := "disabled"
		if m["isEnabled"] == true {
			state = "enabled"
		}
		out = append(out, fmt.Sprintf("%s(%s,%s)", str(m["value"]), str(m["type"]), state))
	}
	return strings.Join(out, ",")
}

func preauthorized(app map[string]any) string {
	var out []string
	for _, p := range asSlice(asMap(app["api"])["preAuthorizedApplications"]) {
		out = append(out, str(asMap(p)["appId"]))
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// requests: print the Graph and sign-in requests the emulator received
// since the last requests command, one "METHOD PATH STATUS" line each
// (with "injected" when a fault answered); nothing printed means nothing
// was sent.
func cmdRequests(ts *testscript.TestScript, neg bool, args []string) {
	st := state(ts)
	log, seen := needEmulator(ts).Log(), &st.logSeen
	if len(args) == 1 && args[0] == "-customer" {
		log, seen = needCustomer(ts).Log(), &st.custLogSeen
	}
	out := ts.Stdout()
	for _, r := range log[min(*seen, len(log)):] {
		line := fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status)
		if r.Injected != "" {
			line += " injected=" + r.Injected
		}
		fmt.Fprintln(out, line)
	}
	*seen = len(log)
}

// injected: print how many faults the emulator injected so far,
// "throttled=N failed=N dropped=N", to prove a scenario met its fault.
func cmdInjected(ts *testscript.TestScript, neg bool, args []string) {
	throttled, faulted, dropped := needEmulator(ts).Injected()
	fmt.Fprintf(ts.Stdout(), "throttled=%d failed=%d dropped=%d\n", throttled, faulted, dropped)
}

// json ARG...: the last stdout must be one JSON object; each ARG is
//
//	PATH          the value at PATH is there (with !: absent, or null)
//	NAME=PATH     set $NAME to it (strings as they are, others as JSON)
//	PATH==VALUE   it is VALUE (strings as they are, others as JSON)
//	-keys=A,B,C   the object has exactly these keys
//
// PATH is dot-separated keys and list indexes: appId, scope.id,
// preAuthorizedApplications.0.appId.
func cmdJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: json PATH | NAME=PATH | PATH==VALUE | -keys=A,B,…")
	}
	var v any
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile("stdout")))
	if err := dec.Decode(&v); err != nil {
		ts.Fatalf("stdout is not JSON: %v", err)
	}
	if dec.More() {
		ts.Fatalf("stdout holds more than one JSON value")
	}
	text := func(x any) string {
		if s, ok := x.(string); ok {
			return s
		}
		b, _ := json.Marshal(x)
		return string(b)
	}
	for _, a := range args {
		if keys, ok := strings.CutPrefix(a, "-keys="); ok {
			obj, _ := v.(map[string]any)
			var got []string
			for k := range obj {
				got = append(got, k)
			}
			sort.Strings(got)
			want := strings.Split(keys, ",")
			sort.Strings(want)
			if (strings.Join(got, ",") == strings.Join(want, ",")) == neg {
				ts.Fatalf("the object's keys are %v", got)
			}
			continue
		}
		if path, want, ok := strings.Cut(a, "=="); ok {
			got, found := jsonAt(v, path)
			if (found && text(got) == want) == neg {
				ts.Fatalf("%s is %s", path, text(got))
			}
			continue
		}
		name, path, set := strings.Cut(a, "=")
		if !set {
			path = a
		}
		got, found := jsonAt(v, path)
		if neg {
			if found && got != nil {
				ts.Fatalf("%s is %s, want it absent", path, text(got))
			}
			continue
		}
		if !found {
			ts.Fatalf("stdout has no %s", path)
		}
		if set {
			ts.Setenv(name, text(got))
		}
	}
}

func jsonAt(v any, path string) (any, bool) {
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// mode PERM PATH: the file's permission bits are PERM (octal, e.g. 0600).
func cmdMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mode PERM PATH")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	ts.Check(err)
	fi, err := os.Stat(ts.MkAbs(args[1]))
	ts.Check(err)
	if got := uint64(fi.Mode().Perm()); (got == want) == neg {
		ts.Fatalf("%s has mode %04o", args[1], got)
	}
}

// customer [-role NAME]... [-no-role]: add a customer's tenant (Fabrikam)
// to the emulator, an organization that uses the publisher's connector:
// same sign-in and Graph hosts, its own directory and user (a Cloud
// Application Administrator, unless -role or -no-role say otherwise).
// $CUSTOMER is its tenant id. `as customer` signs in there.
func cmdCustomer(ts *testscript.TestScript, neg bool, args []string) {
	st := state(ts)
	emu := needEmulator(ts)
	if st.cust != nil {
		ts.Fatalf("the customer's tenant is already there")
	}
	o := emulator.CustomerOptions()
	var roles multiFlag
	fs := flag.NewFlagSet("customer", flag.ContinueOnError)
	noRole := fs.Bool("no-role", false, "the customer's user holds no directory role")
	fs.Var(&roles, "role", "a directory role the customer's user holds (repeatable)")
	fs.SetOutput(ts.Stderr())
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("customer: %v", err)
	}
	switch {
	case *noRole:
		o.UserRoles = nil
	case len(roles) > 0:
		o.UserRoles = roles
	}
	o.AutoApprove = emulatortest.QuickApproval
	cust, err := emu.AddTenant(o)
	ts.Check(err)
	st.cust = cust
	ts.Setenv("CUSTOMER", cust.TenantID())
}

func needCustomer(ts *testscript.TestScript) *emulator.Server {
	if c := state(ts).cust; c != nil {
		return c
	}
	ts.Fatalf("no customer tenant: add one with the customer command first")
	return nil
}

// as publisher|customer: who is at the keyboard from now on. Each has a
// machine (token cache) of their own and signs in to their own tenant.
func cmdAs(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || args[0] != "publisher" && args[0] != "customer" {
		ts.Fatalf("usage: as publisher|customer")
	}
	emu := needEmulator(ts)
	cache := filepath.Join(ts.Getenv("WORK"), ".cache")
	if args[0] == "customer" {
		emu.SetSignInTenant(needCustomer(ts))
		cache += "-customer"
	} else {
		emu.SetSignInTenant(emu)
	}
	ts.Check(os.MkdirAll(cache, 0o700))
	ts.Setenv("XDG_CACHE_HOME", cache)
}

// dirCustomer prints the customer's tenant like dir: its own apps and
// their service principals, and the service principals of other
// organizations' apps with the tenant that owns the app:
//
//	sp "Contoso Connector" app-owner=6f1c2a9e-…
func dirCustomer(ts *testscript.TestScript) {
	cust := needCustomer(ts)
	out := ts.Stdout()
	for _, a := range cust.Applications() {
		fmt.Fprintf(out, "app %q uri=%s audience=%s\n", str(a["displayName"]), strings.Join(strs(a["identifierUris"]), ","), str(a["signInAudience"]))
	}
	for _, sp := range cust.ServicePrincipals() {
		owner := str(sp["appOwnerOrganizationId"])
		if owner == "f8cdef31-a31e-4b4a-93e4-5f571e91255a" {
			continue // Microsoft's own
		}
		enabled := ""
		if sp["accountEnabled"] == false {
			enabled = " disabled"
		}
		fmt.Fprintf(out, "sp %q app-owner=%s%s\n", str(sp["appDisplayName"]), owner, enabled)
	}
	for _, d := range cust.DeletedItems() {
		kind := "app"
		if strings.Contains(str(d["@odata.type"]), "servicePrincipal") {
			kind = "sp"
		}
		fmt.Fprintf(out, "deleted %s %q\n", kind, str(d["displayName"]))
	}
}

// hcl FILE: the file is HCL (Terraform) that HashiCorp's parser reads.
func cmdHCL(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: hcl FILE")
	}
	_, diags := hclsyntax.ParseConfig([]byte(ts.ReadFile(args[0])), args[0], hcl.InitialPos)
	if diags.HasErrors() != neg {
		ts.Fatalf("%s: %v", args[0], diags.Error())
	}
}

// no-secrets: no token, code or verifier the emulator issued or received
// appears in the last command's stdout or stderr.
func cmdNoSecrets(ts *testscript.TestScript, neg bool, args []string) {
	out := ts.ReadFile("stdout") + ts.ReadFile("stderr")
	for _, secret := range needEmulator(ts).Secrets() {
		if len(secret) >= 16 && strings.Contains(out, secret) {
			ts.Fatalf("a token, code or verifier leaked into the output")
		}
	}
}

// az-login: sign the stand-in az (testdata/fakeaz, on PATH as az when a
// script puts $HELPERS there) in to the emulator, as `az login` would:
// a device-code sign-in with the Azure CLI's client; the session goes to
// $WORK/az.json and $FAKEAZ_STATE names it.
func cmdAzLogin(ts *testscript.TestScript, neg bool, args []string) {
	emu := needEmulator(ts)
	c := emu.Client()
	res, err := c.PostForm(emu.URL()+"/organizations/oauth2/v2.0/devicecode", url.Values{
		"client_id": {emulator.AzureCLIClientID}, "scope": {"https://graph.microsoft.com/.default offline_access openid profile"}})
	ts.Check(err)
	var dc map[string]any
	_ = json.NewDecoder(res.Body).Decode(&dc)
	res.Body.Close()
	ts.Check(emu.Approve(str(dc["user_code"])))
	res, err = c.PostForm(emu.URL()+"/organizations/oauth2/v2.0/token", url.Values{"grant_type": {"device_code"},
		"client_id": {emulator.AzureCLIClientID}, "device_code": {str(dc["device_code"])}})
	ts.Check(err)
	var tok map[string]any
	_ = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	rt := str(tok["refresh_token"])
	if rt == "" {
		ts.Fatalf("az login: no refresh token in %v", tok)
	}
	b, _ := json.Marshal(map[string]string{"authority": emu.URL(), "tenant": emu.TenantID(), "refreshToken": rt})
	state := filepath.Join(ts.Getenv("WORK"), "az.json")
	ts.Check(os.WriteFile(state, b, 0o600))
	ts.Setenv("FAKEAZ_STATE", state)
}

// app NAME: print the application with this display name as Graph holds
// it (one JSON object, ids included), for json to check any property.
func cmdApp(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: app NAME")
	}
	for _, a := range needEmulator(ts).Applications() {
		if a["displayName"] == args[0] {
			if neg {
				ts.Fatalf("an application %q exists", args[0])
			}
			b, err := json.MarshalIndent(a, "", "  ")
			ts.Check(err)
			fmt.Fprintf(ts.Stdout(), "%s\n", b)
			return
		}
	}
	if !neg {
		ts.Fatalf("no application %q", args[0])
	}
}
