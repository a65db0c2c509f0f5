// Package ctxtest has a context for tests of cancellation: it ends after
// a given number of looks at it rather than after a time, so a test can
// cancel a long computation at each point where it checks its context,
// one run per point, and assert that every one stops it, with no timing.
package ctxtest

import (
	"context"
	"sync"
	"sync/atomic"
)

// Countdown is a context that reports context.Canceled from its
// (n+1)-th call to Err on, and closes Done then. Code that only waits on
// Done without ever calling Err is not counted and never cancelled.
type Countdown struct {
	context.Context
	n     int64 // looks before the cancellation; negative: never
	looks atomic.Int64
	done  chan struct{}
	once  sync.Once
}

// New returns a Countdown whose first n calls to Err return nil; n < 0
// never cancels, to count the looks of a whole run (Looks).
func New(n int) *Countdown {
	return &Countdown{Context: context.Background(), n: int64(n), done: make(chan struct{})}
}

// Err counts a look and says whether the countdown has run out.
func (c *Countdown) Err() error {
	if look := c.looks.Add(1); c.n < 0 || look <= c.n {
		return nil
	}
	c.once.Do(func() { close(c.done) })
	return context.Canceled
}

// Done is closed once Err has reported the cancellation.
func (c *Countdown) Done() <-chan struct{} { return c.done }

// Looks is how many times Err was called.
func (c *Countdown) Looks() int { return int(c.looks.Load()) }
