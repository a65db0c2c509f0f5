package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"baoscope/sample"
)

// mirrorLine is the first line mirror prints: both base URLs, as
// key=value fields, for a parent process to read (see benchMirror).
const mirrorLine = "baolamdong=%s vietnamvn=%s\n"

func runMirror(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("mirror", "[--corpus DIR | --reports N [--versions V] [--seed S]] [flags]", `
Serve loopback mirrors of baolamdong.vn and www.vietnam.vn until
interrupted: the bundled sample corpus, with --corpus a corpus directory
laid out as the bundled one (sample/corpus: reports/ID/LANG.md,
sections.tsv; a subset of it, or reports of your own), or with --reports
a synthetic one of N reports in V language versions each (the generator
bench uses; the same N, V and seed give the same pages).

The first line on stdout gives both base URLs, for scripts:

  baolamdong=http://127.0.0.1:PORT vietnamvn=http://127.0.0.1:PORT

and the next ones the crawl command that reads them. When stopped, it
prints what it served, by site and status ("served: baolamdong.vn
200=141 · vietnam.vn 200=800"): the cost of a crawl as the sites saw it.

Two fault modes take sitemaps away from vietnam.vn, to measure how a crawl
finds translations without them: --no-translation-sitemaps (none at all;
every translation must be guessed from its original's slug) and
--held-back-days N (the newest N daily post sitemaps are not published
yet). bench runs its crawl
against a mirror started this way, in a process of its own, so that the
mirror's page rendering is not counted as the pipeline's CPU time.

Examples:
  baoscope mirror
  baoscope mirror --corpus ./my-corpus
  baoscope mirror --reports 2000 --versions 5 --seed 1
  baoscope mirror --no-translation-sitemaps`, stderr)
	var (
		reports, versions int
		seed              uint64
		lf                logFlags
		dir               string
		opts              sample.Options
	)
	fs.StringVar(&dir, "corpus", "", "serve the corpus in this directory instead of the bundled one")
	fs.IntVar(&reports, "reports", 0, "serve a generated corpus of this many reports instead of the bundled one")
	fs.IntVar(&versions, "versions", 5, "language versions per generated report: the Vietnamese original plus V-1 translations (1..11)")
	fs.Uint64Var(&seed, "seed", 1, "generator seed")
	fs.BoolVar(&opts.NoTranslationSitemaps, "no-translation-sitemaps", false, "fault mode: vietnam.vn serves no sitemaps")
	fs.IntVar(&opts.HeldBackDays, "held-back-days", 0, "fault mode: vietnam.vn's newest N daily post sitemaps are missing")
	fs.BoolVar(&opts.EndlessListing, "endless-listing", false, "fault mode: baolamdong.vn's section listings never end (a crawler trap)")
	lf.register(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mirror: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	generatorOnly := false
	fs.Visit(func(f *flag.Flag) { generatorOnly = generatorOnly || f.Name == "versions" || f.Name == "seed" })
	switch {
	case reports < 0:
		return errors.New("mirror: --reports must not be negative")
	case opts.HeldBackDays < 0:
		return errors.New("mirror: --held-back-days must not be negative")
	case reports > 0 && dir != "":
		return errors.New("mirror: --corpus and --reports exclude each other")
	case reports == 0 && generatorOnly:
		// Silently serving the bundled corpus would look like a
		// generated one that came out different.
		return errors.New("mirror: --versions and --seed need --reports")
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	var corpus *sample.Corpus
	switch {
	case reports > 0:
		corpus, err = sample.Generate(sample.GenerateOptions{Reports: reports, Langs: versions, Seed: seed})
	case dir != "":
		corpus, err = loadCorpusDir(dir)
	default:
		corpus, err = sample.Load()
	}
	if err != nil {
		return fmt.Errorf("mirror: corpus: %w", err)
	}
	sites, err := sample.Start(corpus, opts)
	if err != nil {
		return fmt.Errorf("mirror: start: %w", err)
	}
	fmt.Fprintf(stdout, mirrorLine, sites.BaoLamDongURL, sites.VietnamVNURL)
	// No politeness delay: the mirror is local and ours.
	fmt.Fprintf(stdout, "crawl it with:\n  baoscope crawl --data DIR --delay 0 --parallel 4 --baolamdong-url %s --vietnamvn-url %s\n(Ctrl-C to stop)\n",
		sites.BaoLamDongURL, sites.VietnamVNURL)
	log.Info("mirror serving", "baolamdong", sites.BaoLamDongURL, "vietnamvn", sites.VietnamVNURL, "reports", corpus.Len())
	<-ctx.Done()
	if err := sites.Close(); err != nil {
		return fmt.Errorf("mirror: %w", err)
	}
	fmt.Fprintf(stdout, "served: %s\n", sites.Site.Requests())
	return nil
}

// loadCorpusDir loads the corpus in dir; a path that is no directory is
// an error of its own, not a corpus without reports.
func loadCorpusDir(dir string) (*sample.Corpus, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	return sample.LoadFS(os.DirFS(dir))
}
