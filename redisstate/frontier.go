package redisstate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Frontier is a crawl's URL queues in Redis (one per site, so that a
// long queue for one host never starves the other's workers), shared by
// every process that opens it with the same prefix. Items are opaque
// strings (the crawler encodes its tasks); the key they are de-duplicated
// by is given apart, and de-duplication spans every queue.
type Frontier struct {
	rdb    redis.UniversalClient
	prefix string
	queues []string
	lease  time.Duration
}

// NewFrontier returns the frontier under prefix with the named queues.
// lease is how long a popped item stays with its process without renewal
// before it returns to its queue.
func NewFrontier(rdb redis.UniversalClient, prefix string, queues []string, lease time.Duration) *Frontier {
	if lease <= 0 {
		lease = time.Minute
	}
	return &Frontier{rdb: rdb, prefix: prefix, queues: queues, lease: lease}
}

func (f *Frontier) key(name string) string { return f.prefix + ":" + name }

// beginScript starts a new run when none is in progress (every queue
// empty, no lease held): the previous run's seen set is cleared, so a new
// crawl revisits what the last one saw. A process joining a run in
// progress changes nothing.
var beginScript = redis.NewScript(`
local n = #KEYS - 3
for i = 1, n / 2 do
  if redis.call('LLEN', KEYS[i]) > 0 or redis.call('ZCARD', KEYS[n/2 + i]) > 0 then
    return 0
  end
end
redis.call('DEL', KEYS[n+1], KEYS[n+2], KEYS[n+3])
return 1`)

// Begin joins the run in progress or starts a new one; fresh reports
// which.
func (f *Frontier) Begin(ctx context.Context) (fresh bool, err error) {
	keys := f.allKeys()
	keys = append(keys, f.key("seen"), f.key("confirmed"), f.key("requeued"))
	n, err := beginScript.Run(ctx, f.rdb, keys).Int()
	if err != nil {
		return false, fmt.Errorf("frontier begin: %w", err)
	}
	return n == 1, nil
}

// allKeys lists every queue's list key, then every queue's lease key.
func (f *Frontier) allKeys() []string {
	keys := make([]string, 0, 2*len(f.queues))
	for _, q := range f.queues {
		keys = append(keys, f.key("q:"+q))
	}
	for _, q := range f.queues {
		keys = append(keys, f.key("leases:"+q))
	}
	return keys
}

// pushScript queues an item unless its key was pushed before in this
// run. A confirmed push (the site itself named the URL) is recorded too.
var pushScript = redis.NewScript(`
if ARGV[3] == '1' then
  redis.call('SADD', KEYS[3], ARGV[1])
end
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[2], ARGV[2])
  return 1
end
return 0`)

// Push queues item on queue under its de-duplication key; it reports
// whether it was added.
func (f *Frontier) Push(ctx context.Context, queue, key, item string, confirmed bool) (bool, error) {
	c := "0"
	if confirmed {
		c = "1"
	}
	n, err := pushScript.Run(ctx, f.rdb, []string{f.key("seen"), f.key("q:" + queue), f.key("confirmed")}, key, item, c).Int()
	if err != nil {
		return false, fmt.Errorf("frontier push %s: %w", key, err)
	}
	return n == 1, nil
}

// PushAgain queues item even if its key was seen.
func (f *Frontier) PushAgain(ctx context.Context, queue, item string) error {
	if err := f.rdb.LPush(ctx, f.key("q:"+queue), item).Err(); err != nil {
		return fmt.Errorf("frontier push: %w", err)
	}
	return nil
}

// Confirmed reports whether key was pushed as confirmed in this run.
func (f *Frontier) Confirmed(ctx context.Context, key string) (bool, error) {
	return f.rdb.SIsMember(ctx, f.key("confirmed"), key).Result()
}

// popScript moves the oldest item of one queue to that queue's lease set
// with its deadline, first returning expired leases to the queue. When the
// queue is empty it returns what is left anywhere (queued items and
// leases of every queue), for the caller to wait or stop. Deadlines come
// from Redis's clock, so processes with skewed clocks agree.
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
if item then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), item)
  return {item, 0}
end
local left = 0
local n = #KEYS - 3
for i = 1, n / 2 do
  left = left + redis.call('LLEN', KEYS[3 + i])
  left = left + redis.call('ZCARD', KEYS[3 + n/2 + i])
end
return {false, left}`)

// ErrDone is returned by Pop when every queue is empty and no process
// holds a lease: the crawl is over.
var ErrDone = errors.New("redisstate: frontier exhausted")

// Pop leases the oldest item of queue. When it is empty but work is left
// elsewhere (other queues, or leases whose holders may push more or die)
// it waits, polling every poll interval; ErrDone when nothing is left.
func (f *Frontier) Pop(ctx context.Context, queue string, poll time.Duration) (string, error) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	keys := append([]string{f.key("q:" + queue), f.key("leases:" + queue), f.key("requeued")}, f.allKeys()...)
	for {
		res, err := popScript.Run(ctx, f.rdb, keys, strconv.FormatInt(f.lease.Milliseconds(), 10)).Slice()
		if err != nil {
			return "", fmt.Errorf("frontier pop: %w", err)
		}
		if item, ok := res[0].(string); ok {
			return item, nil
		}
		if left, _ := res[1].(int64); left == 0 {
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
func (f *Frontier) Renew(ctx context.Context, queue, item string) (bool, error) {
	n, err := renewScript.Run(ctx, f.rdb, []string{f.key("leases:" + queue)}, item, strconv.FormatInt(f.lease.Milliseconds(), 10)).Int()
	if err != nil {
		return false, fmt.Errorf("frontier renew: %w", err)
	}
	return n == 1, nil
}

// Done releases the lease of a finished item.
func (f *Frontier) Done(ctx context.Context, queue, item string) error {
	if err := f.rdb.ZRem(ctx, f.key("leases:"+queue), item).Err(); err != nil {
		return fmt.Errorf("frontier done: %w", err)
	}
	return nil
}

// Hold keeps the lease of item alive until the returned stop is called:
// a fetch may outlast one lease (retries with backoff).
func (f *Frontier) Hold(ctx context.Context, queue, item string) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
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
				_, _ = f.Renew(ctx, queue, item)
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
	var lens []*redis.IntCmd
	for _, q := range f.queues {
		lens = append(lens, pipe.LLen(ctx, f.key("q:"+q)), pipe.ZCard(ctx, f.key("leases:"+q)))
	}
	n := pipe.SCard(ctx, f.key("seen"))
	r := pipe.Get(ctx, f.key("requeued"))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return s, fmt.Errorf("frontier stats: %w", err)
	}
	for i := 0; i < len(lens); i += 2 {
		s.Queued += lens[i].Val()
		s.Leased += lens[i+1].Val()
	}
	s.Seen = n.Val()
	s.Requeued, _ = r.Int64()
	return s, nil
}
