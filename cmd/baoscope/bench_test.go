package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"baoscope/bench"
)

// A whole bench run on a tiny corpus: every phase runs and reports, every
// query runs without error. Figures are not checked: timings belong in the
// output, not in a verdict.
func TestBenchRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the language detector and crawls the mirror")
	}
	var out, errb bytes.Buffer
	// In-process: this test binary is not baoscope and cannot be run as
	// its mirror command; TestBenchMirrorProcess runs the real binary.
	args := []string{"bench", "--docs", "12", "--versions", "3", "--duration", "50ms", "--clients", "1,2", "--json", "--log-level", "warn",
		"--mirror", "in-process"}
	if err := run(context.Background(), args, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("bench: %v\n%s", err, errb.String())
	}
	var res bench.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("bench --json printed %q: %v", out.String(), err)
	}
	if res.Docs != 12 || res.Reports != 4 {
		t.Errorf("docs %d reports %d, want 12 and 4", res.Docs, res.Reports)
	}
	stages := map[string]bench.Stage{}
	for _, s := range res.Stages {
		stages[s.Name] = s
	}
	for _, name := range []string{bench.StageCrawl, bench.StageExtract, bench.StageDetect, bench.StageIndex} {
		if s, ok := stages[name]; !ok || s.Docs != 12 {
			t.Errorf("stage %s: %+v, want 12 documents", name, s)
		}
	}
	if res.Mirror != bench.MirrorInProcess || res.MirrorCPUSec != 0 {
		t.Errorf("mirror %q, %v CPU-s; want in-process and none apart", res.Mirror, res.MirrorCPUSec)
	}
	if note := stages[bench.StageCrawl].Note; !strings.Contains(note, "mirror in this process") {
		t.Errorf("crawl note %q does not say where the mirror ran", note)
	}
	if len(res.Checks) != len(bench.Queries()) {
		t.Errorf("%d query checks, want %d", len(res.Checks), len(bench.Queries()))
	}
	for _, c := range res.Checks {
		if c.Err != "" {
			t.Errorf("query %s: %s", c.Name, c.Err)
		}
	}
	// Per level: baoscope with its result cache, then without, words as
	// written and translated with the learn phase's tables.
	if len(res.Latency) != 6 || res.Latency[0].Queries == 0 || res.Latency[1].Engine != bench.EngineCold ||
		res.Latency[1].Queries == 0 || res.Latency[2].Engine != bench.EnginePSQCold || res.Latency[2].Queries == 0 ||
		res.Latency[3].Clients != 2 {
		t.Errorf("latency %+v", res.Latency)
	}
	if c := res.TranslationCost(); len(c) != 2 || c[0].P50 <= 0 {
		t.Errorf("translation cost %+v, want one per level", c)
	}
	if res.BleveBytes == 0 || res.PeakTotal == 0 {
		t.Errorf("size %d, peak memory %d", res.BleveBytes, res.PeakTotal)
	}

	// The table form prints the same run.
	var table bytes.Buffer
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"stage", bench.StageIndex, "p99 ms", "peak memory"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
}

func TestBenchUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"keep without data", []string{"bench", "--keep"}, "--keep needs --data"},
		{"bad clients", []string{"bench", "--clients", "0"}, "clients"},
		{"bad mirror", []string{"bench", "--mirror", "thread"}, "--mirror"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// TestBenchMirrorProcess runs the real binary's bench with its default
// mirror in a child process ('baoscope mirror'), which only a baoscope
// executable can start: the crawl stage must find every document, as it
// does in-process, and the report must give the mirror's CPU time apart.
func TestBenchMirrorProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds baoscope and runs its bench")
	}
	bin := buildBaoscope(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "bench", "--docs", "200", "--clients", "1", "--duration", "1s",
		"--mirror", "process", "--json", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	var res bench.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("bench --json printed %q: %v", stdout.String(), err)
	}
	var crawl *bench.Stage
	for i := range res.Stages {
		if res.Stages[i].Name == bench.StageCrawl {
			crawl = &res.Stages[i]
		}
	}
	if crawl == nil || res.Docs != 200 || crawl.Docs != res.Docs {
		t.Fatalf("crawl stage %+v of %d documents, want all 200 stored", crawl, res.Docs)
	}
	if res.Mirror != bench.MirrorProcess || res.MirrorCPUSec <= 0 {
		t.Errorf("mirror %q, %v CPU-s; want a separate process with its CPU time", res.Mirror, res.MirrorCPUSec)
	}
	if !strings.Contains(crawl.Note, "mirror in a separate process") {
		t.Errorf("crawl note %q does not say where the mirror ran", crawl.Note)
	}
	var table bytes.Buffer
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "mirror (separate process): ") {
		t.Errorf("report lacks the mirror's CPU time:\n%s", table.String())
	}
}

// buildBaoscope builds this tree's command into the test's directory, as
// the e2e crash tests do: code that re-runs its own executable needs the
// real one.
func buildBaoscope(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build baoscope with")
	}
	bin := filepath.Join(t.TempDir(), "baoscope")
	if out, err := exec.Command(gobin, "build", "-o", bin, "baoscope/cmd/baoscope").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestParseClients(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"1,8,64", []int{1, 8, 64}, false},
		{" 2 , 4 ", []int{2, 4}, false},
		{"", nil, true},
		{"0", nil, true},
		{"1,x", nil, true},
		{"2000", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseClients(tt.in)
			if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseClients(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
