package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestExportCommand crawls two bundled reports and exports them: the
// whole corpus, newest first, with texts; then a query's reports only.
func TestExportCommand(t *testing.T) {
	_, data := crawlSubset(t, []string{"386800", "396102"}, "--learn=false")
	ctx := context.Background()
	var out, errb bytes.Buffer

	type line struct {
		ReportID string `json:"report_id"`
		Versions []struct {
			Lang string `json:"lang"`
		} `json:"versions"`
		Texts []struct {
			Lang  string   `json:"lang"`
			Title string   `json:"title"`
			Body  []string `json:"body"`
		} `json:"texts"`
	}
	export := func(args ...string) []line {
		t.Helper()
		out.Reset()
		if err := run(ctx, append([]string{"export", "--data", data, "--low-accuracy"}, args...), nil, &out, &errb); err != nil {
			t.Fatalf("export %v: %v\n%s", args, err, errb.String())
		}
		var lines []line
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var l line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("line %q: %v", sc.Text(), err)
			}
			lines = append(lines, l)
		}
		return lines
	}

	all := export("--text")
	var got []string
	for _, l := range all {
		got = append(got, l.ReportID)
	}
	// The bundled corpus's pages linked to no report come last: their
	// dates are older.
	if len(all) < 3 || all[0].ReportID != "396102" || all[1].ReportID != "386800" || all[2].ReportID != "" {
		t.Fatalf("exported %q, want 396102, 386800 (newest first), then the unlinked pages", got)
	}
	for _, l := range all {
		if len(l.Texts) != len(l.Versions) || len(l.Texts) == 0 || (l.ReportID != "" && len(l.Texts) < 2) {
			t.Errorf("report %s: %d texts for %d versions", l.ReportID, len(l.Texts), len(l.Versions))
		}
		for _, x := range l.Texts {
			if x.Title == "" || len(x.Body) == 0 {
				t.Errorf("report %s, %s: empty text", l.ReportID, x.Lang)
			}
		}
	}
	some := export("--q", `"Cư Jút"`)
	if len(some) != 1 || some[0].ReportID != "386800" || some[0].Texts != nil {
		t.Errorf("query export of %d reports, want 386800 alone, without texts", len(some))
	}

	err := run(ctx, []string{"export", "--data", data, "--q", `"open`}, nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "position") {
		t.Errorf("bad query: err = %v", err)
	}
	err = run(ctx, []string{"export", "--data", data, "Krong"}, nil, &out, &errb)
	if !errors.Is(err, errUsage) {
		t.Errorf("a stray argument: err = %v, want a usage error", err)
	}
}
