package index_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"baoscope/index"
	"baoscope/model"
	"baoscope/sample"
	"baoscope/search"
	"baoscope/sites"
)

// sampleDocs turns the embedded sample corpus into documents as the
// pipeline would store them: every version of every report, plus the
// unlinked pages.
func sampleDocs(t *testing.T) []*model.Document {
	t.Helper()
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	var docs []*model.Document
	for r := range c.All() {
		for _, v := range r.Versions {
			d := &model.Document{
				Site: model.SiteVietnamVN, ReportID: r.ID, Title: v.Title, Lead: v.Lead,
				Lang: v.Lang, DeclaredLang: v.Lang, Section: r.Section, Published: v.Published,
				Author: r.Author, Tags: r.Tags, SourceURL: v.SourceURL,
				URL: sites.VietnamVNURL + sites.TranslationPath(v.Lang, r.Slug),
			}
			if v.Lang == "vi" {
				d.Site, d.IsOriginal, d.SourceURL, d.URL = model.SiteBaoLamDong, true, "", r.URL()
			}
			for _, p := range v.Body {
				d.Body = append(d.Body, p.Text)
			}
			docs = append(docs, d)
		}
	}
	for _, p := range c.Unlinked() {
		d := &model.Document{Site: model.SiteVietnamVN, URL: sites.VietnamVNURL + p.Path(), Title: p.Title,
			Lang: p.Lang, DeclaredLang: p.Lang, Published: p.Published}
		for _, b := range p.Body {
			d.Body = append(d.Body, b.Text)
		}
		docs = append(docs, d)
	}
	return docs
}

func openBoth(t *testing.T, shards int, docs []*model.Document) (single, sharded *index.Index) {
	t.Helper()
	dir := t.TempDir()
	single, err := index.Create(filepath.Join(dir, "single"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { single.Close() })
	sharded, err = index.OpenSharded(filepath.Join(dir, "sharded"), shards)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sharded.Close() })
	for _, ix := range []*index.Index{single, sharded} {
		if err := ix.Upsert(docs...); err != nil {
			t.Fatal(err)
		}
	}
	return single, sharded
}

// groupedView is what a researcher sees of a result, minus scores and
// snippets: which reports, with which matching and which known versions.
type groupedView struct {
	totalDocs, totalReports int
	reports                 map[string][]string // report → "lang url" of matched versions, then "|", then all versions
}

func view(res *model.Result) groupedView {
	v := groupedView{totalDocs: res.TotalDocuments, totalReports: res.TotalReports, reports: map[string][]string{}}
	for _, r := range res.Reports {
		key := r.ReportID
		if key == "" && len(r.Versions) > 0 {
			key = model.UnlinkedPrefix + r.Versions[0].URL
		}
		var parts []string
		for _, m := range r.Matched {
			parts = append(parts, m.Lang+" "+m.URL)
		}
		slices.Sort(parts)
		parts = append(parts, "|")
		for _, ver := range r.Versions {
			parts = append(parts, ver.Lang+" "+ver.URL)
		}
		v.reports[key] = parts
	}
	return v
}

