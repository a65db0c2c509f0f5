package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// FrontierOptions tune a Frontier; zero values get the defaults.
type FrontierOptions struct {
	// Lease is how long a popped item stays with its process without
	// renewal before it returns to its queue. Zero: one minute.
	Lease time.Duration
	// Member names this process among those sharing the crawl; it must
	// stay the same across the process's reruns (cmd derives it from the
	// data directory), so that a rerun takes its own leases back at once
	// and recognises its own stored markers. Empty: a random one.
	Member string
	// Settle is how long a new run (the first process of a crawl, or the
	// first to find Redis emptied) holds every pop, so that every process
	// registers and re-seeds what its store holds before anyone decides
	// whether a URL is stored. Zero: no wait.
	Settle time.Duration
}

// Frontier is a crawl's URL queues in Redis (one per site, so that a
// long queue for one host never starves the other's workers), shared by
// every process that opens it with the same prefix. Items are opaque
// strings (the crawler encodes its tasks); the key they are de-duplicated
// by is given apart, and de-duplication spans every queue.
//
// A run is marked by a random id in Redis. When the id is gone (Redis
// came back empty) Push and Pop fail with ErrLost, and the process joins
// or starts a new run with Rejoin.
type Frontier struct {
	c      *Conn
	prefix string
	queues []string
	opts   FrontierOptions

	mu     sync.Mutex
	run    string   // the id of the run this process works in
	roster []string // the other members present at the last Check
}

// ErrLost is returned when the run this process worked in is no longer
// in Redis: Redis lost its data.
var ErrLost = errors.New("redisstate: the shared crawl's state is gone from redis")

// NewFrontier returns the frontier under prefix with the named queues.
func NewFrontier(c *Conn, prefix string, queues []string, opts FrontierOptions) *Frontier {
	if opts.Lease <= 0 {
		opts.Lease = time.Minute
	}
	if opts.Member == "" {
		opts.Member = randomID()
	}
	return &Frontier{c: c, prefix: prefix, queues: queues, opts: opts}
}

// NewMember returns a fresh member name (FrontierOptions.Member).
func NewMember() string { return randomID() }

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (f *Frontier) key(name string) string { return f.prefix + ":" + name }

func (f *Frontier) runID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.run
}

