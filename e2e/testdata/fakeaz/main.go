// Command fakeaz is the tests' stand-in for the Azure CLI (`az`). Like the
// real one it keeps a signed-in session (a refresh token for the Azure
// CLI's client, in the JSON file $FAKEAZ_STATE) and answers
// `az account get-access-token` by redeeming it at the (emulated) token
// endpoint, so the emulator only ever accepts tokens it issued itself.
// Without a session it fails the way az does: "Please run 'az login'".
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

const azureCLIClient = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

type state struct {
	Authority    string `json:"authority"` // e.g. https://127.0.0.1:PORT
	Tenant       string `json:"tenant"`
	RefreshToken string `json:"refreshToken"`
}

func main() {
	args := strings.Join(os.Args[1:], " ")
	st, ok := load()
	switch {
	case strings.HasPrefix(args, "account get-access-token"):
		if !ok {
			notLoggedIn()
		}
		getAccessToken(st, flag("--resource"), flag("--tenant"))
	case strings.HasPrefix(args, "account show"):
		if !ok {
			notLoggedIn()
		}
		fmt.Println(st.Tenant)
	default:
		fmt.Fprintf(os.Stderr, "fakeaz: unsupported command %q\n", args)
		os.Exit(2)
	}
}

func flag(name string) string {
	for i, a := range os.Args {
		if a == name && i+1 < len(os.Args) {
			return os.Args[i+1]
		}
	}
	return ""
}

func load() (state, bool) {
	var st state
	b, err := os.ReadFile(os.Getenv("FAKEAZ_STATE"))
	if err != nil || json.Unmarshal(b, &st) != nil || st.RefreshToken == "" {
		return st, false
	}
	return st, true
}

func notLoggedIn() {
	fmt.Fprintln(os.Stderr, "ERROR: Please run 'az login' to setup account.")
	os.Exit(1)
}

func getAccessToken(st state, resource, tenant string) {
	if tenant != "" && !strings.EqualFold(tenant, st.Tenant) {
		fmt.Fprintf(os.Stderr, "ERROR: AADSTS50020: User account from identity provider does not exist in tenant '%s'.\nPlease run 'az login --tenant %s'.\n", tenant, tenant)
		os.Exit(1)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {azureCLIClient}, "refresh_token": {st.RefreshToken},
		"scope": {strings.TrimSuffix(resource, "/") + "/.default offline_access openid profile"}}
	res, err := http.PostForm(st.Authority+"/"+st.Tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		os.Exit(1)
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Desc        string `json:"error_description"`
	}
	_ = json.NewDecoder(res.Body).Decode(&tok)
	if res.StatusCode != 200 {
		fmt.Fprintln(os.Stderr, "ERROR:", tok.Desc)
		os.Exit(1)
	}
	exp := time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	out, _ := json.MarshalIndent(map[string]any{
		"accessToken":  tok.AccessToken,
		"expiresOn":    exp.Format("2006-01-02 15:04:05.000000"),
		"expires_on":   exp.Unix(),
		"subscription": "00000000-0000-0000-0000-000000000000",
		"tenant":       st.Tenant,
		"tokenType":    "Bearer",
	}, "", "  ")
	fmt.Println(string(out))
}
