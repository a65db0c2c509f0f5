package index_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	bq "github.com/blevesearch/bleve/v2/search/query"

	"baoscope/index"
	"baoscope/model"
)

// The schema both ways: documents in and back out, and the queries other
// packages build from the helpers.

// notKept are the fields of model.Document the index does not give back:
// the store has them, results do not need them.
var notKept = map[string]bool{"CanonicalURL": true, "Tags": true, "FetchedAt": true, "ContentHash": true}

// fullDocument sets every field of a document, so that a field added to
// model.Document fails TestDocumentRoundTrip until the index keeps it or
// notKept names it.
func fullDocument(t *testing.T) *model.Document {
	t.Helper()
	d := &model.Document{
		URL: "https://www.vietnam.vn/de/a", CanonicalURL: "https://www.vietnam.vn/de/a-canonical",
		Site: model.SiteVietnamVN, ReportID: "396102", IsOriginal: false,
		SourceURL: "https://baolamdong.vn/a-396102.html", Title: "Gemeinde Krong No", Lead: "Kurz.",
		Body:      []string{"Erster Absatz.", "Zweiter Absatz."},
		Published: time.Date(2025, 8, 3, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600)),
		Author:    "Tran", Section: "chinh-tri", Tags: []string{"a", "b"},
		DeclaredLang: "en", Lang: "de", LangConfidence: 0.875, LangMismatch: true,
		FetchedAt: time.Date(2025, 8, 4, 0, 0, 0, 0, time.UTC), ContentHash: "abc",
	}
	v := reflect.ValueOf(d).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if v.Field(i).IsZero() && name != "IsOriginal" {
			t.Fatalf("fullDocument leaves %s unset", name)
		}
	}
	return d
}

// What Upsert writes, Document reads back: every field but notKept, the
// date in UTC.
func TestDocumentRoundTrip(t *testing.T) {
	ix, err := index.Create(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, original := range []bool{false, true} {
		d := fullDocument(t)
		d.IsOriginal = original
		if err := ix.Upsert(d); err != nil {
			t.Fatal(err)
		}
		got, err := ix.Document(context.Background(), d.URL)
		if err != nil || got == nil {
			t.Fatalf("Document: %v, %v", got, err)
		}
		if got.Published.Location() != time.UTC || !got.Published.Equal(d.Published) {
			t.Errorf("published %v, want %v in UTC", got.Published, d.Published)
		}
		want := reflect.ValueOf(d).Elem()
		gotV := reflect.ValueOf(got).Elem()
		for i := range want.NumField() {
			name := want.Type().Field(i).Name
			t.Run(name, func(t *testing.T) {
				w, g := want.Field(i).Interface(), gotV.Field(i).Interface()
				switch {
				case notKept[name]:
					if !gotV.Field(i).IsZero() {
						t.Errorf("%s = %v, but the index is not meant to keep it", name, g)
					}
				case name == "Published":
				case !reflect.DeepEqual(g, w):
					t.Errorf("%s = %#v, want %#v", name, g, w)
				}
			})
		}
	}
	if got, err := ix.Document(context.Background(), "https://www.vietnam.vn/de/absent"); got != nil || err != nil {
		t.Errorf("absent document: %v, %v", got, err)
	}
}

// Reports lists each group's versions, original first, with the
// original's date and section; Report adds the documents.
func TestReports(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 8, d, 2, 0, 0, 0, time.UTC) }
	docs := []*model.Document{
		{URL: "https://www.vietnam.vn/en/a", ReportID: "1", Lang: "en", Title: "a", Published: day(1)},
		{URL: "https://baolamdong.vn/a-1.html", ReportID: "1", IsOriginal: true, Lang: "vi", Title: "a", Section: "chinh-tri", Published: day(3)},
		{URL: "https://www.vietnam.vn/de/a", ReportID: "1", Lang: "de", Title: "a", Published: day(2)},
		{URL: "https://www.vietnam.vn/ko/b", Lang: "ko", Title: "b"},
	}
	ix, err := index.Create(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Upsert(docs...); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	unlinked := docs[3].GroupKey()
	reps, err := ix.Reports(ctx, []string{"1", unlinked, "absent"})
	if err != nil {
		t.Fatal(err)
	}
	full, err := ix.Report(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	none, err := ix.Report(ctx, "absent")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		rep       *model.Report
		id        string
		urls      []string
		published time.Time
		section   string
	}{
		{"linked", reps["1"], "1", []string{docs[1].URL, docs[2].URL, docs[0].URL}, day(3), "chinh-tri"},
		{"unlinked", reps[unlinked], "", []string{docs[3].URL}, time.Time{}, ""},
		{"full", full, "1", []string{docs[1].URL, docs[2].URL, docs[0].URL}, day(3), "chinh-tri"},
		{"absent", none, "absent", nil, time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rep == nil {
				t.Fatal("missing")
			}
			var urls []string
			for _, v := range tt.rep.Versions {
				urls = append(urls, v.URL)
			}
			if tt.rep.ID != tt.id || !reflect.DeepEqual(urls, tt.urls) || !tt.rep.Published.Equal(tt.published) || tt.rep.Section != tt.section {
				t.Errorf("report %q, versions %v, published %v, section %q; want %q, %v, %v, %q",
					tt.rep.ID, urls, tt.rep.Published, tt.rep.Section, tt.id, tt.urls, tt.published, tt.section)
			}
		})
	}
	if _, ok := reps["absent"]; ok {
		t.Error("Reports lists a group without documents")
	}
	if len(full.Documents) != 3 || !full.Documents[0].IsOriginal || full.Documents[0].Section != "chinh-tri" {
		t.Errorf("Report documents %+v, want 3, the original first", full.Documents)
	}
	if len(reps["1"].Documents) != 0 {
		t.Error("Reports reads whole documents")
	}
}