func (f *Frontier) ms(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// clockLua keeps lease deadlines from running out while nobody can reach
// Redis: every script that reads deadlines first records Redis's time
// under KEYS[clock], and a gap longer than gapMs since the last record (an
// outage: each process checks in every second) moves every lease
// deadline by the gap. A process that could not renew its leases during
// an outage thus finds them still its own.
const clockLua = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function tick(clock, gap, first, last)
  local now = now_ms()
  local prev = tonumber(redis.call('GET', clock) or now)
  redis.call('SET', clock, now)
  if now - prev > gap then
    for i = first, last do
      local all = redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES')
      for j = 1, #all, 2 do
        redis.call('ZADD', KEYS[i], tonumber(all[j + 1]) + now - prev, all[j])
      end
    end
  end
  return now
end
`

// clockGap is the silence after which Redis's time is not counted
// against leases (see clockLua). Every process checks in each second; a
// silence taken for an outage by mistake only delays the return of a
// dead process's leases by as long.
const clockGap = 1500 * time.Millisecond

// beginScript joins the run in progress, taking back the leases this
// member held (a rerun resumes at once), or starts a new one when there
// is none or the last one is over: the previous run's seen set is
// cleared, so a new crawl revisits what the last one saw, and pops wait
// Settle for every process to re-seed, and for each member of the
// roster (ARGV[5..]: the processes present when the state was lost) to
// finish re-seeding, up to a lease: they are entered as seeding.
// KEYS: run, done, settle, seen, confirmed, requeued, seeding, then
// queues, leases, holders (n each). ARGV: new run id, settle ms, member,
// lease ms, roster.
var beginScript = redis.NewScript(clockLua + `
local n = (#KEYS - 7) / 3
local run = redis.call('GET', KEYS[1])
if run and redis.call('GET', KEYS[2]) ~= run then
  for i = 1, n do
    local h = redis.call('HGETALL', KEYS[7 + 2*n + i])
    for j = 1, #h, 2 do
      if h[j + 1] == ARGV[3] and redis.call('ZREM', KEYS[7 + n + i], h[j]) == 1 then
        redis.call('HDEL', KEYS[7 + 2*n + i], h[j])
        redis.call('RPUSH', KEYS[7 + i], h[j])
      end
    end
  end
  return {run, 0}
end
redis.call('DEL', KEYS[4], KEYS[5], KEYS[6])
redis.call('SET', KEYS[1], ARGV[1])
local now = now_ms()
redis.call('SET', KEYS[3], now + tonumber(ARGV[2]))
for i = 5, #ARGV do
  redis.call('ZADD', KEYS[7], now + tonumber(ARGV[4]), ARGV[i])
end
return {ARGV[1], 1}`)

// Begin joins the run in progress or starts a new one; fresh reports
// which. A run begun after a loss waits for the processes that were
// present (see Check): one that notices the loss late (its calls were
// backing off) would otherwise re-seed after discovery had restarted,
// and another process could fetch and store what it holds.
func (f *Frontier) Begin(ctx context.Context) (fresh bool, err error) {
	keys := []string{f.key("run"), f.key("done"), f.key("settle"), f.key("seen"), f.key("confirmed"), f.key("requeued"), f.key("seeding")}
	keys = append(keys, f.allKeys()...)
	for _, q := range f.queues {
		keys = append(keys, f.key("holders:"+q))
	}
	f.mu.Lock()
	args := []any{randomID(), f.ms(f.opts.Settle), f.opts.Member, f.ms(f.opts.Lease)}
	for _, m := range f.roster {
		args = append(args, m)
	}
	f.mu.Unlock()
	var res []any
	err = f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		res, err = beginScript.Run(ctx, f.c.rdb, keys, args...).Slice()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("frontier begin: %w", err)
	}
	run, _ := res[0].(string)
	f.mu.Lock()
	f.run = run
	f.mu.Unlock()
	return res[1].(int64) == 1, nil
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
// -1: the run is gone.
var pushScript = redis.NewScript(`
if redis.call('GET', KEYS[4]) ~= ARGV[4] then
  return -1
end
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
	var n int
	err := f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		n, err = pushScript.Run(ctx, f.c.rdb, []string{f.key("seen"), f.key("q:" + queue), f.key("confirmed"), f.key("run")},
			key, item, c, f.runID()).Int()
		return err
	})
	if err == nil && n < 0 {
		err = ErrLost
	}
	if err != nil {
		return false, fmt.Errorf("frontier push %s: %w", key, err)
	}
	return n == 1, nil
}

// PushAgain queues item even if its key was seen.
func (f *Frontier) PushAgain(ctx context.Context, queue, item string) error {
	err := f.c.Do(ctx, func(ctx context.Context) error {
		return f.c.rdb.LPush(ctx, f.key("q:"+queue), item).Err()
	})
	if err != nil {
		return fmt.Errorf("frontier push: %w", err)
	}
	return nil
}

// Confirmed reports whether key was pushed as confirmed in this run.
func (f *Frontier) Confirmed(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		ok, err = f.c.rdb.SIsMember(ctx, f.key("confirmed"), key).Result()
		return err
	})
	return ok, err
}

