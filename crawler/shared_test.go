package crawler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// lossFrontier is a SharedFrontier whose state is lost once: the item
// it handed out belongs to the old run until Rejoin enters it into the
// new one. Rejoin pauses between beginning the new run and entering the
// held items, where a real frontier runs its Seed scripts.
type lossFrontier struct {
	mu      sync.Mutex
	run     int                 // 0: the old run; 1: the new one
	adopted map[string]bool     // items entered into the new run
	claims  map[string][]bool   // what each claim of an item answered
	begun   chan struct{}       // closed once Rejoin began the new run
	release chan struct{}       // Rejoin enters the held items once closed
	pushed  map[string]struct{} // keys pushed in the current run
}

func newLossFrontier() *lossFrontier {
	return &lossFrontier{adopted: map[string]bool{}, claims: map[string][]bool{}, pushed: map[string]struct{}{},
		begun: make(chan struct{}), release: make(chan struct{})}
}

var errTestLost = fmt.Errorf("test: %w", ErrSharedStateLost)

func (f *lossFrontier) current() int { f.mu.Lock(); defer f.mu.Unlock(); return f.run }

func (f *lossFrontier) Begin(context.Context) (bool, error) { return true, nil }

func (f *lossFrontier) Rejoin(_ context.Context, held []SharedLease) (bool, error) {
	f.mu.Lock()
	f.run = 1
	f.mu.Unlock()
	close(f.begun)
	<-f.release
	f.mu.Lock()
	for _, h := range held {
		f.adopted[h.Item] = true
	}
	f.mu.Unlock()
	return false, nil
}

func (f *lossFrontier) Check(context.Context) error {
	if f.current() == 0 {
		return errTestLost
	}
	return nil
}

func (f *lossFrontier) Push(_ context.Context, _, key, _ string, _ bool) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, seen := f.pushed[key]
	f.pushed[key] = struct{}{}
	return !seen, nil
}

func (f *lossFrontier) PushAgain(context.Context, string, string) error    { return nil }
func (f *lossFrontier) Confirmed(context.Context, string) (bool, error)    { return true, nil }
func (f *lossFrontier) Hold(context.Context, string, string) (stop func()) { return func() {} }
func (f *lossFrontier) Done(context.Context, string, string) error         { return nil }
func (f *lossFrontier) Queued(context.Context) (int, error)                { return 0, nil }

func (f *lossFrontier) Pop(context.Context, string) (string, error) {
	return `{"u":"https://www.vietnam.vn/ar/x","k":1,"s":"vietnamvn"}`, nil
}

// Claim answers as a real frontier does: in the new run, only for an
// item entered into it; in the old one, the state is lost.
func (f *lossFrontier) Claim(_ context.Context, _, item, _ string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.run == 0 {
		return false, errTestLost
	}
	ok := f.adopted[item]
	f.claims[item] = append(f.claims[item], ok)
	return ok, nil
}

// TestClaimWaitsForRejoin: a worker whose page was fetched while the
// shared state was lost claims it only once Rejoin has entered its item
// into the new run. Claimed in between (the new run begun, the item not
// yet in it) the frontier would say another process took the item, and
// the page would be stored nowhere: the flake of
// e2e TestSharedCrawlRedisRestart/empty, 1 run in about 15 under load.
func TestClaimWaitsForRejoin(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newLossFrontier()
	q := newSharedQueue(ctx, f, slog.New(slog.NewTextHandler(io.Discard, nil)), func(task, int) (task, bool) { return task{}, false })
	tk, ok := q.pop(ctx, "vietnamvn")
	if !ok {
		t.Fatal("pop: nothing")
	}
	recovered := make(chan error, 1)
	go func() { recovered <- q.recover() }()
	<-f.begun
	claimed := make(chan bool, 1)
	go func() { ok, _ := q.claim(ctx, tk); claimed <- ok }()
	// Long enough for an ungated claim to reach the frontier; a gated
	// one waits however long this is.
	time.Sleep(50 * time.Millisecond)
	close(f.release)
	if err := <-recovered; err != nil {
		t.Fatalf("recover: %v", err)
	}
	if ok := <-claimed; !ok {
		t.Errorf("claim of a held item refused; the frontier's answers: %v", f.claims[tk.lease])
	}
	q.done(tk)
}
