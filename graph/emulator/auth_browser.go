package emulator

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Browse is a pretend browser for the emulator's sign-in pages: it opens
// rawURL, presses Continue on the sign-in page, and submits the form_post
// answer to the app's loopback listener, as a person with a real browser
// would. The demo uses it to approve a browser sign-in by itself, and the
// tests' stand-in $BROWSER command is a wrapper around it. client must trust
// the emulator (Server.Client, or SSL_CERT_FILE); it also reaches the
// loopback listener over plain HTTP.
func Browse(ctx context.Context, client *http.Client, rawURL string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	for range 5 {
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode >= 400 {
			return fmt.Errorf("%s: %d %s", req.URL.Redacted(), res.StatusCode, pageText(body))
		}
		action, fields, ok := parseForm(string(body))
		if !ok {
			return nil // a page without a form: the end of the journey
		}
		target, err := req.URL.Parse(action)
		if err != nil {
			return err
		}
		if strings.Contains(string(body), `name="approve"`) {
			fields.Set("approve", "yes")
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(fields.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return fmt.Errorf("too many pages while signing in")
}

var (
	formRE  = lazyRegexp(`(?s)<form method="post" action="([^"]*)"[^>]*>(.*?)</form>`)
	inputRE = lazyRegexp(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	tagRE   = lazyRegexp(`<[^>]*>`)
)

// parseForm finds the page's post form and its hidden fields.
func parseForm(page string) (action string, fields url.Values, ok bool) {
	m := formRE().FindStringSubmatch(page)
	if m == nil {
		return "", nil, false
	}
	fields = url.Values{}
	for _, in := range inputRE().FindAllStringSubmatch(m[2], -1) {
		fields.Set(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), fields, true
}

// pageText is a page's visible text, for error messages.
func pageText(b []byte) string {
	s := tagRE().ReplaceAllString(string(b), " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}
