package emulator

import (
	"html/template"
	"regexp"
	"sync"
)

// Every pqentra run links the emulator (for --demo), so its package
// initialisation runs on every start, --version and --help included. Its
// regular expressions and page templates are therefore compiled on first
// use, not at init (GODEBUG=inittrace=1 pqentra --version shows what is
// left).

// lazyRegexp compiles pattern on first use.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}

// lazyTemplate parses the HTML template text on first use.
func lazyTemplate(name, text string) func() *template.Template {
	return sync.OnceValue(func() *template.Template { return template.Must(template.New(name).Parse(text)) })
}
