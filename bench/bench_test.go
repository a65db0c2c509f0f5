package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/sample"
)

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    int
		want time.Duration
	}{{50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}}
	for _, tt := range tests {
		if got := pct(d, tt.p); got != tt.want {
			t.Errorf("p%d = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := pct(d[:1], 99); got != time.Millisecond {
		t.Errorf("p99 of one = %v", got)
	}
}

func TestRatiosSayWhoWins(t *testing.T) {
	r := &Result{
		Stages:     []Stage{{Name: StageIndex, DocsPerSec: 100, DocsPerCPUSec: 50}, {Name: StageFTS5, DocsPerSec: 400, DocsPerCPUSec: 25}},
		BleveBytes: 200, FTS5Bytes: 100,
		Latency: []Latency{{Engine: "baoscope", Clients: 1, P50: 2, P99: 10, QPS: 50}, {Engine: "FTS5", Clients: 1, P50: 4, P99: 5, QPS: 25}},
	}
	want := map[string]string{
		"indexing docs/s": "FTS5", "indexing docs/CPU-s": "baoscope", "disk bytes": "FTS5",
		"query p50, 1 clients": "baoscope", "query p99, 1 clients": "FTS5", "queries/s, 1 clients": "baoscope",
	}
	got := map[string]string{}
	for _, x := range r.Ratios() {
		got[x.Name] = x.Better
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Ratios winners = %v, want %v", got, want)
	}
}

func TestDocumentsAndSpool(t *testing.T) {
	c, err := sample.Generate(sample.GenerateOptions{Reports: 7, Langs: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*model.Document
	if err := generated(context.Background(), c, c.Len(), 3, func(d *model.Document) error {
		docs = append(docs, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(docs) != 21 {
		t.Fatalf("%d documents, want 21", len(docs))
	}
	urls := map[string]bool{}
	for i, d := range docs {
		if urls[d.URL] {
			t.Errorf("duplicate URL %s", d.URL)
		}
		urls[d.URL] = true
		// In report order, the original first.
		if (i%3 == 0) != d.IsOriginal || (d.IsOriginal && (d.Lang != "vi" || d.Site != model.SiteBaoLamDong)) {
			t.Errorf("document %d: original %v, lang %s, site %s", i, d.IsOriginal, d.Lang, d.Site)
		}
		if d.ReportID != c.At(i/3).ID || d.Title == "" || len(d.Body) == 0 || d.Section == "" {
			t.Errorf("document %d incomplete: %+v", i, d)
		}
	}
	path := filepath.Join(t.TempDir(), "docs.gob")
	w, err := createSpool(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := w.add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	var back []*model.Document
	if err := (spool{path}).each(func(d *model.Document) error {
		back = append(back, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		// gob drops the monotonic clock and keeps the zone as an offset.
		if docs[i].URL != back[i].URL || !docs[i].Published.Equal(back[i].Published) || !reflect.DeepEqual(docs[i].Body, back[i].Body) {
			t.Fatalf("document %d changed through the spool", i)
		}
	}
}

func TestRenderedPagesExtract(t *testing.T) {
	c, err := sample.Generate(sample.GenerateOptions{Reports: 2, Langs: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := newRenderer(c)
	if err != nil {
		t.Fatal(err)
	}
	pages, err := rd.pages(c.At(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 4 || pages[0].site != model.SiteBaoLamDong || pages[1].site != model.SiteVietnamVN {
		t.Fatalf("pages %+v", pages)
	}
	for _, p := range pages {
		if !strings.Contains(string(p.body), "<html") {
			t.Errorf("%s: not a page", p.url)
		}
	}
}

func TestQueriesAreComplete(t *testing.T) {
	kinds := map[string]int{}
	for _, q := range Queries() {
		if q.Name == "" || q.Q.Text == "" || q.Match == "" {
			t.Errorf("incomplete query %+v", q)
		}
		if strings.Count(q.Filter, "?") != len(q.Args) {
			t.Errorf("%s: %d placeholders, %d arguments", q.Name, strings.Count(q.Filter, "?"), len(q.Args))
		}
		kinds[q.Kind]++
	}
	for _, k := range []string{"name", "phrase", "filter", "cross-language"} {
		if kinds[k] == 0 {
			t.Errorf("no %s query", k)
		}
	}
}

func TestRunRefusesFTS5WithoutTag(t *testing.T) {
	if FTS5Available {
		t.Skip("built with sqlite_fts5")
	}
	_, err := Run(context.Background(), Options{Docs: 10, Langs: 2, FTS5: true})
	if !errors.Is(err, ErrNoFTS5) {
		t.Fatalf("err = %v, want ErrNoFTS5", err)
	}
}

func TestLoadCoversEveryQuery(t *testing.T) {
	qs := Queries()
	for _, clients := range []int{1, 3, 8, 16, 64} {
		t.Run(fmt.Sprint(clients), func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			l := runLoad(context.Background(), "test", clients, 0, qs, func(_ context.Context, q Query) (int, error) {
				mu.Lock()
				seen[q.Name]++
				mu.Unlock()
				return 1, nil
			})
			if len(seen) != len(qs) {
				t.Errorf("%d of %d queries sent", len(seen), len(qs))
			}
			if l.Queries < len(qs) || l.Errors != 0 {
				t.Errorf("latency %+v", l)
			}
		})
	}
}

// TestRunStartMirror: a mirror started through Options.StartMirror gets
// the generator options of the run's corpus, serves every document, is
// stopped once, and its CPU time is reported apart from the crawl stage.
func TestRunStartMirror(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the language detector and crawls the mirror")
	}
	const mirrorCPU = 1500 * time.Millisecond
	served := func(t *testing.T, stops *int) StartMirrorFunc {
		return func(_ context.Context, reports, langs int, seed uint64) (string, string, func() (time.Duration, error), error) {
			if reports != 4 || langs != 3 || seed != 9 {
				t.Errorf("StartMirror(%d, %d, %d), want 4 reports, 3 languages, seed 9", reports, langs, seed)
			}
			// As the child process does: its own corpus from the options.
			c, err := sample.Generate(sample.GenerateOptions{Reports: reports, Langs: langs, Seed: seed})
			if err != nil {
				return "", "", nil, err
			}
			srv, err := sample.Start(c, sample.Options{})
			if err != nil {
				return "", "", nil, err
			}
			return srv.BaoLamDongURL, srv.VietnamVNURL, func() (time.Duration, error) { *stops++; return mirrorCPU, srv.Close() }, nil
		}
	}
	tests := []struct {
		name      string
		start     func(t *testing.T, stops *int) StartMirrorFunc
		wantErr   string
		wantStops int
	}{
		{"served", served, "", 1},
		{"fails to start", func(*testing.T, *int) StartMirrorFunc {
			return func(context.Context, int, int, uint64) (string, string, func() (time.Duration, error), error) {
				return "", "", nil, errors.New("no executable")
			}
		}, "no executable", 0},
		{"bad URL", func(_ *testing.T, stops *int) StartMirrorFunc {
			return func(context.Context, int, int, uint64) (string, string, func() (time.Duration, error), error) {
				return "ftp://x", "http://127.0.0.1:1", func() (time.Duration, error) { *stops++; return 0, nil }, nil
			}
		}, "ftp://x", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stops := 0
			res, err := Run(context.Background(), Options{Docs: 12, Langs: 3, Seed: 9, Clients: []int{1}, Duration: 20 * time.Millisecond,
				StartMirror: tt.start(t, &stops)})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if stops != tt.wantStops {
				t.Errorf("mirror stopped %d times, want %d", stops, tt.wantStops)
			}
			if tt.wantErr != "" {
				return
			}
			st := res.stage(StageCrawl)
			if st == nil || st.Docs != 12 {
				t.Fatalf("crawl stage %+v, want 12 documents", st)
			}
			if res.Mirror != MirrorProcess || res.MirrorCPUSec != mirrorCPU.Seconds() {
				t.Errorf("mirror %q, %v CPU-s; want %q, %v", res.Mirror, res.MirrorCPUSec, MirrorProcess, mirrorCPU.Seconds())
			}
			if !strings.Contains(st.Note, "separate process (1.5 CPU-s") {
				t.Errorf("crawl note %q", st.Note)
			}
			var table strings.Builder
			if err := res.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(table.String(), "mirror (separate process): 1.5 CPU-s") {
				t.Errorf("table lacks the mirror's CPU time:\n%s", table.String())
			}
		})
	}
}

// TestRunLearn: the learn phase learns from every report of the run,
// after the crawl on the store it left or, without a crawl, from the
// spool, and fills every figure. No timing is judged, only that the
// figures are there: the corpus's translations are not translations, so
// neither is quality.
func TestRunLearn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the language detector and learns translation tables")
	}
	tests := []struct {
		name   string
		opts   Options
		source string
	}{
		{"after the crawl", Options{Docs: 18, Langs: 3, Seed: 5}, LearnPipeline},
		{"from the spool", Options{Docs: 18, Langs: 3, Seed: 5, SkipCrawl: true, Direct: true}, LearnSpool},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.Clients, o.Duration = []int{1}, 20*time.Millisecond
			res, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			l := res.Learn
			if l == nil {
				t.Fatal("no learn figures")
			}
			if l.Source != tt.source {
				t.Errorf("source %q, want %q", l.Source, tt.source)
			}
			// 6 reports of an original and 2 translations: each
			// translation gives its title pair and at least one
			// paragraph pair.
			if l.Docs != 18 || l.Reports != 6 {
				t.Errorf("learned from %d documents, %d reports; want 18, 6", l.Docs, l.Reports)
			}
			sum := 0
			for lang, n := range l.Pairs {
				if lang == "vi" || n <= 0 {
					t.Errorf("%d pairs for %q", n, lang)
				}
				sum += n
			}
			if sum != l.PairsTotal || l.PairsTotal < 2*6*2 {
				t.Errorf("pairs %v, total %d; want at least 24, summing to the total", l.Pairs, l.PairsTotal)
			}
			if l.Entries <= 0 || l.TableBytes <= 0 || l.AllocBytes == 0 {
				t.Errorf("%d entries, %d bytes of tables, %d allocated", l.Entries, l.TableBytes, l.AllocBytes)
			}
			if l.WallSec <= 0 || l.CPUSec <= 0 || l.TrainSec <= 0 || l.TrainSec > l.WallSec {
				t.Errorf("wall %v s, CPU %v s, training %v s", l.WallSec, l.CPUSec, l.TrainSec)
			}
			if l.PeakRSS == 0 || l.PeakRSS != res.Peak["learn"] || l.PeakAnon <= 0 || l.PeakAnon != res.PeakAnon["learn"] {
				t.Errorf("peak %d/%d, phase peaks %v %v", l.PeakRSS, l.PeakAnon, res.Peak, res.PeakAnon)
			}
			if !strings.Contains(l.Note, "not the quality") {
				t.Errorf("note %q", l.Note)
			}
			var table strings.Builder
			if err := res.WriteTable(&table); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"learn translations (" + tt.source + ")", "18 documents read, 6 reports learned from", "learn ", "not the quality"} {
				if !strings.Contains(table.String(), want) {
					t.Errorf("table lacks %q:\n%s", want, table.String())
				}
			}
			var js strings.Builder
			if err := res.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(js.String(), `"learn": {`) || !strings.Contains(js.String(), `"table_bytes"`) {
				t.Errorf("JSON lacks the learn figures")
			}
		})
	}
}

// TestRunSkipLearn: --skip-learn leaves out the learn phase, so a rerun
// over kept data measures the queries only; without tables there is then
// no translated engine.
func TestRunSkipLearn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the language detector")
	}
	o := Options{Docs: 18, Langs: 3, Seed: 5, SkipCrawl: true, Direct: true, SkipLearn: true}
	o.Clients, o.Duration = []int{1}, 20*time.Millisecond
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Learn != nil {
		t.Errorf("learn figures %+v with SkipLearn", res.Learn)
	}
	for _, l := range res.Latency {
		if l.Engine == EnginePSQCold {
			t.Errorf("engine %s measured without tables", l.Engine)
		}
	}
}
