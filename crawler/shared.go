package crawler

import (
	"context"
	"encoding/json"
	"errors"
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
	// Push queues item on the site's queue unless key was pushed in this
	// run; confirmed records that the site itself named the URL.
	Push(ctx context.Context, queue, key, item string, confirmed bool) (bool, error)
	// PushAgain queues item even if its key was seen.
	PushAgain(ctx context.Context, queue, item string) error
	// Confirmed reports whether key was pushed as confirmed.
	Confirmed(ctx context.Context, key string) (bool, error)
	// Pop leases the next item of queue, waiting while other processes
	// may still add work; ErrFrontierDone when the crawl is over.
	Pop(ctx context.Context, queue string) (string, error)
	// Hold keeps the lease of item alive until stop is called.
	Hold(ctx context.Context, queue, item string) (stop func())
	// Done releases the lease of a finished item.
	Done(ctx context.Context, queue, item string) error
	// Queued is the number of items waiting in every queue.
	Queued(ctx context.Context) (int, error)
}

// SharedLimiter enforces each host's politeness across processes.
type SharedLimiter interface {
	Acquire(ctx context.Context, host string) (release func(), err error)
	PauseUntil(ctx context.Context, host string, t time.Time) error
}

// ErrFrontierDone is returned by SharedFrontier.Pop when no work is left
// anywhere.
var ErrFrontierDone = errors.New("crawler: shared frontier exhausted")

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
type wireTask struct {
	URL     string   `json:"u"`
	Kind    Kind     `json:"k"`
	Site    string   `json:"s"`
	Lang    string   `json:"l,omitempty"`
	Guessed bool     `json:"g,omitempty"`
	Chain   []string `json:"c,omitempty"`
	// Seq makes a PushAgain item differ from the first push of the same
	// URL: a lease set holds each item once.
	Seq int `json:"n,omitempty"`
}

// sharedQueue adapts a SharedFrontier to a run. Candidates are expanded
// when pushed (the queue lives in Redis, not in this process's memory).
// The first error from the shared frontier stops the run and is returned
// by Run: a crawl that cannot reach its queue must not look finished.
type sharedQueue struct {
	ctx    context.Context
	sf     SharedFrontier
	expand func(task, int) (task, bool)

	mu       sync.Mutex
	rememb   map[string]bool
	holds    map[string]func()
	err      error
	inflight atomic.Int64
}

func newSharedQueue(ctx context.Context, sf SharedFrontier, expand func(task, int) (task, bool)) *sharedQueue {
	return &sharedQueue{ctx: ctx, sf: sf, expand: expand, rememb: map[string]bool{}, holds: map[string]func(){}}
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

func encodeTask(t task, seq int) string {
	b, _ := json.Marshal(wireTask{URL: t.url, Kind: t.kind, Site: t.site, Lang: t.lang, Guessed: t.guessed, Chain: t.chain, Seq: seq})
	return string(b)
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
	if _, err := q.sf.Push(q.ctx, t.site, t.url, encodeTask(t, 0), !t.guessed); err != nil {
		q.fail(err)
	}
}

func (q *sharedQueue) pushAgain(t task) {
	if err := q.sf.PushAgain(q.ctx, t.site, encodeTask(t, len(t.chain)+1)); err != nil {
		q.fail(err)
	}
}

func (q *sharedQueue) confirmed(u string) bool {
	ok, err := q.sf.Confirmed(q.ctx, u)
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
	if q.failed() != nil {
		return task{}, false
	}
	item, err := q.sf.Pop(ctx, site)
	if err != nil {
		if !errors.Is(err, ErrFrontierDone) {
			q.fail(err)
		}
		return task{}, false
	}
	var w wireTask
	if err := json.Unmarshal([]byte(item), &w); err != nil {
		// Not ours (another version's encoding): drop it, or it would
		// return forever.
		_ = q.sf.Done(ctx, site, item)
		q.fail(err)
		return task{}, false
	}
	stop := q.sf.Hold(ctx, site, item)
	q.mu.Lock()
	q.holds[item] = stop
	q.mu.Unlock()
	q.inflight.Add(1)
	return task{url: w.URL, kind: w.Kind, site: w.Site, lang: w.Lang, guessed: w.Guessed, chain: w.Chain, lease: item}, true
}

func (q *sharedQueue) done(t task) {
	q.mu.Lock()
	stop := q.holds[t.lease]
	delete(q.holds, t.lease)
	q.mu.Unlock()
	if stop != nil {
		stop()
	}
	q.inflight.Add(-1)
	// Released with a context of its own: a cancelled run still hands its
	// leases back rather than waiting for them to expire.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(q.ctx), 5*time.Second)
	defer cancel()
	if err := q.sf.Done(ctx, t.site, t.lease); err != nil {
		q.fail(err)
	}
}

func (q *sharedQueue) size() (int, int) {
	n, _ := q.sf.Queued(q.ctx)
	return n, int(q.inflight.Load())
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
