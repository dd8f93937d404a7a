package graph

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/pqentra/pqentra/steps"
)

// IdentifierURIPolicy reads the tenant's app management policy for
// identifier URIs (GET /policies/defaultAppManagementPolicy). It needs
// Policy.Read.All, asked for silently, and a directory role (Global Reader
// at least): for most users Graph refuses, and the caller treats that as
// "unknown". msgraph-sdk-go's v1.0 model lacks identifierUris, so the body
// is read as JSON here.
func (c *Client) IdentifierURIPolicy(ctx context.Context) (*steps.URIPolicy, error) {
	tok, err := c.extraToken(ctx, "Policy.Read.All")
	if err != nil {
		return nil, err
	}
	h := abs.NewRequestHeaders()
	h.Add("Authorization", "Bearer "+tok)
	ri, err := c.gc.Policies().DefaultAppManagementPolicy().ToGetRequestInformation(ctx,
		&policies.DefaultAppManagementPolicyRequestBuilderGetRequestConfiguration{Headers: h})
	if err != nil {
		return nil, err
	}
	var raw []byte
	err = c.waitOut(ctx, "Retrying after a network error", func() error {
		res, err := c.gc.GetAdapter().SendPrimitive(ctx, ri, "[]byte",
			abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
		if err != nil {
			return translate(err, "read the tenant's app management policy", c.hints())
		}
		raw, _ = res.([]byte)
		return nil
	}, isNetwork)
	if err != nil {
		return nil, err
	}
	return parseURIPolicy(raw)
}

// parseURIPolicy reads applicationRestrictions.identifierUris of a
// tenantAppManagementPolicy. A policy switched off (isEnabled false)
// restricts nothing.
func parseURIPolicy(raw []byte) (*steps.URIPolicy, error) {
	type restriction struct {
		State                               string     `json:"state"`
		RestrictForAppsCreatedAfterDateTime *time.Time `json:"restrictForAppsCreatedAfterDateTime"`
		ExcludeAppsReceivingV2Tokens        *bool      `json:"excludeAppsReceivingV2Tokens"`
		IsStateSetByMicrosoft               bool       `json:"isStateSetByMicrosoft"`
	}
	var body struct {
		IsEnabled               *bool `json:"isEnabled"`
		ApplicationRestrictions *struct {
			IdentifierURIs *struct {
				NonDefault             *restriction `json:"nonDefaultUriAddition"`
				UniqueTenantIdentifier *restriction `json:"uriAdditionWithoutUniqueTenantIdentifier"`
			} `json:"identifierUris"`
		} `json:"applicationRestrictions"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, err
	}
	if body.IsEnabled == nil {
		return nil, errors.New("the app management policy has no isEnabled")
	}
	p := &steps.URIPolicy{}
	if !*body.IsEnabled || body.ApplicationRestrictions == nil || body.ApplicationRestrictions.IdentifierURIs == nil {
		return p, nil
	}
	conv := func(r *restriction) steps.URIRestriction {
		if r == nil {
			return steps.URIRestriction{}
		}
		out := steps.URIRestriction{Enabled: r.State == "enabled", SetByMicrosoft: r.IsStateSetByMicrosoft,
			ExcludeV2Apps: r.ExcludeAppsReceivingV2Tokens == nil || *r.ExcludeAppsReceivingV2Tokens}
		if r.RestrictForAppsCreatedAfterDateTime != nil {
			out.AppsCreatedAfter = *r.RestrictForAppsCreatedAfterDateTime
		}
		return out
	}
	ids := body.ApplicationRestrictions.IdentifierURIs
	p.NonDefault, p.UniqueTenantIdentifier = conv(ids.NonDefault), conv(ids.UniqueTenantIdentifier)
	return p, nil
}
