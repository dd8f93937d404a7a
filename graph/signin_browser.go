package graph

import (
	"context"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"

	"github.com/pqentra/pqentra/steps"
)

// browser signs in with the authorization-code flow: pqentra listens on
// http://localhost:<free port> (signin_loopback.go: only the answer with
// this sign-in's state counts, stray requests are ignored), sends the
// browser to the sign-in page with a PKCE challenge and
// response_mode=form_post, and MSAL redeems the code the page posts back. The URL is always shown too, so sign-in still works when no
// browser opens (SSH): open it anywhere that can reach this machine's
// localhost. Cancelling ctx (Ctrl-C) stops the wait and closes the port.
func (s *SignIn) browser(ctx context.Context) (public.AuthResult, error) {
	open := func(u string) error {
		if s.cfg.Events.OnBrowser != nil {
			s.cfg.Events.OnBrowser(u)
		}
		if s.cfg.OpenURL == nil {
			return nil
		}
		if err := s.cfg.OpenURL(u); err != nil {
			// Not fatal: the URL is on the screen.
			s.note("Could not open a browser (" + steps.Clean(err.Error()) + "); open the URL above yourself.")
		}
		return nil
	}
	res, err := s.authorizeInBrowser(ctx, open)
	s.waitEnded()
	if err == nil {
		s.remember(res, MethodBrowser)
	}
	return res, err
}