func TestShardedSearchMatchesUnsharded(t *testing.T) {
	docs := sampleDocs(t)
	queries := []string{
		"Krong No", "Krông Nô", "Đà Lạt", `"Cu Jut"`, "Gemeinde", "람동", "كرونغ", "Кронг Но",
		"lang:ko,ar", "section:kinh-te", "cà phê -lang:vi", "title:(\"Đà Lạt\" OR \"Bảo Lộc\")",
		"published:2025-08..2025-12", "nonexistentword",
	}
	for _, shards := range []int{1, 3} {
		single, sharded := openBoth(t, shards, docs)
		a, b := search.New(single, search.Options{}), search.New(sharded, search.Options{})
		ctx := context.Background()
		for _, q := range queries {
			for _, sort := range []model.Sort{model.SortRelevance, model.SortDate} {
				t.Run(strings.Join([]string{string(rune('0' + shards)), q, string(sort)}, "/"), func(t *testing.T) {
					mq := model.Query{Text: q, Size: 100, Sort: sort}
					ra, err := a.Search(ctx, mq)
					if err != nil {
						t.Fatal(err)
					}
					rb, err := b.Search(ctx, mq)
					if err != nil {
						t.Fatal(err)
					}
					if va, vb := view(ra), view(rb); !reflect.DeepEqual(va, vb) {
						t.Errorf("sharded result differs:\nunsharded %+v\nsharded   %+v", va, vb)
					}
					// By date the order does not depend on term statistics,
					// which are per shard: it must be the same.
					if sort == model.SortDate {
						if oa, ob := reportOrder(ra), reportOrder(rb); !slices.Equal(oa, ob) {
							t.Errorf("order by date differs:\nunsharded %v\nsharded   %v", oa, ob)
						}
					}
				})
			}
		}
		t.Run("stats", func(t *testing.T) {
			sa, err := single.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sb, err := sharded.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sa, sb) {
				t.Errorf("stats differ:\nunsharded %+v\nsharded   %+v", sa, sb)
			}
			if sb.Documents != len(docs) {
				t.Errorf("sharded index has %d documents, want %d", sb.Documents, len(docs))
			}
		})
		t.Run("report", func(t *testing.T) {
			ra, err := a.Report(ctx, docs[0].ReportID)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := b.Report(ctx, docs[0].ReportID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ra.Versions, rb.Versions) {
				t.Errorf("report versions differ:\n%+v\n%+v", ra.Versions, rb.Versions)
			}
		})
	}
}

func reportOrder(res *model.Result) []string {
	var out []string
	for _, r := range res.Reports {
		out = append(out, r.ReportID)
	}
	return out
}

// A page first indexed as unlinked and later linked to its report changes
// group, and maybe shard: the old copy must go.
func TestShardedRegroupLeavesNoCopy(t *testing.T) {
	ix, err := index.OpenSharded(filepath.Join(t.TempDir(), "ix"), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	s := search.New(ix, search.Options{})
	for i, reportID := range []string{"", "1234567", "7654321", ""} {
		d := &model.Document{URL: "https://www.vietnam.vn/en/regrouped", Site: model.SiteVietnamVN, ReportID: reportID,
			Title: "Regrouped page", Body: []string{"Krong No coffee"}, Lang: "en"}
		if err := ix.Upsert(d); err != nil {
			t.Fatal(err)
		}
		n, err := ix.Count()
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("step %d: %d documents indexed, want 1", i, n)
		}
		res, err := s.Search(ctx, model.Query{Text: "regrouped"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Reports) != 1 || res.Reports[0].ReportID != reportID {
			t.Fatalf("step %d: reports %+v, want one, %q", i, res.Reports, reportID)
		}
	}
	if err := ix.Delete("https://www.vietnam.vn/en/regrouped"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 0 {
		t.Errorf("%d documents after delete, want 0", n)
	}
}

func TestOpenSharded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := index.OpenSharded(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Shards() != 3 {
		t.Errorf("Shards() = %d, want 3", ix.Shards())
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		open    func() (*index.Index, error)
		wantErr error
	}{
		{"Open detects shards", func() (*index.Index, error) { return index.Open(dir) }, nil},
		{"any count", func() (*index.Index, error) { return index.OpenSharded(dir, 0) }, nil},
		{"same count", func() (*index.Index, error) { return index.OpenSharded(dir, 3) }, nil},
		{"other count", func() (*index.Index, error) { return index.OpenSharded(dir, 2) }, index.ErrShards},
		{"absent, count unknown", func() (*index.Index, error) { return index.OpenSharded(dir+"-absent", 0) }, index.ErrShards},
		{"too many", func() (*index.Index, error) { return index.OpenSharded(dir+"-big", index.MaxShards+1) }, index.ErrShards},
		{"plain index is not sharded", func() (*index.Index, error) {
			p := filepath.Join(t.TempDir(), "plain")
			plain, err := index.Create(p)
			if err != nil {
				return nil, err
			}
			plain.Close()
			return index.OpenSharded(p, 2)
		}, index.ErrShards},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := tt.open()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			defer ix.Close()
			if ix.Shards() != 3 {
				t.Errorf("Shards() = %d, want 3", ix.Shards())
			}
		})
	}
}
