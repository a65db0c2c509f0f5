package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// SharedFrontier is a frontier several crawl processes share, so that
// they work as one crawl: each URL is queued once for all of them, and a
// URL taken by a process that dies returns to the queue. Package
// redisstate implements it on Redis; the crawler knows only this.
type SharedFrontier interface {
	// Begin joins the run in progress or starts a new one.
	Begin(ctx context.Context) (fresh bool, err error)
	// Rejoin joins or starts a run after the shared state was lost (an
	// operation failed with ErrSharedStateLost), entering held, the items
	// this process holds, into it; ceded are those another process took
	// in the new run before this one rejoined (this one's claims of
	// them fail).
	Rejoin(ctx context.Context, held []SharedLease) (fresh bool, ceded []SharedLease, err error)
	// Check returns ErrSharedStateLost when the run is gone; each process
	// calls it every CheckInterval, so that it notices a lost state while
	// its workers are all busy fetching.
	Check(ctx context.Context) error
	// Push queues item on the site's queue unless key was pushed in this
	// run; confirmed records that the site itself named the URL.
	Push(ctx context.Context, queue, key, item string, confirmed bool) (bool, error)
	// PushAgain queues item even if its key was seen.
	PushAgain(ctx context.Context, queue, item string) error
	// Confirmed reports whether key was pushed as confirmed.
	Confirmed(ctx context.Context, key string) (bool, error)
	// Pop leases the next item of queue, waiting while other processes
	// may still add work; ErrFrontierDone when the crawl is over.
	// Operations wait out an outage of the shared state up to a limit of
	// the implementation's; ErrSharedStateLost when it came back empty.
	Pop(ctx context.Context, queue string) (string, error)
	// Hold keeps the lease of item alive until stop is called.
	Hold(ctx context.Context, queue, item string) (stop func())
	// Done releases the lease of a finished item.
	Done(ctx context.Context, queue, item string) error
	// Claim says whether this process may store the document of key,
	// fetched for item: false when another process holds it, or took
	// the item's lease over.
	Claim(ctx context.Context, queue, item, key string) (bool, error)
	// Queued is the number of items waiting in every queue.
	Queued(ctx context.Context) (int, error)
	SitemapDates
}

// SitemapDates is the extent of vietnam.vn's translation sitemaps (the
// oldest and newest dates they cover) known to every process of a
// shared run: it says which originals need no guess, whichever process
// read the sitemaps.
type SitemapDates interface {
	// ShareSitemapDates widens the run's extent to take in [from, to].
	ShareSitemapDates(ctx context.Context, from, to time.Time) error
	// SitemapDates reads it; zero times when no process has read any.
	SitemapDates(ctx context.Context) (from, to time.Time, err error)
}

// SharedLimiter enforces each host's politeness across processes.
type SharedLimiter interface {
	Acquire(ctx context.Context, host string) (release func(), err error)
	PauseUntil(ctx context.Context, host string, t time.Time) error
}

// SharedLease is an item a process holds in a shared frontier.
type SharedLease struct {
	Queue, Key, Item string
	// Prefix begins every item of Key, whatever else each one carries
	// (what named the URL, a stale count): an item rediscovered for the
	// same URL in another form is found by it.
	Prefix string
}

// ErrFrontierDone is returned by SharedFrontier.Pop when no work is left
// anywhere.
var ErrFrontierDone = errors.New("crawler: shared frontier exhausted")

// ErrSharedStateLost is returned (wrapped) by a SharedFrontier whose run
// is gone: its store came back empty. The run is then joined again: the
// seeds pushed again (discovery restarts; what a process's store holds
// is not fetched again), and held items entered into the new run.
var ErrSharedStateLost = errors.New("crawler: shared crawl state lost")

// CheckInterval is how often a process of a shared crawl checks that its
// run is still there.
const CheckInterval = time.Second

// taskQueue is what a run needs of its frontier: the in-memory frontier
// of one process, or sharedQueue over a SharedFrontier.
type taskQueue interface {
	push(t task)
	pushAgain(t task)
	confirmed(u string) bool
	remembered(u string)
	unremember(u string) bool
	pop(ctx context.Context, site string) (task, bool)
	done(t task)
	size() (queued, inflight int)
}

