package server

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"baoscope/model"
)

func TestExportText(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	resp := mustGet(t, ts.URL+"/api/v1/search?format=jsonl&text=true")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		var l struct {
			model.ReportHit
			Texts []VersionText `json:"texts"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if len(l.Texts) != len(l.Versions) || len(l.Texts) == 0 {
			t.Errorf("report %q: %d texts for %d versions", l.ReportID, len(l.Texts), len(l.Versions))
		}
		if l.ReportID == "396102" {
			orig := l.Texts[0]
			if !orig.IsOriginal || orig.Lead == "" || len(orig.Body) != 3 || orig.Body[1] != "Diện tích tự nhiên 1.481 km²." {
				t.Errorf("the original's text: %+v", orig)
			}
		}
	}
	if lines != 4 { // three reports and the unlinked page
		t.Errorf("%d lines, want 4", lines)
	}
	// Without text=true, no texts.
	b, _ := io.ReadAll(mustGet(t, ts.URL+"/api/v1/search?q=Krong&format=jsonl").Body)
	if strings.Contains(string(b), `"texts"`) {
		t.Error("texts without text=true")
	}
}

func TestExportCSVByteOrderMark(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	for _, tt := range []struct {
		query string
		bom   bool
	}{{"&bom=true", true}, {"&bom=false", false}, {"", false}} {
		b, _ := io.ReadAll(mustGet(t, ts.URL+"/api/v1/search?q=Krong&format=csv"+tt.query).Body)
		if got := strings.HasPrefix(string(b), "\ufeffreport_id,"); got != tt.bom {
			t.Errorf("%q: byte-order mark %v, want %v", tt.query, got, tt.bom)
		}
		if !strings.Contains(string(b), "report_id,lang,url") {
			t.Errorf("%q: no header row", tt.query)
		}
	}
	for _, q := range []string{"format=csv&text=true", "format=jsonl&bom=true", "format=csv&bom=maybe"} {
		resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong&"+q)
		if body := decode[errorBody](t, resp); resp.StatusCode != 400 || body.Error.Code != "bad_parameter" {
			t.Errorf("%s: status %d %+v, want a 400", q, resp.StatusCode, body.Error)
		}
	}
}

// TestAtomFeed parses the feed of a search with gofeed, as a feed reader
// would: newest first, each entry linking the original and its
// translations, a self link, and the page linking to it.
func TestAtomFeed(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	resp := mustGet(t, ts.URL+"/api/v1/search?q=Krong+OR+Jut+OR+Lat&format=atom&sort=relevance")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Fatalf("Content-Type %q", ct)
	}
	raw, _ := io.ReadAll(resp.Body)
	feed, err := (&atom.Parser{}).Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	self := ""
	for _, l := range feed.Links {
		if l.Rel == "self" {
			self = l.Href
		}
	}
	if self != ts.URL+"/api/v1/search?format=atom&q=Krong+OR+Jut+OR+Lat&sort=relevance" || feed.ID != self {
		t.Errorf("self link %q, id %q", self, feed.ID)
	}
	var ids []string
	for _, e := range feed.Entries {
		ids = append(ids, e.ID)
	}
	want := []string{blog + "xss-999001.html", blog + "xa-krong-no-396102.html", blog + "cu-jut-giam-ngheo-386800.html"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Fatalf("entries %v, want newest first %v", ids, want)
	}
	krong := feed.Entries[1]
	links := map[string]string{}
	for _, l := range krong.Links {
		links[l.Href] = l.Rel + " " + l.Hreflang
	}
	for href, rel := range map[string]string{
		blog + "xa-krong-no-396102.html": "alternate vi",
		vnvn + "ko/krong-no-commune":     "alternate ko",
		vnvn + "ar/krong-no-commune":     "alternate ar",
		vnvn + "en/krong-no-commune":     "alternate en",
		ts.URL + "/reports/396102":       "related ",
	} {
		if links[href] != rel {
			t.Errorf("entry link %s: %q, want %q", href, links[href], rel)
		}
	}
	if krong.Title != "Xã Krông Nô ra mắt chính quyền hai cấp" || krong.Published != "2025-10-15T09:30:00+07:00" {
		t.Errorf("entry %q published %q", krong.Title, krong.Published)
	}
	// Crawled markup stays text in the feed.
	if !strings.Contains(feed.Entries[0].Title, "<script>") || strings.Contains(string(raw), "<script>") {
		t.Error("a crawled title's markup is not escaped as text")
	}
	// The universal parser reads it as Atom too.
	gf, err := gofeed.NewParser().ParseString(string(raw))
	if err != nil || gf.FeedType != "atom" || len(gf.Items) != 3 {
		t.Errorf("gofeed: %v, type %q, %d items", err, gf.FeedType, len(gf.Items))
	}

	// The page links to its feed, in the head and visibly.
	doc := parse(t, page(t, ts.URL, "/?q=Krong+OR+Jut+OR+Lat", http.StatusOK))
	feedURL := "/api/v1/search?format=atom&q=Krong+OR+Jut+OR+Lat"
	head := false
	for _, l := range elements(doc, "link") {
		if attr(l, "rel") == "alternate" && attr(l, "type") == "application/atom+xml" && attr(l, "href") == feedURL {
			head = true
		}
	}
	if !head {
		t.Error("no <link rel=alternate> to the feed")
	}
	visible := false
	for _, a := range elements(doc, "a") {
		if attr(a, "href") == feedURL && textOf(a) == "Atom feed" {
			visible = true
		}
	}
	if !visible {
		t.Error("no visible link to the feed")
	}
	// A bad query is still a JSON error.
	resp = mustGet(t, ts.URL+"/api/v1/search?q=%22open&format=atom")
	if resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("bad query: status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
