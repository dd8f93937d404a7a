package emulator

import (
	"net/http"
	"net/url"
)

// The verification page a person opens to enter the device code, so the
// demo can be driven from a real browser too.

var deviceLoginPage = lazyTemplate("devicelogin", `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Enter code - pqentra emulator</title>
<style>body{font-family:sans-serif;max-width:28em;margin:4em auto}input{font-size:1.2em}</style></head>
<body>
<h1>Enter code</h1>
<p>Enter the code displayed on your app or device to sign in to {{.Tenant}} as {{.User}}.</p>
{{if .Message}}<p role="status"><strong>{{.Message}}</strong></p>{{end}}
{{if not .Done}}<form method="post" action="/devicelogin">
<input name="otc" autocomplete="off" autofocus placeholder="Code" aria-label="Code">
<button type="submit">Next</button>
</form>{{end}}
</body></html>`)

func (s *Server) serveDeviceLogin(w http.ResponseWriter, r *http.Request, body []byte) {
	data := struct {
		Tenant, User, Message string
		Done                  bool
	}{Tenant: s.opts.TenantName, User: s.opts.UserUPN}
	status := http.StatusOK
	switch r.Method {
	case http.MethodGet:
	case http.MethodPost:
		form, _ := url.ParseQuery(string(body))
		if err := s.Approve(form.Get("otc")); err != nil {
			data.Message = "That code didn't work: " + err.Error() + ". Check the code and try again."
			status = http.StatusBadRequest
		} else {
			data.Message = "You have signed in to the application on your device. You may now close this window."
			data.Done = true
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = deviceLoginPage().Execute(w, data)
}
