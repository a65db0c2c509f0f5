package bench

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Latency summarises one engine at one concurrency level.
type Latency struct {
	Engine  string  `json:"engine"`
	Clients int     `json:"clients"`
	Queries int     `json:"queries"`
	Errors  int     `json:"errors"`
	QPS     float64 `json:"qps"`
	P50     float64 `json:"p50_ms"`
	P95     float64 `json:"p95_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
}

// searchFunc runs one query and returns how many results (reports) it
// gave.
type searchFunc func(ctx context.Context, q Query) (int, error)

// QueryCheck is what one query returned, run once before the load: a
// query with nothing would measure nothing.
type QueryCheck struct {
	Name    string  `json:"name"`
	Engine  string  `json:"engine"`
	Reports int     `json:"reports"`
	Millis  float64 `json:"ms"`
	Err     string  `json:"error,omitempty"`
}

// check runs every query once, which also warms the caches.
func check(ctx context.Context, engine string, qs []Query, do searchFunc) []QueryCheck {
	out := make([]QueryCheck, 0, len(qs))
	for _, q := range qs {
		t0 := time.Now()
		n, err := do(ctx, q)
		c := QueryCheck{Name: q.Name, Engine: engine, Reports: n, Millis: ms(time.Since(t0))}
		if err != nil {
			c.Err = err.Error()
		}
		out = append(out, c)
	}
	return out
}

// runLoad has clients goroutines send the queries in turn, each starting
// at its own offset, for d. Between them the clients send every query at
// least once (the clients start evenly spread over the set), however slow
// the queries.
func runLoad(ctx context.Context, engine string, clients int, d time.Duration, qs []Query, do searchFunc) Latency {
	lat := make([][]time.Duration, clients)
	errs := make([]int, clients)
	start := time.Now()
	deadline := start.Add(d)
	least := (len(qs) + clients - 1) / clients
	var wg sync.WaitGroup
	for c := range clients {
		first := c * len(qs) / clients
		wg.Go(func() {
			for k := 0; ; k++ {
				if ctx.Err() != nil || (k >= least && time.Now().After(deadline)) {
					return
				}
				q := qs[(first+k)%len(qs)]
				t0 := time.Now()
				if _, err := do(ctx, q); err != nil {
					errs[c]++
					continue
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	l := Latency{Engine: engine, Clients: clients}
	for c := range clients {
		all = append(all, lat[c]...)
		l.Errors += errs[c]
	}
	slices.Sort(all)
	l.Queries = len(all)
	if len(all) > 0 {
		l.QPS = float64(len(all)) / elapsed.Seconds()
		l.P50, l.P95, l.P99 = ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(all, 99))
		l.Max = ms(all[len(all)-1])
	}
	return l
}

// pct is the nearest-rank percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