// wireTask is a task as stored in a shared frontier.
// Every field a task's processing reads crosses: the source counts the
// stored documents, covered the guess rates, stale ends a listing's
// pagination (without it a shared crawl followed a crawler trap to the
// listing budget).
type wireTask struct {
	URL     string   `json:"u"`
	Kind    Kind     `json:"k"`
	Site    string   `json:"s"`
	Lang    string   `json:"l,omitempty"`
	Guessed bool     `json:"g,omitempty"`
	Covered bool     `json:"v,omitempty"`
	Src     Source   `json:"o,omitempty"`
	Stale   uint8    `json:"t,omitempty"`
	Chain   []string `json:"c,omitempty"`
	// Seq makes a PushAgain item differ from the first push of the same
	// URL: a lease set holds each item once.
	Seq int `json:"n,omitempty"`
	// Redo marks an item entered again after the loss it was held
	// through (see sharedQueue.recover); it counts the losses, so that the
	// item differs from the one held.
	Redo int `json:"r,omitempty"`
}

// sharedQueue adapts a SharedFrontier to a run. Candidates are expanded
// when pushed (the queue lives in Redis, not in this process's memory).
// The first error from the shared frontier stops the run and is returned
// by Run: a crawl that cannot reach its queue must not look finished.
// A lost shared state is not an error: the queue rejoins (see recover).
type sharedQueue struct {
	ctx    context.Context
	sf     SharedFrontier
	log    *slog.Logger
	expand func(task, int) (task, bool)
	// rejoined, when set, is called once the queue rejoined after a loss:
	// the run forgets what is per run (see run.forgetListed).
	rejoined func()

	mu       sync.Mutex
	rememb   map[string]bool
	holds    map[string]hold // by lease item
	seeds    []task          // what Run pushed before the first pop
	popped   bool
	over     bool // a pop found the crawl over
	losses   int  // rejoins after a lost state so far
	err      error
	inflight atomic.Int64
	// gate keeps the frontier's operations out of a recovery: each runs
	// under a read lock, recover under the write lock. Without it a
	// worker's claim could reach the new run after Rejoin began it and
	// before Rejoin entered the worker's item, find the item leased to
	// nobody and drop a page no one else would fetch; or its Done could
	// release a lease Rejoin then re-creates for a finished item.
	gate sync.RWMutex
}

// hold is an item this process works on.
type hold struct {
	stop  func()
	lease SharedLease
	// redo: the item was held through a loss (see recover); once done it
	// is entered again, so that the new run redoes what it queued.
	redo int
}

func newSharedQueue(ctx context.Context, sf SharedFrontier, log *slog.Logger, expand func(task, int) (task, bool), rejoined func()) *sharedQueue {
	q := &sharedQueue{ctx: ctx, sf: sf, log: log, expand: expand, rejoined: rejoined, rememb: map[string]bool{}, holds: map[string]hold{}}
	go q.watch()
	return q
}

// watch checks every CheckInterval that the run is still in the shared
// state, until the run ends.
func (q *sharedQueue) watch() {
	t := time.NewTicker(CheckInterval)
	defer t.Stop()
	for {
		select {
		case <-q.ctx.Done():
			return
		case <-t.C:
		}
		q.mu.Lock()
		stop := q.over || q.err != nil
		q.mu.Unlock()
		if stop {
			return
		}
		if err := q.sf.Check(q.ctx); err != nil {
			q.lost(err)
		}
	}
}

// lost handles err from the shared frontier: a lost state is recovered
// from (true: try again), anything else stops the run.
func (q *sharedQueue) lost(err error) (retry bool) {
	if errors.Is(err, ErrSharedStateLost) {
		if err = q.recover(); err == nil {
			return true
		}
	}
	q.fail(err)
	return false
}

