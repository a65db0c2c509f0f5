package redisstate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"baoscope/store"
)

// startRedis runs a throwaway redis-server on a free loopback port. CI
// installs it (.ci/run); elsewhere the test is skipped without it.
func startRedis(t *testing.T) string {
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
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	for i := 0; ; i++ {
		if rdb.Ping(context.Background()).Err() == nil {
			return addr
		}
		if i > 100 {
			t.Fatal("redis-server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func client(t *testing.T, addr string) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func TestFrontierQueueAndDedup(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	f := NewFrontier(client(t, addr), "t1", time.Minute)
	for _, k := range []string{"a", "b", "a", "c", "b"} {
		if _, err := f.Push(ctx, k, "item-"+k); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for {
		it, err := f.Pop(ctx, 10*time.Millisecond)
		if errors.Is(err, ErrDone) {
			t.Fatal("ErrDone while items are leased")
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it)
		if err := f.Done(ctx, it); err != nil {
			t.Fatal(err)
		}
		if len(got) == 3 {
			break
		}
	}
	if fmt.Sprint(got) != "[item-a item-b item-c]" {
		t.Errorf("popped %v, want FIFO without duplicates", got)
	}
	if _, err := f.Pop(ctx, 10*time.Millisecond); !errors.Is(err, ErrDone) {
		t.Errorf("empty frontier: err = %v, want ErrDone", err)
	}
}

// TestFrontierLeaseExpires: a process that takes an item and dies (never
// renews, never calls Done) loses it to the others.
func TestFrontierLeaseExpires(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	dead := NewFrontier(client(t, addr), "t2", 150*time.Millisecond)
	alive := NewFrontier(client(t, addr), "t2", 150*time.Millisecond)
	if _, err := dead.Push(ctx, "u", "u"); err != nil {
		t.Fatal(err)
	}
	if it, err := dead.Pop(ctx, 0); err != nil || it != "u" {
		t.Fatalf("pop: %q %v", it, err)
	}
	// alive waits while the lease is held, then gets the item back.
	it, err := alive.Pop(ctx, 20*time.Millisecond)
	if err != nil || it != "u" {
		t.Fatalf("after lease expiry: %q %v", it, err)
	}
	st, _ := alive.Stats(ctx)
	if st.Requeued != 1 {
		t.Errorf("requeued = %d, want 1", st.Requeued)
	}
	alive.Done(ctx, it)
	if _, err := alive.Pop(ctx, 10*time.Millisecond); !errors.Is(err, ErrDone) {
		t.Errorf("err = %v, want ErrDone", err)
	}
}

func TestFrontierHoldKeepsLease(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	a := NewFrontier(client(t, addr), "t3", 150*time.Millisecond)
	b := NewFrontier(client(t, addr), "t3", 150*time.Millisecond)
	a.Push(ctx, "u", "u")
	it, _ := a.Pop(ctx, 0)
	stop := a.Hold(ctx, it)
	pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	_, err := b.Pop(pctx, 20*time.Millisecond)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("another process got a held item: err = %v", err)
	}
	stop()
	a.Done(ctx, it)
}

// TestFrontierSharedByProcesses: three clients drain one frontier; every
// item is taken exactly once.
func TestFrontierSharedByProcesses(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	const n = 600
	seed := NewFrontier(client(t, addr), "t4", time.Minute)
	for i := range n {
		seed.Push(ctx, strconv.Itoa(i), strconv.Itoa(i))
	}
	var mu sync.Mutex
	count := map[string]int{}
	var wg sync.WaitGroup
	for range 3 {
		f := NewFrontier(client(t, addr), "t4", time.Minute)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				it, err := f.Pop(ctx, 10*time.Millisecond)
				if errors.Is(err, ErrDone) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				count[it]++
				mu.Unlock()
				f.Done(ctx, it)
			}
		}()
	}
	wg.Wait()
	if len(count) != n {
		t.Errorf("%d distinct items taken, want %d", len(count), n)
	}
	for k, c := range count {
		if c != 1 {
			t.Errorf("item %s taken %d times", k, c)
		}
	}
}

// TestLimiterAcrossProcesses: three clients share one host's limit. The
// assertions are lower bounds on spacing and an upper bound on
// concurrency: load on the machine can only make them easier to meet.
func TestLimiterAcrossProcesses(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	const delay = 60 * time.Millisecond
	var (
		mu     sync.Mutex
		starts []time.Time
	)
	var wg sync.WaitGroup
	for range 3 {
		l := NewLimiter(client(t, addr), "t5", delay, 1, time.Minute)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 4 {
				release, err := l.Acquire(ctx, "example.test")
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
				release()
			}
		}()
	}
	wg.Wait()
	if len(starts) != 12 {
		t.Fatalf("%d acquisitions", len(starts))
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(starts); i++ {
		// Redis's clock has millisecond resolution; allow 2 ms of it.
		if gap := starts[i].Sub(starts[i-1]); gap < delay-2*time.Millisecond {
			t.Errorf("requests %d and %d only %v apart, want ≥ %v", i-1, i, gap, delay)
		}
	}
}

func TestLimiterParallelCap(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	var inflight, peak atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		l := NewLimiter(client(t, addr), "t6", 0, 2, time.Minute)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				release, err := l.Acquire(ctx, "h")
				if err != nil {
					t.Error(err)
					return
				}
				n := inflight.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(5 * time.Millisecond)
				inflight.Add(-1)
				release()
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 2 {
		t.Errorf("%d requests in flight at once, cap is 2", p)
	}
}

func TestStorage(t *testing.T) {
	addr := startRedis(t)
	s := NewStorage(client(t, addr), "t7")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.IsVisited(42); ok {
		t.Error("42 visited before Visited")
	}
	s.Visited(42)
	other := NewStorage(client(t, addr), "t7")
	if ok, _ := other.IsVisited(42); !ok {
		t.Error("visited set not shared")
	}
	u, _ := url.Parse("https://baolamdong.vn/x")
	s.SetCookies(u, "a=b")
	if c := other.Cookies(u); c != "a=b" {
		t.Errorf("cookies = %q", c)
	}
}

func TestURLStates(t *testing.T) {
	addr := startRedis(t)
	a := NewURLStates(client(t, addr), "t8")
	b := NewURLStates(client(t, addr), "t8")
	if _, err := a.URLState("https://x/1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing state: err = %v, want store.ErrNotFound", err)
	}
	st := &store.URLState{URL: "https://x/1", ETag: `"abc"`}
	if err := a.PutURLState(st); err != nil {
		t.Fatal(err)
	}
	got, err := b.URLState("https://x/1")
	if err != nil || got.ETag != `"abc"` {
		t.Fatalf("shared state: %+v %v", got, err)
	}
}
