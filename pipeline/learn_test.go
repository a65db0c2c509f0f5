package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"baoscope/index"
	"baoscope/internal/ctxtest"
	"baoscope/model"
	"baoscope/translate"
)

// TestLearnCancelledKeepsTables cancels learning at each point where it
// looks at its context (SIGINT in 'baoscope learn'): each time it ends
// with context.Canceled, the tables learned before stay in the file and
// in use, and no partial file is left beside them.
func TestLearnCancelledKeepsTables(t *testing.T) {
	p := open(t)
	ctx := context.Background()
	add := func(ds ...*model.Document) {
		for _, d := range ds {
			if err := p.Add(d); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	add(original(), translation())
	if _, err := p.Learn(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(p.opts.DataDir, TranslationsFile)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	used := p.Translations()
	// A second report, so that tables learned again differ from those
	// in the file.
	vi, en := original(), translation()
	vi.URL, vi.ReportID, vi.ContentHash, vi.Title, vi.Body = vi.URL+"?2", "2", "c", "Giá cà phê tăng cao", []string{"Nông dân vui mừng vì giá cà phê."}
	en.URL, en.ReportID, en.ContentHash, en.Title, en.Body = en.URL+"-2", "2", "d", "Coffee prices rise", []string{"Farmers are glad of the coffee price."}
	add(vi, en)

	all := ctxtest.New(-1)
	learn := func(ctx context.Context) error { _, err := p.Learn(ctx); return err }
	// Counting the looks of a whole run saves its tables: put the first
	// ones back, in the file and in use.
	if err := learn(all); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, before, 0o644); err != nil {
		t.Fatal(err)
	}
	p.tables.Store(used)
	for n := range all.Looks() {
		if err := learn(ctxtest.New(n)); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at look %d of %d: err %v, want context.Canceled", n+1, all.Looks(), err)
		}
		if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
			t.Fatalf("cancelled at look %d of %d: tables file changed (%v)", n+1, all.Looks(), err)
		}
		if p.Translations() != used {
			t.Fatalf("cancelled at look %d of %d: other tables in use", n+1, all.Looks())
		}
	}
	if left, _ := filepath.Glob(filepath.Join(p.opts.DataDir, ".translations-*")); len(left) > 0 {
		t.Errorf("left beside the tables: %v", left)
	}
	// The same learning, not cancelled, does replace them: the
	// comparison above could see a change.
	if err := learn(ctx); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); bytes.Equal(after, before) {
		t.Error("learning two reports saved the tables of one")
	}
}

// TestLearnWithParallel: Options.Parallel's reports are learned from
// beside the stored ones, once each: a report the store holds is learned
// from as stored, and one with no translation teaches nothing.
func TestLearnWithParallel(t *testing.T) {
	parallel := func() ([]translate.Report, error) {
		return []translate.Report{
			{ID: "400001", Versions: []translate.Version{
				{Lang: "vi", Title: "Giá cà phê tăng cao", Segments: []string{"Nông dân vui mừng vì giá cà phê tăng."}},
				{Lang: "en", Title: "Coffee prices rise", Segments: []string{"Farmers are glad the coffee price is rising."}},
			}},
			// The stored report's id: its words here must not be learned.
			{ID: "396102", Versions: []translate.Version{
				{Lang: "vi", Title: "Sầu riêng được mùa", Segments: []string{"Sầu riêng được mùa lớn."}},
				{Lang: "en", Title: "Durian harvest", Segments: []string{"A big durian harvest."}},
			}},
			{ID: "400002", Versions: []translate.Version{{Lang: "vi", Title: "Chỉ có bản gốc"}}},
		}, nil
	}
	an, err := index.NewAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	term := func(lang, word string) string { return an.Terms(lang, word)[0] }
	for _, tt := range []struct {
		name           string
		parallel       func() ([]translate.Report, error)
		reports, added int
		coffee, durian bool
	}{
		{"store alone", nil, 1, 0, false, false},
		{"with parallel text", parallel, 2, 1, true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := open(t)
			p.opts.Parallel = tt.parallel
			for _, d := range []*model.Document{original(), translation()} {
				if err := p.Add(d); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			st, err := p.Learn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.Reports != tt.reports || st.Parallel != tt.added {
				t.Errorf("learned from %d reports, %d added; want %d, %d", st.Reports, st.Parallel, tt.reports, tt.added)
			}
			tables := p.Translations()
			if got := len(tables.Translate(term("en", "coffee"), "en", "vi", 5, 0)) > 0; got != tt.coffee {
				t.Errorf("coffee translated: %v, want %v", got, tt.coffee)
			}
			if got := len(tables.Translate(term("en", "durian"), "en", "vi", 5, 0)) > 0; got != tt.durian {
				t.Errorf("durian translated: %v, want %v (the stored report is learned from as stored)", got, tt.durian)
			}
		})
	}
}
