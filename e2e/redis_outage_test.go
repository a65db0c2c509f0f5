package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"baoscope/internal/testredis"
	"baoscope/sample"
)

// outageFlags are what every process of the outage tests runs with; a
// variable so that the figures of docs/reliability.md can be measured on
// a binary without them (BAOSCOPE_OUTAGE_FLAGS=none).
var outageFlags = []string{"--redis-outage-limit", "30s", "--redis-lease", "5s"}

// condMirror is a mirror that also records which requests were
// conditional (If-None-Match or If-Modified-Since).
type condMirror struct {
	*mirror
	mu    sync.Mutex
	plain map[string]int // unconditional requests per URL
	cond  map[string]int
}

func startCondMirror(t *testing.T, c *sample.Corpus) *condMirror {
	t.Helper()
	site, err := sample.New(c, sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := &condMirror{mirror: &mirror{Site: site}, plain: map[string]int{}, cond: map[string]int{}}
	logged := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := "http://" + r.Host + r.URL.RequestURI()
			m.mu.Lock()
			if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
				m.cond[u]++
			} else {
				m.plain[u]++
			}
			m.mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
	bld := httptest.NewServer(logged(site.BaoLamDong()))
	vn := httptest.NewServer(logged(site.VietnamVN()))
	t.Cleanup(func() { bld.Close(); vn.Close() })
	m.BaoLamDongURL, m.VietnamVNURL = bld.URL, vn.URL
	return m
}

// outageRun is one shared crawl of three processes against a Redis
// server the test kills and restarts.
type outageRun struct {
	t      *testing.T
	bin    string
	srv    *testredis.Server
	m      *condMirror
	c      *sample.Corpus
	dirs   []string
	via    map[int]string // a process's Redis address, when not srv.Addr
	stored atomic.Int64   // "stored" log lines of every process so far

	mu    sync.Mutex
	lines []string // every process's log, debug included, as it came
}

// trace logs what every process logged about u: when a document is
// missing or fetched twice, the requests, rejoins and claims that led
// there.
func (o *outageRun) trace(u string) {
	o.t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, l := range o.lines {
		if strings.Contains(l, u) {
			o.t.Log(l)
		}
	}
}

