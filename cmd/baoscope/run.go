package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
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
       baoscope --version

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nFlags may come before or after a command's arguments; after -- all are arguments.\nRun 'baoscope <command> --help' for a command's flags.\n")
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
	case "--version", "-version", "version":
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(bi))
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

// parseFlags parses args, flags and arguments in any order (see
// interspersed), and turns a flag error into errUsage (the flag package
// has printed it already); --help prints the usage to stdout and returns
// flag.ErrHelp, which main treats as success. A flag's former name (see
// renamedFlags) still works, with a warning on stderr.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	registerRenamed(fs, fs.Output())
	args = interspersed(fs, args)
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

// interspersed moves the flags in args before the other arguments, so
// that `search 'Krong No' --data D` reads as `search --data D 'Krong No'`,
// and puts "--" between them so that the flag package stops there.
//
// A flag takes the next argument as its value unless it is boolean or
// written --name=value. Everything after "--" is an argument, and so is
// "-" (standard input). After the first argument, a word starting with
// one "-" that names no flag stays an argument: the query syntax's
// exclusions (search Krong -No) read as before. An unknown --name, or an
// unknown -name before any argument, goes to the flag package, which
// refuses it; -h and -help ask for the usage wherever they are.
//
// The flag library most tools use for this (spf13/pflag) would read
// -No as the shorthands -N -o and -data as -d -a -t -a; hence this, over
// the standard library's flag sets.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		f := fs.Lookup(name)
		help := name == "h" || name == "help"
		if f == nil && !help && len(rest) > 0 && !strings.HasPrefix(a, "--") {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		if f != nil && !hasValue && !isBoolFlag(f) {
			if i+1 == len(args) {
				// No value: the flag package says so, rather than
				// taking the "--" below for one.
				return flags
			}
			i++
			flags = append(flags, args[i])
		}
	}
	if len(rest) == 0 {
		return flags
	}
	return append(append(flags, "--"), rest...)
}

// isBoolFlag says whether f takes no value (--json, not --json true), as
// the flag package decides it.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// renamedFlags maps a command's former flag names to their new ones:
// --langs meant three things (the detector's candidates, the vietnam.vn
// prefixes, a count), now one name each.
func renamedFlags(command string) map[string]string {
	switch command {
	case "detect":
		return map[string]string{"langs": "detect-langs"}
	case "crawl":
		return map[string]string{"langs": "vietnamvn-langs"}
	case "mirror", "bench":
		return map[string]string{"langs": "versions"}
	}
	return nil
}

// registerRenamed adds fs's former flag names as aliases that set the new
// flag and warn on stderr.
func registerRenamed(fs *flag.FlagSet, stderr io.Writer) {
	for old, name := range renamedFlags(fs.Name()) {
		f := fs.Lookup(name)
		if f == nil || fs.Lookup(old) != nil {
			continue
		}
		fs.Var(&renamedValue{fs: fs, old: old, name: name, stderr: stderr, target: f.Value}, old, "deprecated: use --"+name)
	}
}

// renamedValue is a former flag name: setting it sets the new flag
// (marked as set for fs.Visit) after a warning.
type renamedValue struct {
	fs        *flag.FlagSet
	old, name string
	stderr    io.Writer
	target    flag.Value
}

func (r *renamedValue) String() string {
	if r == nil || r.target == nil { // the flag package's zero value, for --help
		return ""
	}
	return r.target.String()
}

func (r *renamedValue) Set(v string) error {
	fmt.Fprintf(r.stderr, "baoscope %s: --%s is deprecated, use --%s\n", r.fs.Name(), r.old, r.name)
	return r.fs.Set(r.name, v)
}

// versionLine is what --version prints: the module's version and the VCS
// revision and time the binary was built from, as the build info has
// them (go build in a git checkout records them; go run and tests do not).
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "baoscope (no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var vcs []string
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision", s.Key == "vcs.time":
			vcs = append(vcs, s.Value)
		case s.Key == "vcs.modified" && s.Value == "true":
			vcs = append(vcs, "modified")
		}
	}
	line := "baoscope " + v
	if len(vcs) > 0 {
		line += " (revision " + strings.Join(vcs, ", ") + ")"
	}
	return line + ", " + bi.GoVersion
}
