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
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mattn/go-runewidth"

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
	srv := startMirror(t, corpus, sample.Options{})
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

	// A rerun finds nothing new, and says so without an empty header.
	out.Reset()
	err = run(ctx, []string{"crawl", "--learn=false", "--data", data, "--delay", "0", "--parallel", "4", "--low-accuracy",
		"--baolamdong-url", srv.BaoLamDongURL, "--vietnamvn-url", srv.VietnamVNURL}, nil, &out, &errb)
	if err != nil {
		t.Fatalf("crawl rerun: %v\n%s", err, errb.String())
	}
	if strings.Contains(out.String(), "by detected language:") || !strings.Contains(out.String(), "documents: none new or changed") {
		t.Errorf("crawl rerun summary:\n%s", out.String())
	}

	// Flags after the query, the table fitted to --width.
	out.Reset()
	if err := run(ctx, []string{"search", "Krong", "No", "--data", data, "--width", "80"}, nil, &out, &errb); err != nil {
		t.Fatalf("search: %v", err)
	}
	if !strings.Contains(out.String(), "396102") || !strings.Contains(out.String(), "read as: Krong No") {
		t.Errorf("search table lacks report 396102 or the reading:\n%s", out.String())
	}
	cond := runewidth.NewCondition()
	for _, l := range strings.Split(out.String(), "\n") {
		if w := cond.StringWidth(l); w > 80 && !strings.Contains(l, "http://") && !strings.HasPrefix(l, "more: --cursor") {
			t.Errorf("search --width 80: a line of %d columns: %q", w, l)
		}
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
	var reindexErr bytes.Buffer
	if err := run(ctx, []string{"reindex", "--learn=false", "--data", data, "--low-accuracy", "--shards", fmt.Sprint(reindexShards)}, nil, &out, &reindexErr); err != nil {
		t.Fatalf("reindex: %v", err)
	}
	if !strings.Contains(out.String(), "reindexed") {
		t.Errorf("reindex output %q", out.String())
	}
	// reindex --shards changes the count: no warning that it keeps it.
	if strings.Contains(reindexErr.String(), "keeps its shard count") {
		t.Errorf("reindex --shards %d warned:\n%s", reindexShards, reindexErr.String())
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
// tables, and `learn` relearns them and reports its figures, from the
// stored reports alone (--bundled-text=false) or with the bundled
// corpus's other translated reports. The mirror serves seven of the
// bundled reports, to keep learning short.
func TestCrawlLearns(t *testing.T) {
	ids := []string{"386120", "386694", "386800", "387215", "389512", "390377", "396102"}
	corpus, data := crawlSubset(t, ids, "--bundled-text=false")
	if _, err := os.Stat(filepath.Join(data, pipeline.TranslationsFile)); err != nil {
		t.Fatalf("no translation tables after the crawl: %v", err)
	}
	bundled, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	translated := 0
	for r := range bundled.All() {
		if len(r.Versions) > 1 {
			translated++
		}
	}
	langs := map[string]bool{}
	for r := range corpus.All() {
		for _, l := range r.Langs() {
			if l != "vi" {
				langs[l] = true
			}
		}
	}
	for _, tt := range []struct {
		flag              string
		reports, parallel int
	}{
		{"--bundled-text=false", len(ids), 0},
		{"--bundled-text=true", translated, translated - len(ids)},
	} {
		t.Run(tt.flag, func(t *testing.T) {
			var out, errb bytes.Buffer
			if err := run(context.Background(), []string{"learn", "--data", data, "--json", "--low-accuracy", tt.flag}, nil, &out, &errb); err != nil {
				t.Fatalf("learn: %v\n%s", err, errb.String())
			}
			var st struct {
				Reports  int            `json:"reports"`
				Parallel int            `json:"parallel_reports"`
				Pairs    map[string]int `json:"pairs"`
				Entries  int            `json:"entries"`
			}
			if err := json.Unmarshal(out.Bytes(), &st); err != nil {
				t.Fatal(err)
			}
			if st.Reports != tt.reports || st.Parallel != tt.parallel || st.Entries == 0 {
				t.Errorf("learned from %d reports (%d bundled), %d entries; want %d (%d bundled)", st.Reports, st.Parallel, st.Entries, tt.reports, tt.parallel)
			}
			for l := range langs {
				if st.Pairs[l] == 0 {
					t.Errorf("no aligned pairs in %s", l)
				}
			}
		})
	}
}

// crawlSubset crawls a mirror of the bundled corpus with only the given
// reports into a new data directory (extra: more crawl flags), and
// returns the corpus and the directory.
func crawlSubset(t *testing.T, ids []string, extra ...string) (*sample.Corpus, string) {
	t.Helper()
	corpus, err := sample.LoadFS(corpusSubset(t, ids))
	if err != nil {
		t.Fatal(err)
	}
	srv := startMirror(t, corpus, sample.Options{})
	data := t.TempDir()
	var out, errb bytes.Buffer
	args := append([]string{"crawl", "--data", data, "--delay", "0", "--parallel", "4", "--low-accuracy",
		"--baolamdong-url", srv.BaoLamDongURL, "--vietnamvn-url", srv.VietnamVNURL}, extra...)
	if err := run(context.Background(), args, nil, &out, &errb); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errb.String())
	}
	return corpus, data
}

