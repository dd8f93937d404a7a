package graph

import (
	"context"
	"os/exec"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/pqentra/pqentra/steps"
)

// azureCLI borrows the Azure CLI's signed-in session (`az account
// get-access-token`). Its client is preauthorized for Graph in every tenant,
// so it works where Application.ReadWrite.All would need admin consent.
// pqentra stores nothing in this mode: az keeps its own session.
type azureCLI struct {
	cred     *azidentity.AzureCLICredential
	resource string
	tenant   string
	cached   azcore.AccessToken // in memory only; az is slow to start
}

func newAzureCLI(ep Endpoints, tenant string) (*azureCLI, error) {
	opts := &azidentity.AzureCLICredentialOptions{}
	if tenant != "" && tenant != "organizations" && tenant != "common" {
		opts.TenantID = tenant
	}
	cred, err := azidentity.NewAzureCLICredential(opts)
	if err != nil {
		return nil, &steps.Error{Message: "cannot use the Azure CLI's sign-in: " + steps.Clean(err.Error()),
			Hint: "Check --tenant (a tenant GUID or verified domain)."}
	}
	// Graph's resource for the cloud, whatever host is called.
	return &azureCLI{cred: cred, resource: ep.Cloud.GraphRoot + "/.default", tenant: opts.TenantID}, nil
}

func (a *azureCLI) token(ctx context.Context) (string, error) {
	if a.cached.Token != "" && time.Until(a.cached.ExpiresOn) > 5*time.Minute {
		return a.cached.Token, nil
	}
	tok, err := a.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{a.resource}})
	if err != nil {
		return "", azureCLIError(ctx, err, a.tenant)
	}
	a.cached = tok
	return tok.Token, nil
}

// azureCLIError says what to do about a failed `az account get-access-token`.
func azureCLIError(ctx context.Context, err error, tenant string) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	msg := err.Error()
	out := &SignInError{Err: err}
	login := "az login"
	if tenant != "" {
		login = "az login --tenant " + tenant
	}
	switch {
	case strings.Contains(msg, "executable not found") || !azInstalled():
		out.Summary = "the Azure CLI (az) is not installed or not on PATH"
		out.Hint = "Install the Azure CLI (https://aka.ms/installazurecli) and run `" + login + "`, or use --sign-in device|browser."
	case strings.Contains(msg, "az login") || strings.Contains(msg, "not logged in") || strings.Contains(msg, "No subscription found"):
		out.Summary = "the Azure CLI is not signed in" + forTenant(tenant)
		out.Hint = "Run `" + login + "`, then run the command again (or use --sign-in device|browser)."
	default:
		out.Summary = "the Azure CLI could not get a token for Microsoft Graph: " + summarize(lastLines(msg))
		out.Code = aadstsCode(msg)
		out.Hint = "Run `" + login + "` again, then run the command again (or use --sign-in device|browser)."
	}
	return out
}

func forTenant(t string) string {
	if t == "" {
		return ""
	}
	return " to tenant " + t
}

// azInstalled reports whether an az executable is on PATH.
func azInstalled() bool {
	_, err := exec.LookPath("az")
	return err == nil
}

// AzureCLISignedIn reports whether az is installed and signed in (to
// tenant, when one is given). It only reads az's local state.
func AzureCLISignedIn(ctx context.Context, tenant string) bool {
	if !azInstalled() {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "az", "account", "show", "--query", "tenantId", "--output", "tsv").Output()
	if err != nil {
		return false
	}
	got := strings.TrimSpace(string(out))
	if got == "" {
		return false
	}
	return tenant == "" || tenant == "organizations" || tenant == "common" || !steps.IsGUID(tenant) || strings.EqualFold(got, tenant)
}

// lastLines drops azidentity's troubleshooting boilerplate around az's
// own message.
func lastLines(msg string) string {
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	var keep []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "To troubleshoot") || strings.HasPrefix(l, "AzureCLICredential:") && len(lines) > 1 {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, " ")
}
