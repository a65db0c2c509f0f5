package server

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Admission control: a bounded number of searches run at once, a short
// queue waits for them, and anything beyond is turned away at once with
// a 429 and Retry-After, as Elasticsearch does when its search queue is
// full. Without it, 200 clients on two cores all started their searches,
// every one slowed down, and those past the query timeout got a 503
// after 10 s (issue 16): work done for nothing, and no early signal.

// Defaults of the admission options.
const (
	// DefaultQueueWait bounds how long a queued search waits for a slot:
	// a client is better told at once to come back than kept waiting
	// behind a backlog.
	DefaultQueueWait = time.Second
	// retryAfter is the Retry-After of a 429, in seconds: a search takes
	// tens of milliseconds, so a second later the queue has turned over.
	retryAfter = 1
)

// DefaultMaxSearches is Options.MaxSearches when 0: two per core, as
// search caps its CPU-bound pass 1 (search.Options.MaxAggregations). More
// at once finish none sooner.
func DefaultMaxSearches() int { return 2 * runtime.GOMAXPROCS(0) }

// Why a search was turned away (the reason label of the metric).
const (
	rejectQueueFull    = "queue_full"
	rejectQueueTimeout = "queue_timeout"
)

// admission holds the slots of searches in flight and of the queue.
type admission struct {
	slots chan struct{} // one token per search running
	queue chan struct{} // one token per search waiting
	wait  time.Duration

	inFlight, queued prometheus.Gauge
	rejected         *prometheus.CounterVec
}

// newAdmission returns nil (no admission control) when maxSearches is
// negative.
func newAdmission(maxSearches, queue int, wait time.Duration, reg prometheus.Registerer) *admission {
	if maxSearches < 0 {
		return nil
	}
	if maxSearches == 0 {
		maxSearches = DefaultMaxSearches()
	}
	if queue == 0 {
		queue = 2 * maxSearches
	}
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	a := &admission{
		slots: make(chan struct{}, maxSearches),
		queue: make(chan struct{}, max(queue, 0)),
		wait:  wait,
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "baoscope", Subsystem: "search", Name: "in_flight",
			Help: "Searches running (admitted, not yet answered).",
		}),
		queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "baoscope", Subsystem: "search", Name: "queued",
			Help: "Searches waiting for a slot.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "baoscope", Subsystem: "search", Name: "rejected_total",
			Help: "Searches turned away with a 429, by reason (queue_full, queue_timeout).",
		}, []string{"reason"}),
	}
	reg.MustRegister(a.inFlight, a.queued, a.rejected)
	return a
}

// acquire takes a slot, at once or after waiting in the queue; it
// returns the function that gives it back, or the reason it was refused
// (or the context's error, when the client left while queued).
func (a *admission) acquire(ctx context.Context) (release func(), reason string, err error) {
	select {
	case a.slots <- struct{}{}:
		return a.admitted(), "", nil
	default:
	}
	select {
	case a.queue <- struct{}{}:
	default:
		a.rejected.WithLabelValues(rejectQueueFull).Inc()
		return nil, rejectQueueFull, nil
	}
	a.queued.Inc()
	defer func() {
		<-a.queue
		a.queued.Dec()
	}()
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case a.slots <- struct{}{}:
		return a.admitted(), "", nil
	case <-t.C:
		a.rejected.WithLabelValues(rejectQueueTimeout).Inc()
		return nil, rejectQueueTimeout, nil
	case <-ctx.Done():
		return nil, "", ctx.Err()
	}
}

func (a *admission) admitted() func() {
	a.inFlight.Inc()
	return func() {
		a.inFlight.Dec()
		<-a.slots
	}
}

// admit runs h under admission control: a 429 with Retry-After when no
// slot is free and the queue is full, or a queued request found none in
// time. Routes that search (the API's search and exports, the search
// page) are admitted; a report or the statistics are cheap and are not.
func (s *Server) admit(h http.HandlerFunc) http.HandlerFunc {
	if s.adm == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		release, reason, err := s.adm.acquire(r.Context())
		if err != nil {
			s.errorFor(w, r, statusClientClosed, apiError{Code: "canceled", Message: "request canceled"})
			return
		}
		if release == nil {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
			s.errorFor(w, r, http.StatusTooManyRequests, apiError{
				Code:    "overloaded",
				Message: fmt.Sprintf("too many searches at once (%s); retry in %d s", reason, retryAfter),
			})
			return
		}
		t := &turn{a: s.adm, release: release}
		defer t.yield()
		h(w, r.WithContext(context.WithValue(r.Context(), turnKey{}, t)))
	}
}

// turn is an admitted request's slot. An export runs one search per page
// and then waits on its client while it writes the page: it gives the
// slot back while it writes (yield) and takes one again for its next
// page (take), waiting as long as that takes, since it was admitted
// once. A client reading a large export slowly then holds no search's
// slot; before, every export held one to its end.
type turn struct {
	a       *admission
	release func() // nil while the slot is given back
}

type turnKey struct{}

// turnOf is the request's turn; nil without admission control, and a
// nil turn's methods do nothing.
func turnOf(ctx context.Context) *turn {
	t, _ := ctx.Value(turnKey{}).(*turn)
	return t
}

// yield gives the slot back, if held.
func (t *turn) yield() {
	if t != nil && t.release != nil {
		t.release()
		t.release = nil
	}
}

// take takes a slot again, if given back, waiting until one is free or
// ctx ends.
func (t *turn) take(ctx context.Context) error {
	if t == nil || t.release != nil {
		return nil
	}
	select {
	case t.a.slots <- struct{}{}:
		t.release = t.a.admitted()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
