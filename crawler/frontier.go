package crawler

import (
	"context"
	"hash/maphash"
	"sync"
)

// frontier is the crawl's queue: one FIFO per site, so that a long queue
// of translation candidates never starves the other host's workers,
// de-duplicated by URL for the run, and aware of work in flight so that
// workers know when the crawl is over (every queue empty and nothing in
// flight that could add to one).
//
// Memory is what bounds a crawl of the real sites (hundreds of thousands
// of originals, sixteen candidate languages each), so the frontier keeps
// a 64-bit hash per URL seen rather than the URL, and an original's
// translation candidates as one queue entry that is expanded a language at
// a time as workers ask for them.
//
// Candidates wait in a queue of their own, served only when their site has
// nothing named by the sites left, queued or in flight: every translation
// a sitemap, feed or link names is fetched (and the rates that decide the
// guesses learnt) before a URL is guessed.
type frontier struct {
	mu       sync.Mutex
	cond     *sync.Cond
	queues   map[string]*queue
	deferred map[string]*queue // candidates entries, by site
	named    map[string]int    // tasks in flight that are not guesses, by site
	seen     map[uint64]seenFlags
	seed     maphash.Seed
	inflight int
	closed   bool
	// taken and finished count the tasks accepted and done this run: a
	// progress total that grows as discovery finds more.
	taken, finished int
	// expand turns a candidates entry into its i-th task (a task without
	// URL when that language is passed over); false when i is past the
	// last language. order, when set, fixes an entry's language order at
	// its first expansion.
	expand func(c task, i int) (task, bool)
	order  func() []string
}

type seenFlags uint8

const (
	seenQueued     seenFlags = 1 << iota // taken into the frontier this run
	seenConfirmed                        // named by the site itself (sitemap, feed, link), not only guessed
	seenRemembered                       // skipped as a remembered 404 while only guessed
)

// queue is a FIFO of tasks.
type queue struct {
	items []task
	head  int
}

func (q *queue) len() int { return len(q.items) - q.head }

func (q *queue) push(t task) { q.items = append(q.items, t) }

func (q *queue) front() *task { return &q.items[q.head] }

func (q *queue) drop() {
	q.items[q.head] = task{}
	q.head++
	// Reclaim the consumed prefix once it dominates, so a long crawl's
	// queue does not grow without bound.
	if q.head > 1024 && q.head*2 > len(q.items) {
		q.items = append(q.items[:0:0], q.items[q.head:]...)
		q.head = 0
	}
}

func newFrontier(sites []string, expand func(task, int) (task, bool), order func() []string) *frontier {
	f := &frontier{
		queues:   map[string]*queue{},
		deferred: map[string]*queue{},
		named:    map[string]int{},
		seen:     map[uint64]seenFlags{},
		seed:     maphash.MakeSeed(),
		expand:   expand,
		order:    order,
	}
	for _, s := range sites {
		f.queues[s] = &queue{}
		f.deferred[s] = &queue{}
	}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *frontier) key(u string) uint64 { return maphash.String(f.seed, u) }

// push adds t unless its URL was already taken this run. A URL the site
// itself names (not guessed) that was earlier skipped as a remembered 404
// candidate is taken again: the site now says it exists.
func (f *frontier) push(t task) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	q := f.queues[t.site]
	if q == nil {
		return
	}
	if t.kind == kindCandidates {
		f.deferred[t.site].push(t)
		f.cond.Broadcast()
		return
	}
	k := f.key(t.url)
	flags, ok := f.seen[k]
	if !t.guessed {
		f.seen[k] = flags | seenQueued | seenConfirmed
	}
	if ok {
		if !t.guessed && flags&seenRemembered != 0 && flags&seenConfirmed == 0 {
			f.taken++
			q.push(t)
			f.cond.Broadcast()
		}
		return
	}
	f.seen[k] |= seenQueued
	f.taken++
	q.push(t)
	f.cond.Broadcast()
}

// pushAgain queues t even though its URL was seen: a redirect of a page to
// itself, which sites use to set a cookie.
func (f *frontier) pushAgain(t task) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	if q := f.queues[t.site]; q != nil {
		f.taken++
		q.push(t)
		f.cond.Broadcast()
	}
}

// confirmed reports whether the site itself named u this run.
func (f *frontier) confirmed(u string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[f.key(u)]&seenConfirmed != 0
}

// remembered marks a guessed URL skipped as a remembered 404, so that a
// later push naming it for real queues it again.
func (f *frontier) remembered(u string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen[f.key(u)] |= seenRemembered
}

// unremember clears the remembered mark of u and reports whether it was
// set: a URL first skipped as a remembered 404 and then queued because
// the site named it must not be counted twice.
func (f *frontier) unremember(u string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := f.key(u)
	was := f.seen[k]&seenRemembered != 0
	f.seen[k] &^= seenRemembered
	return was
}

// pop blocks until a task of site is available, and returns false when
// the crawl is finished or ctx is done.
func (f *frontier) pop(ctx context.Context, site string) (task, bool) {
	stop := context.AfterFunc(ctx, func() {
		f.mu.Lock()
		f.closed = true
		f.mu.Unlock()
		f.cond.Broadcast()
	})
	defer stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		if f.closed {
			return task{}, false
		}
		if q := f.ready(site); q != nil {
			t, ok := f.next(q)
			if !ok {
				continue
			}
			f.inflight++
			if !t.guessed {
				f.named[site]++
			}
			return t, true
		}
		if f.inflight == 0 && f.queued() == 0 {
			// Nothing queued anywhere and nothing in flight: done.
			f.closed = true
			f.cond.Broadcast()
			return task{}, false
		}
		// Work in flight or on other sites may feed this site's queues.
		f.cond.Wait()
	}
}

// ready is the queue of site to serve next: named pages first; guesses
// once none is left queued or in flight. Nil when neither may be served.
func (f *frontier) ready(site string) *queue {
	if q := f.queues[site]; q.len() > 0 {
		return q
	}
	if d := f.deferred[site]; d.len() > 0 && f.named[site] == 0 {
		return d
	}
	return nil
}

// next takes the head of q, expanding a candidates entry one language at
// a time and skipping candidates already seen.
func (f *frontier) next(q *queue) (task, bool) {
	h := q.front()
	if h.kind != kindCandidates {
		t := *h
		q.drop()
		return t, true
	}
	if h.attempt == 0 && h.langs == nil && f.order != nil {
		h.langs = f.order()
	}
	for {
		t, ok := f.expand(*h, h.attempt)
		if !ok {
			q.drop()
			return task{}, false
		}
		h.attempt++
		if t.url == "" {
			continue
		}
		k := f.key(t.url)
		if _, seen := f.seen[k]; seen {
			continue
		}
		f.seen[k] = seenQueued
		f.taken++
		return t, true
	}
}

// queued counts the entries waiting in every queue (a candidates entry
// counts once).
func (f *frontier) queued() int {
	n := 0
	for _, q := range f.queues {
		n += q.len()
	}
	for _, q := range f.deferred {
		n += q.len()
	}
	return n
}

// done marks a popped task finished.
func (f *frontier) done(t task) {
	f.mu.Lock()
	f.inflight--
	f.finished++
	if !t.guessed {
		f.named[t.site]--
	}
	f.mu.Unlock()
	f.cond.Broadcast()
}

// progress is the number of tasks taken into the frontier this run (a
// candidates entry counts as each guess it expands to) and of those done.
func (f *frontier) progress() (total, done int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.taken, f.finished
}

// size is the number of queued entries and of tasks in flight.
func (f *frontier) size() (queued, inflight int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queued(), f.inflight
}
