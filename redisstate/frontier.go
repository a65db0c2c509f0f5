package redisstate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Frontier is a crawl's URL queue in Redis, shared by every process that
// opens it with the same prefix. Items are opaque strings (the crawler
// encodes its tasks); the key they are de-duplicated by is given apart.
type Frontier struct {
	rdb    redis.UniversalClient
	prefix string
	lease  time.Duration
}

// NewFrontier returns the frontier under prefix. lease is how long a
// popped item stays with its process without renewal before it returns
// to the queue.
func NewFrontier(rdb redis.UniversalClient, prefix string, lease time.Duration) *Frontier {
	if lease <= 0 {
		lease = time.Minute
	}
	return &Frontier{rdb: rdb, prefix: prefix, lease: lease}
}

func (f *Frontier) key(name string) string { return f.prefix + ":" + name }

// Push adds item unless its key was ever pushed in this crawl; it
// reports whether it was added.
var pushScript = redis.NewScript(`
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0`)

// Push queues item under its de-duplication key.
func (f *Frontier) Push(ctx context.Context, key, item string) (bool, error) {
	n, err := pushScript.Run(ctx, f.rdb, []string{f.key("seen"), f.key("queue")}, key, item).Int()
	if err != nil {
		return false, fmt.Errorf("frontier push %s: %w", key, err)
	}
	return n == 1, nil
}

// Forget removes a key from the seen set so it can be pushed again: a
// later run revisiting pages uses a new prefix instead, this is for
// failed items a caller wants to retry.
func (f *Frontier) Forget(ctx context.Context, key string) error {
	return f.rdb.SRem(ctx, f.key("seen"), key).Err()
}

// popScript moves the oldest queued item to the lease set with its
// deadline, first returning expired leases to the queue. Deadlines come
// from Redis's clock so that processes with skewed clocks agree.
var popScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, item in ipairs(expired) do
  redis.call('ZREM', KEYS[2], item)
  redis.call('RPUSH', KEYS[1], item)
  redis.call('INCR', KEYS[3])
end
local item = redis.call('RPOP', KEYS[1])
if not item then
  return {false, redis.call('ZCARD', KEYS[2])}
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), item)
return {item, 0}`)

// ErrDone is returned by Pop when the queue is empty and no process holds
// a lease: the crawl is over.
var ErrDone = errors.New("redisstate: frontier exhausted")

// Pop leases the oldest item. When the queue is empty but other processes
// hold leases (and may push more, or die and return theirs) it waits,
// polling every poll interval; ErrDone when nothing is left anywhere.
func (f *Frontier) Pop(ctx context.Context, poll time.Duration) (string, error) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	for {
		res, err := popScript.Run(ctx, f.rdb, []string{f.key("queue"), f.key("leases"), f.key("requeued")},
			strconv.FormatInt(f.lease.Milliseconds(), 10)).Slice()
		if err != nil {
			return "", fmt.Errorf("frontier pop: %w", err)
		}
		if item, ok := res[0].(string); ok {
			return item, nil
		}
		if held, _ := res[1].(int64); held == 0 {
			return "", ErrDone
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(poll):
		}
	}
}

// renewScript extends a lease only if it is still held (not expired and
// re-queued meanwhile).
var renewScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
  return 1
end
return 0`)

// Renew extends the lease of an item being worked on; false means the
// lease had expired and the item went back to the queue.
func (f *Frontier) Renew(ctx context.Context, item string) (bool, error) {
	n, err := renewScript.Run(ctx, f.rdb, []string{f.key("leases")}, item, strconv.FormatInt(f.lease.Milliseconds(), 10)).Int()
	if err != nil {
		return false, fmt.Errorf("frontier renew: %w", err)
	}
	return n == 1, nil
}

// Done releases the lease of a finished item.
func (f *Frontier) Done(ctx context.Context, item string) error {
	if err := f.rdb.ZRem(ctx, f.key("leases"), item).Err(); err != nil {
		return fmt.Errorf("frontier done: %w", err)
	}
	return nil
}

// Hold keeps the lease of item alive until the returned stop is called:
// a fetch may outlast one lease (retries with backoff).
func (f *Frontier) Hold(ctx context.Context, item string) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(f.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// A failed renewal is retried at the next tick; if the lease
				// is lost the item is fetched again by someone, which the
				// store's de-duplication by URL absorbs.
				_, _ = f.Renew(ctx, item)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// Stats describes the frontier.
type Stats struct {
	Queued   int64 `json:"queued"`
	Leased   int64 `json:"leased"`
	Seen     int64 `json:"seen"`
	Requeued int64 `json:"requeued"` // leases that expired and went back
}

// Stats reads the frontier's counters.
func (f *Frontier) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	pipe := f.rdb.Pipeline()
	q := pipe.LLen(ctx, f.key("queue"))
	l := pipe.ZCard(ctx, f.key("leases"))
	n := pipe.SCard(ctx, f.key("seen"))
	r := pipe.Get(ctx, f.key("requeued"))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return s, fmt.Errorf("frontier stats: %w", err)
	}
	s.Queued, s.Leased, s.Seen = q.Val(), l.Val(), n.Val()
	s.Requeued, _ = r.Int64()
	return s, nil
}
