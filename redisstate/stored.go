package redisstate

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"time"

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

// Held is an item this process holds a lease on. Prefix, when set,
// begins every item of Key (the caller's encoding): an item queued for
// Key in another form than Item is found by it.
type Held struct {
	Queue, Key, Item, Prefix string
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
// A key the run has seen already (another process rediscovered it
// before this one rejoined, or queued it from a page it held through
// the loss) is adopted only if its item could be taken back out of the
// queue: the same item, or one beginning with the key's prefix (queued
// in another form: named by another source); otherwise it is leased to
// or done by another process, which keeps it (0), and this one's claim
// will fail. The scan of the queue happens only then, at a rejoin.
// KEYS: seen, leases, holders, queue. ARGV: key, item, member, lease ms,
// prefix.
var adoptScript = redis.NewScript(clockLua + `
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 and redis.call('LREM', KEYS[4], 0, ARGV[2]) == 0 then
  local found, n = false, #ARGV[5]
  if n > 0 then
    for _, e in ipairs(redis.call('LRANGE', KEYS[4], 0, -1)) do
      if string.sub(e, 1, n) == ARGV[5] then
        redis.call('LREM', KEYS[4], 0, e)
        found = true
      end
    end
  end
  if not found then
    return 0
  end
end
redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[4]), ARGV[2])
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return 1`)

// Seed enters what this process holds into the run it joined: the URLs
// its store holds (stored markers) and the items it holds leases on.
// Pops of every process wait meanwhile. clashes counts URLs another
// member's store already holds; ceded are the held items another
// process took meanwhile (see adoptScript).
func (f *Frontier) Seed(ctx context.Context, stored iter.Seq[string], held []Held) (clashes int, ceded []Held, err error) {
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
		return 0, nil, fmt.Errorf("seed: %w", err)
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
				return clashes, nil, fmt.Errorf("seed: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return clashes, nil, fmt.Errorf("seed: %w", err)
	}
	for _, h := range held {
		keys := []string{f.key("seen"), f.key("leases:" + h.Queue), f.key("holders:" + h.Queue), f.key("q:" + h.Queue)}
		n, err := run(adoptScript, keys, h.Key, h.Item, f.opts.Member, lease, h.Prefix)
		if err != nil {
			return clashes, ceded, fmt.Errorf("seed: %w", err)
		}
		if n == 0 {
			ceded = append(ceded, h)
		}
	}
	err = f.c.Do(ctx, func(ctx context.Context) error {
		return f.c.rdb.ZRem(ctx, f.key("seeding"), f.opts.Member).Err()
	})
	if err != nil {
		return clashes, ceded, fmt.Errorf("seed: %w", err)
	}
	return clashes, ceded, nil
}

// checkScript reports whether the run is still in Redis (-1 if not) and
// keeps Redis's clock for the leases (see clockLua); it records the
// member as present and returns, after a 0, the members present within
// the window (the roster a new run waits for after a loss, see Begin).
// KEYS: run, clock, members, then every lease set. ARGV: run, gap ms,
// member, window ms.
var checkScript = redis.NewScript(clockLua + `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {-1}
end
local now = tick(KEYS[2], tonumber(ARGV[2]), 4, #KEYS)
redis.call('HSET', KEYS[3], ARGV[3], now)
local roster = {0}
local all = redis.call('HGETALL', KEYS[3])
for i = 1, #all, 2 do
  if now - tonumber(all[i + 1]) <= tonumber(ARGV[4]) then
    table.insert(roster, all[i])
  else
    redis.call('HDEL', KEYS[3], all[i])
  end
end
return roster`)

// rosterWindow is how recently a member must have checked in (each does
// every second) to count as present.
const rosterWindow = 5 * time.Second

// Leave takes this process off the roster (see Check) when it stops
// cleanly, so that a run begun after a loss in the next seconds does not
// wait a lease for it. One attempt, without waiting out an outage: a
// process that cannot leave is waited for like one that was killed.
func (f *Frontier) Leave(ctx context.Context) error {
	if err := f.c.rdb.HDel(ctx, f.key("members"), f.opts.Member).Err(); err != nil {
		return fmt.Errorf("frontier leave: %w", err)
	}
	return nil
}

// Check returns ErrLost when the run this process works in is gone from
// Redis. Every process calls it about once a second; it also keeps the
// roster of the processes present, which this one waits for should it
// be the one to begin a run after a loss.
func (f *Frontier) Check(ctx context.Context) error {
	keys := []string{f.key("run"), f.key("clock"), f.key("members")}
	for _, q := range f.queues {
		keys = append(keys, f.key("leases:"+q))
	}
	var res []any
	err := f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		res, err = checkScript.Run(ctx, f.c.rdb, keys, f.runID(), f.ms(clockGap), f.opts.Member, f.ms(rosterWindow)).Slice()
		return err
	})
	if err != nil {
		return fmt.Errorf("frontier check: %w", err)
	}
	if n, _ := res[0].(int64); n < 0 {
		return ErrLost
	}
	roster := make([]string, 0, len(res)-1)
	for _, m := range res[1:] {
		if m, ok := m.(string); ok && m != f.opts.Member {
			roster = append(roster, m)
		}
	}
	f.mu.Lock()
	f.roster = roster
	f.mu.Unlock()
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

// datesScript widens the run's extent of the translation sitemaps
// (Unix ms) to take in [ARGV[1], ARGV[2]]; it lives as long as a run may.
// KEYS: dates.
var datesScript = redis.NewScript(`
local from = tonumber(redis.call('HGET', KEYS[1], 'from') or '')
local to = tonumber(redis.call('HGET', KEYS[1], 'to') or '')
if not from or tonumber(ARGV[1]) < from then
  redis.call('HSET', KEYS[1], 'from', ARGV[1])
end
if not to or tonumber(ARGV[2]) > to then
  redis.call('HSET', KEYS[1], 'to', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`)

// datesTTL bounds how long a run's sitemap extent stays in Redis.
const datesTTL = 7 * 24 * time.Hour

// datesKey is the run's extent of the translation sitemaps: per run, so
// that a new run learns it again from the sitemaps it reads.
func (f *Frontier) datesKey() string { return f.key("dates:" + f.runID()) }

// ShareSitemapDates widens the extent of the translation sitemaps that
// every process of the run knows (see crawler.SitemapDates).
func (f *Frontier) ShareSitemapDates(ctx context.Context, from, to time.Time) error {
	if to.IsZero() {
		return nil
	}
	if from.IsZero() {
		from = to
	}
	err := f.c.Do(ctx, func(ctx context.Context) error {
		return datesScript.Run(ctx, f.c.rdb, []string{f.datesKey()},
			from.UnixMilli(), to.UnixMilli(), datesTTL.Milliseconds()).Err()
	})
	if err != nil {
		return fmt.Errorf("share sitemap dates: %w", err)
	}
	return nil
}

// SitemapDates reads the run's extent of the translation sitemaps; zero
// times when no process has shared any.
func (f *Frontier) SitemapDates(ctx context.Context) (from, to time.Time, err error) {
	var v []any
	err = f.c.Do(ctx, func(ctx context.Context) error {
		var err error
		v, err = f.c.rdb.HMGet(ctx, f.datesKey(), "from", "to").Result()
		return err
	})
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("sitemap dates: %w", err)
	}
	ms := func(x any) time.Time {
		s, _ := x.(string)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}
		}
		return time.UnixMilli(n)
	}
	from, to = ms(v[0]), ms(v[1])
	if from.IsZero() || to.IsZero() {
		return time.Time{}, time.Time{}, nil
	}
	return from, to, nil
}
