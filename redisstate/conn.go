package redisstate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/redis/go-redis/v9"
)

// DefaultOutageLimit is how long a Conn waits for an unreachable Redis
// before its calls fail.
const DefaultOutageLimit = 3 * time.Minute

// ConnOptions tune a Conn; zero values get the defaults.
type ConnOptions struct {
	// OutageLimit is how long Redis may stay unreachable before calls
	// fail with an *OutageError. Zero: DefaultOutageLimit.
	OutageLimit time.Duration
	// Hint ends an OutageError's message: what the operator can do.
	Hint string
	// MaxBackoff caps the wait between two attempts. Zero: 2 s.
	MaxBackoff time.Duration
	Logger     *slog.Logger
}

// Conn is a Redis client that rides out outages: a call that fails
// because Redis cannot be reached (refused, reset, timed out, or still
// loading its data after a restart) is retried with exponential backoff
// until Redis answers, for as long as the outage has lasted less than
// OutageLimit. An outage is one for every call of the Conn: it starts at
// the first failure and ends at the first success, so a crawl's workers,
// all blocked in their calls, give up together.
type Conn struct {
	rdb  redis.UniversalClient
	addr string
	opts ConnOptions
	log  *slog.Logger

	mu        sync.Mutex
	downSince time.Time // zero while Redis answers
	announced bool      // the outage was logged
	outages   int
}

// Dial returns a Conn to the Redis server at addr (host:port). Its client
// does not retry by itself: Do retries, within the outage limit (the
// client's own retries would only delay noticing an outage).
func Dial(addr string, opts ConnOptions) *Conn {
	return NewConn(redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1}), addr, opts)
}

// Close closes the client.
func (c *Conn) Close() error { return c.rdb.Close() }

// NewConn wraps rdb; addr names the server in messages.
func NewConn(rdb redis.UniversalClient, addr string, opts ConnOptions) *Conn {
	if opts.OutageLimit <= 0 {
		opts.OutageLimit = DefaultOutageLimit
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 2 * time.Second
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Conn{rdb: rdb, addr: addr, opts: opts, log: log}
}

// Client is the underlying client, for calls that need no retries.
func (c *Conn) Client() redis.UniversalClient { return c.rdb }

// Outages is how many outages the Conn has met: failures that outlasted
// a call's first retry (a single failure is usually a pooled connection
// the server closed when it restarted).
func (c *Conn) Outages() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.outages
}

// OutageError is returned once Redis has been unreachable for longer than
// the limit.
type OutageError struct {
	Addr  string
	For   time.Duration
	Limit time.Duration
	Hint  string
	Err   error // the last failure
}

func (e *OutageError) Error() string {
	msg := fmt.Sprintf("redis %s unreachable for %s, beyond the outage limit of %s (last error: %v)",
		e.Addr, e.For.Round(time.Second), e.Limit, e.Err)
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *OutageError) Unwrap() error { return e.Err }

// Do runs fn until it succeeds, fails for a reason other than an
// unreachable Redis, ctx ends, or the outage outlasts the limit.
func (c *Conn) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	var b *backoff.ExponentialBackOff
	for attempt := 0; ; attempt++ {
		err := fn(ctx)
		if ctx.Err() != nil {
			// Cancelled: says nothing of Redis.
			return err
		}
		if err == nil || !Unreachable(err) {
			c.up()
			return err
		}
		if lasted := c.down(err, attempt > 0); lasted > c.opts.OutageLimit {
			return &OutageError{Addr: c.addr, For: lasted, Limit: c.opts.OutageLimit, Hint: c.opts.Hint, Err: err}
		}
		if b == nil {
			b = backoff.NewExponentialBackOff()
			b.InitialInterval = 50 * time.Millisecond
			b.MaxInterval = c.opts.MaxBackoff
		}
		t := time.NewTimer(b.NextBackOff())
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// down records a failed call and returns how long the outage has lasted;
// a retry that failed too (again) makes it an outage worth a log line.
func (c *Conn) down(err error, again bool) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.downSince.IsZero() {
		c.downSince = time.Now()
	}
	if again && !c.announced {
		c.announced = true
		c.outages++
		c.log.Warn("redis unreachable: shared crawl paused, reconnecting", "addr", c.addr,
			"limit", c.opts.OutageLimit, "err", err)
	}
	return time.Since(c.downSince)
}

func (c *Conn) up() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.announced {
		c.log.Warn("redis reachable again: shared crawl resumes", "addr", c.addr,
			"after", time.Since(c.downSince).Round(time.Millisecond))
	}
	c.downSince, c.announced = time.Time{}, false
}

// Unreachable says err means Redis could not be reached or cannot serve
// yet, rather than that it refused the command: a network error, or one
// of the replies of a server starting up or failing over.
func Unreachable(err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || errors.Is(err, redis.ErrClosed) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var rerr redis.Error
	if errors.As(err, &rerr) {
		for _, p := range []string{"LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY"} {
			if strings.HasPrefix(rerr.Error(), p) {
				return true
			}
		}
		return false
	}
	// Dial and I/O failures, EOF from a server that went away, pool
	// timeouts: none is a reply of Redis.
	return true
}
