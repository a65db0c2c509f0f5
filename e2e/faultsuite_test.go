package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rakyll/hey/requester"

	"baoscope/model"
	"baoscope/sample"
)

// TestAPIBadInputs: every malformed request is a clear 4xx with a JSON
// error body, never a 5xx or a panic.
func TestAPIBadInputs(t *testing.T) {
	w := setup(t)
	forged := func(v map[string]any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	tests := []struct{ name, method, query string }{
		// A missing or blank q is a browse (every report, newest first),
		// not an error: server's TestPrefixAndBrowse. Punctuation alone is.
		{"punctuation-only q", "GET", "q=%E2%80%93+%21"},
		{"huge q", "GET", "q=" + strings.Repeat("kr%C3%B4ng+", 700)},
		{"enormous url", "GET", "q=" + strings.Repeat("a", 20000)},
		{"binary q", "GET", "q=%00%01%02%FF"},
		{"invalid utf-8", "GET", "q=kr%FFng"},
		{"control characters", "GET", "q=a%07b"},
		{"unknown parameter", "GET", "q=Krong&colour=red"},
		{"size zero", "GET", "q=Krong&size=0"},
		{"size negative", "GET", "q=Krong&size=-5"},
		{"size too large", "GET", "q=Krong&size=101"},
		{"size overflow", "GET", "q=Krong&size=99999999999999999999999"},
		{"cursor garbage", "GET", "q=Krong&cursor=%%%"},
		{"cursor long", "GET", "q=Krong&cursor=" + strings.Repeat("A", 5000)},
		{"cursor deep", "GET", "q=Krong&cursor=" + forged(map[string]any{"m": "r", "k": "nope", "n": 1000000000, "t": time.Now().UnixNano()})},
		{"cursor other sort", "GET", "q=Krong&sort=date&cursor=" + forged(map[string]any{"m": "r", "k": "x", "n": 1, "t": 1})},
		{"bad date", "GET", "q=Krong&from=2025-02-30"},
		{"bad query syntax", "GET", "q=" + url.QueryEscape(`title: (Krong`)},
		{"unknown field", "GET", "q=author%3Ax"},
		{"post", "POST", "q=Krong"},
		{"report id junk", "GET", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/api/v1/search?" + tt.query
			if tt.name == "report id junk" {
				path = "/api/v1/reports/" + url.PathEscape(strings.Repeat("x", 300))
			}
			req, _ := http.NewRequest(tt.method, w.api.URL+path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode < 400 || resp.StatusCode > 499 {
				t.Fatalf("status %d, want 4xx; body %.200s", resp.StatusCode, body)
			}
			var e struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			if json.Unmarshal(body, &e) != nil || e.Error.Code == "" || e.Error.Message == "" {
				t.Errorf("status %d without a JSON error body: %.200s", resp.StatusCode, body)
			}
		})
	}
}

// TestSearchUnderLoad: 200 concurrent clients on loopback for a bounded
// time (30 s, or 5 s with -short): answers are 200 or, beyond admission
// control's bound, 429, never an error, and goroutines and heap
// return to where they were. Latencies are logged for the record; their
// figures belong to the benchmarks.
func TestSearchUnderLoad(t *testing.T) {
	w := setup(t)
	seconds := 30
	if testing.Short() {
		seconds = 5
	}
	if s, err := strconv.Atoi(os.Getenv("BAOSCOPE_LOAD_SECONDS")); err == nil && s > 0 {
		seconds = s
	}
	srv := httptest.NewServer(w.api.Config.Handler)
	queries := []string{
		"Krong No", `"chính quyền hai cấp"`, "Gemeinde Cu Jut", "크롱노", "lang:ko Krong",
		"published:2025-08..2025-09 section:chinh-tri", "1.481", "Кронг Но", "Đà Lạt OR Bảo Lộc", "-Krong published:>=2025",
	}
	base, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/search?q=Krong", nil)
	var n atomic.Uint64
	run := func(c, secs int) string {
		var out bytes.Buffer
		work := &requester.Work{
			Request: base,
			RequestFunc: func() *http.Request {
				i := n.Add(1)
				r, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/search?q="+url.QueryEscape(queries[i%uint64(len(queries))]), nil)
				return r
			},
			N: 1 << 30, C: c, Timeout: 20, Writer: &out,
		}
		stop := time.AfterFunc(time.Duration(secs)*time.Second, work.Stop)
		work.Run()
		stop.Stop()
		return out.String()
	}
	// Warm up caches and connections, so the baseline is steady state.
	run(8, 1)
	runtime.GC()
	goroutines := runtime.NumGoroutine()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	report := run(200, seconds)
	t.Logf("hey, 200 clients, %d s:\n%s", seconds, report)
	codes := regexp.MustCompile(`\[(\d{3})\]\s+(\d+) responses`).FindAllStringSubmatch(report, -1)
	total, accepted := 0, 0
	for _, m := range codes {
		c, _ := strconv.Atoi(m[2])
		total += c
		switch m[1] {
		case "200":
			accepted = c
		case "429": // admission control turned them away at once
		default:
			t.Errorf("%s responses with status %s", m[2], m[1])
		}
	}
	if accepted == 0 {
		t.Error("no search answered 200 under load")
	}
	if strings.Contains(report, "Error distribution") {
		t.Errorf("client errors under load (see the report above)")
	}
	if total == 0 {
		t.Fatal("no responses under load")
	}

	srv.CloseClientConnections()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > goroutines+5 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > goroutines+5 {
		t.Errorf("goroutines grew from %d to %d after the load", goroutines, g)
	}
	srv.Close()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	const slack = 64 << 20
	if after.HeapAlloc > before.HeapAlloc+slack {
		t.Errorf("heap grew from %d MiB to %d MiB after the load", before.HeapAlloc>>20, after.HeapAlloc>>20)
	}
	t.Logf("%d responses; goroutines %d → %d; heap %d → %d MiB", total, goroutines, runtime.NumGoroutine(), before.HeapAlloc>>20, after.HeapAlloc>>20)
}

// crawledDataDir crawls the sample site with the real binary into a new
// data directory.
func crawledDataDir(t *testing.T, bin string) string {
	t.Helper()
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sample.Start(c, sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	data := t.TempDir()
	out, err := exec.Command(bin, "crawl", "--learn=false", "--data", data, "--delay", "0", "--parallel", "4", "--progress", "never",
		"--baolamdong-url", srv.BaoLamDongURL, "--vietnamvn-url", srv.VietnamVNURL).CombinedOutput()
	if err != nil {
		t.Fatalf("crawl: %v\n%s", err, out)
	}
	return data
}

func searchTotal(t *testing.T, bin, data string) int {
	t.Helper()
	out, err := exec.Command(bin, "search", "--data", data, "--json", everything).Output()
	if err != nil {
		t.Fatalf("search after kill: %v", err)
	}
	var res model.Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("search output: %v", err)
	}
	return res.TotalDocuments
}

// TestReindexKilled: kill -9 during reindex at random moments; each time
// the data directory opens again and answers with every document.
func TestReindexKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBaoscope(t, t.TempDir())
	data := crawledDataDir(t, bin)
	want := searchTotal(t, bin, data)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for i := range 5 {
		delay := time.Duration(rng.IntN(1500)) * time.Millisecond
		cmd := exec.Command(bin, "reindex", "--learn=false", "--data", data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if got := searchTotal(t, bin, data); got != want {
			t.Errorf("run %d (killed after %v): %d documents, want %d", i, delay, got, want)
		}
	}
	// A complete reindex after all that leaves the same index.
	if out, err := exec.Command(bin, "reindex", "--learn=false", "--data", data).CombinedOutput(); err != nil {
		t.Fatalf("reindex: %v\n%s", err, out)
	}
	if got := searchTotal(t, bin, data); got != want {
		t.Errorf("after a full reindex: %d documents, want %d", got, want)
	}
}

// TestServeKilled: kill -9 of a serving process; the next one opens the
// same data directory and answers.
func TestServeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBaoscope(t, t.TempDir())
	data := crawledDataDir(t, bin)
	for i := range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var status int
		for ctx.Err() == nil {
			resp, err := http.Get("http://" + addr + "/api/v1/search?q=Krong+No")
			if err == nil {
				status = resp.StatusCode
				resp.Body.Close()
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		cancel()
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if status != http.StatusOK {
			t.Fatalf("serve run %d: search status %d", i, status)
		}
	}
	if got := searchTotal(t, bin, data); got == 0 {
		t.Error("no documents after killing serve")
	}
}
