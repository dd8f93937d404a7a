package emulator

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Stored objects are plain Graph JSON (map[string]any, []any, string,
// float64, bool, nil), so that Applications() can hand out exactly what a
// client would read.

func deepCopy(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = deepCopyValue(v)
	}
	return out
}

func deepCopyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		return deepCopy(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopyValue(e)
		}
		return out
	default:
		return v
	}
}

// decodeObject parses a request body that must be one JSON object.
func decodeObject(body []byte) (map[string]any, *graphError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, newGraphError(400, "BadRequest", "Empty Payload. JSON content expected.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, newGraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	if dec.More() {
		return nil, newGraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, newGraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
	}
	return m, nil
}

// toObject converts any JSON-marshalable value (for Seed*) to Graph JSON.
func toObject(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	err = json.Unmarshal(b, &m)
	return m, err
}

// isAnnotation reports whether a JSON key is an OData instance annotation
// such as "@odata.type", which clients (kiota) send and Graph ignores.
func isAnnotation(k string) bool { return strings.HasPrefix(k, "@odata.type") || k == "@odata.context" }

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func objectsOf(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
