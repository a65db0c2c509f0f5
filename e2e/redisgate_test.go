package e2e

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
)

// redisGate is a TCP proxy to a Redis server that the test can hold
// shut: the process connected through it keeps failing to reach Redis
// after the server is back, as one whose calls were backing off when
// the others reconnected.
type redisGate struct {
	ln      net.Listener
	backend string

	mu    sync.Mutex
	shut  bool
	conns map[net.Conn]struct{} // open, both sides of each pipe
}

func startRedisGate(t *testing.T, backend string) *redisGate {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := &redisGate{ln: ln, backend: backend, conns: map[net.Conn]struct{}{}}
	var wg sync.WaitGroup
	wg.Go(g.serve)
	t.Cleanup(func() { ln.Close(); g.Shut(); wg.Wait() })
	return g
}

// Addr is the address to give the process instead of Redis's.
func (g *redisGate) Addr() string { return g.ln.Addr().String() }

// Shut drops every connection through the gate and refuses new ones.
func (g *redisGate) Shut() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shut = true
	for c := range g.conns {
		c.Close()
	}
	clear(g.conns)
}

// Open lets connections through again.
func (g *redisGate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shut = false
}

func (g *redisGate) serve() {
	for {
		c, err := g.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		go g.pipe(c)
	}
}

// pipe forwards one connection to the backend, or closes it at once
// while the gate is shut (the client sees its connection reset).
func (g *redisGate) pipe(c net.Conn) {
	g.mu.Lock()
	shut := g.shut
	g.mu.Unlock()
	if shut {
		c.Close()
		return
	}
	b, err := net.Dial("tcp", g.backend)
	if err != nil {
		c.Close()
		return
	}
	g.mu.Lock()
	if g.shut { // shut while dialling
		g.mu.Unlock()
		c.Close()
		b.Close()
		return
	}
	g.conns[c], g.conns[b] = struct{}{}, struct{}{}
	g.mu.Unlock()
	go func() { io.Copy(b, c); b.Close() }()
	io.Copy(c, b)
	c.Close()
	g.mu.Lock()
	delete(g.conns, c)
	delete(g.conns, b)
	g.mu.Unlock()
}
