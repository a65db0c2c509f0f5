// Package testredis starts a throwaway redis-server for tests, on a free
// loopback port; it is stopped when the test ends. Start gives one with
// no persistence; New gives a Server that a test can kill and restart on
// the same port, with its data (append-only file on) or without (a fresh,
// empty server), to play a Redis outage.
// CI installs redis-server (.ci/run); elsewhere tests that need it are
// skipped, but under CI=true its absence fails them.
package testredis

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Start runs redis-server and returns its address.
func Start(t testing.TB) string {
	t.Helper()
	return New(t, false).Addr
}

// Server is a redis-server a test controls.
type Server struct {
	Addr string

	t       testing.TB
	bin     string
	port    int
	persist bool

	mu     sync.Mutex
	proc   *os.Process
	exited chan struct{} // closed when proc has been waited for
	dir    string
}

// New starts a redis-server on a free loopback port. With persist, every
// write goes to an append-only file fsynced each second (Redis's
// recommended setting), so a restart after Kill finds the data.
func New(t testing.TB, persist bool) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server not installed; .ci/run must install it")
		}
		t.Skip("redis-server not installed (apt-get install redis-server)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	s := &Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), t: t, bin: bin, port: port, persist: persist, dir: t.TempDir()}
	t.Cleanup(s.Kill)
	s.Restart(false)
	return s
}

// Kill stops the server with SIGKILL, as a crash or an OOM kill would.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		s.proc.Kill()
		<-s.exited
		s.proc = nil
	}
}

// Restart starts the server again on the same port (after Kill). With
// wipe, or for a server without persistence, it starts empty.
func (s *Server) Restart(wipe bool) {
	s.t.Helper()
	s.Kill()
	s.mu.Lock()
	defer s.mu.Unlock()
	if wipe {
		s.dir = s.t.TempDir()
	}
	args := []string{"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--save", "", "--dir", s.dir}
	if s.persist {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	} else {
		args = append(args, "--appendonly", "no")
	}
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer rdb.Close()
	// The port may still be held for a moment by the killed server.
	for i := 0; ; i++ {
		cmd := exec.Command(s.bin, args...)
		if err := cmd.Start(); err != nil {
			s.t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if up(rdb, exited) {
			s.proc, s.exited = cmd.Process, exited
			return
		}
		cmd.Process.Kill()
		<-exited
		if i > 20 {
			s.t.Fatal("redis-server did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// up waits until the server answers (true) or exits (false).
func up(rdb *redis.Client, exited chan struct{}) bool {
	for i := 0; i < 100; i++ {
		select {
		case <-exited:
			return false
		default:
		}
		if rdb.Ping(context.Background()).Err() == nil {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
