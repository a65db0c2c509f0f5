package bench

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the result as aligned tables: the machine, the
// stages, sizes, query latency per engine and concurrency, the
// baoscope/FTS5 ratios, peak memory and the notes.
func (r *Result) WriteTable(w io.Writer) error {
	m := r.Machine
	fmt.Fprintf(w, "baoscope bench: %d documents (%d reports × %d languages), %d shard(s), seed %d\n",
		r.Docs, r.Reports, r.Langs, r.Shards, r.Seed)
	fmt.Fprintf(w, "machine: %s/%s, %d CPUs (GOMAXPROCS %d), %s RAM, %s; load average %s at start, %s at end\n",
		m.GOOS, m.GOARCH, m.CPUs, m.GOMAXPROCS, m.MemTotal, m.GoVersion,
		strings.Join(m.LoadStart[:], " "), strings.Join(m.LoadEnd[:], " "))
	fmt.Fprintf(w, "language detector built in %.1fs\n\n", r.DetectorSec)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "stage\tdocs\twall s\tdocs/s\tdocs/CPU-s\tCPU µs/doc\tallocs/doc\tKB alloc/doc\t")
	for _, s := range r.Stages {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f\t\n", s.Name, s.Docs, s.WallSec, s.DocsPerSec,
			s.DocsPerCPUSec, s.NsPerOp/1000, s.AllocsPerOp, s.BytesPerOp/1024)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Mirror == MirrorProcess && r.stage(StageCrawl) != nil {
		// Right under the table: the crawl stage's figures leave it out.
		fmt.Fprintf(w, "mirror (separate process): %.1f CPU-s including its start-up, not counted above\n", r.MirrorCPUSec)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "index size: Bleve %s (%s/doc)", mib(r.BleveBytes), kib(r.BleveBytes, r.Docs))
	if r.FTS5Bytes > 0 {
		fmt.Fprintf(w, ", FTS5 %s (%s/doc)", mib(r.FTS5Bytes), kib(r.FTS5Bytes, r.Docs))
	}
	fmt.Fprintln(w)
	if r.ColumnsSec > 0 {
		fmt.Fprintf(w, "grouping columns (index.Columns) built in %.2f s before the queries\n", r.ColumnsSec)
	}
	if l := r.Learn; l != nil {
		l.write(w)
	}

	if len(r.Checks) > 0 {
		fmt.Fprintln(w, "\nreports found per query (first run, ms):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "query\tkind\tbaoscope\tFTS5\t")
		for _, q := range r.Queries {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", q.Name, q.Kind, r.checkCell("baoscope", q.Name), r.checkCell("FTS5", q.Name))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	if len(r.Latency) > 0 {
		fmt.Fprintf(w, "\nquery latency (%d queries in turn per client):\n", len(r.Queries))
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "engine\tclients\tqueries\terrors\tq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
		for _, l := range r.Latency {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.1f\t\n", l.Engine, l.Clients, l.Queries, l.Errors,
				l.QPS, l.P50, l.P95, l.P99, l.Max)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, c := range r.TranslationCost() {
			fmt.Fprintf(w, "query translation, %d clients: p50 ×%.2f, p99 ×%.2f, q/s ×%.2f (%s / %s)\n",
				c.Clients, c.P50, c.P99, c.QPS, EnginePSQCold, EngineCold)
		}
	}

	if ratios := r.Ratios(); len(ratios) > 0 {
		fmt.Fprintln(w, "\nbaoscope / FTS5 (>1: baoscope higher):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, x := range ratios {
			fmt.Fprintf(tw, "  %s\t%.2f\t%s\t\n", x.Name, x.Value, x.Better)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\npeak memory (VmHWM per phase):")
	for _, p := range phases {
		if v, ok := r.Peak[p]; ok {
			fmt.Fprintf(w, " %s %s", p, mib(abs(v)))
		}
	}
	fmt.Fprintf(w, "; whole run %s\n", mib(r.PeakTotal))
	fmt.Fprintf(w, "peak anonymous memory (RssAnon, without mapped index files):")
	for _, p := range phases {
		if v, ok := r.PeakAnon[p]; ok {
			fmt.Fprintf(w, " %s %s", p, mib(v))
		}
	}
	fmt.Fprintf(w, "; whole run %s\n", mib(r.PeakAnonTotal))
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, s := range r.Stages {
		if s.Note != "" {
			fmt.Fprintf(w, "note: %s: %s\n", s.Name, s.Note)
		}
	}
	if len(r.Profiles) > 0 {
		fmt.Fprintf(w, "profiles: go tool pprof -top %s\n", r.Profiles["index.cpu"])
		if p, ok := r.Profiles["learn.cpu"]; ok {
			fmt.Fprintf(w, "profiles: go tool pprof -top %s\n", p)
		}
	}
	return nil
}

// phases are the phases in the order they run (learn after stages when
// there is no crawl).
var phases = []string{"crawl", "learn", "stages", "index", "fts5", "query"}

// write prints the learn phase's figures.
func (l *Learn) write(w io.Writer) {
	fmt.Fprintf(w, "\nlearn translations (%s):\n", l.Source)
	fmt.Fprintf(w, "  %.1f s wall, %.1f CPU-s (translate.Learn alone %.1f s), %s allocated\n",
		l.WallSec, l.CPUSec, l.TrainSec, mib(int64(l.AllocBytes)))
	pairs := make([]string, 0, len(l.Pairs))
	for _, lang := range slices.Sorted(maps.Keys(l.Pairs)) {
		pairs = append(pairs, fmt.Sprintf("%s %d", lang, l.Pairs[lang]))
	}
	fmt.Fprintf(w, "  %d documents read, %d reports learned from, %d aligned pairs (%s)\n",
		l.Docs, l.Reports, l.PairsTotal, strings.Join(pairs, ", "))
	fmt.Fprintf(w, "  %d translations kept, tables %s on disk\n", l.Entries, mib(l.TableBytes))
	fmt.Fprintf(w, "  peak memory: VmHWM %s, RssAnon %s (RssAnon %s at the start)\n", mib(abs(l.PeakRSS)), mib(l.PeakAnon), mib(l.StartAnon))
	fmt.Fprintf(w, "  note: %s\n", l.Note)
}

func (r *Result) checkCell(engine, name string) string {
	for _, c := range r.Checks {
		if c.Engine == engine && c.Name == name {
			if c.Err != "" {
				return "error: " + c.Err
			}
			return fmt.Sprintf("%d (%.1f)", c.Reports, c.Millis)
		}
	}
	return "–"
}

// Ratio is one baoscope/FTS5 comparison.
type Ratio struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Better string  `json:"better"` // which side wins
}

// Ratios compares baoscope with FTS5 figure by figure: indexing
// throughput, disk size, and p50/p99 at each concurrency level.
func (r *Result) Ratios() []Ratio {
	var out []Ratio
	add := func(name string, a, b float64, higherIsBetter bool) {
		if a <= 0 || b <= 0 {
			return
		}
		v := a / b
		better := "baoscope"
		if (v < 1) == higherIsBetter {
			better = "FTS5"
		}
		if v == 1 {
			better = "even"
		}
		out = append(out, Ratio{Name: name, Value: v, Better: better})
	}
	if b, f := r.stage(StageIndex), r.stage(StageFTS5); b != nil && f != nil {
		add("indexing docs/s", b.DocsPerSec, f.DocsPerSec, true)
		add("indexing docs/CPU-s", b.DocsPerCPUSec, f.DocsPerCPUSec, true)
	}
	add("disk bytes", float64(r.BleveBytes), float64(r.FTS5Bytes), false)
	for _, l := range r.Latency {
		var suffix string
		switch l.Engine {
		case "baoscope":
		case EngineCold:
			suffix = ", no result cache"
		default:
			continue
		}
		for _, f := range r.Latency {
			if f.Engine == "FTS5" && f.Clients == l.Clients {
				add(fmt.Sprintf("query p50, %d clients%s", l.Clients, suffix), l.P50, f.P50, false)
				add(fmt.Sprintf("query p99, %d clients%s", l.Clients, suffix), l.P99, f.P99, false)
				add(fmt.Sprintf("queries/s, %d clients%s", l.Clients, suffix), l.QPS, f.QPS, true)
			}
		}
	}
	return out
}

// Cost is what query translation multiplies at one concurrency level:
// EnginePSQCold's figures over EngineCold's, measured side by side.
type Cost struct {
	Clients       int
	P50, P99, QPS float64
}

// TranslationCost compares the two cold engines at each level both ran.
func (r *Result) TranslationCost() []Cost {
	var out []Cost
	for _, p := range r.Latency {
		if p.Engine != EnginePSQCold {
			continue
		}
		for _, c := range r.Latency {
			if c.Engine == EngineCold && c.Clients == p.Clients && c.P50 > 0 && c.P99 > 0 && c.QPS > 0 {
				out = append(out, Cost{Clients: p.Clients, P50: p.P50 / c.P50, P99: p.P99 / c.P99, QPS: p.QPS / c.QPS})
			}
		}
	}
	return out
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func kib(b int64, n int) string {
	if n == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/float64(n)/1024)
}
