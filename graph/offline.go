package graph

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"
)

// No network: the name of the sign-in or Graph host does not resolve, or
// nothing answers there (connection refused, network unreachable, the
// connect timing out). That is the user's network or proxy, not Entra, and
// the raw "dial tcp: lookup … no such host" says neither. offline names the
// host that cannot be reached and why, in words; the hint says to check
// the network or proxy, and that --demo works offline.

// unreachable reports err as a failure to reach a host: which host (from
// the request URL, else the dialled address) and why, in words.
func unreachable(err error) (host, why string, ok bool) {
	if err == nil {
		return "", "", false
	}
	var dns *net.DNSError
	var op *net.OpError
	msg := err.Error()
	switch {
	case errors.As(err, &dns):
		why = "its name does not resolve (no DNS answer)"
		host = dns.Name
	case errors.As(err, &op) && op.Op == "dial":
		why = dialWhy(op.Err, msg)
		if op.Addr != nil {
			host = op.Addr.String()
		}
	case strings.Contains(msg, "no such host") || strings.Contains(msg, "dial tcp: lookup "):
		why = "its name does not resolve (no DNS answer)"
	case strings.Contains(msg, "dial tcp"):
		why = dialWhy(nil, msg)
	default:
		return "", "", false
	}
	if u := requestHost(msg); u != "" {
		host = u
	} else if m := lookupRE.FindStringSubmatch(msg); m != nil && host == "" {
		host = m[1]
	}
	if host == "" {
		host = "the server"
	}
	return host, why, true
}

func dialWhy(err error, msg string) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(msg, "connection refused"):
		return "nothing answers there (connection refused)"
	case errors.Is(err, syscall.ENETUNREACH) || strings.Contains(msg, "network is unreachable"):
		return "the network is unreachable"
	case errors.Is(err, syscall.EHOSTUNREACH) || strings.Contains(msg, "no route to host"):
		return "there is no route to it"
	case strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "timed out"):
		return "the connection timed out"
	}
	return "the connection failed"
}

var (
	requestURLRE = regexp.MustCompile(`(?:Get|Post|Patch|Delete|Put) "([^"]+)"`)
	lookupRE     = regexp.MustCompile(`lookup ([^ :]+)`)
)

// requestHost is the host of the request URL Go's errors quote
// (`Get "https://host/…"`), or "".
func requestHost(msg string) string {
	m := requestURLRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	u, err := url.Parse(m[1])
	if err != nil {
		return ""
	}
	return u.Host
}

// offlineHint is the fix for an unreachable host.
func offlineHint(host string) string {
	return "Check your network connection, and your proxy if you use one (HTTPS_PROXY): pqentra must reach " + host +
		" over HTTPS. Then run the same command again; nothing was changed. To try pqentra without a network, `pqentra --demo` works offline."
}

func isUnreachable(err error) bool { _, _, ok := unreachable(err); return ok }