// startMirror serves corpus as the loopback mirrors of both sites until
// the test ends.
func startMirror(t *testing.T, corpus *sample.Corpus, o sample.Options) *sample.Servers {
	t.Helper()
	srv, err := sample.Start(corpus, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
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

// TestInterspersed: flags are read wherever they are, their values and
// "--" kept, the query syntax's -exclusions left as words.
func TestInterspersed(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // what the flag set leaves as arguments
		data string
		json bool
	}{
		{"flags first", []string{"--data", "D", "Krong", "No"}, []string{"Krong", "No"}, "D", false},
		{"flags after the query", []string{"Krong No", "--data", "D"}, []string{"Krong No"}, "D", false},
		{"flags between words", []string{"Krong", "--json", "--data=D", "No"}, []string{"Krong", "No"}, "D", true},
		{"single dash", []string{"Krong", "-data", "D", "-json"}, []string{"Krong"}, "D", true},
		{"a value that looks like a flag", []string{"Krong", "--data", "--json"}, []string{"Krong"}, "--json", false},
		{"bool with value", []string{"Krong", "--json=false", "--data", "D"}, []string{"Krong"}, "D", false},
		{"exclusion after a word", []string{"--data", "D", "Krong", "-No"}, []string{"Krong", "-No"}, "D", false},
		{"double dash ends flags", []string{"Krong", "--", "--data", "D"}, []string{"Krong", "--data", "D"}, "", false},
		{"stdin dash", []string{"-", "--json"}, []string{"-"}, "", true},
		{"no arguments", []string{"--json"}, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet("search", "", "", io.Discard)
			data := fs.String("data", "", "")
			asJSON := fs.Bool("json", false, "")
			if err := parseFlags(fs, tt.args, io.Discard); err != nil {
				t.Fatal(err)
			}
			if got := fs.Args(); !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("args %q, want %q", got, tt.want)
			}
			if *data != tt.data || *asJSON != tt.json {
				t.Errorf("--data %q --json %v, want %q %v", *data, *asJSON, tt.data, tt.json)
			}
		})
	}
}

// TestFlagErrorsAnywhere: an unknown flag is refused after the query too,
// and --help asks for the usage wherever it is.
func TestFlagErrorsAnywhere(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"search", "Krong", "--nope", "--data", "x"}, nil, &out, &errb)
	if !errors.Is(err, errUsage) || !strings.Contains(errb.String(), "flag provided but not defined: -nope") {
		t.Errorf("unknown flag after the query: err %v, stderr %q", err, errb.String())
	}
	errb.Reset()
	err = run(context.Background(), []string{"search", "Krong", "--data"}, nil, &out, &errb)
	if !errors.Is(err, errUsage) || !strings.Contains(errb.String(), "flag needs an argument: -data") {
		t.Errorf("a flag without its value after the query: err %v, stderr %q", err, errb.String())
	}
	out.Reset()
	err = run(context.Background(), []string{"search", "Krong", "-h"}, nil, &out, &errb)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "Usage: baoscope search") {
		t.Errorf("-h after the query: err %v, stdout %q", err, out.String())
	}
}

