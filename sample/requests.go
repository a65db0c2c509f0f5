package sample

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Requests counts the requests a Site answered, per mirrored site and
// status, so that a test or `baoscope mirror` can tell what a crawl cost
// the servers (its own count may leave out what its HTTP library fetched
// by itself, such as robots.txt).
type Requests struct {
	mu     sync.Mutex
	counts map[string]map[int]int // site → status → requests
}

func (q *Requests) add(site string, status int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.counts == nil {
		q.counts = map[string]map[int]int{}
	}
	if q.counts[site] == nil {
		q.counts[site] = map[int]int{}
	}
	q.counts[site][status]++
}

// Count is the number of requests of site answered with status; status 0
// counts every status.
func (q *Requests) Count(site string, status int) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if status != 0 {
		return q.counts[site][status]
	}
	n := 0
	for _, v := range q.counts[site] {
		n += v
	}
	return n
}

// Total is the number of requests of both sites answered with status (0:
// any).
func (q *Requests) Total(status int) int {
	q.mu.Lock()
	sites := slices.Collect(maps.Keys(q.counts))
	q.mu.Unlock()
	n := 0
	for _, s := range sites {
		n += q.Count(s, status)
	}
	return n
}

// String is "baolamdong.vn 200=141 404=0 · vietnam.vn 200=800 …", sites
// and statuses sorted.
func (q *Requests) String() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	var parts []string
	for _, site := range slices.Sorted(maps.Keys(q.counts)) {
		var b strings.Builder
		b.WriteString(site)
		for _, st := range slices.Sorted(maps.Keys(q.counts[site])) {
			fmt.Fprintf(&b, " %d=%d", st, q.counts[site][st])
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " · ")
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets the fault pages that stream (slow, truncated) flush through
// the counter.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the connection underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// counted counts every answer of h under site.
func (s *Site) counted(site string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.requests.add(site, sw.status)
	})
}

// Requests is what the site has answered so far.
func (s *Site) Requests() *Requests { return &s.requests }