func newOutageRun(t *testing.T, persist bool) *outageRun {
	t.Helper()
	if testing.Short() {
		t.Skip("runs three crawl processes")
	}
	if os.Getenv("BAOSCOPE_OUTAGE_FLAGS") == "none" {
		outageFlags = nil
	}
	srv := testredis.New(t, persist)
	bin := buildBaoscope(t, t.TempDir())
	c, err := sample.Generate(sample.GenerateOptions{Reports: 60, Langs: 4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return &outageRun{t: t, bin: bin, srv: srv, m: startCondMirror(t, c), c: c,
		dirs: []string{t.TempDir(), t.TempDir(), t.TempDir()}}
}

// start runs the three processes; wait returns each one's error and log.
func (o *outageRun) start(extra ...string) (wait func() ([]error, []string)) {
	o.t.Helper()
	errs := make([]error, len(o.dirs))
	logs := make([]string, len(o.dirs))
	if outageFlags == nil {
		extra = nil // measuring a binary without the flags
	}
	var wg sync.WaitGroup
	for i, d := range o.dirs {
		args := append(append([]string{"--log-level", "debug"}, outageFlags...), extra...)
		addr := o.srv.Addr
		if a, ok := o.via[i]; ok {
			addr = a
		}
		cmd, stderr := sharedCrawler(o.t, o.bin, addr, "outage", d, o.m.mirror, args...)
		wg.Go(func() {
			var b strings.Builder
			sc := bufio.NewScanner(stderr)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				line := sc.Text()
				o.mu.Lock()
				o.lines = append(o.lines, fmt.Sprintf("process %d: %s", i, line))
				o.mu.Unlock()
				if strings.Contains(line, "msg=stored") {
					o.stored.Add(1)
				}
				if !strings.Contains(line, "level=DEBUG") {
					b.WriteString(line + "\n")
				}
			}
			errs[i] = cmd.Wait()
			logs[i] = b.String()
		})
	}
	return func() ([]error, []string) { wg.Wait(); return errs, logs }
}

// awaitStored waits until the processes have stored n documents together.
func (o *outageRun) awaitStored(n int64) {
	o.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for o.stored.Load() < n {
		if time.Now().After(deadline) {
			o.t.Fatalf("only %d documents stored in 2 minutes", o.stored.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// check asserts the promise: every document of the corpus stored in
// exactly one data directory, and no more than refetches articles fetched
// twice without a conditional GET.
func (o *outageRun) check(refetches int) {
	o.t.Helper()
	var union []string
	for i, d := range o.dirs {
		urls := storedURLs(o.t, d)
		o.t.Logf("process %d stored %d documents", i, len(urls))
		union = append(union, urls...)
	}
	slices.Sort(union)
	want := corpusPageURLs(o.m.mirror, o.c)
	distinct := slices.Compact(slices.Clone(union))
	missing := 0
	for _, u := range want {
		if _, ok := slices.BinarySearch(distinct, u); !ok {
			missing++
			o.t.Logf("stored nowhere: %s", u)
			defer o.trace(u)
		}
	}
	refetched, cond, other := 0, 0, 0
	o.m.mu.Lock()
	for _, u := range want {
		if o.m.plain[u] > 1 {
			refetched++
			o.t.Logf("fetched %d times: %s", o.m.plain[u], u)
			defer o.trace(u)
		}
		cond += o.m.cond[u]
	}
	for u, n := range o.m.plain {
		if _, ok := slices.BinarySearch(want, u); !ok {
			other += n
		}
	}
	o.m.mu.Unlock()
	o.t.Logf("stored %d documents, %d distinct, of %d; %d missing; %d articles fetched more than once unconditionally; %d conditional requests; %d requests for other pages (discovery, robots.txt, 404s)",
		len(union), len(distinct), len(want), missing, refetched, cond, other)
	if len(union) != len(want) || missing != 0 {
		o.t.Errorf("stored %d documents (%d distinct), want each of the corpus's %d exactly once", len(union), len(distinct), len(want))
	}
	if refetched > refetches {
		o.t.Errorf("%d articles fetched twice without a conditional GET, want at most %d", refetched, refetches)
	}
}

// requireSuccess asserts that every process exited 0 and logged each of
// the messages in want (proof that the fault happened while it ran).
func (o *outageRun) requireSuccess(errs []error, logs []string, want ...string) {
	o.t.Helper()
	for i, err := range errs {
		if err != nil {
			o.t.Errorf("process %d: %v\n%s", i, err, tail(logs[i], 15))
		}
		for _, w := range want {
			if !strings.Contains(logs[i], w) {
				o.t.Errorf("process %d did not log %q:\n%s", i, w, tail(logs[i], 15))
			}
		}
		for _, l := range strings.Split(logs[i], "\n") {
			if strings.Contains(l, "redis reachable again") || strings.Contains(l, "redis lost") || strings.Contains(l, "redis unreachable") {
				o.t.Logf("process %d: %s", i, l)
			}
		}
	}
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestSharedCrawlRedisRestart: redis-server is killed once the three
// processes have stored a third of the corpus, and restarted on the same
// port 2 s later: with its data (append-only file on), or empty. The
// processes pause, reconnect and finish the crawl; after a loss they
// notice that the shared state is gone, re-seed what their stores hold
// and rediscover the rest. Either way each document is stored once
// overall and no article is fetched twice.
func TestSharedCrawlRedisRestart(t *testing.T) {
	tests := []struct {
		name    string
		persist bool
		logs    []string // every process logs each
	}{
		{"with its data", true, []string{"redis unreachable", "redis reachable again"}},
		{"empty", false, []string{"redis unreachable", "redis lost the shared crawl's state"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newOutageRun(t, tt.persist)
			wait := o.start()
			o.awaitStored(int64(len(corpusPageURLs(o.m.mirror, o.c)) / 3))
			o.srv.Kill()
			time.Sleep(2 * time.Second)
			o.srv.Restart(!tt.persist)
			errs, logs := wait()
			o.requireSuccess(errs, logs, tt.logs...)
			for i, l := range logs {
				if tt.persist && strings.Contains(l, "redis lost") {
					t.Errorf("process %d took a restart with the data for a loss", i)
				}
			}
			o.check(0)
		})
	}
}

// TestSharedCrawlLateRejoin: Redis comes back empty, and one of the three
// processes reaches it only 6 s later, after the others have begun a new
// run, re-seeded and waited --redis-settle (3 s): as one whose calls were
// still backing off. The pages it was fetching through the loss are
// rediscovered meanwhile; the new run's pops wait for it all the same
// (it was present before the loss), so none of them is fetched twice
// and each document is stored once.
func TestSharedCrawlLateRejoin(t *testing.T) {
	o := newOutageRun(t, false)
	gate := startRedisGate(t, o.srv.Addr)
	o.via = map[int]string{2: gate.Addr()}
	// The lease bounds how long a new run waits for a process that was
	// present: it must outlast the late process's 6 s.
	wait := o.start("--redis-lease", "20s")
	o.awaitStored(int64(len(corpusPageURLs(o.m.mirror, o.c)) / 3))
	gate.Shut()
	o.srv.Kill()
	time.Sleep(2 * time.Second)
	o.srv.Restart(true)
	time.Sleep(6 * time.Second)
	gate.Open()
	errs, logs := wait()
	o.requireSuccess(errs, logs, "redis unreachable", "redis lost the shared crawl's state")
	if !strings.Contains(logs[2], "new_run=false") {
		t.Errorf("the late process began the new run:\n%s", tail(logs[2], 10))
	}
	o.check(0)
}

// TestSharedCrawlOutageLimit: an outage longer than --redis-outage-limit
// ends every process with a clear message; rerun once Redis is back
// (here empty: the harder case), the crawl resumes and completes, each
// document stored once.
func TestSharedCrawlOutageLimit(t *testing.T) {
	o := newOutageRun(t, false)
	wait := o.start("--redis-outage-limit", "2s")
	o.awaitStored(int64(len(corpusPageURLs(o.m.mirror, o.c)) / 3))
	o.srv.Kill()
	errs, logs := wait()
	for i, err := range errs {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("process %d: err = %v, want a non-zero exit\n%s", i, err, tail(logs[i], 10))
		}
		if !strings.Contains(logs[i], "--redis-outage-limit") || !strings.Contains(logs[i], "rerun") {
			t.Errorf("process %d: the message names neither the limit nor what to do:\n%s", i, tail(logs[i], 5))
		}
	}
	o.srv.Restart(true)
	errs, logs = o.start()()
	o.requireSuccess(errs, logs)
	// A page whose request was in flight when Redis went away cannot be
	// stored (nothing could tell whether another process took it over):
	// the rerun fetches it again. At most one a worker: three processes,
	// two sites, --parallel 2.
	o.check(3 * 2 * 2)
}
