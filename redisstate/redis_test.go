package redisstate

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"baoscope/internal/testredis"
	"baoscope/model"
	"baoscope/store"
)

func startRedis(t *testing.T) string { return testredis.Start(t) }

func client(t *testing.T, addr string) *Conn {
	c := Dial(addr, ConnOptions{})
	t.Cleanup(func() { c.Close() })
	return c
}

// begun is f after Begin: a frontier works within a run.
func begun(t *testing.T, f *Frontier) *Frontier {
	t.Helper()
	if _, err := f.Begin(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFrontierQueueAndDedup(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	f := begun(t, NewFrontier(client(t, addr), "t1", []string{"q"}, FrontierOptions{Lease: time.Minute}))
	for _, k := range []string{"a", "b", "a", "c", "b"} {
		if _, err := f.Push(ctx, "q", k, "item-"+k, false); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for {
		it, err := f.Pop(ctx, "q", 10*time.Millisecond)
		if errors.Is(err, ErrDone) {
			t.Fatal("ErrDone while items are leased")
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, it)
		if err := f.Done(ctx, "q", it); err != nil {
			t.Fatal(err)
		}
		if len(got) == 3 {
			break
		}
	}
	if fmt.Sprint(got) != "[item-a item-b item-c]" {
		t.Errorf("popped %v, want FIFO without duplicates", got)
	}
	if _, err := f.Pop(ctx, "q", 10*time.Millisecond); !errors.Is(err, ErrDone) {
		t.Errorf("empty frontier: err = %v, want ErrDone", err)
	}
}

// TestFrontierLeaseExpires: a process that takes an item and dies (never
// renews, never calls Done) loses it to the others.
func TestFrontierLeaseExpires(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	dead := begun(t, NewFrontier(client(t, addr), "t2", []string{"q"}, FrontierOptions{Lease: 150 * time.Millisecond}))
	alive := begun(t, NewFrontier(client(t, addr), "t2", []string{"q"}, FrontierOptions{Lease: 150 * time.Millisecond}))
	if _, err := dead.Push(ctx, "q", "u", "u", false); err != nil {
		t.Fatal(err)
	}
	if it, err := dead.Pop(ctx, "q", 0); err != nil || it != "u" {
		t.Fatalf("pop: %q %v", it, err)
	}
	// alive waits while the lease is held, then gets the item back.
	it, err := alive.Pop(ctx, "q", 20*time.Millisecond)
	if err != nil || it != "u" {
		t.Fatalf("after lease expiry: %q %v", it, err)
	}
	st, _ := alive.Stats(ctx)
	if st.Requeued != 1 {
		t.Errorf("requeued = %d, want 1", st.Requeued)
	}
	alive.Done(ctx, "q", it)
	if _, err := alive.Pop(ctx, "q", 10*time.Millisecond); !errors.Is(err, ErrDone) {
		t.Errorf("err = %v, want ErrDone", err)
	}
}

func TestFrontierHoldKeepsLease(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	a := begun(t, NewFrontier(client(t, addr), "t3", []string{"q"}, FrontierOptions{Lease: 150 * time.Millisecond}))
	b := begun(t, NewFrontier(client(t, addr), "t3", []string{"q"}, FrontierOptions{Lease: 150 * time.Millisecond}))
	a.Push(ctx, "q", "u", "u", false)
	it, _ := a.Pop(ctx, "q", 0)
	stop := a.Hold(ctx, "q", it)
	pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	_, err := b.Pop(pctx, "q", 20*time.Millisecond)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("another process got a held item: err = %v", err)
	}
	stop()
	a.Done(ctx, "q", it)
}

// TestFrontierSharedByProcesses: three clients drain one frontier; every
// item is taken exactly once.
func TestFrontierSharedByProcesses(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	const n = 600
	seed := begun(t, NewFrontier(client(t, addr), "t4", []string{"q"}, FrontierOptions{Lease: time.Minute}))
	for i := range n {
		seed.Push(ctx, "q", strconv.Itoa(i), strconv.Itoa(i), false)
	}
	var mu sync.Mutex
	count := map[string]int{}
	var wg sync.WaitGroup
	for range 3 {
		f := begun(t, NewFrontier(client(t, addr), "t4", []string{"q"}, FrontierOptions{Lease: time.Minute}))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				it, err := f.Pop(ctx, "q", 10*time.Millisecond)
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
				f.Done(ctx, "q", it)
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

// TestLimiterAcrossProcesses: three clients share one host's limit of
// one request at a time, delay apart. Each grant's start is read as the
// limiter recorded it on Redis's clock (the host's next allowed start,
// delay after it), while the grant's slot is held, when no other grant
// can be made; so the test asserts the limiter's guarantee itself,
// consecutive starts at least delay apart and one slot held at a time,
// with no wall clock the machine's load could delay.
// BenchmarkLimiterAcrossProcesses measures the spacing clients see.
func TestLimiterAcrossProcesses(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	const delay = 30 * time.Millisecond
	var (
		mu     sync.Mutex
		starts []int64 // unix ms on Redis's clock
	)
	var wg sync.WaitGroup
	for range 3 {
		l := NewLimiter(client(t, addr), "t5", delay, 1, time.Minute)
		slots, next := l.keys("example.test")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 4 {
				release, err := l.Acquire(ctx, "example.test")
				if err != nil {
					t.Error(err)
					return
				}
				at, err := l.c.rdb.Get(ctx, next).Int64()
				held, err2 := l.c.rdb.ZCard(ctx, slots).Result()
				release()
				if err := errors.Join(err, err2); err != nil {
					t.Error(err)
					return
				}
				if held != 1 {
					t.Errorf("%d slots held during a grant, the limit is 1", held)
				}
				mu.Lock()
				starts = append(starts, at-delay.Milliseconds())
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(starts) != 12 {
		t.Fatalf("%d grants, want 12", len(starts))
	}
	slices.Sort(starts)
	for i := 1; i < len(starts); i++ {
		if gap := starts[i] - starts[i-1]; gap < delay.Milliseconds() {
			t.Errorf("grants %d and %d started %d ms apart on Redis's clock, want ≥ %d", i-1, i, gap, delay.Milliseconds())
		}
	}
}

// BenchmarkLimiterAcrossProcesses: three clients take turns at one host
// with a 10 ms delay; it reports the shortest and the mean gap between
// grants as the clients see them, delivery delays included (CI once saw
// 56.5 ms for a 60 ms delay on a loaded machine).
func BenchmarkLimiterAcrossProcesses(b *testing.B) {
	addr := testredis.Start(b)
	ctx := context.Background()
	const delay = 10 * time.Millisecond
	var (
		mu     sync.Mutex
		starts []time.Time
		wg     sync.WaitGroup
		left   atomic.Int64
	)
	left.Store(int64(b.N))
	b.ResetTimer()
	for range 3 {
		c := Dial(addr, ConnOptions{})
		defer c.Close()
		l := NewLimiter(c, "b", delay, 1, time.Minute)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				release, err := l.Acquire(ctx, "example.test")
				if err != nil {
					b.Error(err)
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
	if len(starts) < 2 {
		return
	}
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	shortest := time.Duration(1 << 62)
	for i := 1; i < len(starts); i++ {
		shortest = min(shortest, starts[i].Sub(starts[i-1]))
	}
	mean := starts[len(starts)-1].Sub(starts[0]) / time.Duration(len(starts)-1)
	b.ReportMetric(float64(shortest)/1e6, "ms-shortest-gap")
	b.ReportMetric(float64(mean)/1e6, "ms-mean-gap")
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
	if _, err := a.URLState("https://x/1"); !errors.Is(err, model.ErrNotFound) {
		t.Fatalf("missing state: err = %v, want model.ErrNotFound", err)
	}
	st := &model.URLState{URL: "https://x/1", ETag: `"abc"`}
	if err := a.PutURLState(st); err != nil {
		t.Fatal(err)
	}
	got, err := b.URLState("https://x/1")
	if err != nil || got.ETag != `"abc"` {
		t.Fatalf("shared state: %+v %v", got, err)
	}
}

// TestFrontierQueuesEndTogether: a worker of an empty queue waits while
// another queue still has work (which may feed it), and the crawl ends
// only when every queue is empty and no lease is held.
func TestFrontierQueuesEndTogether(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	f := NewFrontier(client(t, addr), "t9", []string{"a", "b"}, FrontierOptions{Lease: time.Minute})
	if fresh, err := f.Begin(ctx); err != nil || !fresh {
		t.Fatalf("begin: %v %v", fresh, err)
	}
	f.Push(ctx, "a", "a1", "a1", true)
	it, err := f.Pop(ctx, "a", 0)
	if err != nil || it != "a1" {
		t.Fatalf("pop a: %q %v", it, err)
	}
	got := make(chan string, 1)
	go func() {
		it, err := f.Pop(ctx, "b", 10*time.Millisecond)
		if err != nil {
			it = err.Error()
		}
		got <- it
	}()
	time.Sleep(50 * time.Millisecond)
	// The holder of a1 discovers b1, then finishes.
	f.Push(ctx, "b", "b1", "b1", false)
	f.Done(ctx, "a", it)
	if b := <-got; b != "b1" {
		t.Fatalf("queue b got %q, want b1", b)
	}
	if ok, _ := f.Confirmed(ctx, "a1"); !ok {
		t.Error("a1 pushed as confirmed is not")
	}
	f.Done(ctx, "b", "b1")
	if _, err := f.Pop(ctx, "a", 10*time.Millisecond); !errors.Is(err, ErrDone) {
		t.Errorf("err = %v, want ErrDone", err)
	}
	// A new run forgets what the last one saw.
	if fresh, _ := f.Begin(ctx); !fresh {
		t.Error("Begin after a finished run did not start a new one")
	}
	if added, _ := f.Push(ctx, "a", "a1", "a1", false); !added {
		t.Error("a new run refused a URL of the previous run")
	}
	if fresh, _ := f.Begin(ctx); fresh {
		t.Error("Begin with work queued started a new run")
	}
}

func TestLimiterPause(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	a := NewLimiter(client(t, addr), "t10", 0, 4, time.Minute)
	b := NewLimiter(client(t, addr), "t10", 0, 4, time.Minute)
	until := time.Now().Add(300 * time.Millisecond)
	if err := a.PauseUntil(ctx, "h", until); err != nil {
		t.Fatal(err)
	}
	release, err := b.Acquire(ctx, "h")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	// The grant's start as the limiter recorded it on Redis's clock (its
	// next allowed start, zero delay after it), read while the slot is
	// held: no wall clock of the test's to disagree with Redis's.
	_, next := b.keys("h")
	at, err := b.c.rdb.Get(ctx, next).Int64()
	if err != nil {
		t.Fatal(err)
	}
	if early := until.UnixMilli() - at; early > 0 {
		t.Errorf("granted %d ms before the pause ended", early)
	}
}

// conn is a Conn to srv with the given outage limit.
func conn(t *testing.T, srv *testredis.Server, limit time.Duration) *Conn {
	c := Dial(srv.Addr, ConnOptions{OutageLimit: limit, Hint: "rerun to resume"})
	t.Cleanup(func() { c.Close() })
	return c
}

// TestOutageRiddenOut: redis-server is killed and restarted with its data
// while a pop waits; the pop gets its item once Redis is back, and a
// lease shorter than the outage is still its holder's (the outage does
// not count against leases).
func TestOutageRiddenOut(t *testing.T) {
	srv := testredis.New(t, true)
	ctx := context.Background()
	opts := FrontierOptions{Lease: time.Second}
	a := begun(t, NewFrontier(conn(t, srv, time.Minute), "o1", []string{"q"}, opts))
	b := begun(t, NewFrontier(conn(t, srv, time.Minute), "o1", []string{"q"}, opts))
	for _, k := range []string{"held", "next"} {
		if _, err := a.Push(ctx, "q", k, k, false); err != nil {
			t.Fatal(err)
		}
	}
	if it, err := a.Pop(ctx, "q", 10*time.Millisecond); err != nil || it != "held" {
		t.Fatalf("pop: %q %v", it, err)
	}
	srv.Kill()
	go func() {
		time.Sleep(2 * time.Second)
		srv.Restart(false)
	}()
	it, err := b.Pop(ctx, "q", 10*time.Millisecond)
	if err != nil || it != "next" {
		t.Fatalf("pop across the outage: %q %v, want next", it, err)
	}
	if n := b.c.Outages(); n != 1 {
		t.Errorf("outages = %d, want 1", n)
	}
	if ok, err := a.Renew(ctx, "q", "held"); err != nil || !ok {
		t.Errorf("a lease of 1 s lost to an outage of 2 s: renew = %v %v", ok, err)
	}
}

// TestOutageLimit: beyond the limit a call fails with an OutageError that
// says what to do.
func TestOutageLimit(t *testing.T) {
	srv := testredis.New(t, false)
	f := begun(t, NewFrontier(conn(t, srv, 300*time.Millisecond), "o2", []string{"q"}, FrontierOptions{}))
	srv.Kill()
	_, err := f.Pop(context.Background(), "q", 10*time.Millisecond)
	var oe *OutageError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v, want an OutageError", err)
	}
	if !strings.Contains(err.Error(), "rerun to resume") || oe.For < 300*time.Millisecond {
		t.Errorf("err = %v", err)
	}
}

// TestLostStateRejoined: Redis comes back empty. Every process finds its
// run gone; the first to begin again starts a new one, the others join
// it; stored markers are seeded again from each process's store, and one
// that another store already holds is counted as a clash.
func TestLostStateRejoined(t *testing.T) {
	srv := testredis.New(t, false)
	ctx := context.Background()
	a := begun(t, NewFrontier(conn(t, srv, time.Minute), "o3", []string{"q"}, FrontierOptions{Member: "a"}))
	b := begun(t, NewFrontier(conn(t, srv, time.Minute), "o3", []string{"q"}, FrontierOptions{Member: "b"}))
	if _, err := a.Push(ctx, "q", "u1", "u1", false); err != nil {
		t.Fatal(err)
	}
	if it, err := b.Pop(ctx, "q", 10*time.Millisecond); err != nil || it != "u1" {
		t.Fatalf("pop: %q %v", it, err)
	}
	srv.Restart(true)
	if _, err := a.Push(ctx, "q", "u2", "u2", false); !errors.Is(err, ErrLost) {
		t.Errorf("push after the loss: err = %v, want ErrLost", err)
	}
	if err := b.Check(ctx); !errors.Is(err, ErrLost) {
		t.Errorf("check after the loss: err = %v, want ErrLost", err)
	}
	if fresh, err := a.Begin(ctx); err != nil || !fresh {
		t.Fatalf("a begins again: fresh %v, %v", fresh, err)
	}
	if fresh, err := b.Begin(ctx); err != nil || fresh {
		t.Fatalf("b joins: fresh %v, %v", fresh, err)
	}
	if c, _, err := a.Seed(ctx, slices.Values([]string{"x", "y"}), nil); err != nil || c != 0 {
		t.Fatalf("seed a: %d %v", c, err)
	}
	// b held u1 through the loss: it enters it into the new run, so that
	// a rediscovery of u1 does not queue it again.
	if c, ceded, err := b.Seed(ctx, slices.Values([]string{"y", "z"}), []Held{{Queue: "q", Key: "u1", Item: "u1"}}); err != nil || c != 1 || len(ceded) != 0 {
		t.Fatalf("seed b: %d clashes, ceded %v, %v; want 1 (y), none", c, ceded, err)
	}
	for u, want := range map[string]string{"x": "a", "y": "a", "z": "b", "w": ""} {
		if got, _ := a.Owner(ctx, u); got != want {
			t.Errorf("owner of %s = %q, want %q", u, got, want)
		}
	}
	if added, _ := a.Push(ctx, "q", "u1", "u1", false); added {
		t.Error("an item held through the loss was queued again")
	}
	if err := b.Done(ctx, "q", "u1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pop(ctx, "q", 10*time.Millisecond); !errors.Is(err, ErrDone) {
		t.Errorf("err = %v, want ErrDone", err)
	}
}

// TestLostStateRoster: the process that begins a run after a loss holds
// every pop until each process present before it has re-seeded (one that
// noticed the loss late would otherwise re-seed after discovery had
// restarted), and for one that never comes back, no longer than a lease.
func TestLostStateRoster(t *testing.T) {
	srv := testredis.New(t, false)
	ctx := context.Background()
	join := func(prefix string, lease time.Duration) map[string]*Frontier {
		fs := map[string]*Frontier{}
		for _, m := range []string{"a", "b", "c"} {
			fs[m] = begun(t, NewFrontier(conn(t, srv, time.Minute), prefix, []string{"q"}, FrontierOptions{Member: m, Lease: lease}))
		}
		for _, m := range []string{"a", "b", "c", "a"} { // a checks last: it sees b and c
			if err := fs[m].Check(ctx); err != nil {
				t.Fatal(err)
			}
		}
		return fs
	}
	// restart loses the state; a begins the new run, re-seeds and queues s.
	restart := func(a *Frontier) {
		srv.Restart(true)
		if err := a.Check(ctx); !errors.Is(err, ErrLost) {
			t.Fatalf("check after the loss: %v", err)
		}
		if fresh, err := a.Begin(ctx); err != nil || !fresh {
			t.Fatalf("a begins: %v %v", fresh, err)
		}
		if _, _, err := a.Seed(ctx, slices.Values([]string{}), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Push(ctx, "q", "s", "s", true); err != nil {
			t.Fatal(err)
		}
	}
	waiting := func(f *Frontier, when string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		if it, err := f.Pop(c, "q", 10*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: pop = %q, %v; want it to wait", when, it, err)
		}
	}
	popped := func(f *Frontier, when string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if it, err := f.Pop(c, "q", 10*time.Millisecond); err != nil || it != "s" {
			t.Errorf("%s: pop = %q, %v; want s", when, it, err)
		}
	}

	t.Run("every process re-seeds", func(t *testing.T) {
		fs := join("r1", time.Minute) // the lease is far beyond the test's wait
		restart(fs["a"])
		waiting(fs["a"], "b and c not back")
		for _, m := range []string{"b", "c"} {
			if fresh, err := fs[m].Begin(ctx); err != nil || fresh {
				t.Fatalf("%s joins: %v %v", m, fresh, err)
			}
			if m == "b" {
				waiting(fs["a"], "c not back")
			}
			if _, _, err := fs[m].Seed(ctx, slices.Values([]string{m + "-stored"}), nil); err != nil {
				t.Fatal(err)
			}
		}
		popped(fs["a"], "all re-seeded")
	})
	t.Run("the others left cleanly", func(t *testing.T) {
		fs := join("r3", time.Minute)
		for _, m := range []string{"b", "c"} {
			if err := fs[m].Leave(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if err := fs["a"].Check(ctx); err != nil { // the roster a keeps
			t.Fatal(err)
		}
		restart(fs["a"])
		popped(fs["a"], "nobody to wait for") // within 30 s: not a lease
	})
	t.Run("one never comes back", func(t *testing.T) {
		fs := join("r2", time.Second)
		restart(fs["a"])
		popped(fs["a"], "after a lease") // b and c are gone for good
	})
}

// TestRejoinAfterRediscovery: a process that rejoins late, after another
// rediscovered its held items, takes one still queued back out of the
// queue (no second fetch), also when it was queued in another form (the
// same key's prefix: another source named it), and cedes one already
// popped (no second copy).
func TestRejoinAfterRediscovery(t *testing.T) {
	srv := testredis.New(t, false)
	ctx := context.Background()
	opts := func(m string) FrontierOptions { return FrontierOptions{Member: m, Lease: time.Minute} }
	a := begun(t, NewFrontier(conn(t, srv, time.Minute), "r3", []string{"q"}, opts("a")))
	b := begun(t, NewFrontier(conn(t, srv, time.Minute), "r3", []string{"q"}, opts("b")))
	held := []Held{{Queue: "q", Key: "u1", Item: "u1|listing", Prefix: "u1|"}, {Queue: "q", Key: "u2", Item: "u2|listing", Prefix: "u2|"},
		{Queue: "q", Key: "u3", Item: "u3|listing", Prefix: "u3|"}}
	for _, h := range held {
		if _, err := a.Push(ctx, "q", h.Key, h.Item, false); err != nil {
			t.Fatal(err)
		}
		if it, err := a.Pop(ctx, "q", 10*time.Millisecond); err != nil || it != h.Item {
			t.Fatalf("a pops %q %v", it, err)
		}
	}
	srv.Restart(true)
	if fresh, err := b.Begin(ctx); err != nil || !fresh {
		t.Fatalf("b begins: %v %v", fresh, err)
	}
	// b rediscovers all three, u3 through a sitemap, and fetches u1.
	for _, it := range []string{"u1|listing", "u2|listing", "u3|sitemap"} {
		if _, err := b.Push(ctx, "q", it[:2], it, false); err != nil {
			t.Fatal(err)
		}
	}
	if it, err := b.Pop(ctx, "q", 10*time.Millisecond); err != nil || it != "u1|listing" {
		t.Fatalf("b pops %q %v", it, err)
	}
	if _, err := a.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	_, ceded, err := a.Seed(ctx, slices.Values([]string{}), held)
	if err != nil || len(ceded) != 1 || ceded[0].Item != "u1|listing" {
		t.Fatalf("a rejoins: ceded %v, %v; want u1", ceded, err)
	}
	if st, _ := a.Stats(ctx); st.Queued != 0 || st.Leased != 3 {
		t.Errorf("stats %+v, want nothing queued, u1, u2 and u3 leased", st)
	}
	for _, c := range []struct {
		f    *Frontier
		item string
		want bool
	}{{a, "u1|listing", false}, {b, "u1|listing", true}, {a, "u2|listing", true}, {a, "u3|listing", true}} {
		if ok, err := c.f.Claim(ctx, "q", c.item, c.item[:2]); err != nil || ok != c.want {
			t.Errorf("%s claims %s: %v %v, want %v", c.f.Member(), c.item, ok, err, c.want)
		}
	}
}

// TestStateStored: the local store is the truth for what this process
// holds, the stored markers for what others hold; a marker of this
// process's own without the document (its directory was emptied) does
// not count. Recording a held document marks it as this process's.
func TestStateStored(t *testing.T) {
	srv := testredis.New(t, false)
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "store.db"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := conn(t, srv, time.Minute)
	me := begun(t, NewFrontier(c, "s1", []string{"q"}, FrontierOptions{Member: "me"}))
	other := begun(t, NewFrontier(c, "s1", []string{"q"}, FrontierOptions{Member: "other"}))
	s := NewState(st, NewURLStates(c, "s1"), me)

	pub := time.Date(2025, 10, 15, 1, 30, 0, 0, time.UTC)
	mine := &model.Document{URL: "https://x/mine", Site: model.SiteBaoLamDong, Title: "t", Body: []string{"b"}, Published: pub}
	if _, err := st.Put(mine); err != nil {
		t.Fatal(err)
	}
	if err := s.PutURLState(&model.URLState{URL: mine.URL, Outcome: model.OutcomeStored}); err != nil {
		t.Fatal(err)
	}
	if owner, _ := other.Owner(ctx, mine.URL); owner != "me" {
		t.Errorf("owner of a stored document = %q, want me", owner)
	}
	if _, _, err := other.Seed(ctx, slices.Values([]string{"https://x/theirs"}), nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := me.Seed(ctx, slices.Values([]string{"https://x/gone"}), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url  string
		held bool
		pub  time.Time
	}{
		{mine.URL, true, pub},
		{"https://x/theirs", true, time.Time{}},
		{"https://x/gone", false, time.Time{}},
		{"https://x/new", false, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			p, ok := s.Stored(tt.url)
			if ok != tt.held || !p.Equal(tt.pub) {
				t.Errorf("Stored = %v, %v; want %v, %v", p, ok, tt.pub, tt.held)
			}
		})
	}
	// A 404 is no document: no marker.
	if err := s.PutURLState(&model.URLState{URL: "https://x/404", Outcome: model.OutcomeNotFound}); err != nil {
		t.Fatal(err)
	}
	if owner, _ := me.Owner(ctx, "https://x/404"); owner != "" {
		t.Errorf("a 404 marked as held by %q", owner)
	}
}

// TestClaim: a process may store what it fetched only while it holds the
// item's lease and no other process holds the document.
func TestClaim(t *testing.T) {
	srv := testredis.New(t, false)
	ctx := context.Background()
	opts := func(m string) FrontierOptions { return FrontierOptions{Member: m, Lease: 200 * time.Millisecond} }
	a := begun(t, NewFrontier(conn(t, srv, time.Minute), "c1", []string{"q"}, opts("a")))
	b := begun(t, NewFrontier(conn(t, srv, time.Minute), "c1", []string{"q"}, opts("b")))
	for _, u := range []string{"u1", "u2"} {
		if _, err := a.Push(ctx, "q", u, u, false); err != nil {
			t.Fatal(err)
		}
	}
	u1, _ := a.Pop(ctx, "q", 10*time.Millisecond)
	if ok, err := a.Claim(ctx, "q", u1, u1); err != nil || !ok {
		t.Errorf("claim of a held lease: %v %v", ok, err)
	}
	// b stored u2 meanwhile (its marker), a fetched it all the same.
	u2, _ := a.Pop(ctx, "q", 10*time.Millisecond)
	if _, _, err := b.Seed(ctx, slices.Values([]string{u2}), nil); err != nil {
		t.Fatal(err)
	}
	if ok, _ := a.Claim(ctx, "q", u2, u2); ok {
		t.Error("claimed a document another process holds")
	}
	if err := a.Done(ctx, "q", u2); err != nil {
		t.Fatal(err)
	}
	// a stalls past its lease on u1; b takes it over.
	time.Sleep(300 * time.Millisecond)
	if it, err := b.Pop(ctx, "q", 10*time.Millisecond); err != nil || it != u1 {
		t.Fatalf("b pops %q %v, want u1 back", it, err)
	}
	if ok, _ := a.Claim(ctx, "q", u1, u1); ok {
		t.Error("a stalled process claimed a lease another took over")
	}
	if ok, _ := b.Claim(ctx, "q", u1, u1); !ok {
		t.Error("the new holder may not claim")
	}
}

// TestSitemapDates: the processes of a run share the extent of the
// translation sitemaps, widened by each; a new run starts without it.
func TestSitemapDates(t *testing.T) {
	addr := startRedis(t)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 11, d, 8, 0, 0, 0, time.UTC) }
	a := begun(t, NewFrontier(client(t, addr), "sd", []string{"q"}, FrontierOptions{}))
	b := begun(t, NewFrontier(client(t, addr), "sd", []string{"q"}, FrontierOptions{}))
	if from, to, err := b.SitemapDates(ctx); err != nil || !from.IsZero() || !to.IsZero() {
		t.Fatalf("before any: %v %v %v", from, to, err)
	}
	for _, c := range []struct {
		f        *Frontier
		from, to int
	}{{a, 3, 5}, {b, 1, 4}, {a, 2, 9}} {
		if err := c.f.ShareSitemapDates(ctx, day(c.from), day(c.to)); err != nil {
			t.Fatal(err)
		}
	}
	if from, to, err := b.SitemapDates(ctx); err != nil || !from.Equal(day(1)) || !to.Equal(day(9)) {
		t.Errorf("extent %v – %v (%v), want day 1 – day 9", from, to, err)
	}
	// The run ends (every queue empty, nothing leased); the next starts
	// without the last one's extent.
	if _, err := a.Pop(ctx, "q", time.Millisecond); !errors.Is(err, ErrDone) {
		t.Fatalf("pop: %v, want the run over", err)
	}
	if fresh, err := a.Begin(ctx); err != nil || !fresh {
		t.Fatalf("begin: %v %v, want a new run", fresh, err)
	}
	if from, to, err := a.SitemapDates(ctx); err != nil || !from.IsZero() || !to.IsZero() {
		t.Errorf("new run: %v – %v (%v), want none", from, to, err)
	}
}
