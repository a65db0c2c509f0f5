package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"baoscope/crawler"
	"baoscope/model"
	"baoscope/redisstate"
)

// redisFlags make a crawl one of several sharing a Redis server.
type redisFlags struct {
	addr   string
	prefix string
	lease  time.Duration
}

func (r *redisFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.addr, "redis", "", "share the crawl with other processes through this Redis server (host:port)")
	fs.StringVar(&r.prefix, "redis-prefix", "baoscope", "prefix of the shared crawl's Redis keys; processes with the same prefix share one crawl")
	fs.DurationVar(&r.lease, "redis-lease", time.Minute, "how long a URL taken by a process that stopped answering stays with it before others take it")
}

// share points cfg at the shared crawl state; the returned close releases
// the connection.
func (r *redisFlags) share(ctx context.Context, cfg *crawler.Config) (close func() error, err error) {
	if r.addr == "" {
		return func() error { return nil }, nil
	}
	if r.lease < time.Second {
		return nil, errors.New("--redis-lease must be at least 1s")
	}
	rdb := redis.NewClient(&redis.Options{Addr: r.addr})
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("--redis %s: %w", r.addr, err)
	}
	f := redisstate.NewFrontier(rdb, r.prefix, []string{model.SiteBaoLamDong, model.SiteVietnamVN}, r.lease)
	states := redisstate.NewURLStates(rdb, r.prefix)
	cfg.Frontier = sharedFrontier{f}
	// A slot held by a killed process expires after the longest a request
	// may take.
	cfg.Limiter = redisstate.NewLimiter(rdb, r.prefix, cfg.Delay, cfg.Parallel, max(2*cfg.Timeout, r.lease))
	cfg.State = states
	cfg.Stored = states.Stored
	cfg.CollyStorage = redisstate.NewStorage(rdb, r.prefix)
	return rdb.Close, nil
}

// sharedFrontier adapts redisstate.Frontier to crawler.SharedFrontier;
// the crawler knows nothing of Redis.
type sharedFrontier struct{ f *redisstate.Frontier }

func (s sharedFrontier) Begin(ctx context.Context) (bool, error) { return s.f.Begin(ctx) }

func (s sharedFrontier) Push(ctx context.Context, queue, key, item string, confirmed bool) (bool, error) {
	return s.f.Push(ctx, queue, key, item, confirmed)
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
	return item, err
}

func (s sharedFrontier) Hold(ctx context.Context, queue, item string) func() {
	return s.f.Hold(ctx, queue, item)
}

func (s sharedFrontier) Done(ctx context.Context, queue, item string) error {
	return s.f.Done(ctx, queue, item)
}

func (s sharedFrontier) Queued(ctx context.Context) (int, error) {
	st, err := s.f.Stats(ctx)
	return int(st.Queued), err
}
