package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// errUsage is returned after a usage message has been printed; main exits
// with status 2 without printing it again.
var errUsage = errors.New("usage")

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"demo", "run the whole pipeline on the bundled sample site and serve it", runDemo},
		{"crawl", "crawl baolamdong.vn and vietnam.vn into a data directory", runCrawl},
		{"serve", "serve the web page and the search API from a data directory", runServe},
		{"search", "search a data directory from the terminal", runSearch},
		{"export", "write a data directory's reports, or a query's, as JSON Lines", runExport},
		{"reindex", "rebuild the index from the stored documents, without fetching", runReindex},
		{"detect", "detect the language of a text, or of each line", runDetect},
		{"bench", "measure throughput, latency, size and memory on a synthetic corpus", runBench},
		{"mirror", "serve loopback mirrors of both sites (bundled or synthetic corpus) to crawl", runMirror},
		{"learn", "learn translation tables from the stored reports", runLearn},
		{"eval", "measure retrieval quality on judged queries and the mate test", runEval},
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `baoscope: search Báo Lâm Đồng reports and their translations, in any language.

Usage: baoscope <command> [flags] [args]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'baoscope <command> --help' for a command's flags.\n")
}

// run is the whole program; main only calls it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "baoscope: unknown command %q\n\n", args[0])
	usage(stderr)
	return errUsage
}

// logFlags are the logging flags every command shares.
type logFlags struct {
	level  string
	format string
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.level, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&l.format, "log-format", "text", "log format: text or json")
}

// logger builds the one logger of the process, writing to stderr.
func (l *logFlags) logger(stderr io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: %w", l.level, err)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(l.format) {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", l.format)
}

// newFlagSet returns a flag set that reports errors instead of exiting
// and prints its usage to stderr.
func newFlagSet(name, synopsis, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: baoscope %s %s\n\n%s\n\nFlags:\n", name, synopsis, strings.TrimSpace(help))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and turns a flag error into errUsage (the flag
// package has printed it already); --help prints the usage to stdout and
// returns flag.ErrHelp, which main treats as success.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(stdout)
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}
