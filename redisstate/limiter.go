package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter enforces one host's politeness across processes: at least
// Delay between the starts of two requests, and at most Parallel in
// flight. Slots expire after ttl so that a killed process cannot hold one
// forever.
type Limiter struct {
	c        *Conn
	prefix   string
	delay    time.Duration
	parallel int
	ttl      time.Duration
}

// NewLimiter returns a limiter; ttl bounds how long a slot is held by a
// process that never releases it (crashed), and should exceed the
// request timeout.
func NewLimiter(c *Conn, prefix string, delay time.Duration, parallel int, ttl time.Duration) *Limiter {
	if parallel < 1 {
		parallel = 1
	}
	if ttl <= 0 {
		ttl = 2 * time.Minute
	}
	return &Limiter{c: c, prefix: prefix, delay: delay, parallel: parallel, ttl: ttl}
}

// acquireScript takes a slot if the host has a free one and its delay has
// passed; otherwise it returns how many milliseconds to wait.
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextAt then
  return nextAt - now
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.min(50, tonumber(first[2]) - now))
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('SET', KEYS[2], now + tonumber(ARGV[2]), 'PX', tonumber(ARGV[2]) + 1000)
return 0`)

// Acquire waits for a slot for host and returns its release function.
func (l *Limiter) Acquire(ctx context.Context, host string) (release func(), err error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	slots, next := l.keys(host)
	keys := []string{slots, next}
	for {
		var wait int64
		err := l.c.Do(ctx, func(ctx context.Context) error {
			var err error
			wait, err = acquireScript.Run(ctx, l.c.rdb, keys, strconv.Itoa(l.parallel),
				strconv.FormatInt(l.delay.Milliseconds(), 10), strconv.FormatInt(l.ttl.Milliseconds(), 10), token).Int64()
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("rate limit %s: %w", host, err)
		}
		if wait == 0 {
			return func() {
				// Released even when the request's context is done, and
				// through an outage: a slot left behind would hold the
				// host's cap until its ttl.
				_ = l.c.Do(context.WithoutCancel(ctx), func(ctx context.Context) error {
					return l.c.rdb.ZRem(ctx, keys[0], token).Err()
				})
			}, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(wait) * time.Millisecond):
		}
	}
}

// keys are host's keys: its slots in flight (a sorted set of tokens
// scored by expiry) and its next allowed start (unix milliseconds on
// Redis's clock).
func (l *Limiter) keys(host string) (slots, next string) {
	return l.prefix + ":slots:" + host, l.prefix + ":next:" + host
}

// pauseScript moves the host's next allowed start to at least ARGV[1]
// (unix milliseconds), e.g. after a 429 with Retry-After.
var pauseScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local t = tonumber(ARGV[1])
if t > cur then
  redis.call('SET', KEYS[1], t, 'PXAT', t + 1000)
end
return 0`)

// PauseUntil holds every process's requests to host until t.
func (l *Limiter) PauseUntil(ctx context.Context, host string, t time.Time) error {
	err := l.c.Do(ctx, func(ctx context.Context) error {
		_, next := l.keys(host)
		return pauseScript.Run(ctx, l.c.rdb, []string{next}, strconv.FormatInt(t.UnixMilli(), 10)).Err()
	})
	if err != nil {
		return fmt.Errorf("pause %s: %w", host, err)
	}
	return nil
}
