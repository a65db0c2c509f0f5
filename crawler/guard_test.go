package crawler

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"testing"
)

// fakeResolver answers from a table and never touches the network.
type fakeResolver map[string][]string

func (r fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	addrs, ok := r[host]
	if !ok {
		return nil, errors.New("no such host")
	}
	var out []net.IPAddr
	for _, a := range addrs {
		out = append(out, net.IPAddr{IP: net.ParseIP(a)})
	}
	return out, nil
}

// dialRecorder stands in for the network: it records what would have
// been dialed and connects nowhere.
type dialRecorder struct{ dialed []string }

var errNoNetwork = errors.New("test: no network")

func (d *dialRecorder) dial(_ context.Context, _, addr string) (net.Conn, error) {
	d.dialed = append(d.dialed, addr)
	return nil, errNoNetwork
}

func TestDialGuard(t *testing.T) {
	resolver := fakeResolver{
		"sample.test":      {"127.0.0.1"},
		"rebind.example":   {"93.184.216.34", "10.1.2.3"},
		"metadata.example": {"169.254.169.254"},
		"public.example":   {"93.184.216.34"},
		"v6.example":       {"2606:2800:220:1:248:1893:25c8:1946"},
	}
	tests := []struct {
		name, addr string
		dialed     string // what reaches the network; "" for a refusal
	}{
		{"configured loopback", "127.0.0.1:8081", "127.0.0.1:8081"},
		{"configured name", "sample.test:80", "sample.test:80"},
		{"other loopback port", "127.0.0.1:8082", ""},
		{"loopback v6", "[::1]:8081", ""},
		{"v4-mapped loopback", "[::ffff:127.0.0.1]:8081", ""},
		{"private", "10.0.0.1:80", ""},
		{"private 192.168", "192.168.1.1:443", ""},
		{"metadata", "169.254.169.254:80", ""},
		{"metadata by name", "metadata.example:80", ""},
		{"any public address of several is not enough", "rebind.example:443", ""},
		{"carrier-grade NAT", "100.64.0.1:80", ""},
		{"unspecified", "0.0.0.0:80", ""},
		{"unique local v6", "[fc00::1]:80", ""},
		{"link-local v6", "[fe80::1]:80", ""},
		{"public by name, dialed by address", "public.example:443", "93.184.216.34:443"},
		{"public v6", "v6.example:443", "[2606:2800:220:1:248:1893:25c8:1946]:443"},
		{"public literal", "93.184.216.34:80", "93.184.216.34:80"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &dialRecorder{}
			g := &dialGuard{
				allowed:  map[string]bool{"127.0.0.1:8081": true, "sample.test:80": true},
				resolver: resolver,
				dial:     rec.dial,
			}
			_, err := g.DialContext(context.Background(), "tcp", tt.addr)
			if tt.dialed == "" {
				if !errors.Is(err, ErrForbiddenAddress) {
					t.Errorf("err = %v, want ErrForbiddenAddress", err)
				}
				if len(rec.dialed) != 0 {
					t.Errorf("dialed %v before refusing", rec.dialed)
				}
				return
			}
			if !errors.Is(err, errNoNetwork) || len(rec.dialed) != 1 || rec.dialed[0] != tt.dialed {
				t.Errorf("err %v, dialed %v, want exactly %s", err, rec.dialed, tt.dialed)
			}
		})
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "127.0.0.2": false, "172.16.0.1": false, "198.18.0.1": false,
		"255.255.255.255": false, "224.0.0.1": false, "2001:db8::1": false, "::": false,
	} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicAddr(%s) = %v", addr, got)
		}
	}
}

func TestHostKey(t *testing.T) {
	for raw, want := range map[string]string{
		"https://baolamdong.vn":         "baolamdong.vn:443",
		"http://BaoLamDong.vn/":         "baolamdong.vn:80",
		"http://127.0.0.1:8081/x":       "127.0.0.1:8081",
		"https://www.vietnam.vn:443/en": "www.vietnam.vn:443",
		"http://[::1]:9/":               "[::1]:9",
	} {
		u, _ := url.Parse(raw)
		if got := hostKey(u); got != want {
			t.Errorf("hostKey(%s) = %s, want %s", raw, got, want)
		}
	}
}
