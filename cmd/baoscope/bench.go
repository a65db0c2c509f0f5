package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"baoscope/bench"
	"baoscope/pipeline"
)

func runBench(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "[--docs N] [--versions V] [--shards S] [--clients 1,8,64] [--duration 10s] [--fts5] [flags]", `
Measure the pipeline on a synthetic corpus of N documents (N/V reports in
V language versions each, text imitating the sample corpus) in one run, and print a
table: crawl→extract→detect→index throughput against the loopback sample
site (no politeness delay); extraction, detection and indexing each on
their own (documents/s, CPU time and allocations per document); index size
per document; query latency p50/p95/p99 and throughput of a fixed mixed
query set at each --clients concurrency; peak memory. Translation tables
are learned on their own after the crawl (from the extracted documents
with --skip-crawl): their cost only, the corpus's translations being
unrelated text.

--fts5 loads the same documents into SQLite FTS5 and runs the same queries
there, with the ratio baoscope/FTS5 for each figure. FTS5 needs cgo and
the sqlite_fts5 build tag:

  go run -tags sqlite_fts5 ./cmd/baoscope bench --docs 10000 --fts5

Large corpora: --direct builds documents straight from the generator
(extraction and detection are then not measured) and --skip-crawl leaves
out the crawl; --data DIR --keep keeps the documents, the Bleve index and
the FTS5 database, and a rerun reuses them (an unsharded index left half
built resumes). See docs/performance.md for the commands behind its table.

The crawl stage crawls a mirror of the generated corpus that runs, by
default, as a child process ('baoscope mirror'), so that its documents per
CPU-second are the pipeline's alone, as on the real sites; the mirror's
own CPU time is printed under the table. --mirror in-process serves it
from the bench process instead, its page rendering then counted.

--serve URL instead loads a running 'baoscope serve' with --clients
concurrent clients (one number) for --duration, the fixed query set in
turn through its search API, and prints accepted-request latency, the
share refused (429) and the 5xx (docs/performance.md, Load shedding).`, stderr)
	var (
		o       bench.Options
		clients string
		jsonOut bool
		mirror  string
		serve   string
		lf      logFlags
	)
	fs.StringVar(&serve, "serve", "", "load the running serve at this base URL instead (see above)")
	polite := fs.Bool("polite", true, "with --serve: a client told 429 waits its Retry-After (false: asks again at once)")
	fs.IntVar(&o.Docs, "docs", 10000, "documents to generate (N·V)")
	fs.IntVar(&o.Langs, "versions", 5, "language versions per report: the Vietnamese original plus V-1 translations (1..11)")
	fs.Uint64Var(&o.Seed, "seed", 1, "generator seed")
	fs.IntVar(&o.Shards, "shards", 1, "Bleve indexes written in parallel and searched through an alias")
	fs.StringVar(&clients, "clients", "1,8,64", "comma-separated numbers of concurrent query clients")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "query load per concurrency level and engine")
	fs.StringVar(&o.DataDir, "data", "", "directory for documents and indexes (default: a temporary one)")
	fs.BoolVar(&o.Keep, "keep", false, "keep --data after the run, and reuse what it holds")
	fs.StringVar(&o.ProfileDir, "profile", "", "write CPU and allocation profiles of each phase to this directory")
	fs.StringVar(&o.Tables, "tables", "", "translate queries with these tables (a data directory's "+pipeline.TranslationsFile+", e.g. the bundled corpus's) instead of the learn phase's")
	fs.BoolVar(&o.FTS5, "fts5", false, "compare with SQLite FTS5 (build with -tags sqlite_fts5)")
	fs.BoolVar(&o.SkipCrawl, "skip-crawl", false, "leave out the crawl→extract→detect→index stage")
	fs.BoolVar(&o.SkipLearn, "skip-learn", false, "leave out the learn phase (a rerun over --data --keep that measures the queries again, with --tables)")
	fs.BoolVar(&o.Direct, "direct", false, "build documents from the generator without rendering, extraction or detection")
	fs.IntVar(&o.CrawlParallel, "parallel", 4, "crawler requests in flight per host")
	fs.BoolVar(&jsonOut, "json", false, "print the result as JSON instead of tables")
	fs.StringVar(&mirror, "mirror", bench.MirrorProcess, "where the crawl stage's mirror runs: process (a child 'baoscope mirror', its CPU time reported apart) or in-process")
	lf.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bench: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if serve != "" {
		return benchServe(ctx, serve, clients, o.Duration, *polite, jsonOut, stdout)
	}
	if o.Keep && o.DataDir == "" {
		return errors.New("bench: --keep needs --data")
	}
	var err error
	if o.Clients, err = parseClients(clients); err != nil {
		return err
	}
	if o.Logger, err = lf.logger(stderr); err != nil {
		return err
	}
	switch mirror {
	case bench.MirrorProcess:
		o.StartMirror = mirrorProcess(lf, stderr)
	case bench.MirrorInProcess:
	default:
		return fmt.Errorf("bench: --mirror %q: want process or in-process", mirror)
	}
	o.Progress = func(msg string) { fmt.Fprintf(stderr, "%s bench: %s\n", time.Now().Format("15:04:05"), msg) }
	res, err := bench.Run(ctx, o)
	if err != nil {
		return err
	}
	if jsonOut {
		return res.WriteJSON(stdout)
	}
	return res.WriteTable(stdout)
}

