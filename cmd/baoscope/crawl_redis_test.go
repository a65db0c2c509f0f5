package main

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"baoscope/internal/testredis"
	"baoscope/sample"
)

// TestCrawlRedis: the shared-crawl flags through run. A crawl shares its
// state through a real redis-server; bad values and a Redis that stays
// away are clear errors (the latter naming the limit and what to do).
func TestCrawlRedis(t *testing.T) {
	corpus, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	site := startMirror(t, corpus, sample.Options{})
	up := testredis.New(t, false)
	down := testredis.New(t, false)
	down.Kill()
	base := []string{"crawl", "--learn=false", "--delay", "5ms", "--parallel", "2", "--low-accuracy", "--vietnamvn-langs", "en",
		"--progress", "never", "--redis-settle", "0s",
		"--baolamdong-url", site.BaoLamDongURL, "--vietnamvn-url", site.VietnamVNURL}
	tests := []struct {
		name string
		args []string
		err  []string // what the error says; none: success
	}{
		{"shared", []string{"--redis", up.Addr}, nil},
		{"short lease", []string{"--redis", up.Addr, "--redis-lease", "500ms"}, []string{"--redis-lease must be at least 1s"}},
		{"no limit", []string{"--redis", up.Addr, "--redis-outage-limit", "0s"}, []string{"--redis-outage-limit must be positive"}},
		{"redis away", []string{"--redis", down.Addr, "--redis-outage-limit", "1s"},
			[]string{down.Addr, "unreachable", "outage limit of 1s", "rerun the same command", "--redis-outage-limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb syncBuffer
			args := append(append(append([]string{}, base...), "--data", t.TempDir()), tt.args...)
			err := run(context.Background(), args, nil, &out, &errb)
			if tt.err == nil {
				if err != nil {
					t.Fatalf("crawl: %v\n%s", err, errb.String())
				}
				if !strings.Contains(out.String(), "new") {
					t.Errorf("summary stored nothing:\n%s", out.String())
				}
				// A clean exit takes the process off the roster a run
				// begun after a loss would wait for.
				rdb := redis.NewClient(&redis.Options{Addr: up.Addr})
				defer rdb.Close()
				if m, err := rdb.HGetAll(context.Background(), "baoscope:members").Result(); err != nil || len(m) != 0 {
					t.Errorf("roster after the crawl: %v, %v; want it empty", m, err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.err {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
