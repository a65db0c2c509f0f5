package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/index"
	"baoscope/pipeline"
)

// TestServeHTTPGracefulShutdown: when the context ends (SIGINT/SIGTERM in
// main), a request in flight still gets its answer, new connections are
// refused, and serveHTTP returns nil.
func TestServeHTTPGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	basec := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveHTTP(ctx, "127.0.0.1:0", h, slog.New(slog.DiscardHandler), func(b string) { basec <- b })
	}()
	base := <-basec

	type answer struct {
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- answer{string(b), err}
	}()
	<-started
	cancel() // the signal
	time.Sleep(100 * time.Millisecond)
	if _, err := http.Get(base + "/new"); err == nil {
		t.Error("a new request was accepted during shutdown")
	}
	close(release)
	if a := <-got; a.err != nil || a.body != "finished" {
		t.Errorf("request in flight: %q, %v; want it finished", a.body, a.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("serveHTTP did not return")
	}
}

func TestCrawlInfo(t *testing.T) {
	fin := time.Date(2026, 3, 20, 1, 5, 0, 0, time.UTC)
	ci := crawlInfo(&pipeline.Summary{
		Crawl: &crawler.Summary{
			Finished: fin, Fetches: 7,
			Sites:    map[string]map[string]int{"baolamdong.vn": {"fetched": 5}},
			Failures: map[string]map[string]int{"baolamdong.vn": {"robots": 1}, "vietnam.vn": {"network": 2}},
			Sources:  map[string]int{"sitemap": 4, "guess": 1},
			Guesses:  map[string]crawler.GuessStat{"it": {Guesses: 73, Upper: 0.04999, Skipped: 27}},
		},
		Langs: map[string]map[string]int{"vi": {"new": 5}},
	})
	if !ci.Finished.Equal(fin) || ci.Fetches != 7 || ci.Documents["vi"]["new"] != 5 {
		t.Errorf("crawl info %+v", ci)
	}
	if s := ci.Sites["baolamdong.vn"]; s.Counts["fetched"] != 5 || s.Failures["robots"] != 1 {
		t.Errorf("baolamdong.vn %+v", s)
	}
	if s := ci.Sites["vietnam.vn"]; s.Counts == nil || s.Failures["network"] != 2 {
		t.Errorf("a site with failures only: %+v", s)
	}
	if ci.Sources["guess"] != 1 || ci.Guessing["it"].Guesses != 73 || ci.Guessing["it"].Skipped != 27 || ci.Guessing["it"].Guessed {
		t.Errorf("sources %v, guessing %+v", ci.Sources, ci.Guessing)
	}
}

func TestDirSize(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.WriteFile(filepath.Join(dir, "x"), make([]byte, 100), 0o644)
	os.WriteFile(filepath.Join(dir, "a", "y"), make([]byte, 23), 0o644)
	if n, err := index.DiskSize(dir); err != nil || n != 123 {
		t.Errorf("DiskSize = %d, %v; want 123", n, err)
	}
	if _, err := index.DiskSize(filepath.Join(dir, "missing")); err == nil {
		t.Error("DiskSize of a missing directory: no error")
	}
}
