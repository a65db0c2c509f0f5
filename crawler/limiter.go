package crawler

import (
	"context"
	"sync"
	"time"
)

// hostLimiter keeps one host's politeness: at most parallel requests in
// flight, request starts at least delay apart, and a pause for the whole
// host after a 429 or 503 with Retry-After.
//
// Colly's LimitRule is not enough on its own: its Delay is slept after
// each request while holding the slot, so two slots with a one-second
// delay make two requests a second, not one; and it knows nothing of
// Retry-After.
type hostLimiter struct {
	sem   chan struct{}
	delay time.Duration

	mu   sync.Mutex
	next time.Time // earliest start of the next request

	// shared, when set, also holds the host's politeness across processes.
	shared SharedLimiter
	host   string
}

func newHostLimiter(parallel int, delay time.Duration) *hostLimiter {
	return &hostLimiter{sem: make(chan struct{}, parallel), delay: delay}
}

// acquire waits for a slot and for the host's next start time, here and,
// when shared, across processes; the returned release must be called.
func (l *hostLimiter) acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	start := l.next
	if start.Before(now) {
		start = now
	}
	l.next = start.Add(l.delay)
	l.mu.Unlock()
	if err := sleep(ctx, start.Sub(now)); err != nil {
		<-l.sem
		return nil, err
	}
	if l.shared == nil {
		return func() { <-l.sem }, nil
	}
	rel, err := l.shared.Acquire(ctx, l.host)
	if err != nil {
		<-l.sem
		return nil, err
	}
	return func() { rel(); <-l.sem }, nil
}

// pauseUntil holds every request to the host until t, in every process
// when shared.
func (l *hostLimiter) pauseUntil(ctx context.Context, t time.Time) {
	l.mu.Lock()
	if t.After(l.next) {
		l.next = t
	}
	l.mu.Unlock()
	if l.shared != nil {
		// Best effort: this process pauses anyway; others learn of the
		// server's Retry-After from their own responses if this fails.
		_ = l.shared.PauseUntil(ctx, l.host, t)
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