// recover rejoins after the shared state was lost: Rejoin enters the
// items this process holds (their leases vanished with the state), and a
// fresh run gets the seeds again, from which discovery finds the rest.
// What any process's store holds is not fetched again: each re-seeds its
// stored markers (see Config.Stored).
//
// A held item goes on in the new run, but what it queued before the loss
// was lost with the old run, and the new run will not queue the item
// again (it is in the run already, as held). So once done it is entered
// again (see done): a sitemap is read again, a stored original queues
// its translations again, as for what was done before the loss.
// Without it a sitemap's entries queued before the loss were never
// queued in the new run, and their pages never fetched. An item ceded
// to another process is not: that process does all of it, and a second
// item for the same page could have it fetched and stored twice.
func (q *sharedQueue) recover() error {
	q.gate.Lock()
	defer q.gate.Unlock()
	err := q.sf.Check(q.ctx)
	if !errors.Is(err, ErrSharedStateLost) {
		return err // nil: another goroutine recovered already
	}
	q.mu.Lock()
	held := make([]SharedLease, 0, len(q.holds))
	for _, h := range q.holds {
		held = append(held, h.lease)
	}
	seeds := q.seeds
	q.mu.Unlock()
	for _, h := range held {
		q.log.Debug("rejoining with", "url", h.Key)
	}
	fresh, ceded, err := q.sf.Rejoin(q.ctx, held)
	if err != nil {
		return err
	}
	q.mu.Lock()
	q.losses++
	for item, h := range q.holds {
		if !slices.Contains(ceded, h.lease) {
			h.redo = q.losses
			q.holds[item] = h
		}
	}
	q.mu.Unlock()
	if q.rejoined != nil {
		q.rejoined()
	}
	if fresh {
		for _, t := range seeds {
			if _, err := q.sf.Push(q.ctx, t.site, t.url, encodeTask(t, 0, 0), !t.guessed); err != nil {
				return err
			}
		}
	}
	return nil
}

func (q *sharedQueue) fail(err error) {
	q.mu.Lock()
	if q.err == nil && !errors.Is(err, context.Canceled) {
		q.err = err
	}
	q.mu.Unlock()
}

func (q *sharedQueue) failed() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

func encodeTask(t task, seq, redo int) string {
	b, _ := json.Marshal(wireTask{URL: t.url, Kind: t.kind, Site: t.site, Lang: t.lang, Guessed: t.guessed,
		Covered: t.covered, Src: t.src, Stale: t.stale, Chain: t.chain, Seq: seq, Redo: redo})
	return string(b)
}

// itemPrefix is how every item encodeTask makes for url begins: the URL
// is wireTask's first field, and the comma after it ends the prefix
// before a longer URL could continue it.
func itemPrefix(url string) string {
	b, _ := json.Marshal(url)
	return `{"u":` + string(b) + `,`
}

// decodeTask is encodeTask's inverse; the task's lease is the item.
func decodeTask(item string) (task, error) {
	var w wireTask
	if err := json.Unmarshal([]byte(item), &w); err != nil {
		return task{}, err
	}
	return task{url: w.URL, kind: w.Kind, site: w.Site, lang: w.Lang, guessed: w.Guessed, covered: w.Covered,
		src: w.Src, stale: w.Stale, chain: w.Chain, lease: item}, nil
}

func (q *sharedQueue) push(t task) {
	if t.kind == kindCandidates {
		for i := 0; ; i++ {
			c, ok := q.expand(t, i)
			if !ok {
				return
			}
			if c.url != "" { // "" : a language passed over
				q.push(c)
			}
		}
	}
	q.mu.Lock()
	if !q.popped {
		q.seeds = append(q.seeds, t)
	}
	q.mu.Unlock()
	for {
		q.gate.RLock()
		_, err := q.sf.Push(q.ctx, t.site, t.url, encodeTask(t, 0, 0), !t.guessed)
		q.gate.RUnlock()
		if err == nil || !q.lost(err) {
			return
		}
	}
}

func (q *sharedQueue) pushAgain(t task) {
	q.gate.RLock()
	defer q.gate.RUnlock()
	if err := q.sf.PushAgain(q.ctx, t.site, encodeTask(t, len(t.chain)+1, 0)); err != nil {
		q.fail(err)
	}
}

func (q *sharedQueue) confirmed(u string) bool {
	q.gate.RLock()
	ok, err := q.sf.Confirmed(q.ctx, u)
	q.gate.RUnlock()
	if err != nil {
		q.fail(err)
	}
	return ok
}

// The 404 memory's marks stay per process: they only decide whether a
// guessed URL later named by the site is fetched in this run.
func (q *sharedQueue) remembered(u string) {
	q.mu.Lock()
	q.rememb[u] = true
	q.mu.Unlock()
}

