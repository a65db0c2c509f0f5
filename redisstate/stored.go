package redisstate

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Stored markers. Each process keeps its documents in its own data
// directory, whose store is the truth for what that process holds; the
// hash <prefix>:stored (URL → member) is the crawl's shared index of
// those stores, so that no process stores a URL another holds. It spans
// runs, and every process re-seeds it from its store when it joins a run
// (a lost or older Redis then learns again what each directory holds).

// Member is this process's name among those sharing the crawl.
func (f *Frontier) Member() string { return f.opts.Member }

// Owner is the member whose store holds rawURL's document, "" if none
// is known.
func (f *Frontier) Owner(ctx context.Context, rawURL string) (string, error) {
	var owner string
	err := f.c.Do(ctx, func(ctx context.Context) error {
		v, err := f.c.rdb.HGet(ctx, f.key("stored"), rawURL).Result()
		if err == redis.Nil {
			v, err = "", nil
		}
		owner = v
		return err
	})
	if err != nil {
		return "", fmt.Errorf("stored marker %s: %w", rawURL, err)
	}
	return owner, nil
}

// MarkStored records that this process's store holds rawURL's document;
// called once it is durable there.
func (f *Frontier) MarkStored(ctx context.Context, rawURL string) error {
	err := f.c.Do(ctx, func(ctx context.Context) error {
		return f.c.rdb.HSet(ctx, f.key("stored"), rawURL, f.opts.Member).Err()
	})
	if err != nil {
		return fmt.Errorf("mark stored %s: %w", rawURL, err)
	}
	return nil
}

// Held is an item this process holds a lease on.
type Held struct {
	Queue, Key, Item string
}

// seedBatch is how many URLs one seeding call sends.
const seedBatch = 500

// registerScript marks member as seeding until a lease from now (a
// process that dies while seeding holds nobody up for longer).
var registerScript = redis.NewScript(clockLua + `
redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
return 0`)

// markScript records ARGV[2..] as held by member ARGV[1] where no other
// member is recorded; it returns how many another member holds (a
// document in two directories).
var markScript = redis.NewScript(`
local clash = 0
for i = 2, #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) == 0 and redis.call('HGET', KEYS[1], ARGV[i]) ~= ARGV[1] then
    clash = clash + 1
  end
end
return clash`)

// adoptScript enters an item this process holds into the run (after
// Redis lost it): seen, leased to member, so that nobody else pops it.
var adoptScript = redis.NewScript(clockLua + `
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[4]), ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return 0`)

// Seed enters what this process holds into the run it joined: the URLs
// its store holds (stored markers) and the items it holds leases on.
// Pops of every process wait meanwhile. clashes counts URLs another
// member's store already holds.
func (f *Frontier) Seed(ctx context.Context, stored iter.Seq[string], held []Held) (clashes int, err error) {
	lease := f.ms(f.opts.Lease)
	run := func(s *redis.Script, keys []string, args ...any) (int, error) {
		var n int
		err := f.c.Do(ctx, func(ctx context.Context) error {
			var err error
			n, err = s.Run(ctx, f.c.rdb, keys, args...).Int()
			return err
		})
		return n, err
	}
	if _, err := run(registerScript, []string{f.key("seeding")}, f.opts.Member, lease); err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	batch := []any{f.opts.Member}
	flush := func() error {
		n, err := run(markScript, []string{f.key("stored")}, batch...)
		clashes += n
		batch = batch[:1]
		return err
	}
	for u := range stored {
		if batch = append(batch, u); len(batch) > seedBatch {
			if err := flush(); err != nil {
				return clashes, fmt.Errorf("seed: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return clashes, fmt.Errorf("seed: %w", err)
	}
	for _, h := range held {
		keys := []string{f.key("seen"), f.key("leases:" + h.Queue), f.key("holders:" + h.Queue)}
		if _, err := run(adoptScript, keys, h.Key, h.Item, f.opts.Member, lease); err != nil {
			return clashes, fmt.Errorf("seed: %w", err)
		}
	}
	err = f.c.Do(ctx, func(ctx context.Context) error {
		return f.c.rdb.ZRem(ctx, f.key("seeding"), f.opts.Member).Err()
	})
	if err != nil {
		return clashes, fmt.Errorf("seed: %w", err)
	}
	return clashes, nil
}

// checkScript reports whether the run is still in Redis (-1 if not) and
// keeps Redis's clock for the leases (see clockLua).
var checkScript = redis.NewScript(clockLua + `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
tick(KEYS[2], tonumber(ARGV[2]), 3, #KEYS)
return 0`)

// Check returns ErrLost when the run this process works in is gone from
// Redis. Every process calls it about once a second.
func (f *Frontier) Check(ctx context.Context) error {
	keys := []string{f.key("run"), f.key("clock")}
	for _, q := range f.queues {
		keys = append(keys, f.key("leases:"+q))
	}
	var n int
	err := f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		n, err = checkScript.Run(ctx, f.c.rdb, keys, f.runID(), strconv.FormatInt(clockGap.Milliseconds(), 10)).Int()
		return err
	})
	if err != nil {
		return fmt.Errorf("frontier check: %w", err)
	}
	if n < 0 {
		return ErrLost
	}
	return nil
}

// claimScript lets a process store a URL's document only while it holds
// the item's lease and no other member is recorded as holding the URL;
// the lease is renewed for the time the store takes. 1: go ahead; 0:
// another member holds the document; 2: the lease went to another
// process (this one stalled); -1: the run is gone.
// KEYS: run, stored, holders, leases. ARGV: run, url, item, member, lease ms.
var claimScript = redis.NewScript(clockLua + `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return -1
end
local owner = redis.call('HGET', KEYS[2], ARGV[2])
if owner and owner ~= ARGV[4] then
  return 0
end
if redis.call('HGET', KEYS[3], ARGV[3]) ~= ARGV[4] or not redis.call('ZSCORE', KEYS[4], ARGV[3]) then
  return 2
end
redis.call('ZADD', KEYS[4], now_ms() + tonumber(ARGV[5]), ARGV[3])
return 1`)

// Claim says whether this process may store rawURL's document, fetched
// for item of queue: only while it holds the item's lease (renewed by
// the claim, so that it outlasts the store) and no other process holds
// the document. ErrLost when the run is gone.
func (f *Frontier) Claim(ctx context.Context, queue, item, rawURL string) (bool, error) {
	keys := []string{f.key("run"), f.key("stored"), f.key("holders:" + queue), f.key("leases:" + queue)}
	var n int
	err := f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		n, err = claimScript.Run(ctx, f.c.rdb, keys, f.runID(), rawURL, item, f.opts.Member, f.ms(f.opts.Lease)).Int()
		return err
	})
	if err == nil && n < 0 {
		err = ErrLost
	}
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", rawURL, err)
	}
	return n == 1, nil
}
