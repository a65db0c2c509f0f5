package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"baoscope/model"
)

// TestServeLoadCounts: answers are counted by status, and only the
// accepted ones make the latencies.
func TestServeLoadCounts(t *testing.T) {
	status := map[string]int{"ok": 200, "busy": 429, "broken": 500, "slow": 503, "bad": 400}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/search" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status[r.URL.Query().Get("q")])
	}))
	defer srv.Close()
	var qs []Query
	for _, q := range []string{"ok", "busy", "broken", "slow", "bad"} {
		qs = append(qs, Query{Name: q, Q: model.Query{Text: q}})
	}
	r, err := RunServeLoad(context.Background(), srv.URL, 5, 200*time.Millisecond, qs, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests == 0 || r.Accepted+r.Refused+r.Server+r.Other+r.Failed != r.Requests {
		t.Fatalf("counts do not add up: %+v", r)
	}
	// Each client sends the five in turn: each status about a fifth.
	for name, n := range map[string]int{"accepted": r.Accepted, "refused": r.Refused, "other": r.Other} {
		if n < r.Requests/5-5 || n > r.Requests/5+5 {
			t.Errorf("%s = %d of %d, want about a fifth", name, n, r.Requests)
		}
	}
	if r.Server < 2*r.Requests/5-10 || r.Timeouts < r.Requests/5-5 || r.Failed != 0 {
		t.Errorf("5xx %d (timeouts %d), failed %d of %d", r.Server, r.Timeouts, r.Failed, r.Requests)
	}
	if r.AcceptedMs.P99 <= 0 || r.AcceptedMs.P99 > r.AcceptedMs.Max || r.RefusedShare <= 0 {
		t.Errorf("latencies %+v, refused share %.2f", r.AcceptedMs, r.RefusedShare)
	}
}

// TestServeLoadPolite: a polite client waits a 429's Retry-After before
// its next request.
func TestServeLoadPolite(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	r, err := RunServeLoad(context.Background(), srv.URL, 3, 1500*time.Millisecond, []Query{{Q: model.Query{Text: "x"}}}, true)
	if err != nil {
		t.Fatal(err)
	}
	// Each client: a request at once, another after a second, then the
	// deadline.
	if r.Requests != 6 || r.Refused != 6 || !r.Polite {
		t.Errorf("%d requests, %d refused; want 2 per client", r.Requests, r.Refused)
	}
}
