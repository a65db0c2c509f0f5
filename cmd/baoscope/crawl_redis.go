package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"baoscope/crawler"
	"baoscope/model"
	"baoscope/redisstate"
	"baoscope/store"
)

// redisFlags make a crawl one of several sharing a Redis server.
type redisFlags struct {
	addr   string
	prefix string
	lease  time.Duration
	outage time.Duration
	settle time.Duration
}

func (r *redisFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.addr, "redis", "", "share the crawl with other processes through this Redis server (host:port)")
	fs.StringVar(&r.prefix, "redis-prefix", "baoscope", "prefix of the shared crawl's Redis keys; processes with the same prefix share one crawl")
	fs.DurationVar(&r.lease, "redis-lease", time.Minute, "how long a URL taken by a process that stopped answering stays with it before others take it")
	fs.DurationVar(&r.outage, "redis-outage-limit", redisstate.DefaultOutageLimit, "how long to wait, paused, for an unreachable Redis before the crawl stops (a rerun resumes it)")
	fs.DurationVar(&r.settle, "redis-settle", 3*time.Second, "how long a new shared run waits for every process to re-seed what its store holds before any fetches (after Redis came back empty, it also waits, up to --redis-lease, for each process that was present)")
}

// memberMeta names the store's meta value that holds the data
// directory's name in shared crawls.
const memberMeta = "redis_member"

// share points cfg at the shared crawl state, over st, the process's own
// store; the returned close releases the connection.
func (r *redisFlags) share(ctx context.Context, cfg *crawler.Config, st *store.Store, log *slog.Logger) (close func() error, err error) {
	if r.addr == "" {
		return func() error { return nil }, nil
	}
	if r.lease < time.Second {
		return nil, errors.New("--redis-lease must be at least 1s")
	}
	if r.outage <= 0 {
		return nil, errors.New("--redis-outage-limit must be positive")
	}
	member, err := dataMember(st)
	if err != nil {
		return nil, err
	}
	conn := redisstate.Dial(r.addr, redisstate.ConnOptions{
		OutageLimit: r.outage, Logger: log,
		Hint: "the crawl stopped with its state kept; rerun the same command once Redis is back to resume (--redis-outage-limit sets the wait)",
	})
	if err := conn.Do(ctx, func(ctx context.Context) error { return conn.Client().Ping(ctx).Err() }); err != nil {
		conn.Close()
		return nil, fmt.Errorf("--redis %s: %w", r.addr, err)
	}
	f := redisstate.NewFrontier(conn, r.prefix, []string{model.SiteBaoLamDong, model.SiteVietnamVN},
		redisstate.FrontierOptions{Lease: r.lease, Member: member, Settle: r.settle})
	state := redisstate.NewState(st, redisstate.NewURLStates(conn, r.prefix), f)
	cfg.Frontier = sharedFrontier{f: f, st: st, log: log}
	// A slot held by a killed process expires after the longest a request
	// may take.
	cfg.Limiter = redisstate.NewLimiter(conn, r.prefix, cfg.Delay, cfg.Parallel, max(2*cfg.Timeout, r.lease))
	cfg.State = state
	cfg.Stored = state.Stored
	cfg.CollyStorage = redisstate.NewStorage(conn, r.prefix)
	return func() error {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		if err := f.Leave(c); err != nil {
			log.Debug("shared crawl: not taken off the roster", "err", err)
		}
		return conn.Close()
	}, nil
}

