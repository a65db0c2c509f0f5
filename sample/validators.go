package sample

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// memWriter is an http.ResponseWriter that keeps the response in memory,
// so that a page can be rendered once and then transformed (re-encoded,
// mangled, cut) or validated before it is sent.
type memWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newMemWriter() *memWriter { return &memWriter{header: http.Header{}} }

func (m *memWriter) Header() http.Header { return m.header }

func (m *memWriter) WriteHeader(status int) {
	if m.status == 0 {
		m.status = status
	}
}

func (m *memWriter) Write(b []byte) (int, error) {
	if m.status == 0 {
		m.status = http.StatusOK
	}
	return m.body.Write(b)
}

// withValidators gives every complete 200 answer of h a strong ETag (a
// hash of the body) and answers a matching If-None-Match with 304, as the
// real sites' CDN does, so that a crawler's revalidation has something to
// revalidate against. Fault pages that misbehave on the wire (slow,
// truncated, oversized …) bypass it: buffering would change what they do.
func (s *Site) withValidators(site string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fp := s.faultAt(site, r.URL.Path); fp != nil && fp.raw {
			h.ServeHTTP(w, r)
			return
		}
		m := newMemWriter()
		h.ServeHTTP(m, r)
		if m.status == 0 {
			m.status = http.StatusOK
		}
		if m.status == http.StatusOK && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			sum := sha256.Sum256(m.body.Bytes())
			etag := `"` + hex.EncodeToString(sum[:12]) + `"`
			m.header.Set("ETag", etag)
			if etagMatch(r.Header.Get("If-None-Match"), etag) {
				for _, k := range []string{"Content-Length", "Content-Type"} {
					m.header.Del(k)
				}
				copyHeader(w.Header(), m.header)
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		copyHeader(w.Header(), m.header)
		w.WriteHeader(m.status)
		w.Write(m.body.Bytes()) //nolint:errcheck // the client went away; nothing to do
	})
}

// etagMatch applies If-None-Match: a list of entity tags or "*"; weak
// comparison, as RFC 9110 prescribes for this header.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}
