package cmd

import (
	"context"
	"errors"
)

// runWizard opens the interactive wizard.
func runWizard(ctx context.Context, io *IO, o wizardOptions) error {
	return errors.New("the wizard is not available in this build yet: use `pqentra setup --non-interactive`")
}
