package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Resolver looks up a host's addresses; *net.Resolver is one. Tests
// supply their own so that no lookup leaves the machine.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// DialFunc opens a connection; (*net.Dialer).DialContext is one.
type DialFunc func(ctx context.Context, network, address string) (net.Conn, error)

// dialGuard refuses connections to private, loopback, link-local and
// other non-public addresses unless the host:port was configured
// explicitly (the sample site on loopback is). It sits below HTTP, so it
// covers every request the transport makes, whatever led to it: a
// redirect, a robots.txt fetch, a link the host filter missed. The check
// runs on the resolved address and the connection goes to that very
// address, so a name that resolves differently a second later (DNS
// rebinding) cannot slip through.
type dialGuard struct {
	allowed  map[string]bool // configured host:port, lowercased
	resolver Resolver
	dial     DialFunc
}

func (g *dialGuard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if g.allowed[strings.ToLower(address)] {
		return g.dial(ctx, network, address)
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", address, err)
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		ips, err := g.resolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, err)
		}
		for _, ip := range ips {
			if a, ok := netip.AddrFromSlice(ip.IP); ok {
				addrs = append(addrs, a)
			}
		}
		if len(addrs) == 0 {
			return nil, fmt.Errorf("resolve %s: no addresses", host)
		}
	}
	// Every address must be public: the dial below picks the first, but
	// a refusal must not depend on the resolver's order.
	for _, a := range addrs {
		if !publicAddr(a) {
			return nil, fmt.Errorf("dial %s (%s): %w", address, a, ErrForbiddenAddress)
		}
	}
	return g.dial(ctx, network, net.JoinHostPort(addrs[0].Unmap().String(), port))
}

// publicAddr reports whether a is an address on the public internet.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() ||
		a.IsUnspecified() {
		return false
	}
	for _, p := range nonPublicPrefixes() {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// nonPublicPrefixes are the special-purpose ranges netip has no predicate
// for.
func nonPublicPrefixes() []netip.Prefix {
	return []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
		netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
		netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
		netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
		netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
		netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
		netip.MustParsePrefix("2001:db8::/32"),  // documentation
		netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	}
}

// hostKey is a URL's host with its port made explicit, the form the
// transport dials and the form configured hosts are compared in.
func hostKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// transport is the HTTP transport of a crawl: the dial guard, no proxy
// (a proxy from the environment would carry requests past the guard), and
// connection reuse sized to the per-host parallelism.
func (c *Crawler) transport() *http.Transport {
	dial := c.cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{Timeout: c.cfg.Timeout, KeepAlive: 30 * time.Second}).DialContext
	}
	var resolver Resolver = net.DefaultResolver
	if c.cfg.Resolver != nil {
		resolver = c.cfg.Resolver
	}
	g := &dialGuard{allowed: map[string]bool{}, resolver: resolver, dial: dial}
	for _, u := range []*url.URL{c.cfg.BaoLamDong, c.cfg.VietnamVN} {
		g.allowed[hostKey(u)] = true
	}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   c.cfg.Parallel,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: c.cfg.Timeout,
		ExpectContinueTimeout: time.Second,
	}
}