// dataMember is the data directory's name among a shared crawl's
// processes, made once and kept in its store: a rerun over the same
// directory is the same member.
func dataMember(st *store.Store) (string, error) {
	var m string
	err := st.GetMeta(memberMeta, &m)
	if err == nil && m != "" {
		return m, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	m = redisstate.NewMember()
	return m, st.PutMeta(memberMeta, m)
}

// sharedFrontier adapts redisstate.Frontier to crawler.SharedFrontier;
// the crawler knows nothing of Redis.
type sharedFrontier struct {
	f   *redisstate.Frontier
	st  *store.Store
	log *slog.Logger
}

// lost maps the frontier's ErrLost to the crawler's.
func lost(err error) error {
	if errors.Is(err, redisstate.ErrLost) {
		return fmt.Errorf("%w: %w", crawler.ErrSharedStateLost, err)
	}
	return err
}

func (s sharedFrontier) Begin(ctx context.Context) (bool, error) {
	fresh, _, err := s.join(ctx, nil, false)
	return fresh, err
}

func (s sharedFrontier) Rejoin(ctx context.Context, held []crawler.SharedLease) (bool, []crawler.SharedLease, error) {
	return s.join(ctx, held, true)
}

// join begins or joins a run, then seeds it with what this process's
// store holds and the items it works on; it returns those another
// process took meanwhile.
func (s sharedFrontier) join(ctx context.Context, held []crawler.SharedLease, lost bool) (bool, []crawler.SharedLease, error) {
	fresh, err := s.f.Begin(ctx)
	if err != nil {
		return false, nil, err
	}
	hs := make([]redisstate.Held, len(held))
	for i, h := range held {
		hs[i] = redisstate.Held{Queue: h.Queue, Key: h.Key, Item: h.Item, Prefix: h.Prefix}
	}
	var iterErr error
	n := 0
	urls := iter.Seq[string](func(yield func(string) bool) {
		iterErr = s.st.EachURL(func(u string) error {
			n++
			if !yield(u) {
				return errStopSeed
			}
			return nil
		})
	})
	clashes, ceded, err := s.f.Seed(ctx, urls, hs)
	if err == nil && iterErr != nil && !errors.Is(iterErr, errStopSeed) {
		err = iterErr
	}
	if err != nil {
		return false, nil, err
	}
	if clashes > 0 {
		s.log.Warn("documents also held by another process's data directory", "count", clashes)
	}
	out := make([]crawler.SharedLease, len(ceded))
	for i, h := range ceded {
		out[i] = crawler.SharedLease{Queue: h.Queue, Key: h.Key, Item: h.Item, Prefix: h.Prefix}
	}
	if len(out) > 0 {
		// Rediscovered and taken by another process before this one
		// rejoined: its fetches of them are not stored here.
		s.log.Info("items held through the loss went to another process", "count", len(out))
	}
	if lost {
		s.log.Warn("redis lost the shared crawl's state: rejoined, re-seeded what this store holds; discovery restarts",
			"new_run", fresh, "stored", n, "held", len(held))
	}
	return fresh, out, nil
}

var errStopSeed = errors.New("seeding stopped")

func (s sharedFrontier) Check(ctx context.Context) error { return lost(s.f.Check(ctx)) }

func (s sharedFrontier) Push(ctx context.Context, queue, key, item string, confirmed bool) (bool, error) {
	ok, err := s.f.Push(ctx, queue, key, item, confirmed)
	return ok, lost(err)
}

func (s sharedFrontier) PushAgain(ctx context.Context, queue, item string) error {
	return s.f.PushAgain(ctx, queue, item)
}

func (s sharedFrontier) Confirmed(ctx context.Context, key string) (bool, error) {
	return s.f.Confirmed(ctx, key)
}

func (s sharedFrontier) Pop(ctx context.Context, queue string) (string, error) {
	item, err := s.f.Pop(ctx, queue, 100*time.Millisecond)
	if errors.Is(err, redisstate.ErrDone) {
		return "", crawler.ErrFrontierDone
	}
	return item, lost(err)
}

func (s sharedFrontier) Hold(ctx context.Context, queue, item string) func() {
	return s.f.Hold(ctx, queue, item)
}

func (s sharedFrontier) Done(ctx context.Context, queue, item string) error {
	return s.f.Done(ctx, queue, item)
}

func (s sharedFrontier) Claim(ctx context.Context, queue, item, key string) (bool, error) {
	ok, err := s.f.Claim(ctx, queue, item, key)
	return ok, lost(err)
}

func (s sharedFrontier) ShareSitemapDates(ctx context.Context, from, to time.Time) error {
	return s.f.ShareSitemapDates(ctx, from, to)
}

func (s sharedFrontier) SitemapDates(ctx context.Context) (time.Time, time.Time, error) {
	return s.f.SitemapDates(ctx)
}

func (s sharedFrontier) Queued(ctx context.Context) (int, error) {
	st, err := s.f.Stats(ctx)
	return int(st.Queued), err
}
