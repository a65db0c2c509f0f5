package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/sample"
)

// everything matches every document: a filter-only query.
const everything = "published:>=2000"

func facetMap(fs []model.FacetCount) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Value] = f.Count
	}
	return m
}

// expected counts computed from the corpus itself.
type expect struct {
	reports, docs int
	lang          map[string]int // reports per language
	section       map[string]int
	month         map[string]int
}

func corpusCounts(c *sample.Corpus, keep func(*sample.Report, *sample.Version) bool) expect {
	e := expect{lang: map[string]int{}, section: map[string]int{}, month: map[string]int{}}
	for r := range c.All() {
		n := 0
		for i := range r.Versions {
			v := &r.Versions[i]
			if keep(r, v) {
				n++
				e.lang[v.Lang]++
			}
		}
		if n > 0 {
			e.reports++
			e.docs += n
			e.section[r.Section]++
			e.month[r.Published.In(model.Vietnam).Format("2006-01")]++
		}
	}
	return e
}

func TestFacetsAndFiltersExactCounts(t *testing.T) {
	w := setup(t)
	all := func(*sample.Report, *sample.Version) bool { return true }
	unlinked := len(w.corpus.Unlinked())
	tests := []struct {
		name     string
		params   []string
		want     expect
		unlinked int // unlinked pages expected among the results
	}{
		{"everything", nil, corpusCounts(w.corpus, all), unlinked},
		{"lang ko", []string{"lang=ko"}, corpusCounts(w.corpus, func(_ *sample.Report, v *sample.Version) bool { return v.Lang == "ko" }), unlinked},
		{"lang ar,de", []string{"lang=ar,de"}, corpusCounts(w.corpus, func(_ *sample.Report, v *sample.Version) bool { return v.Lang == "ar" || v.Lang == "de" }), 0},
		{"section", []string{"section=chinh-tri"}, corpusCounts(w.corpus, func(r *sample.Report, _ *sample.Version) bool { return r.Section == "chinh-tri" }), 0},
		{"section and lang", []string{"section=kinh-te", "lang=zh"}, corpusCounts(w.corpus, func(r *sample.Report, v *sample.Version) bool {
			return r.Section == "kinh-te" && v.Lang == "zh"
		}), 0},
		{"originals", []string{"originals=true"}, corpusCounts(w.corpus, func(_ *sample.Report, v *sample.Version) bool { return v.Lang == "vi" }), 0},
		{"originals in august 2025", []string{"originals=true", "from=2025-08-01", "to=2025-08-31"}, corpusCounts(w.corpus, func(r *sample.Report, v *sample.Version) bool {
			p := r.Published.In(model.Vietnam)
			return v.Lang == "vi" && p.Year() == 2025 && p.Month() == time.August
		}), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := searchAPI(t, w, everything, tt.params...)
			wantReports, wantDocs := tt.want.reports+tt.unlinked, tt.want.docs+tt.unlinked
			if res.TotalReports != wantReports || res.TotalDocuments != wantDocs {
				t.Errorf("totals %d reports / %d documents, want %d / %d", res.TotalReports, res.TotalDocuments, wantReports, wantDocs)
			}
			lang := facetMap(res.Facets["lang"])
			for l, n := range tt.want.lang {
				if tt.unlinked > 0 && l == "ko" {
					n += tt.unlinked
				}
				if lang[l] != n {
					t.Errorf("lang facet %s = %d, want %d", l, lang[l], n)
				}
			}
			sec := facetMap(res.Facets["section"])
			for s, n := range tt.want.section {
				if sec[s] != n {
					t.Errorf("section facet %s = %d, want %d", s, sec[s], n)
				}
			}
			month := facetMap(res.Facets["month"])
			for m, n := range tt.want.month {
				if month[m] != n {
					t.Errorf("month facet %s = %d, want %d (facet %v)", m, month[m], n, res.Facets["month"])
				}
			}
		})
	}
}

func TestCursorPaginationVisitsEveryReportOnce(t *testing.T) {
	w := setup(t)
	for _, sort := range []string{"relevance", "date"} {
		t.Run(sort, func(t *testing.T) {
			seen := map[string]int{}
			cursor := ""
			var prev time.Time
			for page := 0; page < 100; page++ {
				params := []string{"size=3", "sort=" + sort}
				if cursor != "" {
					params = append(params, "cursor="+url.QueryEscape(cursor))
				}
				res := searchAPI(t, w, everything, params...)
				for _, r := range res.Reports {
					key := r.ReportID
					if key == "" {
						key = r.Versions[0].URL
					}
					seen[key]++
					if sort == "date" && !prev.IsZero() && r.Published.After(prev) {
						t.Errorf("date order broken: %s (%v) after %v", key, r.Published, prev)
					}
					prev = r.Published
				}
				if cursor = res.NextCursor; cursor == "" {
					break
				}
			}
			want := w.corpus.Len() + len(w.corpus.Unlinked())
			if len(seen) != want {
				t.Errorf("pagination visited %d reports, want %d", len(seen), want)
			}
			for k, n := range seen {
				if n != 1 {
					t.Errorf("report %s returned %d times", k, n)
				}
			}
		})
	}
}

func TestCrossScriptQueries(t *testing.T) {
	w := setup(t)
	tests := []struct {
		q, lang string // lang: a version that must be listed under 396102
	}{
		{"Кронг Но", "ar"}, // Russian spelling of the name; 396102 has no ru version
		{"크롱노 정부", "ar"},   // a Korean query lists the Arabic version
		{"Krông Nô", "ar"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			res := searchAPI(t, w, tt.q)
			r, i := findReport(res, "396102")
			if i < 0 {
				t.Fatalf("%q does not find 396102", tt.q)
			}
			if !slices.Contains(langsOf(r.Versions), tt.lang) {
				t.Errorf("%q: versions %v lack %s", tt.q, langsOf(r.Versions), tt.lang)
			}
		})
	}
}

func TestExactDiacriticsRankAboveFolded(t *testing.T) {
	w := setup(t)
	// "Krông Nô" spelled exactly matches both the exact and the folded
	// Vietnamese fields; "Krong No" only the folded one. The exact query
	// must score the Vietnamese original higher.
	score := func(q string) float64 {
		res := searchAPI(t, w, q, "lang=vi")
		r, i := findReport(res, "396102")
		if i < 0 || len(r.Matched) == 0 {
			t.Fatalf("%q lang=vi does not match 396102", q)
		}
		return r.Matched[0].Score
	}
	if exact, folded := score("Krông Nô"), score("Krong No"); exact <= folded {
		t.Errorf("exact spelling scored %.4f, folded %.4f: exact must rank higher", exact, folded)
	}
}

func TestBadParameters(t *testing.T) {
	w := setup(t)
	for _, p := range []string{
		"size=-1", "size=1000", "size=abc", "sort=random", "from=2025-13-01", "to=yesterday",
		"cursor=garbage", "originals=maybe", "from=2025-09-01&to=2025-08-01",
	} {
		t.Run(p, func(t *testing.T) {
			resp, err := http.Get(w.api.URL + "/api/v1/search?q=Krong&" + p)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", p, resp.StatusCode)
			}
		})
	}
	// A cursor made for one sort order is refused for another.
	res := searchAPI(t, w, everything, "size=2", "sort=date")
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/search?q=%s&sort=relevance&cursor=%s", w.api.URL, url.QueryEscape(everything), url.QueryEscape(res.NextCursor)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("cursor of another sort: status %d, want 400", resp.StatusCode)
	}
}