// TestRenamedFlags: --langs, which meant three things, still works under
// each command with a warning naming the new flag; --help lists it as
// deprecated.
func TestRenamedFlags(t *testing.T) {
	tests := []struct {
		args    []string
		stdin   string
		newName string
		errHas  string // "" when the command succeeds
	}{
		{[]string{"detect", "--low-accuracy", "--langs", "vi,en"}, "chính quyền hai cấp ở tỉnh Lâm Đồng", "detect-langs", ""},
		{[]string{"detect", "--langs", "vi,xx"}, "x", "detect-langs", `"xx"`},
		{[]string{"mirror", "--langs", "3"}, "", "versions", "--versions and --seed need --reports"},
		{[]string{"bench", "--langs", "3", "--keep"}, "", "versions", "--keep needs --data"},
		{[]string{"crawl", "--langs", "en", "--parallel", "0", "--data", "x"}, "", "vietnamvn-langs", "--parallel"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(tt.stdin), &out, &errb)
			if tt.errHas == "" && err != nil || tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)) {
				t.Fatalf("err = %v, want %q", err, tt.errHas)
			}
			if want := "--langs is deprecated, use --" + tt.newName; !strings.Contains(errb.String(), want) {
				t.Errorf("stderr %q lacks %q", errb.String(), want)
			}
			if tt.errHas == "" && !strings.HasPrefix(out.String(), "vi ") {
				t.Errorf("detect printed %q", out.String())
			}
			out.Reset()
			if err := run(context.Background(), []string{tt.args[0], "--help"}, nil, &out, &errb); !errors.Is(err, flag.ErrHelp) {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "-"+tt.newName) || !strings.Contains(out.String(), "deprecated: use --"+tt.newName) {
				t.Errorf("--help lacks --%s or the deprecated --langs:\n%s", tt.newName, out.String())
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version", "-version"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{arg}, nil, &out, io.Discard); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		if !strings.HasPrefix(out.String(), "baoscope ") {
			t.Errorf("%s printed %q", arg, out.String())
		}
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "baoscope", Version: "v0.3.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "3afa74d"},
			{Key: "vcs.time", Value: "2026-12-05T07:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	tests := []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{bi, "baoscope v0.3.0 (revision 3afa74d, 2026-12-05T07:00:00Z, modified), go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "baoscope", Version: "(devel)"}}, "baoscope (devel), go1.26.8"},
		{nil, "baoscope (no build information)"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.bi); got != tt.want {
			t.Errorf("versionLine = %q, want %q", got, tt.want)
		}
	}
}

// TestDemoHelpAddress: demo --help names no fixed address but the one
// --addr gives, and its default.
func TestDemoHelpAddress(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--addr", "127.0.0.1:9000", "--help"}, nil, &out, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "http://127.0.0.1:8080") || !strings.Contains(out.String(), "--addr gives") {
		t.Errorf("demo --help:\n%s", out.String())
	}
}

// TestFlagsAfterArguments: the commands that take arguments read flags
// after them too; those that take none still refuse one.
func TestFlagsAfterArguments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "text.txt")
	if err := os.WriteFile(file, []byte("Chính quyền hai cấp ở tỉnh Lâm Đồng vận hành thông suốt"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"detect", file, "--json", "--low-accuracy"}, nil, &out, &errb); err != nil {
		t.Fatalf("detect FILE --json: %v\n%s", err, errb.String())
	}
	var d struct{ Lang string }
	if err := json.Unmarshal(out.Bytes(), &d); err != nil || d.Lang != "vi" {
		t.Errorf("detect FILE --json printed %q (%v)", out.String(), err)
	}
	errb.Reset()
	if err := run(context.Background(), []string{"mirror", "extra", "--log-level", "warn"}, nil, &out, &errb); !errors.Is(err, errUsage) || !strings.Contains(errb.String(), `unexpected argument "extra"`) {
		t.Errorf("mirror extra: err %v, stderr %q", err, errb.String())
	}
}
