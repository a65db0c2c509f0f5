package server

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"baoscope/model"
)

// Tests of the everyday use of API and page (issue 17): languages,
// prefixes, browsing, snippets, unlinked pages, the home page's menus.

// fixtureLangs stand for the detector's configured languages.
var fixtureLangs = []string{"vi", "en", "ko", "ar", "de"}

func TestUnknownLanguageIs400(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{Languages: fixtureLangs})
	tests := []struct {
		name, query, param string
		mentions           []string
	}{
		{"two letters", "lang=xx", "lang", []string{`"xx"`, "vi, en, ko, ar, de, unknown"}},
		{"three letters", "lang=vie", "lang", []string{"did you mean vi?"}},
		{"query language", "qlang=fr", "qlang", []string{"vi, en, ko, ar, de"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong&"+tt.query)
			body := decode[errorBody](t, resp)
			if resp.StatusCode != http.StatusBadRequest || body.Error.Param != tt.param {
				t.Fatalf("status %d, error %+v; want a 400 about %s", resp.StatusCode, body.Error, tt.param)
			}
			for _, m := range tt.mentions {
				if !strings.Contains(body.Error.Message, m) {
					t.Errorf("message %q does not say %s", body.Error.Message, m)
				}
			}
			p := page(t, ts.URL, "/?q=Krong&"+tt.query, http.StatusBadRequest)
			if !strings.Contains(p, "<strong>"+tt.param+": ") {
				t.Errorf("the page does not name %s", tt.param)
			}
		})
	}
	// The valid ones still search.
	if resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong&lang=ko,unknown&qlang=de"); resp.StatusCode != http.StatusOK {
		t.Errorf("valid languages: status %d", resp.StatusCode)
	}
	// The index's own languages are valid too, configured or not.
	_, ts = newTestServer(t, newFixtureService(t), Options{Languages: []string{"vi", "en"}})
	if resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong&lang=de"); resp.StatusCode != http.StatusOK {
		t.Errorf("a language of the index: status %d", resp.StatusCode)
	}
	resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong&lang=fr")
	if body := decode[errorBody](t, resp); resp.StatusCode != 400 || !strings.Contains(body.Error.Message, "vi, en, ") {
		t.Errorf("lang=fr: status %d, %+v", resp.StatusCode, body.Error)
	}
}

func reportIDs(res model.Result) []string {
	var ids []string
	for _, r := range res.Reports {
		id := r.ReportID
		if id == "" {
			id = "unlinked"
		}
		ids = append(ids, id)
	}
	return ids
}

