package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"baoscope/internal/ctxtest"
	"baoscope/model"
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
