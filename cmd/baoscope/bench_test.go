package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

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
	args := []string{"bench", "--docs", "12", "--langs", "3", "--duration", "50ms", "--clients", "1,2", "--json", "--log-level", "warn"}
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
	if len(res.Checks) != len(bench.Queries()) {
		t.Errorf("%d query checks, want %d", len(res.Checks), len(bench.Queries()))
	}
	for _, c := range res.Checks {
		if c.Err != "" {
			t.Errorf("query %s: %s", c.Name, c.Err)
		}
	}
	// Per level: baoscope with its result cache, then without.
	if len(res.Latency) != 4 || res.Latency[0].Queries == 0 || res.Latency[1].Engine != bench.EngineCold ||
		res.Latency[1].Queries == 0 || res.Latency[2].Clients != 2 {
		t.Errorf("latency %+v", res.Latency)
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
