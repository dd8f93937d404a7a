package safefile

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxName bounds a generated file name (bytes, before the extension); file
// systems allow 255.
const maxName = 100

// NameFrom makes a file name (without extension) from a display name:
// the runs of letters and digits of any script, each run's first letter
// upper-cased, joined ("🚀 Données 東京 Connector" → "Données東京Connector").
// Combining marks stay with their letter. What file systems refuse cannot
// appear: Windows' reserved characters, control characters and trailing
// dots or spaces are not letters or digits, and a Windows device name
// (CON, NUL, COM1, …) gets fallback appended. It returns fallback when
// nothing is left.
func NameFrom(displayName, fallback string) string {
	var b strings.Builder
	upper := true
	for _, r := range displayName {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		case unicode.Is(unicode.M, r) && b.Len() > 0 && !upper:
			b.WriteRune(r) // é written as e + U+0301
		default:
			upper = true
		}
	}
	name := b.String()
	for len(name) > maxName {
		_, w := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-w]
	}
	switch {
	case name == "":
		return fallback
	case reservedName(name):
		return name + fallback
	}
	return name
}

// reservedName reports a name Windows keeps for a device, with or without
// an extension ("CON", "nul.txt", "COM1.aad.pq"): opening one opens the
// device, not a file.
func reservedName(base string) bool {
	stem := base
	if i := strings.IndexByte(stem, '.'); i >= 0 {
		stem = stem[:i]
	}
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '0' && stem[3] <= '9' {
		return true
	}
	// COM¹ COM² COM³ LPT¹ LPT² LPT³ are reserved too.
	for _, p := range []string{"COM", "LPT"} {
		for _, d := range []string{"¹", "²", "³"} {
			if stem == p+d {
				return true
			}
		}
	}
	return false
}

// badNameChar reports the characters Windows refuses in a file name.
// (Unix refuses only '/' and NUL.)
func badNameChar(r rune, goos string) bool {
	if r == 0 || r == '/' {
		return true
	}
	if goos != "windows" {
		return false
	}
	return r < 32 || strings.ContainsRune(`<>:"\|?*`, r)
}

// checkName refuses a file name that goos cannot create.
func checkName(base, goos string) string {
	for _, r := range base {
		if badNameChar(r, goos) {
			return `has a character Windows does not allow in file names (< > : " \ | ? * or a control character)`
		}
	}
	if goos == "windows" {
		if reservedName(base) {
			return "is a device name Windows reserves (CON, PRN, AUX, NUL, COM1–9, LPT1–9)"
		}
		if strings.HasSuffix(base, ".") || strings.HasSuffix(base, " ") {
			return "ends with a dot or a space, which Windows drops"
		}
	}
	return ""
}