func TestPrefixAndBrowse(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	tests := []struct {
		name, query string
		want        []string
	}{
		{"prefix", "q=Kro*", []string{"396102"}},
		{"prefix of a Korean word", "q=" + url.QueryEscape("크롱노*") + "&sort=date", []string{"396102"}},
		{"browse: every report, newest first", "", []string{"999001", "396102", "386800", "unlinked"}},
		{"browse whatever the sort", "sort=relevance", []string{"999001", "396102", "386800", "unlinked"}},
		{"browse with filters", "section=chinh-tri&to=2025-12-01", []string{"396102", "386800"}},
		{"browse a language", "lang=de", []string{"386800"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := mustGet(t, ts.URL+"/api/v1/search?"+tt.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			res := decode[model.Result](t, resp)
			if got := reportIDs(res); !slices.Equal(got, tt.want) {
				t.Errorf("reports %v, want %v", got, tt.want)
			}
		})
	}
	resp := mustGet(t, ts.URL+"/api/v1/search?q=Kr*")
	if body := decode[errorBody](t, resp); resp.StatusCode != 400 || !strings.Contains(body.Error.Message, "at least 3 letters") {
		t.Errorf("a two-letter prefix: status %d, %+v", resp.StatusCode, body.Error)
	}
}

// TestSnippetsKeepFieldsApart: a match in the neutral field, which holds
// title, lead and body, shows them apart.
func TestSnippetsKeepFieldsApart(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	res := decode[model.Result](t, mustGet(t, ts.URL+"/api/v1/search?q=Krong+No&lang=ko"))
	if len(res.Reports) == 0 || len(res.Reports[0].Matched) == 0 {
		t.Fatalf("no Korean match: %+v", res)
	}
	for _, m := range res.Reports[0].Matched {
		if strings.Contains(m.Snippet, "\n") {
			t.Errorf("snippet with a line break: %q", m.Snippet)
		}
		if !strings.Contains(m.Snippet, " · ") {
			t.Errorf("snippet %q: title and lead not set apart", m.Snippet)
		}
	}
}

func TestUnlinkedPageByID(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	id := model.UnlinkedPrefix + vnvn + "ko/nghe-an"
	resp := mustGet(t, ts.URL+"/api/v1/reports/"+url.PathEscape(id))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	rep := decode[model.Report](t, resp)
	if len(rep.Documents) != 1 || rep.Documents[0].Title != "응에안성, 신농촌 건설 박차" {
		t.Errorf("report %+v", rep)
	}
	body := page(t, ts.URL, "/reports/"+url.PathEscape(id), http.StatusOK)
	if !strings.Contains(body, "page linked to no report") || !strings.Contains(body, "신농촌 건설을") {
		t.Error("the page of an unlinked page lacks its text or its label")
	}
	// The results link to it.
	body = page(t, ts.URL, "/?q="+url.QueryEscape("응에안성"), http.StatusOK)
	if !hrefs(parse(t, body))["/reports/"+url.PathEscape(id)] {
		t.Error("the result of an unlinked page does not link to its page")
	}
	page(t, ts.URL, "/reports/"+url.PathEscape(model.UnlinkedPrefix+vnvn+"ko/none"), http.StatusNotFound)
}

func TestHomePage(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	body := page(t, ts.URL, "/", http.StatusOK)
	doc := parse(t, body)
	for _, want := range []string{
		"3 reports, 9 documents",
		"(1 page linked to no report)",
		`<option value="chinh-tri">Chính trị (Politics) (2)</option>`, // the section menu
		`<option value="" selected>20</option>`,                       // the page-size menu: the default sends no size
		"Văn hóa (Culture)",                                           // a result's section
		"newest first",
		"Page 1 of 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %s", want)
		}
	}
	var hits []string
	for _, li := range elements(doc, "li") {
		if hasClass(li, "hit") {
			hits = append(hits, textOf(li))
		}
	}
	if len(hits) != 4 || !strings.Contains(hits[0], "report 999001") {
		t.Errorf("the home page lists %d reports, newest first expected", len(hits))
	}
	// A filter keeps the browse, and the menus echo it.
	body = page(t, ts.URL, "/?section=van-hoa&size=10", http.StatusOK)
	if !strings.Contains(body, `<option value="van-hoa" selected>`) || !strings.Contains(body, `<option value="10" selected>`) {
		t.Error("the menus do not echo the section and page size")
	}
	if strings.Contains(body, "linked to no report)") {
		t.Error("a filtered browse shows the landing summary")
	}
	// Page count: one report a page.
	body = page(t, ts.URL, "/?size=1", http.StatusOK)
	if !strings.Contains(body, "Page 1 of 4") {
		t.Error("no page count")
	}
}

func TestPartialMatchLabel(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	// Krông covers 396102 alone; Jút 386800 alone: each covers half.
	body := page(t, ts.URL, "/?q=Kr%C3%B4ng+J%C3%BAt+Gemeinde", http.StatusOK)
	res := decode[model.Result](t, mustGet(t, ts.URL+"/api/v1/search?q=Kr%C3%B4ng+J%C3%BAt+Gemeinde"))
	partial := 0
	for _, r := range res.Reports {
		if !r.Complete {
			partial++
		}
	}
	if partial == 0 {
		t.Fatalf("the fixture query has no partial match: %+v", res.Reports)
	}
	if got := strings.Count(body, `class="partial"`); got != partial {
		t.Errorf("%d partial-match labels, want %d", got, partial)
	}
	body = page(t, ts.URL, "/?q=%22Krong+No%22", http.StatusOK) // one concept: every match is whole
	if strings.Contains(body, `class="partial"`) {
		t.Error("a complete match labelled partial")
	}
}
