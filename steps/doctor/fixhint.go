package doctor

// doctorFix is `pqentra … doctor --app-id X [--connector F] --fix`.
func (in DiagnoseInput) doctorFix() string {
	args := []string{"doctor"}
	if in.App != nil {
		args = append(args, "--app-id", in.App.AppID)
	} else {
		args = append(args, in.Command.Selector...)
	}
	if in.Connector != nil && in.Connector.Path != "" {
		args = append(args, "--connector", in.Connector.Path)
	}
	return in.Command.Line(append(args, "--fix")...)
}

// fixHint says how doctor --fix repairs an app finding.
func (in DiagnoseInput) fixHint() string {
	return "run `" + in.doctorFix() + "` (it previews every change and asks first)"
}

// fixConnectorHint says how doctor --fix repairs a connector finding.
func (in DiagnoseInput) fixConnectorHint() string {
	return "run `" + in.doctorFix() + "` (it shows the diff and keeps a .bak)"
}
