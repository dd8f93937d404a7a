package emulator

// A small slice of Graph's CSDL: enough to refuse unknown and read-only
// properties and wrongly typed values the way Graph does, and to know which
// properties are complex (merged by PATCH) and which are collections
// (replaced by PATCH).

type kind int

const (
	kString kind = iota
	kBool
	kInt
	kGUID
	kDateTime
	kComplex    // a modelled complex type (see complex)
	kCollection // a collection of elem
	kAny        // accepted as stored; its inside is not modelled
)

type propDef struct {
	kind     kind
	elem     *propDef // kCollection
	complex  *typeDef // kComplex
	readOnly bool
	nullable bool
	edm      string // Edm type name, for messages
}

type typeDef struct {
	name  string // "microsoft.graph.application"
	short string // "Application", for messages
	props map[string]*propDef
}

func str() *propDef      { return &propDef{kind: kString, nullable: true, edm: "Edm.String"} }
func strReq() *propDef   { return &propDef{kind: kString, edm: "Edm.String"} }
func boolean() *propDef  { return &propDef{kind: kBool, edm: "Edm.Boolean"} }
func boolNull() *propDef { return &propDef{kind: kBool, nullable: true, edm: "Edm.Boolean"} }
func intNull() *propDef  { return &propDef{kind: kInt, nullable: true, edm: "Edm.Int32"} }
func guid() *propDef     { return &propDef{kind: kGUID, edm: "Edm.Guid"} }
func guidNull() *propDef { return &propDef{kind: kGUID, nullable: true, edm: "Edm.Guid"} }
func anyVal() *propDef   { return &propDef{kind: kAny, nullable: true} }
func ro(p *propDef) *propDef {
	p.readOnly = true
	return p
}
func coll(e *propDef) *propDef { return &propDef{kind: kCollection, elem: e, edm: "Collection"} }
func cplx(t *typeDef) *propDef {
	return &propDef{kind: kComplex, complex: t, nullable: true, edm: t.name}
}
func dateTime() *propDef { return &propDef{kind: kDateTime, nullable: true, edm: "Edm.DateTimeOffset"} }

