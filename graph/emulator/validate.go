package emulator

import (
	"net/http"
	"strings"
	"time"
)

// Shape validation: what Graph's OData layer refuses before any business
// rule runs — unknown properties, read-only properties, wrong JSON types.

// checkShape validates a write body (or a nested complex value) against t.
func checkShape(t *typeDef, obj map[string]any) *graphError {
	for _, k := range sortedKeys(obj) {
		if isAnnotation(k) {
			continue
		}
		p, ok := t.props[k]
		if !ok {
			return errBadRequest("The property '%s' does not exist on type '%s'. Make sure to only use property names that are defined by the type or mark the type as open type.", k, t.name)
		}
		if p.readOnly {
			return errBadRequest("Property '%s' is read-only and cannot be set.", k)
		}
		if gerr := checkValue(t, k, p, obj[k]); gerr != nil {
			return gerr
		}
	}
	return nil
}

func invalidValue(t *typeDef, prop string) *graphError {
	return errBadRequest("Invalid value specified for property '%s' of resource '%s'.", prop, t.short)
}

func checkValue(t *typeDef, name string, p *propDef, v any) *graphError {
	if v == nil {
		if p.nullable || p.kind == kAny {
			return nil
		}
		if p.kind == kCollection {
			return errBadRequest("A null value was found for the property named '%s', which has the expected type '%s'. The expected type '%s' does not allow null values.", name, p.edm, p.edm)
		}
		return errBadRequest("A null value was found for the property named '%s', which has the expected type '%s[Nullable=False]'. The expected type '%s[Nullable=False]' does not allow null values.", name, p.edm, p.edm)
	}
	switch p.kind {
	case kString:
		if _, ok := v.(string); !ok {
			return errBadRequest("Cannot convert the literal '%v' to the expected type 'Edm.String'.", v)
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			return errBadRequest("Cannot convert the literal '%v' to the expected type 'Edm.Boolean'.", v)
		}
	case kInt:
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			return errBadRequest("Cannot convert the literal '%v' to the expected type 'Edm.Int32'.", v)
		}
	case kGUID:
		s, ok := v.(string)
		if !ok || !isGUID(s) {
			return errBadRequest("Cannot convert the literal '%v' to the expected type 'Edm.Guid'.", v)
		}
	case kDateTime:
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			return errBadRequest("Cannot convert the literal '%v' to the expected type 'Edm.DateTimeOffset'.", v)
		}
	case kComplex:
		m, ok := v.(map[string]any)
		if !ok {
			return errBadRequest("An unexpected '%s' node was found when reading from the JSON reader. A 'StartObject' node was expected.", jsonNodeKind(v))
		}
		return checkShape(p.complex, m)
	case kCollection:
		list, ok := v.([]any)
		if !ok {
			return errBadRequest("An unexpected '%s' node was found when reading from the JSON reader. A 'StartArray' node was expected.", jsonNodeKind(v))
		}
		for _, e := range list {
			if gerr := checkValue(t, name, p.elem, e); gerr != nil {
				return gerr
			}
		}
	}
	return nil
}

func jsonNodeKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "StartObject"
	case []any:
		return "StartArray"
	default:
		return "PrimitiveValue"
	}
}

// stripAnnotations removes @odata.type annotations everywhere, so they are
// never stored.
func stripAnnotations(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if !isAnnotation(k) {
				out[k] = stripAnnotations(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = stripAnnotations(e)
		}
		return out
	default:
		return v
	}
}

// mergePatch applies a PATCH body to stored: modelled complex properties
// merge property by property (absent ones keep their stored value);
// everything else, collections included, is replaced wholesale.
func mergePatch(t *typeDef, stored, patch map[string]any) {
	for k, v := range patch {
		p := t.props[k]
		if p != nil && p.kind == kComplex {
			if sm, ok := stored[k].(map[string]any); ok {
				if pm, ok := v.(map[string]any); ok {
					mergePatch(p.complex, sm, pm)
					continue
				}
			}
		}
		stored[k] = deepCopyValue(v)
	}
}

// requireJSON refuses write bodies that are not declared as JSON.
func requireJSON(r *http.Request) *graphError {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "application/json") {
		return newGraphError(http.StatusUnsupportedMediaType, "BadRequest", "A supported MIME type could not be found that matches the content type of the request payload (%q).", r.Header.Get("Content-Type"))
	}
	return nil
}
