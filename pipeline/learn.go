package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"

	"baoscope/align"
	"baoscope/index"
	"baoscope/model"
	"baoscope/translate"
)

// TranslationsFile is the learned translation tables' file in a data
// directory.
const TranslationsFile = translate.FileName

// Translations are the tables learned from the data directory, or nil
// when none have been learned (or they are of another format version,
// and will be at the next crawl, reindex or learn).
func (p *Pipeline) Translations() *translate.Tables { return p.tables.Load() }

// loadTranslations reads the data directory's tables, if any.
func (p *Pipeline) loadTranslations() error {
	t, err := translate.Load(filepath.Join(p.opts.DataDir, TranslationsFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, translate.ErrStale):
		p.log.Warn("translation tables of another version; they are learned again at the next crawl, reindex or learn", "err", err)
		return nil
	case err != nil:
		return err
	}
	p.tables.Store(t)
	return nil
}

// LearnStats are a learning run's figures.
type LearnStats struct {
	*translate.Stats
	// Parallel is how many of the reports learned from came from
	// Options.Parallel, not from the store.
	Parallel int `json:"parallel_reports"`
}

// Learn learns translation tables from every stored report and the
// parallel text of Options.Parallel (see package translate), saves them
// in the data directory and uses them from then on. It reads the whole
// store, so it runs after a crawl or reindex, not per page.
func (p *Pipeline) Learn(ctx context.Context) (*LearnStats, error) {
	an, err := index.NewAnalyzer()
	if err != nil {
		return nil, err
	}
	reports, err := p.storedReports(ctx)
	if err != nil {
		return nil, fmt.Errorf("learn translations: %w", err)
	}
	reports, added, err := p.withParallel(reports)
	if err != nil {
		return nil, fmt.Errorf("learn translations: %w", err)
	}
	t, st, err := translate.Learn(ctx, slices.Values(reports), an.Terms, translate.Options{})
	if err != nil {
		return nil, err
	}
	if err := t.Save(filepath.Join(p.opts.DataDir, TranslationsFile)); err != nil {
		return nil, err
	}
	p.tables.Store(t)
	p.log.Info("translation tables learned", "reports", st.Reports, "parallel", added, "entries", st.Entries, "took", st.Duration.Round(1e6))
	return &LearnStats{Stats: st, Parallel: added}, nil
}

// withParallel adds Options.Parallel's reports to the stored ones, in id
// order, leaving out those the store holds: a report is learned from
// once, as crawled. It returns how many it added.
func (p *Pipeline) withParallel(stored []translate.Report) ([]translate.Report, int, error) {
	if p.opts.Parallel == nil {
		return stored, 0, nil
	}
	extra, err := p.opts.Parallel()
	if err != nil {
		return nil, 0, fmt.Errorf("parallel text: %w", err)
	}
	have := make(map[string]bool, len(stored))
	for _, r := range stored {
		have[r.ID] = true
	}
	out := slices.Clone(stored)
	for _, r := range extra {
		if !have[r.ID] && len(r.Versions) > 1 {
			have[r.ID] = true
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b translate.Report) int { return cmp.Compare(a.ID, b.ID) })
	return out, len(out) - len(stored), nil
}

// storedReports groups the stored documents linked to a report into
// reports, in id order and each report's versions in language order, so
// that learning sees the same input whatever order the store holds.
func (p *Pipeline) storedReports(ctx context.Context) ([]translate.Report, error) {
	byID := map[string][]translate.Version{}
	err := p.store.Each(func(d *model.Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.ReportID == "" || d.Lang == "" || d.Lang == model.LangUnknown {
			return nil
		}
		byID[d.ReportID] = append(byID[d.ReportID], translate.Version{
			Lang: d.Lang, Title: d.Title, Segments: align.Segments(d.Lead, d.Body),
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]translate.Report, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		vs := byID[id]
		slices.SortStableFunc(vs, func(a, b translate.Version) int { return cmp.Compare(a.Lang, b.Lang) })
		out = append(out, translate.Report{ID: id, Versions: vs})
	}
	return out, nil
}
