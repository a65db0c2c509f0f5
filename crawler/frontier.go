package crawler

import (
	"context"
	"sync"
)

// frontier is the crawl's queue: FIFO, de-duplicated by URL for the run,
// and aware of work in flight so that workers know when the crawl is over
// (queue empty and nothing in flight that could add to it).
type frontier struct {
	mu       sync.Mutex
	cond     *sync.Cond
	queue    []task
	seen     map[string]struct{}
	inflight int
	closed   bool
}

func newFrontier() *frontier {
	f := &frontier{seen: make(map[string]struct{})}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// push adds t unless its URL was already queued this run.
func (f *frontier) push(t task) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	if _, ok := f.seen[t.url]; ok {
		return
	}
	f.seen[t.url] = struct{}{}
	f.queue = append(f.queue, t)
	f.cond.Signal()
}

// pop blocks until a task is available, and returns false when the crawl
// is finished or ctx is done.
func (f *frontier) pop(ctx context.Context) (task, bool) {
	stop := context.AfterFunc(ctx, func() {
		f.mu.Lock()
		f.closed = true
		f.mu.Unlock()
		f.cond.Broadcast()
	})
	defer stop()
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.queue) == 0 && f.inflight > 0 && !f.closed {
		f.cond.Wait()
	}
	if f.closed || len(f.queue) == 0 {
		f.closed = true
		f.cond.Broadcast()
		return task{}, false
	}
	t := f.queue[0]
	f.queue[0] = task{}
	f.queue = f.queue[1:]
	f.inflight++
	return t, true
}

// done marks a popped task finished.
func (f *frontier) done() {
	f.mu.Lock()
	f.inflight--
	f.mu.Unlock()
	f.cond.Broadcast()
}

// size is the number of queued tasks.
func (f *frontier) size() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue)
}
