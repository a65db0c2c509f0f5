package sample

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Servers are the two mirrors listening on loopback.
type Servers struct {
	BaoLamDongURL string // http://127.0.0.1:port, no trailing slash
	VietnamVNURL  string
	Site          *Site

	servers []*http.Server
	done    []chan error
}

// Start serves the mirror of c on two loopback ports, one per site. Close
// stops both.
func Start(c *Corpus, opts Options) (*Servers, error) {
	site, err := New(c, opts)
	if err != nil {
		return nil, err
	}
	s := &Servers{Site: site}
	for _, h := range []http.Handler{site.BaoLamDong(), site.VietnamVN()} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close() //nolint:errcheck // already failing; report the listen error
			return nil, fmt.Errorf("listen on loopback: %w", err)
		}
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		done := make(chan error, 1)
		go func() { done <- srv.Serve(ln) }()
		s.servers = append(s.servers, srv)
		s.done = append(s.done, done)
		u := "http://" + ln.Addr().String()
		if s.BaoLamDongURL == "" {
			s.BaoLamDongURL = u
		} else {
			s.VietnamVNURL = u
		}
	}
	return s, nil
}

// Close shuts both servers down, giving requests in flight a moment to
// finish.
func (s *Servers) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for i, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shut down mirror: %w", err))
			srv.Close() //nolint:errcheck // the shutdown error says enough
		}
		if err := <-s.done[i]; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve mirror: %w", err))
		}
	}
	s.servers, s.done = nil, nil
	return errors.Join(errs...)
}
