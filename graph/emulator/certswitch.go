package emulator

import (
	"crypto/tls"
	"net"
	"net/http"
)

// Permanent transport errors: SwitchCertificate makes the server present a
// certificate nobody trusts, as when a TLS-inspecting proxy starts
// answering for the host, or the service is replaced. Every new connection
// then fails its handshake with "x509: certificate signed by unknown
// authority" — no retry can get past it.

// SwitchCertificate replaces the server certificate with a fresh
// self-signed one that CertPool and CACertPEM do not trust, and closes the
// open connections so that clients must handshake again. It returns the new
// certificate in PEM, for a client that is then told to trust it.
func (s *Server) SwitchCertificate() ([]byte, error) {
	cert, _, pemBytes, err := selfSignedCert()
	if err != nil {
		return nil, err
	}
	s.cert.Store(&cert)
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for c := range s.conns {
		_ = c.Close()
	}
	return pemBytes, nil
}

// getCertificate serves the current certificate (see SwitchCertificate).
func (s *Server) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return s.cert.Load(), nil
}

// trackConn keeps the set of open connections for SwitchCertificate.
func (s *Server) trackConn(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch state {
	case http.StateNew:
		s.conns[c] = true
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	}
}
