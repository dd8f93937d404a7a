package graph

import (
	"context"
	"errors"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/serviceprincipalswithappid"

	"github.com/pqentra/pqentra/steps"
)

// spFields are what pqentra reads of a service principal: enough to name
// it, its app and the app's publisher, and whether it is enabled.
var spFields = []string{"id", "appId", "displayName", "appDisplayName", "appOwnerOrganizationId", "accountEnabled"}

const lagSP = "Waiting for Entra to replicate the new application before creating its service principal"

// ServicePrincipalByAppID reads GET /servicePrincipals(appId='…').
func (c *Client) ServicePrincipalByAppID(ctx context.Context, appID string) (*steps.ServicePrincipal, error) {
	var sp models.ServicePrincipalable
	err := c.waitOutSaying(ctx, func(err error) string {
		if errors.Is(err, errStaleDelete) {
			return lagDelete
		}
		return "Waiting for Entra to replicate the service principal"
	}, func() error {
		var err error
		sp, err = c.gc.ServicePrincipalsWithAppId(&appID).Get(ctx, &serviceprincipalswithappid.ServicePrincipalsWithAppIdRequestBuilderGetRequestConfiguration{
			QueryParameters: &serviceprincipalswithappid.ServicePrincipalsWithAppIdRequestBuilderGetQueryParameters{Select: spFields}})
		if err == nil && sp != nil && c.deletedHere(deref(sp.GetId())) {
			return errStaleDelete // this client deleted it: not replicated yet
		}
		return c.explain(err, "read the service principal of "+appID)
	}, func(err error) bool {
		return isNetwork(err) || isNotFound(err) && c.isRecent("sp:"+appID) || errors.Is(err, errStaleDelete)
	})
	if isNotFound(err) || errors.Is(err, errStaleDelete) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return fromServicePrincipal(sp, appID, "read the service principal of "+appID)
}

// isBeforeAppReplicated reports Graph's two answers to a service principal
// whose application it has not replicated yet: 400 "The appId '…' of the
// service principal does not reference a valid application object." or 403
// "When using this permission, the backing application of the service
// principal being created must in the local tenant". Only right after this
// client created the app is the 403 replication (as azure-cli and
// Terraform treat it); otherwise it is a refusal, explained as one.
func isBeforeAppReplicated(e *steps.Error) bool {
	low := strings.ToLower(e.Message)
	return e.Status == 400 && strings.Contains(low, "does not reference a valid application") ||
		e.Status == 403 && strings.Contains(low, "backing application of the service principal")
}

// UpsertServicePrincipal sends PATCH /servicePrincipals(appId='…') with
// Prefer: create-if-missing. Right after the app is created Entra may not
// know it yet and refuses; that is waited out.
func (c *Client) UpsertServicePrincipal(ctx context.Context, appID string) (*steps.ServicePrincipal, error) {
	h := abs.NewRequestHeaders()
	h.Add("Prefer", "create-if-missing")
	var sp models.ServicePrincipalable
	err := c.waitOut(ctx, lagSP, func() error {
		var err error
		sp, err = c.gc.ServicePrincipalsWithAppId(&appID).Patch(ctx, models.NewServicePrincipal(),
			&serviceprincipalswithappid.ServicePrincipalsWithAppIdRequestBuilderPatchRequestConfiguration{Headers: h})
		return c.explain(err, "create the service principal")
	}, func(err error) bool {
		if isNetwork(err) {
			return true
		}
		e, _ := steps.AsError(err)
		if e == nil || !c.isRecent(appID) {
			return false
		}
		return e.Status == 404 || isBeforeAppReplicated(e)
	})
	if e, ok := steps.AsError(err); ok && isSPNameTaken(e) {
		// It exists already (made by an interrupted run, still
		// replicating): that is what we wanted. Read it once visible.
		c.remember("sp:" + appID)
		return c.ServicePrincipalByAppID(ctx, appID)
	}
	if e, ok := steps.AsError(err); ok && e.Status == 403 && !strings.Contains(e.Hint, writePermission) {
		e.Hint = spForbiddenHint(appID, c.audienceOf(appID) == steps.AudienceMulti)
		if isBeforeAppReplicated(e) {
			e.Hint = "If the application was registered a moment ago, Entra may still be replicating it: run the same " +
				"command again in a minute. " + e.Hint
		}
	}
	if err != nil {
		return nil, err
	}
	c.remember("sp:" + appID)
	if sp != nil {
		return fromServicePrincipal(sp, appID, "create the service principal")
	}
	return c.ServicePrincipalByAppID(ctx, appID)
}