var (
	permissionScopeType = &typeDef{name: "microsoft.graph.permissionScope", short: "PermissionScope", props: map[string]*propDef{
		"adminConsentDescription": str(),
		"adminConsentDisplayName": str(),
		"id":                      guid(),
		"isEnabled":               boolean(),
		"origin":                  str(),
		"type":                    str(),
		"userConsentDescription":  str(),
		"userConsentDisplayName":  str(),
		"value":                   str(),
	}}
	preAuthorizedApplicationType = &typeDef{name: "microsoft.graph.preAuthorizedApplication", short: "PreAuthorizedApplication", props: map[string]*propDef{
		"appId":                  str(),
		"delegatedPermissionIds": coll(strReq()),
	}}
	apiApplicationType = &typeDef{name: "microsoft.graph.apiApplication", short: "ApiApplication", props: map[string]*propDef{
		"acceptMappedClaims":          boolNull(),
		"knownClientApplications":     coll(guid()),
		"oauth2PermissionScopes":      coll(cplx(permissionScopeType)),
		"preAuthorizedApplications":   coll(cplx(preAuthorizedApplicationType)),
		"requestedAccessTokenVersion": intNull(),
	}}
	appRoleType = &typeDef{name: "microsoft.graph.appRole", short: "AppRole", props: map[string]*propDef{
		"allowedMemberTypes": coll(strReq()),
		"description":        str(),
		"displayName":        str(),
		"id":                 guid(),
		"isEnabled":          boolean(),
		"origin":             str(),
		"value":              str(),
	}}
	informationalURLType = &typeDef{name: "microsoft.graph.informationalUrl", short: "InformationalUrl", props: map[string]*propDef{
		"logoUrl": ro(str()), "marketingUrl": str(), "privacyStatementUrl": str(), "supportUrl": str(), "termsOfServiceUrl": str(),
	}}
	implicitGrantType = &typeDef{name: "microsoft.graph.implicitGrantSettings", short: "ImplicitGrantSettings", props: map[string]*propDef{
		"enableAccessTokenIssuance": boolNull(), "enableIdTokenIssuance": boolNull(),
	}}
	webApplicationType = &typeDef{name: "microsoft.graph.webApplication", short: "WebApplication", props: map[string]*propDef{
		"homePageUrl": str(), "logoutUrl": str(), "redirectUris": coll(strReq()),
		"implicitGrantSettings": cplx(implicitGrantType), "redirectUriSettings": coll(anyVal()),
	}}
	redirectUrisType = func(name, short string) *typeDef {
		return &typeDef{name: name, short: short, props: map[string]*propDef{"redirectUris": coll(strReq())}}
	}
	resourceAccessType = &typeDef{name: "microsoft.graph.resourceAccess", short: "ResourceAccess", props: map[string]*propDef{
		"id": guid(), "type": str(),
	}}
	requiredResourceAccessType = &typeDef{name: "microsoft.graph.requiredResourceAccess", short: "RequiredResourceAccess", props: map[string]*propDef{
		"resourceAppId": str(), "resourceAccess": coll(cplx(resourceAccessType)),
	}}
	parentalControlType = &typeDef{name: "microsoft.graph.parentalControlSettings", short: "ParentalControlSettings", props: map[string]*propDef{
		"countriesBlockedForMinors": coll(strReq()), "legalAgeGroupRule": str(),
	}}

	applicationType = &typeDef{name: "microsoft.graph.application", short: "Application", props: map[string]*propDef{
		"id":                                ro(str()),
		"deletedDateTime":                   ro(dateTime()),
		"addIns":                            coll(anyVal()),
		"api":                               cplx(apiApplicationType),
		"appId":                             ro(str()),
		"applicationTemplateId":             ro(str()),
		"appRoles":                          coll(cplx(appRoleType)),
		"authenticationBehaviors":           anyVal(),
		"certification":                     ro(anyVal()),
		"createdDateTime":                   ro(dateTime()),
		"defaultRedirectUri":                str(),
		"description":                       str(),
		"disabledByMicrosoftStatus":         ro(str()),
		"displayName":                       str(),
		"groupMembershipClaims":             str(),
		"identifierUris":                    coll(strReq()),
		"info":                              cplx(informationalURLType),
		"isDeviceOnlyAuthSupported":         boolNull(),
		"isFallbackPublicClient":            boolNull(),
		"keyCredentials":                    coll(anyVal()),
		"logo":                              ro(anyVal()),
		"nativeAuthenticationApisEnabled":   str(),
		"notes":                             str(),
		"oauth2RequirePostResponse":         boolean(),
		"optionalClaims":                    anyVal(),
		"parentalControlSettings":           cplx(parentalControlType),
		"passwordCredentials":               coll(anyVal()),
		"publicClient":                      cplx(redirectUrisType("microsoft.graph.publicClientApplication", "PublicClientApplication")),
		"publisherDomain":                   ro(str()),
		"requestSignatureVerification":      anyVal(),
		"requiredResourceAccess":            coll(cplx(requiredResourceAccessType)),
		"samlMetadataUrl":                   str(),
		"serviceManagementReference":        str(),
		"servicePrincipalLockConfiguration": anyVal(),
		"signInAudience":                    str(),
		"spa":                               cplx(redirectUrisType("microsoft.graph.spaApplication", "SpaApplication")),
		"tags":                              coll(strReq()),
		"tokenEncryptionKeyId":              guidNull(),
		"uniqueName":                        str(),
		"verifiedPublisher":                 ro(anyVal()),
		"web":                               cplx(webApplicationType),
	}}

	servicePrincipalType = &typeDef{name: "microsoft.graph.servicePrincipal", short: "ServicePrincipal", props: map[string]*propDef{
		"id":                                     ro(str()),
		"deletedDateTime":                        ro(dateTime()),
		"accountEnabled":                         boolNull(),
		"addIns":                                 coll(anyVal()),
		"alternativeNames":                       coll(strReq()),
		"appDescription":                         ro(str()),
		"appDisplayName":                         ro(str()),
		"appId":                                  str(),
		"applicationTemplateId":                  ro(str()),
		"appOwnerOrganizationId":                 ro(guidNull()),
		"appRoleAssignmentRequired":              boolean(),
		"appRoles":                               coll(anyVal()),
		"customSecurityAttributes":               anyVal(),
		"description":                            str(),
		"disabledByMicrosoftStatus":              ro(str()),
		"displayName":                            str(),
		"homepage":                               str(),
		"info":                                   anyVal(),
		"keyCredentials":                         coll(anyVal()),
		"loginUrl":                               str(),
		"logoutUrl":                              str(),
		"notes":                                  str(),
		"notificationEmailAddresses":             coll(strReq()),
		"oauth2PermissionScopes":                 coll(anyVal()),
		"passwordCredentials":                    coll(anyVal()),
		"preferredSingleSignOnMode":              str(),
		"preferredTokenSigningKeyThumbprint":     str(),
		"replyUrls":                              coll(strReq()),
		"resourceSpecificApplicationPermissions": ro(coll(anyVal())),
		"samlSingleSignOnSettings":               anyVal(),
		"servicePrincipalNames":                  coll(strReq()),
		"servicePrincipalType":                   ro(str()),
		"signInAudience":                         ro(str()),
		"tags":                                   coll(strReq()),
		"tokenEncryptionKeyId":                   guidNull(),
		"verifiedPublisher":                      ro(anyVal()),
	}}
)

// userType lists the user properties /me and owners can $select.
var userType = &typeDef{name: "microsoft.graph.user", short: "User", props: map[string]*propDef{
	"id": ro(str()), "displayName": str(), "userPrincipalName": str(), "mail": str(),
	"businessPhones": coll(strReq()), "givenName": str(), "surname": str(), "jobTitle": str(),
	"mobilePhone": str(), "officeLocation": str(), "preferredLanguage": str(),
}}

var organizationType = &typeDef{name: "microsoft.graph.organization", short: "Organization", props: map[string]*propDef{
	"id": ro(str()), "displayName": str(), "verifiedDomains": coll(anyVal()), "tenantType": str(),
	"countryLetterCode": str(), "createdDateTime": dateTime(),
}}
