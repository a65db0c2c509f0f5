package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/search"
)

// gatedService is the fixture's real search service, held at a gate:
// each search waits there until the test opens it, so that the test
// decides how many are in flight.
type gatedService struct {
	search.Service
	entered chan struct{}
	gate    chan struct{}
}

func (g *gatedService) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	g.entered <- struct{}{}
	<-g.gate
	return g.Service.Search(ctx, q)
}

type answer struct {
	status     int
	retryAfter string
	code       string
	body       string
}

func getAnswer(url string) answer {
	resp, err := http.Get(url)
	if err != nil {
		return answer{body: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: string(b)}
	var e struct {
		Error apiError `json:"error"`
	}
	if json.Unmarshal(b, &e) == nil {
		a.code = e.Error.Code
	}
	return a
}

// TestAdmission: with two searches running and one queued, the next is
// turned away at once with a JSON 429 and Retry-After (the page with an
// HTML one), a queued search that finds no slot in time too; the
// admitted ones are answered once the searches finish, and /metrics
// counts the refusals.
func TestAdmission(t *testing.T) {
	g := &gatedService{Service: newFixtureService(t), entered: make(chan struct{}, 16), gate: make(chan struct{})}
	_, ts := newTestServer(t, g, Options{MaxSearches: 2, SearchQueue: 1, QueueWait: time.Minute})
	search := ts.URL + "/api/v1/search?q=Krong"
	answers := make(chan answer, 3)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { answers <- getAnswer(search) })
	}
	<-g.entered
	<-g.entered
	waitFor(t, "a queued search", func() bool { return len(g.entered) == 0 && queuedNow(t, ts.URL) == 1 })

	over := getAnswer(search)
	if over.status != http.StatusTooManyRequests || over.retryAfter != "1" || over.code != "overloaded" || !strings.Contains(over.body, "queue_full") {
		t.Errorf("search beyond the queue: %+v, want a JSON 429 with Retry-After: 1", over)
	}
	page := getAnswer(ts.URL + "/?q=Krong")
	if page.status != http.StatusTooManyRequests || page.retryAfter != "1" || !strings.Contains(page.body, "<html") {
		t.Errorf("search page beyond the queue: %d %q %.100s, want an HTML 429", page.status, page.retryAfter, page.body)
	}
	if rep := getAnswer(ts.URL + "/api/v1/reports/396102"); rep.status != http.StatusOK {
		t.Errorf("a report while searches are full: %d, want it answered (reports are not admitted)", rep.status)
	}

	close(g.gate) // the searches finish; the queued one runs
	wg.Wait()
	close(answers)
	for a := range answers {
		if a.status != http.StatusOK {
			t.Errorf("an admitted search: %+v", a)
		}
	}
	m := getAnswer(ts.URL + "/metrics").body
	for _, want := range []string{`baoscope_search_rejected_total{reason="queue_full"} 2`, "baoscope_search_in_flight 0", "baoscope_search_queued 0",
		`baoscope_http_requests_total{code="429",method="get",route="GET /api/v1/search"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestAdmissionQueueTimeout: a queued search that gets no slot within
// QueueWait is a 429 too; with MaxSearches < 0 nothing is refused.
func TestAdmissionQueueTimeout(t *testing.T) {
	g := &gatedService{Service: newFixtureService(t), entered: make(chan struct{}, 16), gate: make(chan struct{})}
	_, ts := newTestServer(t, g, Options{MaxSearches: 1, SearchQueue: 1, QueueWait: 20 * time.Millisecond})
	done := make(chan answer, 1)
	go func() { done <- getAnswer(ts.URL + "/api/v1/search?q=Krong") }()
	<-g.entered
	if a := getAnswer(ts.URL + "/api/v1/search?q=Krong"); a.status != http.StatusTooManyRequests || !strings.Contains(a.body, "queue_timeout") {
		t.Errorf("queued past QueueWait: %+v", a)
	}
	close(g.gate)
	if a := <-done; a.status != http.StatusOK {
		t.Errorf("the running search: %+v", a)
	}

	free := &gatedService{Service: newFixtureService(t), entered: make(chan struct{}, 16), gate: make(chan struct{})}
	_, ts = newTestServer(t, free, Options{MaxSearches: -1})
	all := make(chan answer, 8)
	for range 8 {
		go func() { all <- getAnswer(ts.URL + "/api/v1/search?q=Krong") }()
	}
	for range 8 {
		<-free.entered // all eight run at once
	}
	close(free.gate)
	for range 8 {
		if a := <-all; a.status != http.StatusOK {
			t.Errorf("without admission control: %+v", a)
		}
	}
}

// queuedNow reads baoscope_search_queued from /metrics.
func queuedNow(t *testing.T, base string) int {
	t.Helper()
	for _, line := range strings.Split(getAnswer(base+"/metrics").body, "\n") {
		if v, ok := strings.CutPrefix(line, "baoscope_search_queued "); ok {
			if v == "1" {
				return 1
			}
			return 0
		}
	}
	return -1
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 10 s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stallWriter is a client that takes the first part of a response and
// then stops reading until the test lets it go on.
type stallWriter struct {
	header  http.Header
	mu      sync.Mutex
	body    strings.Builder
	stalled chan struct{} // closed at the first write
	goOn    chan struct{}
	once    sync.Once
}

func (w *stallWriter) Header() http.Header { return w.header }
func (w *stallWriter) WriteHeader(int)     {}
func (w *stallWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.stalled); <-w.goOn })
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.body.Write(p)
}

// TestExportYieldsItsSlot: with one search slot and no queue, an export
// whose client stops reading after its first page holds no slot: a
// search meanwhile is answered, and the export then takes a slot again
// for each of its next pages and ends with every report.
func TestExportYieldsItsSlot(t *testing.T) {
	srv, ts := newTestServer(t, newFixtureService(t), Options{MaxSearches: 1, SearchQueue: -1, MaxPageSize: 1, DefaultPageSize: 1})
	w := &stallWriter{header: http.Header{}, stalled: make(chan struct{}), goOn: make(chan struct{})}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/search?format=jsonl", nil))
	}()
	<-w.stalled
	if a := getAnswer(ts.URL + "/api/v1/search?q=Krong"); a.status != http.StatusOK {
		t.Errorf("search while an export's client stalls: %d %s, want 200", a.status, a.body)
	}
	close(w.goOn)
	<-done
	all := getAnswer(ts.URL + "/api/v1/search?size=1")
	var res struct {
		Total int `json:"total_reports"`
	}
	if err := json.Unmarshal([]byte(all.body), &res); err != nil || res.Total < 2 {
		t.Fatalf("fixture: %v, %d reports, want several pages of one", err, res.Total)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if lines := strings.Count(w.body.String(), "\n"); lines != res.Total {
		t.Errorf("export wrote %d reports, want %d", lines, res.Total)
	}
}