// mirrorProcess returns a bench.Options.StartMirror that runs this
// executable's mirror command in a child process: the crawl stage's CPU
// time is then the bench process's alone, without the page rendering a
// real site does on its own machines. The child logs to stderr with the
// bench's log flags.
func mirrorProcess(lf logFlags, stderr io.Writer) bench.StartMirrorFunc {
	return func(ctx context.Context, reports, langs int, seed uint64) (string, string, func() (time.Duration, error), error) {
		exe, err := os.Executable()
		if err != nil {
			return "", "", nil, fmt.Errorf("mirror process: own executable: %w", err)
		}
		cmd := exec.CommandContext(ctx, exe, "mirror", "--reports", strconv.Itoa(reports), "--versions", strconv.Itoa(langs),
			"--seed", strconv.FormatUint(seed, 10), "--log-level", lf.level, "--log-format", lf.format)
		// A cancelled bench stops the mirror as Ctrl-C would, and kills
		// it if it has not gone a few seconds later.
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = mirrorStopGrace
		first := newFirstLine()
		cmd.Stdout, cmd.Stderr = first, stderr
		if err := cmd.Start(); err != nil {
			return "", "", nil, fmt.Errorf("mirror process: %w", err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() (time.Duration, error) {
			// ErrProcessDone when ctx has stopped it already; any other
			// failure to signal (no SIGINT on Windows) falls back to Kill.
			if err := cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
				cmd.Process.Kill() //nolint:errcheck // Wait reports what happened
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(mirrorStopGrace):
				cmd.Process.Kill() //nolint:errcheck // Wait reports what happened
				err = <-exited
			}
			var cpu time.Duration
			if ps := cmd.ProcessState; ps != nil {
				cpu = ps.UserTime() + ps.SystemTime()
			}
			if err != nil {
				return cpu, fmt.Errorf("mirror process: %w", err)
			}
			return cpu, nil
		}
		var line string
		select {
		case line = <-first.line:
		case err = <-exited:
			// It has gone before printing its URLs; its stderr says why.
			exited <- err
			_, serr := stop()
			return "", "", nil, errors.Join(fmt.Errorf("mirror process exited before serving: %w", err), serr)
		case <-time.After(mirrorStartTimeout):
			_, serr := stop()
			return "", "", nil, errors.Join(fmt.Errorf("mirror process: no base URLs after %s", mirrorStartTimeout), serr)
		}
		bao, vn, err := parseMirrorLine(line)
		if err != nil {
			_, serr := stop()
			return "", "", nil, errors.Join(fmt.Errorf("mirror process: %w", err), serr)
		}
		return bao, vn, stop, nil
	}
}

const (
	// mirrorStartTimeout bounds the wait for a child mirror's first line;
	// generating the corpus is lazy, so it normally takes well under a
	// second.
	mirrorStartTimeout = time.Minute
	// mirrorStopGrace is how long a child mirror gets to shut down after
	// SIGINT before it is killed.
	mirrorStopGrace = 10 * time.Second
)

// parseMirrorLine reads the base URLs from mirror's first line.
func parseMirrorLine(line string) (bao, vn string, err error) {
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "baolamdong":
			bao = v
		case "vietnamvn":
			vn = v
		}
	}
	if bao == "" || vn == "" {
		return "", "", fmt.Errorf("first line %q lacks baolamdong= or vietnamvn=", strings.TrimSpace(line))
	}
	return bao, vn, nil
}

// firstLine is a child's stdout: it hands over the first line once and
// discards the rest, so the child never blocks on a full pipe.
type firstLine struct {
	line chan string
	buf  []byte
	sent bool
}

func newFirstLine() *firstLine { return &firstLine{line: make(chan string, 1)} }

// Write is called from the one goroutine exec copies the pipe with.
func (f *firstLine) Write(p []byte) (int, error) {
	if f.sent {
		return len(p), nil
	}
	f.buf = append(f.buf, p...)
	if i := bytes.IndexByte(f.buf, '\n'); i >= 0 {
		f.line <- string(f.buf[:i])
		f.sent, f.buf = true, nil
	}
	return len(p), nil
}

// parseClients parses --clients: "1,8,64".
func parseClients(s string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		var n int
		if _, err := fmt.Sscanf(f, "%d", &n); err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("bench: clients %q: want numbers between 1 and 1024", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("bench: no client counts in %q", s)
	}
	return out, nil
}
