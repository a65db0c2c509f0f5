package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"baoscope/eval"
	"baoscope/sample"
)

// TestEvalBundled runs `baoscope eval --json` as CI and a researcher
// would: the bundled corpus crawled into a temporary directory, the
// bundled judgments, the real search service. The scores are measured,
// not asserted (docs/retrieval.md records them); what must hold is that
// every judged query ran, no judgment contradicts the crawled corpus, and
// the mate test covered every version that has a mate.
func TestEvalBundled(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"eval", "--json", "--low-accuracy"}, nil, &out, &errb); err != nil {
		t.Fatalf("eval: %v\n%s", err, errb.String())
	}
	var rep eval.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	qs, err := eval.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Queries) != len(qs) {
		t.Errorf("%d queries ran, want %d", len(rep.Queries), len(qs))
	}
	for _, p := range rep.Problems {
		t.Errorf("judgment problem on the crawled corpus: %s", p)
	}
	for _, o := range rep.Queries {
		if o.Error != "" {
			t.Errorf("query %s %q refused: %s", o.ID, o.Query, o.Error)
		}
	}
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	withMate, alone := 0, 0
	for r := range c.All() {
		if n := len(r.Versions); n > 1 {
			withMate += n
		} else {
			alone++
		}
	}
	if rep.Mate == nil || rep.Mate.All.N != withMate || rep.Mate.Skipped != alone {
		t.Errorf("mate test ran %+v, want %d versions with %d skipped", rep.Mate, withMate, alone)
	}
}

// TestEvalOwnJudgments brings a researcher's own judged file to an
// existing data directory, and checks what bad input gets.
func TestEvalOwnJudgments(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	df := dataFlags{dir: data, log: logFlags{level: "warn", format: "text"}, lang: langFlags{lowAccuracy: true}}
	s, err := df.setup(ctx, setupOptions{LogTo: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := crawlBundled(ctx, s.p, s.log, io.Discard); err != nil {
		t.Fatal(err)
	}
	s.p.Close()
	dir := t.TempDir()
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	good := write("good.jsonl", `{"id":"kn","query":"Krong No","lang":"en","type":"name","relevant":["396102","386120"]}
{"id":"ghost","query":"Krong No","lang":"de","type":"cross","relevant":["999999"]}
`)
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"eval", "--data", data, "--queries", good, "--mate=false", "--low-accuracy"}, nil, &out, &errb); err != nil {
		t.Fatalf("eval: %v\n%s", err, errb.String())
	}
	for _, s := range []string{"by type", "name/en", "judgment problem: ghost: report 999999 is not in the corpus"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
	if strings.Contains(out.String(), "mate test") {
		t.Errorf("--mate=false ran the mate test:\n%s", out.String())
	}
	bad := write("bad.jsonl", `{"id":"a","query":"x","lang":"english","type":"name","relevant":["1"]}`)
	for _, tt := range []struct{ file, want string }{
		{bad, "bad.jsonl: line 1"},
		{filepath.Join(dir, "missing.jsonl"), "no such file"},
	} {
		err := run(ctx, []string{"eval", "--data", data, "--queries", tt.file}, nil, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--queries %s: err = %v, want %q", tt.file, err, tt.want)
		}
	}
}

// TestEvalFold evaluates on a fold of the bundled corpus: only its
// reports are crawled, the other folds' translated reports are learned
// from beside them, and the judgments are restricted to the fold.
func TestEvalFold(t *testing.T) {
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for r := range c.All() {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	v := eval.Versions{}
	outside, mates := 0, 0
	for i, id := range ids {
		r, _ := c.Report(id)
		switch {
		case i%4 == 1: // fold 2/4
			v[id] = r.Langs()
			if len(r.Versions) > 1 {
				mates += len(r.Versions)
			}
		case len(r.Versions) > 1:
			outside++
		}
	}
	qs, err := eval.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	want := eval.Restrict(qs, v)

	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"eval", "--fold", "2/4", "--json", "--low-accuracy"}, nil, &out, &errb); err != nil {
		t.Fatalf("eval: %v\n%s", err, errb.String())
	}
	var rep eval.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Queries) != len(want) || len(want) == len(qs) {
		t.Errorf("%d queries ran, want %d of %d", len(rep.Queries), len(want), len(qs))
	}
	for _, p := range rep.Problems {
		t.Errorf("judgment problem on the fold: %s", p)
	}
	if rep.Mate == nil || rep.Mate.All.N != mates {
		t.Errorf("mate test ran %+v, want %d versions", rep.Mate, mates)
	}
	if want := fmt.Sprintf("parallel=%d ", outside); !strings.Contains(errb.String(), want) {
		t.Errorf("learning log lacks %q:\n%s", want, errb.String())
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--fold", "3/2"}, "want K/N"},
		{[]string{"--fold", "1"}, "want K/N"},
		{[]string{"--fold", "1/2", "--data", t.TempDir()}, "takes no --data"},
	} {
		var errb bytes.Buffer
		err := run(context.Background(), append([]string{"eval"}, tt.args...), nil, io.Discard, &errb)
		if err == nil || !strings.Contains(err.Error()+errb.String(), tt.want) {
			t.Errorf("eval %v: err = %v, stderr %q; want %q", tt.args, err, errb.String(), tt.want)
		}
	}
}

func TestFoldFlag(t *testing.T) {
	for _, tt := range []struct {
		in   string
		k, n int
		ok   bool
	}{
		{"1/2", 1, 2, true}, {"4/4", 4, 4, true}, {"all/3", 0, 3, true},
		{"0/2", 0, 0, false}, {"3/2", 0, 0, false}, {"1/1", 0, 0, false}, {"all", 0, 0, false}, {"x/2", 0, 0, false},
	} {
		var f foldFlag
		err := f.Set(tt.in)
		if (err == nil) != tt.ok || f.k != tt.k || f.n != tt.n {
			t.Errorf("Set(%q) = %+v, %v; want k %d n %d ok %v", tt.in, f, err, tt.k, tt.n, tt.ok)
		}
		if tt.ok && f.String() != tt.in {
			t.Errorf("String() = %q, want %q", f.String(), tt.in)
		}
	}
}