func (q *sharedQueue) unremember(u string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	was := q.rememb[u]
	delete(q.rememb, u)
	return was
}

func (q *sharedQueue) pop(ctx context.Context, site string) (task, bool) {
	q.mu.Lock()
	q.popped = true
	q.mu.Unlock()
	for {
		if q.failed() != nil {
			return task{}, false
		}
		t, err := q.lease(ctx, site)
		if err == nil {
			return t, true
		}
		if errors.Is(err, ErrFrontierDone) {
			q.mu.Lock()
			q.over = true
			q.mu.Unlock()
			return task{}, false
		}
		if !q.lost(err) {
			return task{}, false
		}
	}
}

// lease pops the next item of site's queue and holds it: popped and
// entered in holds under one read lock of the gate, so that a recovery
// sees the item either as this process's or not at all.
func (q *sharedQueue) lease(ctx context.Context, site string) (task, error) {
	q.gate.RLock()
	defer q.gate.RUnlock()
	item, err := q.sf.Pop(ctx, site)
	if err != nil {
		return task{}, err
	}
	t, err := decodeTask(item)
	if err != nil {
		// Not ours (another version's encoding): drop it, or it would
		// return forever.
		_ = q.sf.Done(ctx, site, item)
		return task{}, fmt.Errorf("shared frontier item %.80q: %w", item, err)
	}
	stop := q.sf.Hold(ctx, site, item)
	q.mu.Lock()
	q.holds[item] = hold{stop: stop, lease: SharedLease{Queue: site, Key: t.url, Item: item, Prefix: itemPrefix(t.url)}}
	q.mu.Unlock()
	q.inflight.Add(1)
	return t, nil
}

func (q *sharedQueue) done(t task) {
	q.gate.RLock()
	defer q.gate.RUnlock()
	q.mu.Lock()
	h := q.holds[t.lease]
	delete(q.holds, t.lease)
	q.mu.Unlock()
	if h.stop != nil {
		h.stop()
	}
	q.inflight.Add(-1)
	// Entered again before the lease is released: in between, the
	// frontier would find nothing left and end the crawl.
	if h.redo > 0 && q.ctx.Err() == nil {
		if err := q.sf.PushAgain(q.ctx, t.site, encodeTask(t, 0, h.redo)); err != nil {
			q.fail(err)
		}
	}
	// Released even when the run is cancelled, rather than left to
	// expire; through an outage too, up to the frontier's limit.
	if err := q.sf.Done(context.WithoutCancel(q.ctx), t.site, t.lease); err != nil {
		q.fail(err)
	}
}

func (q *sharedQueue) size() (int, int) {
	n, _ := q.sf.Queued(q.ctx)
	return n, int(q.inflight.Load())
}

// CountHeldElsewhere counts articles a process of a shared crawl fetched
// but did not store, because another process holds them (it took the
// lease over while this one stalled, or stored the page meanwhile).
const CountHeldElsewhere Count = "held_elsewhere"

// claim says whether the document of t may be stored by this process:
// always, unless the crawl is shared and another process holds it.
func (r *run) claim(ctx context.Context, t task) bool {
	q, ok := r.f.(*sharedQueue)
	if !ok {
		return true
	}
	ok, held := q.claim(ctx, t)
	if held {
		r.count(t, CountHeldElsewhere)
		r.c.log.Debug("not stored: held by another process", "url", t.url)
	}
	return ok
}

// claim asks the shared frontier whether t's document may be stored
// here; held reports that another process holds it. A lost state is
// rejoined and the claim asked again in the new run, once this
// process's items are in it.
func (q *sharedQueue) claim(ctx context.Context, t task) (ok, held bool) {
	for {
		q.gate.RLock()
		ok, err := q.sf.Claim(ctx, t.site, t.lease, t.url)
		q.gate.RUnlock()
		if err == nil {
			return ok, !ok
		}
		if ctx.Err() != nil || !q.lost(err) {
			return false, false
		}
	}
}

// hostOf is the host:port of a site, the key its politeness is shared
// under.
func (c *Crawler) hostOf(site string) string {
	for h, s := range c.hosts {
		if s == site {
			return h
		}
	}
	return site
}
