package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"baoscope/crawler"
	"baoscope/sample"
)

func TestCrawlFlagsConfig(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, cfg crawler.Config)
		err   string
	}{
		{"defaults", nil, func(t *testing.T, c crawler.Config) {
			if c.Delay != time.Second || c.Parallel != 2 || c.MaxRetries != 4 || c.Revalidate != 14*day || c.NotFoundTTL != 30*day ||
				c.GuessFloor != crawler.DefaultGuessFloor || c.GuessAll {
				t.Errorf("%+v", c)
			}
			if c.UserAgent != crawler.DefaultUserAgent || !strings.Contains(c.UserAgent, "+https://") {
				t.Errorf("User-Agent %q has no contact URL", c.UserAgent)
			}
		}, ""},
		{"never revalidate, always recheck, no retries", []string{"--revalidate-days", "0", "--recheck-404-days", "0", "--retries", "0"},
			func(t *testing.T, c crawler.Config) {
				if c.Revalidate >= 0 || c.NotFoundTTL >= 0 || c.MaxRetries >= 0 {
					t.Errorf("revalidate %v, ttl %v, retries %d: want all off", c.Revalidate, c.NotFoundTTL, c.MaxRetries)
				}
			}, ""},
		{"since and langs", []string{"--since", "2025-10-01", "--vietnamvn-langs", "en, ko"}, func(t *testing.T, c crawler.Config) {
			if c.Since.Format("2006-01-02") != "2025-10-01" || strings.Join(c.Langs, ",") != "en,ko" {
				t.Errorf("since %v langs %v", c.Since, c.Langs)
			}
		}, ""},
		{"guessing", []string{"--guess-floor", "0.1", "--guess-all"}, func(t *testing.T, c crawler.Config) {
			if c.GuessFloor != 0.1 || !c.GuessAll {
				t.Errorf("floor %v, all %v", c.GuessFloor, c.GuessAll)
			}
		}, ""},
		{"never drop a language", []string{"--guess-floor", "0"}, func(t *testing.T, c crawler.Config) {
			if c.GuessFloor >= 0 {
				t.Errorf("floor %v: want negative (the crawler's zero is its default)", c.GuessFloor)
			}
		}, ""},
		{"floor over 1", []string{"--guess-floor", "1.5"}, nil, "--guess-floor"},
		{"listing bounds", []string{"--stale-pages", "0", "--listing-pages", "50"}, func(t *testing.T, c crawler.Config) {
			if c.StalePages >= 0 || c.ListingPages != 50 {
				t.Errorf("stale %d, listing pages %d", c.StalePages, c.ListingPages)
			}
		}, ""},
		{"negative listing pages", []string{"--listing-pages", "-1"}, nil, "--listing-pages"},
		{"negative days", []string{"--revalidate-days", "-1"}, nil, "must not be negative"},
		{"negative retries", []string{"--retries", "-2"}, nil, "--retries"},
		{"no parallelism", []string{"--parallel", "0"}, nil, "--parallel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var cf crawlFlags
			cf.register(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			cfg, err := cf.config()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, cfg)
		})
	}
}

func TestWantBar(t *testing.T) {
	var buf bytes.Buffer
	for mode, want := range map[string]bool{"always": true, "never": false, "auto": false} {
		if got, err := wantBar(mode, &buf); err != nil || got != want {
			t.Errorf("%s: %v %v (a buffer is no terminal)", mode, got, err)
		}
	}
	if _, err := wantBar("sometimes", &buf); err == nil {
		t.Error("bad mode accepted")
	}
}

// TestCrawlProgress crawls the sample site twice, showing progress as a
// bar and as log lines, and checks the final summary table.
func TestCrawlProgress(t *testing.T) {
	corpus, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv := startMirror(t, corpus, sample.Options{})
	base := []string{"crawl", "--learn=false", "--delay", "20ms", "--parallel", "2", "--low-accuracy", "--vietnamvn-langs", "en,ko",
		"--baolamdong-url", srv.BaoLamDongURL, "--vietnamvn-url", srv.VietnamVNURL}
	tests := []struct {
		name   string
		args   []string
		stderr string // what the progress display leaves on stderr
	}{
		{"log lines", []string{"--progress", "never", "--progress-interval", "50ms"}, "eta="},
		{"bar", []string{"--progress", "always"}, "url/s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb syncBuffer
			args := append(append(append([]string{}, base...), "--data", t.TempDir()), tt.args...)
			if err := run(context.Background(), args, nil, &out, &errb); err != nil {
				t.Fatalf("crawl: %v\n%s", err, errb.String())
			}
			if !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, errb.String())
			}
			// The sitemaps list every translation: nothing is guessed, so
			// no not_found column.
			for _, want := range []string{"site", "baolamdong.vn", "vietnam.vn", "language", "fetched", "new",
				"new documents by source: sitemap=", "guessing", "documents, by detected language:"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("summary lacks %q:\n%s", want, out.String())
				}
			}
			if strings.Contains(out.String(), "not_found") || strings.Contains(out.String(), "guess=") {
				t.Errorf("a guess was made although the sitemaps list every translation:\n%s", out.String())
			}
		})
	}
}

// TestCrawlGuessRatesCarryOver crawls a mirror without translation
// sitemaps twice into one data directory, guessing two languages the
// corpus never translates into: the first run drops them once the
// misses put their share surely below the floor (four misses each at a
// floor of 0.5), and the second, which would ask every 404 again
// (--recheck-404-days 0), goes on from the rates kept in the directory
// and guesses neither.
func TestCrawlGuessRatesCarryOver(t *testing.T) {
	corpus, err := sample.Generate(sample.GenerateOptions{Reports: 12, Langs: 2, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	srv := startMirror(t, corpus, sample.Options{NoTranslationSitemaps: true})
	args := []string{"crawl", "--learn=false", "--delay", "0", "--parallel", "1", "--low-accuracy", "--progress", "never",
		"--vietnamvn-langs", "it,pt", "--guess-floor", "0.5", "--recheck-404-days", "0", "--data", t.TempDir(),
		"--baolamdong-url", srv.BaoLamDongURL, "--vietnamvn-url", srv.VietnamVNURL}
	reqs := srv.Site.Requests()
	for run, want404 := range []int{
		1 + 4 + 4, // /sitemap.xml, then four misses in each language
		1,         // /sitemap.xml only
	} {
		before := reqs.Count("vietnam.vn", http.StatusNotFound)
		var out, errb syncBuffer
		if err := runCmd(args, &out, &errb); err != nil {
			t.Fatalf("run %d: %v\n%s", run+1, err, errb.String())
		}
		if got := reqs.Count("vietnam.vn", http.StatusNotFound) - before; got != want404 {
			t.Errorf("run %d: vietnam.vn answered %d 404s, want %d\n%s", run+1, got, want404, out.String())
		}
		if !strings.Contains(out.String(), "dropped") {
			t.Errorf("run %d: no language dropped in the summary:\n%s", run+1, out.String())
		}
	}
}

func runCmd(args []string, stdout, stderr io.Writer) error {
	return run(context.Background(), args, nil, stdout, stderr)
}