// TextFields names a language's fields, exact before folded; a language
// without fields of its own gets the fallback's.
func TestTextFields(t *testing.T) {
	tests := []struct {
		lang  string
		parts []index.Part
		want  []string
	}{
		{"vi", []index.Part{index.PartTitle}, []string{"title_vi", "title_vi_fold"}},
		{"vi", []index.Part{index.PartLead, index.PartBody}, []string{"lead_vi", "body_vi", "lead_vi_fold", "body_vi_fold"}},
		{"de", []index.Part{index.PartBody, index.PartTitle}, []string{"body_de", "title_de"}},
		{"tlh", []index.Part{index.PartTitle}, []string{"title_" + index.OtherLang}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.lang, tt.parts), func(t *testing.T) {
			var got []string
			for i, f := range index.TextFields(tt.lang, tt.parts...) {
				got = append(got, f.String())
				if f.Neutral() || f.Lang() != index.FieldSuffix(tt.lang) || f.Folded() != (i >= len(tt.parts)) ||
					f.Part() != tt.parts[i%len(tt.parts)] {
					t.Errorf("%s: lang %q part %d folded %v neutral %v", f, f.Lang(), f.Part(), f.Folded(), f.Neutral())
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields %v, want %v", got, tt.want)
			}
		})
	}
	if n := index.NeutralField(); !n.Neutral() || n.Lang() != "" || n.Folded() {
		t.Errorf("neutral field %s: lang %q folded %v", n, n.Lang(), n.Folded())
	}
}

// matches counts the documents q matches, through VisitMatches.
func matches(t *testing.T, ix *index.Index, q bq.Query) int {
	t.Helper()
	var mu sync.Mutex
	n := 0
	err := ix.VisitMatches(context.Background(), q, false, func(*index.Shard) func(index.Hit) error {
		return func(index.Hit) error {
			mu.Lock()
			n++
			mu.Unlock()
			return nil
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The query helpers match what their names say, on every shard.
func TestQueryHelpers(t *testing.T) {
	pub := time.Date(2025, 8, 3, 0, 0, 0, 0, time.UTC)
	docs := []*model.Document{
		{URL: "https://baolamdong.vn/a-1.html", Site: model.SiteBaoLamDong, ReportID: "1", IsOriginal: true, Lang: "vi",
			Section: "chinh-tri", Published: pub, Title: "Xã Krông Nô", Body: []string{"Chính quyền 1.481 người."}},
		{URL: "https://www.vietnam.vn/en/a", Site: model.SiteVietnamVN, ReportID: "1", Lang: "en",
			Section: "chinh-tri", Published: pub.Add(24 * time.Hour), Title: "Krong No commune", Body: []string{"1,481 people"}},
		{URL: "https://www.vietnam.vn/ru/b", Site: model.SiteVietnamVN, Lang: "ru", Title: "Крông Но", Body: []string{"Krong No"}},
	}
	for _, shards := range []int{1, 3} {
		ix := create(t, filepath.Join(t.TempDir(), "ix"), shards)
		defer ix.Close()
		if err := ix.Upsert(docs...); err != nil {
			t.Fatal(err)
		}
		vi, en := index.TextFields("vi", index.PartTitle), index.TextFields("en", index.PartBody)
		tests := []struct {
			name string
			q    bq.Query
			want int
		}{
			{"exact vi title", vi[0].Match("Krông Nô", false, 1), 1},
			{"exact vi title, folded query", vi[0].Match("Krong No", false, 1), 0},
			{"folded vi title", vi[1].Match("Krong No", false, 1), 1},
			{"en body", en[0].Match("people", false, 1), 1},
			{"every word", en[0].Match("people nobody", false, 1), 0},
			{"phrase in order", index.NeutralField().Match("krong no", true, 1), 3},
			{"phrase out of order", index.NeutralField().Match("no krong", true, 1), 0},
			{"neutral figure", index.NeutralField().Match("1481", false, 1), 2},
			{"neutral Cyrillic", index.NeutralField().Match("Кронг Но", false, 1), 3},
			{"lang", index.KeywordLang.Is("en"), 1},
			{"section", index.KeywordSection.Is("chinh-tri"), 2},
			{"site", index.KeywordSite.Is(model.SiteVietnamVN), 2},
			{"report", index.KeywordReport.Is("1"), 2},
			{"url", index.KeywordURL.Is(docs[2].URL), 1},
			{"original", index.IsOriginal(true), 1},
			{"not original", index.IsOriginal(false), 2},
			{"published from, inclusive", index.PublishedIn(pub, time.Time{}), 2},
			{"published to, exclusive", index.PublishedIn(time.Time{}, pub.Add(24*time.Hour)), 1},
			{"indexed before now", index.IndexedBefore(time.Now().Add(time.Minute)), 3},
			{"indexed before the documents", index.IndexedBefore(time.Now().Add(-time.Hour)), 0},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("shards=%d/%s", shards, tt.name), func(t *testing.T) {
				if n := matches(t, ix, tt.q); n != tt.want {
					t.Errorf("%d matches, want %d", n, tt.want)
				}
			})
		}
	}
}
