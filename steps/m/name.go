package m

import "strings"

// DefaultConnectorName is used when a display name yields no usable characters.
const DefaultConnectorName = "MyConnector"

// maxConnectorName bounds ConnectorName's result. The name becomes the
// section name, the data source kind and a prefix of every member, so it has
// to stay readable; 64 is far beyond any real connector name.
const maxConnectorName = 64

// ConnectorName turns a display name ("Contoso sales API") into a plain M
// identifier usable as section name and data source kind ("ContosoSalesAPI"):
// the ASCII letter/digit runs of the name, each with its first letter upper-cased
// and joined. Only ASCII is kept because the kind name also ends up in file
// names, resource keys and Power BI's UI, where non-ASCII has bitten people.
// The result never starts with a digit (a "Connector" prefix is added), is
// never a keyword (PascalCase already rules those out: M keywords are lower
// case), is never empty (DefaultConnectorName) and is at most 64 bytes.
func ConnectorName(displayName string) string {
	var b strings.Builder
	upper := true
	for i := 0; i < len(displayName); i++ {
		c := displayName[i]
		switch {
		case isLetterByte(c) || isDigitByte(c):
			if upper && c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
			upper = false
		case c == '_' && b.Len() > 0:
			// Keep inner underscores (My_Connector) but not leading ones.
			b.WriteByte(c)
			upper = false
		default:
			upper = true
		}
	}
	name := strings.TrimRight(b.String(), "_")
	if name == "" {
		return DefaultConnectorName
	}
	if isDigitByte(name[0]) {
		name = "Connector" + name
	}
	if len(name) > maxConnectorName {
		name = strings.TrimRight(name[:maxConnectorName], "_")
	}
	if keywords[name] {
		// Unreachable with the upper-casing above; kept so the guarantee
		// does not depend on that detail.
		name += "Connector"
	}
	return name
}