// popScript moves the oldest item of one queue to that queue's lease set
// with its deadline and holder, first returning expired leases to the
// queue. When the queue is empty it returns what is left anywhere (queued
// items and leases of every queue), for the caller to wait or stop; -1
// when the run is gone, -2 while the run settles (a new run's first
// seconds, or a process still re-seeding). Deadlines come from Redis's
// clock, so processes with skewed clocks agree.
// KEYS: queue, leases, holders, requeued, run, settle, seeding, clock,
// done, then every queue, every lease set (n each). ARGV: lease ms, run,
// member, gap ms.
var popScript = redis.NewScript(clockLua + `
local n = (#KEYS - 9) / 2
if redis.call('GET', KEYS[5]) ~= ARGV[2] then
  return {false, -1}
end
local now = tick(KEYS[8], tonumber(ARGV[4]), 10 + n, 9 + 2*n)
if now < tonumber(redis.call('GET', KEYS[6]) or '0') or redis.call('ZCOUNT', KEYS[7], now, '+inf') > 0 then
  return {false, -2}
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, item in ipairs(expired) do
  redis.call('ZREM', KEYS[2], item)
  redis.call('HDEL', KEYS[3], item)
  redis.call('RPUSH', KEYS[1], item)
  redis.call('INCR', KEYS[4])
end
local item = redis.call('RPOP', KEYS[1])
if item then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), item)
  redis.call('HSET', KEYS[3], item, ARGV[3])
  return {item, 0}
end
local left = 0
for i = 1, 2*n do
  if i <= n then
    left = left + redis.call('LLEN', KEYS[9 + i])
  else
    left = left + redis.call('ZCARD', KEYS[9 + i])
  end
end
if left == 0 then
  redis.call('SET', KEYS[9], ARGV[2])
end
return {false, left}`)

// ErrDone is returned by Pop when every queue is empty and no process
// holds a lease: the crawl is over.
var ErrDone = errors.New("redisstate: frontier exhausted")

// Pop leases the oldest item of queue. When it is empty but work is left
// elsewhere (other queues, or leases whose holders may push more or die),
// or while the run settles, it waits, polling every poll interval;
// ErrDone when nothing is left, ErrLost when the run is gone.
func (f *Frontier) Pop(ctx context.Context, queue string, poll time.Duration) (string, error) {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	keys := []string{f.key("q:" + queue), f.key("leases:" + queue), f.key("holders:" + queue), f.key("requeued"),
		f.key("run"), f.key("settle"), f.key("seeding"), f.key("clock"), f.key("done")}
	keys = append(keys, f.allKeys()...)
	for {
		var res []any
		err := f.c.Do(ctx, func(ctx context.Context) error {
			var err error
			res, err = popScript.Run(ctx, f.c.rdb, keys, f.ms(f.opts.Lease), f.runID(), f.opts.Member, f.ms(clockGap)).Slice()
			return err
		})
		if err != nil {
			return "", fmt.Errorf("frontier pop: %w", err)
		}
		if item, ok := res[0].(string); ok {
			return item, nil
		}
		switch left, _ := res[1].(int64); left {
		case 0:
			return "", ErrDone
		case -1:
			return "", fmt.Errorf("frontier pop: %w", ErrLost)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(poll):
		}
	}
}

// renewScript extends a lease only if this member still holds it (not
// expired and re-queued meanwhile).
var renewScript = redis.NewScript(clockLua + `
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[3] and redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now_ms() + tonumber(ARGV[2]), ARGV[1])
  return 1
end
return 0`)

// Renew extends the lease of an item being worked on; false means the
// lease had expired and the item went back to the queue.
func (f *Frontier) Renew(ctx context.Context, queue, item string) (bool, error) {
	var n int
	err := f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		n, err = renewScript.Run(ctx, f.c.rdb, []string{f.key("leases:" + queue), f.key("holders:" + queue)},
			item, f.ms(f.opts.Lease), f.opts.Member).Int()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("frontier renew: %w", err)
	}
	return n == 1, nil
}

// doneScript releases a lease this member holds; one that went to
// another process after it expired is that process's now.
var doneScript = redis.NewScript(`
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0`)

// Done releases the lease of a finished item.
func (f *Frontier) Done(ctx context.Context, queue, item string) error {
	err := f.c.Do(ctx, func(ctx context.Context) error {
		return doneScript.Run(ctx, f.c.rdb, []string{f.key("leases:" + queue), f.key("holders:" + queue)}, item, f.opts.Member).Err()
	})
	if err != nil {
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
		t := time.NewTicker(f.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// A failed renewal is retried at the next tick; a lease
				// lost all the same (the process stalled longer than the
				// lease) means the item is fetched again by someone, which
				// the stored markers keep out of a second directory.
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

// Stats reads the frontier's counters; it is for progress displays, so
// it does not wait out an outage.
func (f *Frontier) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	pipe := f.c.rdb.Pipeline()
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
