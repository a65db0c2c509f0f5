package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"baoscope/index"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), []string{c.name, "--help"}, strings.NewReader(""), &out, &errb)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("--help: err = %v, want flag.ErrHelp", err)
			}
			if !strings.Contains(out.String(), "Usage: baoscope "+c.name) {
				t.Errorf("--help printed %q to stdout", out.String())
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Commands:"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"crawl", "--nope"}, "flag provided but not defined"},
		{"search without query", []string{"search", "--data", "x"}, "missing QUERY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb)
			if !errors.Is(err, errUsage) {
				t.Fatalf("err = %v, want errUsage", err)
			}
			if !strings.Contains(errb.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", errb.String(), tt.want)
			}
		})
	}
}

func TestBadFlagValues(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"crawl without data", []string{"crawl", "--baolamdong-url", "http://127.0.0.1:1", "--vietnamvn-url", "http://127.0.0.1:2"}, "--data is required"},
		{"bad base url", []string{"crawl", "--data", "x", "--baolamdong-url", "ftp://x"}, "--baolamdong-url"},
		{"bad since", []string{"crawl", "--data", "x", "--since", "yesterday"}, "--since"},
		{"bad log level", []string{"serve", "--data", "x", "--log-level", "loud"}, "--log-level"},
		{"bad sort", []string{"search", "--data", "x", "--sort", "random", "q"}, "--sort"},
		{"negative shards", []string{"crawl", "--data", "x", "--low-accuracy", "--shards", "-1"}, "-1 shards"},
		{"too many shards", []string{"reindex", "--data", "x", "--low-accuracy", "--shards", "1000"}, "1000 shards"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// TestCrawlSearchReindex drives the CLI as a researcher would: crawl the
// sample site into a data dir, search it (table and JSON), rebuild the
// index, search again; with an unsharded index, and with a sharded one
// (crawl --shards) that reindex --shards splits differently.
func TestCrawlSearchReindex(t *testing.T) {
	corpus, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sample.Start(corpus, sample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tt := range []struct {
		crawlShards, reindexShards, want int
	}{{0, 0, 1}, {2, 3, 3}} {
		t.Run(fmt.Sprintf("shards=%d", tt.crawlShards), func(t *testing.T) {
			crawlSearchReindex(t, srv, tt.crawlShards, tt.reindexShards, tt.want)
		})
	}
}

func crawlSearchReindex(t *testing.T, srv *sample.Servers, crawlShards, reindexShards, wantShards int) {
	data := t.TempDir()
	ctx := context.Background()
	var out, errb bytes.Buffer
	err := run(ctx, []string{"crawl", "--learn=false", "--data", data, "--delay", "0", "--parallel", "4", "--low-accuracy",
		"--shards", fmt.Sprint(crawlShards),
		"--baolamdong-url", srv.BaoLamDongURL, "--vietnamvn-url", srv.VietnamVNURL}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("crawl: %v\n%s", err, errb.String())
	}
	if !regexp.MustCompile(`\d+ reports, \d+ documents`).MatchString(out.String()) {
		t.Errorf("crawl summary lacks the totals line:\n%s", out.String())
	}
	if got := index.ShardsAt(filepath.Join(data, pipeline.IndexDir)); got != max(crawlShards, 1) {
		t.Errorf("crawl --shards %d made %d shards", crawlShards, got)
	}

	out.Reset()
	if err := run(ctx, []string{"search", "--data", data, "Krong", "No"}, nil, &out, &errb); err != nil {
		t.Fatalf("search: %v", err)
	}
	if !strings.Contains(out.String(), "396102") {
		t.Errorf("search table lacks report 396102:\n%s", out.String())
	}

	out.Reset()
	if err := run(ctx, []string{"search", "--data", data, "--json", "Krong No"}, nil, &out, &errb); err != nil {
		t.Fatalf("search --json: %v", err)
	}
	var res model.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("search --json output: %v", err)
	}
	if res.TotalReports == 0 {
		t.Error("search --json: no reports")
	}

	out.Reset()
	if err := run(ctx, []string{"reindex", "--learn=false", "--data", data, "--low-accuracy", "--shards", fmt.Sprint(reindexShards)}, nil, &out, &errb); err != nil {
		t.Fatalf("reindex: %v", err)
	}
	if !strings.Contains(out.String(), "reindexed") {
		t.Errorf("reindex output %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"search", "--data", data, "--json", "Krong No"}, nil, &out, &errb); err != nil {
		t.Fatalf("search after reindex: %v", err)
	}
	if got := index.ShardsAt(filepath.Join(data, pipeline.IndexDir)); got != wantShards {
		t.Errorf("after reindex --shards %d: %d shards, want %d", reindexShards, got, wantShards)
	}
	var res2 model.Result
	if err := json.Unmarshal(out.Bytes(), &res2); err != nil {
		t.Fatal(err)
	}
	if res2.TotalDocuments != res.TotalDocuments || res2.TotalReports != res.TotalReports {
		t.Errorf("after reindex: %d reports/%d docs, before %d/%d", res2.TotalReports, res2.TotalDocuments, res.TotalReports, res.TotalDocuments)
	}

	// A malformed query is a clear error, not a crash.
	err = run(ctx, []string{"search", "--data", data, `"unterminated`}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "position") {
		t.Errorf("malformed query: err = %v, want one naming the position", err)
	}
}

// TestDemo runs the README's first command: it must print the API's URL,
// answer a search, and stop cleanly when interrupted.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--low-accuracy", "--log-level", "warn"}, nil, &out, &errb)
	}()
	urlRe := regexp.MustCompile(`search API: (http://[^/\s]+)`)
	var base string
	deadline := time.Now().Add(3 * time.Minute)
	for base == "" {
		select {
		case err := <-done:
			t.Fatalf("demo exited early: %v\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
		case <-time.After(100 * time.Millisecond):
		}
		if m := urlRe.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo printed no URL:\n%s\n%s", out.String(), errb.String())
		}
	}
	if !regexp.MustCompile(`\d+ reports, \d+ documents \(`).MatchString(out.String()) {
		t.Errorf("demo did not print the summary line:\n%s", out.String())
	}
	resp, err := http.Get(base + "/api/v1/search?q=Krong+No")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"report_id":"396102"`) {
		t.Errorf("demo search: status %d body %.300s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo after interrupt: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop after interrupt")
	}
}

// TestCrawlLearns: a crawl that stores documents learns the translation
// tables, and `learn` relearns them and reports its figures. The mirror
// serves seven of the bundled reports, to keep learning short.
func TestCrawlLearns(t *testing.T) {
	ids := []string{"386120", "386694", "386800", "387215", "389512", "390377", "396102"}
	data, corpus := crawledSubset(t, ids, true)
	ctx := context.Background()
	var out, errb bytes.Buffer
	if _, err := os.Stat(filepath.Join(data, pipeline.TranslationsFile)); err != nil {
		t.Fatalf("no translation tables after the crawl: %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"learn", "--data", data, "--json", "--low-accuracy"}, nil, &out, &errb); err != nil {
		t.Fatalf("learn: %v\n%s", err, errb.String())
	}
	var st struct {
		Reports int            `json:"reports"`
		Pairs   map[string]int `json:"pairs"`
		Entries int            `json:"entries"`
	}
	if err := json.Unmarshal(out.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	for r := range corpus.All() {
		for _, l := range r.Langs() {
			if l != "vi" {
				langs[l] = true
			}
		}
	}
	if st.Reports != len(ids) || len(st.Pairs) != len(langs) || st.Entries == 0 {
		t.Errorf("learned %+v, want %d reports and pairs in %d languages", st, len(ids), len(langs))
	}
	for l := range langs {
		if st.Pairs[l] == 0 {
			t.Errorf("no aligned pairs in %s", l)
		}
	}
}

// corpusSubset is the bundled corpus's layout with only the given
// reports.
func corpusSubset(t *testing.T, ids []string) fstest.MapFS {
	t.Helper()
	src := os.DirFS(filepath.Join("..", "..", "sample", "corpus"))
	m := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(p, "reports/") && !slices.Contains(ids, strings.Split(p, "/")[1]) {
			return nil
		}
		b, err := fs.ReadFile(src, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
