package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/pqentra/pqentra/steps"
)

// CreateServicePrincipal sends POST /servicePrincipals {"appId": …}: what
// `az ad sp create --id` and New-MgServicePrincipal send, and how a
// customer's admin adds a publisher's multitenant app to their tenant
// (pqentra onboard). A request whose answer was lost is sent again; when
// the first one had arrived, Graph answers the second with a key conflict,
// and the service principal is read back.
//
// Graph's refusals are told apart for the caller: an appId this tenant
// cannot see an application for (none, or another tenant's single-tenant
// app) wraps steps.ErrNoBackingApplication.
func (c *Client) CreateServicePrincipal(ctx context.Context, appID string) (*steps.ServicePrincipal, error) {
	body := models.NewServicePrincipal()
	body.SetAppId(&appID)
	var sp models.ServicePrincipalable
	err := c.waitOut(ctx, "Retrying after a network error", func() error {
		var err error
		sp, err = c.gc.ServicePrincipals().Post(ctx, body, nil)
		if noBackingApplication(err) {
			e, _ := steps.AsError(translate(err, "create the service principal of "+appID, c.hints()))
			e.Hint = ""
			e.Err = errors.Join(e.Err, steps.ErrNoBackingApplication)
			return e
		}
		return c.explain(err, "create the service principal of "+appID)
	}, isNetwork)
	if e, ok := steps.AsError(err); ok && isSPNameTaken(e) {
		return c.ServicePrincipalByAppID(ctx, appID)
	}
	if err != nil {
		return nil, err
	}
	c.remember("sp:" + appID)
	return fromServicePrincipal(sp, appID, "create the service principal of "+appID)
}

// noBackingApplication recognises Graph's "The appId '…' of the service
// principal does not reference a valid application object." (400
// Request_BadRequest, detail code NoBackingApplicationObject; older
// endpoints sent only the message or only the code).
func noBackingApplication(err error) bool {
	var odata *odataerrors.ODataError
	if !errors.As(err, &odata) || odata.GetStatusCode() != 400 {
		return false
	}
	m := odata.GetErrorEscaped()
	if m == nil {
		return false
	}
	if strings.Contains(strings.ToLower(deref(m.GetMessage())), "does not reference a valid application object") ||
		deref(m.GetCode()) == "NoBackingApplicationObject" {
		return true
	}
	for _, d := range m.GetDetails() {
		if deref(d.GetCode()) == "NoBackingApplicationObject" {
			return true
		}
	}
	return false
}
