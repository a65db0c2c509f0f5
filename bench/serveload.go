package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ServeLoad is what many clients searching a running `baoscope serve`
// got: the figures of its admission control (docs/performance.md, Load
// shedding). Accepted requests are those answered 200; refused, 429.
type ServeLoad struct {
	Base     string  `json:"base"`
	Clients  int     `json:"clients"`
	Polite   bool    `json:"polite"` // clients waited Retry-After after a 429
	Seconds  float64 `json:"seconds"`
	Requests int     `json:"requests"`
	Accepted int     `json:"accepted"`
	Refused  int     `json:"refused"`  // 429
	Server   int     `json:"5xx"`      // 500–599: what must not happen
	Other    int     `json:"other"`    // any other status
	Failed   int     `json:"failed"`   // no response (connection error, client timeout)
	Timeouts int     `json:"timeouts"` // 503 from the query timeout, among Server
	// RefusedShare is Refused / Requests.
	RefusedShare float64 `json:"refused_share"`
	// AcceptedQPS is accepted answers per second.
	AcceptedQPS float64 `json:"accepted_qps"`
	// Latencies of accepted requests, and the slowest refusal: a 429 is
	// only worth it when it comes at once.
	AcceptedMs struct {
		P50 float64 `json:"p50"`
		P99 float64 `json:"p99"`
		Max float64 `json:"max"`
	} `json:"accepted_ms"`
	RefusedMaxMs float64 `json:"refused_max_ms"`
	FirstError   string  `json:"first_error,omitempty"`
}

// outcome is one request's answer.
type outcome struct {
	status int // 0: no response
	took   time.Duration
	err    error
	// retryAfter is a 429's Retry-After: how long a polite client waits
	// before its next request.
	retryAfter time.Duration
}

// RunServeLoad has clients goroutines search the API at base, each
// sending the queries in turn from its own offset, for d, over
// keep-alive connections, and counts the answers by status. With
// polite, a client told 429 waits its Retry-After before the next
// request, as a well-behaved client does; without, it asks again at
// once (the worst case: refusals then cost the server more than they
// save it, and their count grows without bound).
func RunServeLoad(ctx context.Context, base string, clients int, d time.Duration, qs []Query, polite bool) (*ServeLoad, error) {
	if clients <= 0 || len(qs) == 0 {
		return nil, fmt.Errorf("bench: serve load: %d clients, %d queries", clients, len(qs))
	}
	api := strings.TrimRight(base, "/") + "/api/v1/search?q="
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	got := make([][]outcome, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := range clients {
		first := c * len(qs) / clients
		wg.Go(func() {
			for k := 0; ctx.Err() == nil && time.Now().Before(deadline); k++ {
				o := get(ctx, client, api+url.QueryEscape(qs[(first+k)%len(qs)].Q.Text))
				got[c] = append(got[c], o)
				if polite && o.retryAfter > 0 {
					sleepUntil(ctx, time.Now().Add(min(o.retryAfter, time.Until(deadline))))
				}
			}
		})
	}
	wg.Wait()
	r := summarize(base, clients, time.Since(start), got)
	r.Polite = polite
	return r, nil
}

func get(ctx context.Context, client *http.Client, u string) outcome {
	t0 := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return outcome{err: err}
	}
	resp, err := client.Do(req)
	if err != nil {
		return outcome{err: err, took: time.Since(t0)}
	}
	// The answer counts when it has arrived whole.
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	o := outcome{status: resp.StatusCode, took: time.Since(t0), err: err}
	if resp.StatusCode == http.StatusTooManyRequests {
		o.retryAfter = time.Second
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			o.retryAfter = time.Duration(s) * time.Second
		}
	}
	return o
}

func sleepUntil(ctx context.Context, t time.Time) {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

func summarize(base string, clients int, elapsed time.Duration, got [][]outcome) *ServeLoad {
	r := &ServeLoad{Base: base, Clients: clients, Seconds: elapsed.Seconds()}
	var ok []time.Duration
	var refusedMax time.Duration
	for _, os := range got {
		for _, o := range os {
			r.Requests++
			switch {
			case o.status == 0 || o.err != nil:
				r.Failed++
				if r.FirstError == "" && o.err != nil {
					r.FirstError = o.err.Error()
				}
			case o.status == http.StatusOK:
				r.Accepted++
				ok = append(ok, o.took)
			case o.status == http.StatusTooManyRequests:
				r.Refused++
				refusedMax = max(refusedMax, o.took)
			case o.status >= 500:
				r.Server++
				if o.status == http.StatusServiceUnavailable {
					r.Timeouts++
				}
			default:
				r.Other++
			}
		}
	}
	if r.Requests > 0 {
		r.RefusedShare = float64(r.Refused) / float64(r.Requests)
	}
	r.AcceptedQPS = float64(r.Accepted) / elapsed.Seconds()
	r.RefusedMaxMs = ms(refusedMax)
	if len(ok) > 0 {
		slices.Sort(ok)
		r.AcceptedMs.P50, r.AcceptedMs.P99, r.AcceptedMs.Max = ms(pct(ok, 50)), ms(pct(ok, 99)), ms(ok[len(ok)-1])
	}
	return r
}

// Write prints the figures on one line each.
func (r *ServeLoad) Write(w io.Writer) {
	how := "asking again at once after a 429"
	if r.Polite {
		how = "waiting Retry-After after a 429"
	}
	fmt.Fprintf(w, "%d clients (%s) for %.1f s against %s: %d requests\n", r.Clients, how, r.Seconds, r.Base, r.Requests)
	fmt.Fprintf(w, "  accepted (200): %d, %.1f/s; p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", r.Accepted, r.AcceptedQPS, r.AcceptedMs.P50, r.AcceptedMs.P99, r.AcceptedMs.Max)
	fmt.Fprintf(w, "  refused (429): %d, %.1f %% of requests; slowest refusal %.1f ms\n", r.Refused, 100*r.RefusedShare, r.RefusedMaxMs)
	fmt.Fprintf(w, "  5xx: %d (503 query timeouts: %d); other statuses: %d; no response: %d\n", r.Server, r.Timeouts, r.Other, r.Failed)
	if r.FirstError != "" {
		fmt.Fprintf(w, "  first error: %s\n", r.FirstError)
	}
}
