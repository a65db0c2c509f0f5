package crawler

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
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
	again   []string            // items pushed again, in order
	pops    int
	cede    map[string]bool // keys Rejoin reports taken by another process
}

func newLossFrontier() *lossFrontier {
	return &lossFrontier{adopted: map[string]bool{}, claims: map[string][]bool{}, pushed: map[string]struct{}{},
		begun: make(chan struct{}), release: make(chan struct{})}
}

var errTestLost = fmt.Errorf("test: %w", ErrSharedStateLost)

func (f *lossFrontier) current() int { f.mu.Lock(); defer f.mu.Unlock(); return f.run }

func (f *lossFrontier) Begin(context.Context) (bool, error) { return true, nil }

func (f *lossFrontier) Rejoin(_ context.Context, held []SharedLease) (bool, []SharedLease, error) {
	f.mu.Lock()
	f.run = 1
	f.mu.Unlock()
	close(f.begun)
	<-f.release
	f.mu.Lock()
	defer f.mu.Unlock()
	var ceded []SharedLease
	for _, h := range held {
		if f.cede[h.Key] {
			ceded = append(ceded, h)
			continue
		}
		f.adopted[h.Item] = true
	}
	return false, ceded, nil
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

func (f *lossFrontier) PushAgain(_ context.Context, _, item string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.again = append(f.again, item)
	return nil
}

func (f *lossFrontier) Confirmed(context.Context, string) (bool, error)    { return true, nil }
func (f *lossFrontier) Hold(context.Context, string, string) (stop func()) { return func() {} }
func (f *lossFrontier) Done(context.Context, string, string) error         { return nil }
func (f *lossFrontier) Queued(context.Context) (int, error)                { return 0, nil }
func (f *lossFrontier) ShareSitemapDates(context.Context, time.Time, time.Time) error {
	return nil
}
func (f *lossFrontier) SitemapDates(context.Context) (time.Time, time.Time, error) {
	return time.Time{}, time.Time{}, nil
}

// Pop hands out a new item each time.
func (f *lossFrontier) Pop(context.Context, string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pops++
	return fmt.Sprintf(`{"u":"https://www.vietnam.vn/ar/x%d","k":%d,"s":"vietnamvn"}`, f.pops, KindTranslation), nil
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
	q := newSharedQueue(ctx, f, slog.New(slog.NewTextHandler(io.Discard, nil)), func(task, int) (task, bool) { return task{}, false }, nil)
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

// TestRedoAfterLoss: an item held through a loss is entered again once
// done (what it queued before the loss went with the old run, and the
// new run holds it as already seen); not an item done before the loss,
// nor one popped after the rejoin, nor one ceded to another process.
func TestRedoAfterLoss(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newLossFrontier()
	close(f.release)
	rejoined := 0
	q := newSharedQueue(ctx, f, slog.New(slog.NewTextHandler(io.Discard, nil)), func(task, int) (task, bool) { return task{}, false },
		func() { rejoined++ })
	before, _ := q.pop(ctx, "vietnamvn")
	q.done(before)
	held, _ := q.pop(ctx, "vietnamvn")
	taken, _ := q.pop(ctx, "vietnamvn")
	f.cede = map[string]bool{taken.url: true}
	if err := q.recover(); err != nil {
		t.Fatalf("recover: %v", err)
	}
	if rejoined != 1 {
		t.Errorf("the run was told of %d rejoins, want 1", rejoined)
	}
	after, _ := q.pop(ctx, "vietnamvn")
	q.done(after)
	q.done(taken)
	if len(f.again) != 0 {
		t.Fatalf("pushed again before the held item was done: %q", f.again)
	}
	q.done(held)
	if len(f.again) != 1 {
		t.Fatalf("pushed again: %q, want the held item once", f.again)
	}
	var w wireTask
	if err := json.Unmarshal([]byte(f.again[0]), &w); err != nil {
		t.Fatal(err)
	}
	if w.URL != held.url || w.Kind != held.kind || w.Redo != 1 || f.again[0] == held.lease {
		t.Errorf("pushed again %s; want %s marked as redone after loss 1, unlike the held item %s", f.again[0], held.url, held.lease)
	}
}

// TestWireTask: a task crosses a shared frontier with every field its
// processing reads. A field added to task fails this test until it is
// encoded or named here as staying behind.
func TestWireTask(t *testing.T) {
	stays := map[string]string{
		"attempt": "a candidates entry is expanded before it is pushed",
		"langs":   "a candidates entry is expanded before it is pushed",
		"pub":     "a candidates entry is expanded before it is pushed",
		"lease":   "the item itself",
	}
	in := task{url: "https://www.vietnam.vn/en/x", kind: KindTranslation, site: "vietnamvn", lang: "en",
		guessed: true, covered: true, src: SourceGuess, stale: 2, chain: []string{"https://www.vietnam.vn/en/y"}}
	item := encodeTask(in, 0, 0)
	for _, other := range []string{item, encodeTask(task{url: in.url, kind: KindTranslation}, 3, 1)} {
		if !strings.HasPrefix(other, itemPrefix(in.url)) {
			t.Errorf("item %s does not begin with its URL's prefix %s", other, itemPrefix(in.url))
		}
	}
	if longer := encodeTask(task{url: in.url + "z"}, 0, 0); strings.HasPrefix(longer, itemPrefix(in.url)) {
		t.Errorf("the item of a longer URL %s begins with %s", longer, itemPrefix(in.url))
	}
	out, err := decodeTask(item)
	if err != nil {
		t.Fatal(err)
	}
	if out.lease != item {
		t.Errorf("lease %q, want the item %q", out.lease, item)
	}
	out.lease = ""
	if !reflect.DeepEqual(out, in) {
		t.Errorf("decoded %+v, want %+v", out, in)
	}
	v := reflect.ValueOf(in)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if _, ok := stays[name]; !ok && v.Field(i).IsZero() {
			t.Errorf("task.%s is not set above: encode it in wireTask and set it here, or say in stays why it stays behind", name)
		}
	}
}
