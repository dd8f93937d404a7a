package tui

import (
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styles is every look the wizard uses, in one place, so that turning colour
// off (NO_COLOR, --no-color, TERM=dumb) is one switch: with colour off the
// same styles keep bold/borders but emit no colour codes.
type styles struct {
	title, stepDone, stepNow, stepTodo, sep lipgloss.Style
	identity, faint, ok, bad, warn, hint    lipgloss.Style
	code, pane, paneTitle, key              lipgloss.Style
	mKeyword, mText, mIdent, mPunct         lipgloss.Style
	form                                    *huh.Theme
}

func newStyles(color bool) styles {
	r := lipgloss.NewRenderer(nil)
	if color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	c := func(s string) lipgloss.Color { return lipgloss.Color(s) }
	s := styles{
		title:     r.NewStyle().Bold(true).Foreground(c("212")),
		stepDone:  r.NewStyle().Foreground(c("42")),
		stepNow:   r.NewStyle().Bold(true).Underline(true).Foreground(c("212")),
		stepTodo:  r.NewStyle().Foreground(c("245")),
		sep:       r.NewStyle().Foreground(c("240")),
		identity:  r.NewStyle().Foreground(c("111")),
		faint:     r.NewStyle().Foreground(c("245")),
		ok:        r.NewStyle().Foreground(c("42")),
		bad:       r.NewStyle().Bold(true).Foreground(c("203")),
		warn:      r.NewStyle().Foreground(c("214")),
		hint:      r.NewStyle().Foreground(c("229")),
		code:      r.NewStyle().Bold(true).Padding(0, 2).Border(lipgloss.RoundedBorder()).BorderForeground(c("212")),
		pane:      r.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(c("240")).PaddingLeft(1),
		paneTitle: r.NewStyle().Bold(true).Foreground(c("245")),
		key:       r.NewStyle().Bold(true),
		mKeyword:  r.NewStyle().Foreground(c("204")),
		mText:     r.NewStyle().Foreground(c("150")),
		mIdent:    r.NewStyle().Foreground(c("117")),
		mPunct:    r.NewStyle().Foreground(c("245")),
	}
	if color {
		s.form = huh.ThemeCharm()
	} else {
		s.form = plainTheme()
	}
	return s
}

// plainTheme is huh's base theme with everything colour would show also
// shown in characters: the focused button in [ ], the other one padded to
// the same width, so Edit/Keep and Replace/Keep read without colour.
func plainTheme() *huh.Theme {
	t := huh.ThemeBase()
	button := lipgloss.NewStyle().MarginRight(1)
	for _, st := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		st.FocusedButton = button.Transform(func(s string) string { return "[ " + s + " ]" })
		st.BlurredButton = button.Transform(func(s string) string { return "  " + s + "  " })
	}
	return t
}
