package pipeline

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"baoscope/extract"
	"baoscope/langid"
	"baoscope/model"
	"baoscope/search"
)

func open(t *testing.T) *Pipeline {
	t.Helper()
	det, err := langid.New(langid.Options{LowAccuracy: true, Languages: []string{"vi", "en", "ko"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Open(context.Background(), Options{DataDir: t.TempDir(), Extractor: extract.New(extract.Options{}), Detector: det})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func original() *model.Document {
	return &model.Document{URL: "https://baolamdong.vn/krong-no-396102.html", Site: model.SiteBaoLamDong, ReportID: "396102",
		IsOriginal: true, Title: "Krông Nô kiện toàn tổ chức", Body: []string{"Chính quyền hai cấp vận hành ổn định."},
		Lang: "vi", DeclaredLang: "vi", Section: "chinh-tri", Published: time.Date(2025, 10, 15, 8, 30, 0, 0, model.Vietnam), ContentHash: "a"}
}

func translation() *model.Document {
	return &model.Document{URL: "https://www.vietnam.vn/en/krong-no", Site: model.SiteVietnamVN, ReportID: "396102",
		Title: "Krong No consolidates its organisation", Body: []string{"The two-level government runs smoothly."},
		Lang: "en", DeclaredLang: "en", Published: time.Date(2025, 10, 15, 10, 0, 0, 0, model.Vietnam), ContentHash: "b"}
}

// TestTranslationJoinsReport adds the versions of a report in both orders:
// each translation joins its report as soon as it is added, and carries
// the section only the original states.
func TestTranslationJoinsReport(t *testing.T) {
	for _, order := range []string{"original first", "translation first"} {
		t.Run(order, func(t *testing.T) {
			p := open(t)
			s := search.New(p.Index(), search.Options{})
			ctx := context.Background()
			docs := []*model.Document{original(), translation()}
			if order == "translation first" {
				docs[0], docs[1] = docs[1], docs[0]
			}
			for i, d := range docs {
				if err := p.Add(d); err != nil {
					t.Fatal(err)
				}
				if err := p.Flush(); err != nil {
					t.Fatal(err)
				}
				rep, err := s.Report(ctx, "396102")
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Versions) != i+1 {
					t.Fatalf("after adding %d versions the report lists %d", i+1, len(rep.Versions))
				}
			}
			res, err := s.Search(ctx, model.Query{Text: "section:chinh-tri", Langs: []string{"en"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalDocuments != 1 {
				t.Errorf("section:chinh-tri lang=en matched %d documents, want the translation", res.TotalDocuments)
			}
			// Adding the same documents again changes nothing.
			for _, d := range []*model.Document{original(), translation()} {
				if err := p.Add(d); err != nil {
					t.Fatal(err)
				}
			}
			p.Flush()
			if n, _ := p.Index().Count(); n != 2 {
				t.Errorf("index holds %d documents after re-adding, want 2", n)
			}
		})
	}
}

// TestReconcileIndexesWhatTheStoreHas simulates a process killed after the
// store commit and before the index batch: reopening indexes the rest, on
// an unsharded and on a sharded index (whose Bleve alias cannot look
// documents up). Reindex keeps the shard count, or takes a new one.
func TestReconcileIndexesWhatTheStoreHas(t *testing.T) {
	det, err := langid.New(langid.Options{LowAccuracy: true, Languages: []string{"vi", "en"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, shards := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			opts := Options{DataDir: t.TempDir(), Extractor: extract.New(extract.Options{}), Detector: det, Shards: shards}
			p, err := Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Add(translation()); err != nil { // stored and indexed
				t.Fatal(err)
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			if _, err := p.store.Put(original()); err != nil { // stored, never indexed
				t.Fatal(err)
			}
			p.pending = nil
			p.Close()
			p, err = Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { p.Close() }()
			if n, _ := p.Index().Count(); n != 2 {
				t.Errorf("after reopening, index holds %d documents, want the 2 stored", n)
			}
			if got, want := p.Index().Shards(), max(shards, 1); got != want {
				t.Errorf("%d shards, want %d", got, want)
			}
			// Reindex keeps the count; asked for another, it changes it.
			for _, ask := range []int{0, 2} {
				p.opts.Shards = ask
				before := p.Index().Shards()
				if n, err := p.Reindex(context.Background(), nil); err != nil || n != 2 {
					t.Fatalf("reindex: %d documents, %v", n, err)
				}
				want := before
				if ask > 0 {
					want = ask
				}
				if got := p.Index().Shards(); got != want {
					t.Errorf("reindex with Shards %d: %d shards, want %d", ask, got, want)
				}
				if n, _ := p.Index().Count(); n != 2 {
					t.Errorf("reindex with Shards %d: %d documents indexed, want 2", ask, n)
				}
			}
		})
	}
}

// TestOneCommitPerStoredPage adds a report's versions in both orders: each
// stored page is one store commit, the original's included when it gives
// its section to translations stored before it, and the section those
// take is in the store as well as in the index, so that a reindex keeps
// it.
func TestOneCommitPerStoredPage(t *testing.T) {
	for _, order := range []string{"original first", "translations first"} {
		t.Run(order, func(t *testing.T) {
			p := open(t)
			ko := translation()
			ko.URL, ko.Lang, ko.DeclaredLang, ko.ContentHash = "https://www.vietnam.vn/ko/krong-no", "ko", "ko", "c"
			docs := []*model.Document{original(), translation(), ko}
			if order == "translations first" {
				docs = []*model.Document{translation(), ko, original()}
			}
			for _, d := range docs {
				before := p.store.Commits()
				if err := p.Add(d); err != nil {
					t.Fatal(err)
				}
				if n := p.store.Commits() - before; n != 1 {
					t.Errorf("adding %s made %d commits, want 1", d.URL, n)
				}
			}
			for _, d := range docs {
				got, err := p.store.Get(d.URL)
				if err != nil || got.Section != "chinh-tri" {
					t.Errorf("%s stored with section %q (%v), want chinh-tri", d.URL, got.Section, err)
				}
			}
			if _, err := p.Reindex(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			res, err := search.New(p.Index(), search.Options{}).Search(context.Background(),
				model.Query{Text: "section:chinh-tri", Langs: []string{"en", "ko"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.TotalDocuments != 2 {
				t.Errorf("after reindex section:chinh-tri lang=en,ko matched %d documents, want both translations", res.TotalDocuments)
			}
		})
	}
}

// TestConcurrentVersionsIndexWithSection adds the original and a
// translation of many reports at the same moment, as the crawler's
// workers may: whichever the store commits first, the copy of the
// translation that reaches the index last is the one with the section.
func TestConcurrentVersionsIndexWithSection(t *testing.T) {
	p := open(t)
	const reports = 24
	var wg sync.WaitGroup
	for i := range reports {
		o, tr := original(), translation()
		id := fmt.Sprint(500000 + i)
		o.ReportID, tr.ReportID = id, id
		o.URL = fmt.Sprintf("https://baolamdong.vn/krong-no-%s.html", id)
		tr.URL = fmt.Sprintf("https://www.vietnam.vn/en/krong-no-%s", id)
		for _, d := range []*model.Document{tr, o} {
			wg.Go(func() {
				if err := p.Add(d); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	res, err := search.New(p.Index(), search.Options{}).Search(context.Background(),
		model.Query{Text: "section:chinh-tri", Langs: []string{"en"}, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalDocuments != reports {
		t.Errorf("%d translations indexed with their original's section, want %d", res.TotalDocuments, reports)
	}
}
