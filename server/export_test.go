package server

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/search"
)

// countingService counts the pages asked of the real service.
type countingService struct {
	search.Service
	calls atomic.Int32
}

func (c *countingService) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	c.calls.Add(1)
	return c.Service.Search(ctx, q)
}

const exportQuery = "/api/v1/search?q=Krong+OR+Jut+OR+Lat&sort=date"

func TestExportCSV(t *testing.T) {
	svc := &countingService{Service: newFixtureService(t)}
	// Pages of one report, so the export must follow the cursor.
	_, ts := newTestServer(t, svc, Options{MaxPageSize: 1})
	resp := mustGet(t, ts.URL+exportQuery+"&format=csv")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "export.csv", b)

	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if strings.Join(rows[0], ",") != strings.Join(csvHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	reports := map[string]int{}
	for _, r := range rows[1:] {
		reports[r[0]]++
	}
	// 396102 (4 versions), 386800 (2), 999001 (2).
	if reports["396102"] != 4 || reports["386800"] != 2 || reports["999001"] != 2 {
		t.Errorf("rows per report %v", reports)
	}
	total, _ := strconv.Atoi(resp.Header.Get("X-Total-Reports"))
	if total != 3 || svc.calls.Load() < 3 {
		t.Errorf("X-Total-Reports %d, %d pages fetched; want 3 reports over 3 or more pages", total, svc.calls.Load())
	}
	// A crawled title starting like a formula is neutralised.
	if got := csvText("=HYPERLINK(\"x\")"); got != "'=HYPERLINK(\"x\")" {
		t.Errorf("csvText = %q", got)
	}
}

func TestExportJSONL(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{MaxPageSize: 2})
	resp := mustGet(t, ts.URL+exportQuery+"&format=jsonl&size=1")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("Content-Type %q", ct)
	}
	sc := bufio.NewScanner(resp.Body)
	seen := map[string]bool{}
	for sc.Scan() {
		var h model.ReportHit
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if seen[h.ReportID] {
			t.Errorf("report %s exported twice", h.ReportID)
		}
		seen[h.ReportID] = true
		if len(h.Versions) == 0 || len(h.Matched) == 0 {
			t.Errorf("report %s without versions or matches", h.ReportID)
		}
		if strings.Contains(sc.Text(), "<script") {
			t.Errorf("raw <script in a JSON line: %s", sc.Text())
		}
	}
	if len(seen) != 3 {
		t.Errorf("exported %d reports, want 3", len(seen))
	}
}

func TestExportBadQueryIsJSON400(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	resp := mustGet(t, ts.URL+"/api/v1/search?q=%22open&format=csv")
	if resp.StatusCode != 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// endlessService has a next page forever: an export of it only ends when
// the client goes away.
type endlessService struct {
	search.Service
	calls atomic.Int32
}

func (e *endlessService) Search(ctx context.Context, q model.Query) (*model.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := e.calls.Add(1)
	id := strconv.Itoa(int(n))
	return &model.Result{
		TotalReports: 1 << 30, NextCursor: "c" + id,
		Reports: []model.ReportHit{{ReportID: id, Versions: []model.Version{{Lang: "vi", URL: "https://baolamdong.vn/x-" + id + ".html", Title: strings.Repeat("x", 2000)}}}},
	}, nil
}

func TestExportStopsWhenClientGoesAway(t *testing.T) {
	svc := &endlessService{}
	_, ts := newTestServer(t, svc, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/v1/search?q=a&format=jsonl", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for i := 0; i < 50 && sc.Scan(); i++ {
	}
	cancel()
	resp.Body.Close()

	// The handler notices and stops asking for pages.
	deadline := time.Now().Add(10 * time.Second)
	last := svc.calls.Load()
	for {
		time.Sleep(200 * time.Millisecond)
		now := svc.calls.Load()
		if now == last {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("export still running: %d pages fetched", now)
		}
		last = now
	}
}
