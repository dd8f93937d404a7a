package steps

import "errors"

// Field names one input the user gives. Validation errors carry it so each
// front end can point at the input its own way: cmd as the flag
// (--display-name), the wizard as the field on screen. The error text
// itself names no flag.
type Field string

const (
	FieldAppID         Field = "app-id"
	FieldDisplayName   Field = "display-name"
	FieldAudience      Field = "audience"
	FieldIdentifierURI Field = "identifier-uri"
	FieldScope         Field = "scope"
	FieldScopeConsent  Field = "scope-consent"
	FieldScopeTexts    Field = "scope-texts"
	FieldClients       Field = "preauthorize"        // named Power Query clients (excel, refresh, …)
	FieldClientAppID   Field = "preauthorize-client" // any other client's app id
	FieldTenant        Field = "tenant"
	FieldSignInClient  Field = "client-id" // the public client pqentra signs in with
	FieldResource      Field = "resource"  // an Aad record's Resource
)

// nouns are how messages refer to a field.
var nouns = map[Field]string{
	FieldAppID: "the app id", FieldDisplayName: "the display name", FieldAudience: "the audience",
	FieldIdentifierURI: "the Application ID URI", FieldScope: "the scope name", FieldScopeConsent: "the consent type",
	FieldClients: "the client", FieldClientAppID: "the client app id", FieldTenant: "the tenant",
	FieldSignInClient: "the sign-in client id", FieldResource: "the Resource",
}

// noun is how a message names f; a Field that is not one of the constants
// (a caller's own words, such as "client id") is used as it is.
func (f Field) noun() string {
	if n, ok := nouns[f]; ok {
		return n
	}
	return string(f)
}

// InputError is a value the user gave that pqentra refuses before sending
// anything. Error() is the plain-words reason and fix, without flag names.
type InputError struct {
	Field Field
	Err   error
}

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// AsInputError returns the *InputError inside err, if any.
func AsInputError(err error) (*InputError, bool) {
	var e *InputError
	ok := errors.As(err, &e)
	return e, ok
}

// inputErr tags err with the field it is about; nil stays nil.
func inputErr(f Field, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := AsInputError(err); ok {
		return err
	}
	return &InputError{Field: f, Err: err}
}
