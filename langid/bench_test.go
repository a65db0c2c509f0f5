package langid

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pemistahl/lingua-go"

	"baoscope/model"
	"baoscope/sample"
)

// The benchmarks below measure the default language set. lingua-go keeps
// its models in process-wide maps that are never freed, so memory can only
// be measured one configuration per process: BenchmarkFootprint re-runs
// this test binary once per configuration (TestFootprintChild) and reports
// what each child saw. Reproduce the table of docs/langid.md with
//
//	go test -run '^$' -bench 'Footprint' -benchtime 1x ./langid/
//	go test -run '^$' -bench 'Detect(Article|Query)' ./langid/
//	go test -run '^$' -bench 'DetectDocument' -benchmem -count 5 ./langid/

// article3KB is about 3 KB of a real German vietnam.vn translation: Latin
// script, so it goes through lingua-go, the costliest path.
func article3KB(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/seeds/de-386800.txt")
	if err != nil {
		tb.Fatal(err)
	}
	s := string(b)
	if i := strings.LastIndexByte(s[:3072], ' '); i > 0 {
		s = s[:i]
	}
	return s
}

// benchQueries are typical Latin-script queries, which all reach lingua-go.
var benchQueries = []string{
	"Kommunalverwaltung Cu Jut", "gobierno local", "coffee harvest Lam Dong",
	"kerajaan tempatan", "governo locale", "glissement de terrain",
}

var benchModes = []struct {
	name string
	low  bool
}{{"high", false}, {"low", true}}

func BenchmarkDetectArticle(b *testing.B) {
	text := article3KB(b)
	for _, m := range benchModes {
		b.Run(m.name, func(b *testing.B) {
			d := newDetector(b, Options{LowAccuracy: m.low, Preload: true})
			b.SetBytes(int64(len(text)))
			b.ResetTimer()
			for b.Loop() {
				d.Detect(text)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "detections/s")
			b.ReportMetric(rssMB(), "RSS-MB")
		})
	}
}

// docBenchLangs are the languages BenchmarkDetectDocument covers: the
// Vietnamese originals (decided by the syllable rule), Latin-script
// translations (lingua-go), Cyrillic and Arabic (one configured language
// each) and Hangul and Han (decided by script).
var docBenchLangs = []string{"vi", "en", "de", "fr", "ru", "ar", "ko", "zh"}

// longDocument is a realistic long document in lang, about 4 KB of text as
// the pipeline sees it: the title and lead of the first version in lang of
// the embedded sample corpus, then the body paragraphs of its versions in
// lang, in corpus order, until the text reaches 4 KB.
func longDocument(tb testing.TB, lang string) *model.Document {
	tb.Helper()
	c, err := sample.Load()
	if err != nil {
		tb.Fatal(err)
	}
	const size = 4096
	var doc *model.Document
	n := 0
	for r := range c.All() {
		v, ok := r.Version(lang)
		if !ok {
			continue
		}
		if doc == nil {
			doc = &model.Document{Title: v.Title, Lead: v.Lead, DeclaredLang: lang}
			n = len(v.Title) + len(v.Lead) + 1
		}
		for _, p := range v.Body {
			if n >= size {
				return doc
			}
			doc.Body = append(doc.Body, p.Text)
			n += len(p.Text) + 1
		}
	}
	if n < size {
		tb.Fatalf("the sample corpus has only %d bytes in %s", n, lang)
	}
	return doc
}

// BenchmarkDetectDocument is the pipeline's detection stage on ~4 KB
// documents (the pipeline benchmark's documents average 3.8 KB): a
// high-accuracy, preloaded detector, as the crawler builds it.
func BenchmarkDetectDocument(b *testing.B) {
	d := newDetector(b, Options{Preload: true})
	for _, lang := range docBenchLangs {
		doc := longDocument(b, lang)
		b.Run(lang, func(b *testing.B) {
			b.SetBytes(int64(len(doc.Text())))
			for b.Loop() {
				got := *doc
				d.DetectDocument(&got)
				if got.Lang != lang {
					b.Fatalf("detected %s, want %s", got.Lang, lang)
				}
			}
		})
	}
}

func BenchmarkDetectQuery(b *testing.B) {
	for _, m := range benchModes {
		b.Run(m.name, func(b *testing.B) {
			d := newDetector(b, Options{LowAccuracy: m.low, Preload: true})
			i := 0
			for b.Loop() {
				d.DetectQuery(benchQueries[i%len(benchQueries)])
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "detections/s")
			b.ReportMetric(rssMB(), "RSS-MB")
		})
	}
}

// footprintConfigs are the configurations BenchmarkFootprint compares.
var footprintConfigs = []string{
	"default-high", "default-low", "default-high-lazy-docs",
	"all-high", "all-low", "lingua15-high",
}

// footprint is what a child process reports.
type footprint struct {
	Config      string  `json:"config"`
	Languages   int     `json:"languages"`
	BuildSecs   float64 `json:"build_s"`
	RSSMB       float64 `json:"rss_mb"`
	HWMMB       float64 `json:"hwm_mb"`
	ArticlePerS float64 `json:"article_per_s"`     // per second of wall time
	QueryPerS   float64 `json:"query_per_s"`       // per second of wall time
	ArticleCPU  float64 `json:"article_per_cpu_s"` // per CPU-second
	QueryCPU    float64 `json:"query_per_cpu_s"`   // per CPU-second
}

// BenchmarkFootprint builds each configuration in a fresh process and
// reports its memory (RSS after building and detecting, and the peak) and
// its speed on a 3 KB article and on queries.
func BenchmarkFootprint(b *testing.B) {
	for _, cfg := range footprintConfigs {
		b.Run(cfg, func(b *testing.B) {
			var fp footprint
			for b.Loop() {
				fp = runFootprintChild(b, cfg)
			}
			b.ReportMetric(fp.RSSMB, "RSS-MB")
			b.ReportMetric(fp.HWMMB, "peak-RSS-MB")
			b.ReportMetric(fp.BuildSecs, "build-s")
			b.ReportMetric(fp.ArticlePerS, "articles/s")
			b.ReportMetric(fp.QueryPerS, "queries/s")
			b.ReportMetric(fp.ArticleCPU, "articles/CPU-s")
			b.ReportMetric(fp.QueryCPU, "queries/CPU-s")
			b.Logf("| %s | %d | %.1f | %.0f | %.0f | %.0f (%.0f) | %.0f (%.0f) |", cfg, fp.Languages, fp.BuildSecs,
				fp.RSSMB, fp.HWMMB, fp.ArticlePerS, fp.ArticleCPU, fp.QueryPerS, fp.QueryCPU)
		})
	}
}

func runFootprintChild(tb testing.TB, cfg string) footprint {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFootprintChild$", "-test.v")
	cmd.Env = append(os.Environ(), "LANGID_FOOTPRINT="+cfg)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tb.Fatalf("child %s: %v\n%s", cfg, err, out.String())
	}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "FOOTPRINT "); ok {
			var fp footprint
			if err := json.Unmarshal([]byte(rest), &fp); err != nil {
				tb.Fatal(err)
			}
			return fp
		}
	}
	tb.Fatalf("child %s printed no FOOTPRINT line:\n%s", cfg, out.String())
	return footprint{}
}

// TestFootprintChild is the child of BenchmarkFootprint; it does nothing
// unless LANGID_FOOTPRINT names a configuration.
func TestFootprintChild(t *testing.T) {
	cfg := os.Getenv("LANGID_FOOTPRINT")
	if cfg == "" {
		t.Skip("run by BenchmarkFootprint")
	}
	article := article3KB(t)
	fp := footprint{Config: cfg}
	var detect, query func(string)
	start := time.Now()
	switch cfg {
	case "lingua15-high":
		// Plain lingua-go with every default language it knows, as the
		// issue measured it: the baseline the script routing improves on.
		var ls []lingua.Language
		for _, c := range DefaultLanguages() {
			if l, ok := linguaLanguage(c); ok {
				ls = append(ls, l)
			}
		}
		ld := lingua.NewLanguageDetectorBuilder().FromLanguages(ls...).WithPreloadedLanguageModels().Build()
		fp.Languages = len(ls)
		detect = func(s string) { ld.ComputeLanguageConfidenceValues(s) }
		query = detect
	default:
		opts := Options{Preload: true}
		if strings.HasPrefix(cfg, "all-") {
			opts.Languages = AllLanguages()
		}
		opts.LowAccuracy = strings.HasSuffix(cfg, "-low")
		if strings.HasSuffix(cfg, "-lazy-docs") {
			opts.Preload = false
		}
		d := newDetector(t, opts)
		fp.Languages = len(d.Languages())
		detect = func(s string) { d.Detect(s) }
		query = func(s string) { d.DetectQuery(s) }
	}
	// Load what is needed before timing: lazily built detectors load
	// models on first use.
	detect(article)
	fp.BuildSecs = time.Since(start).Seconds()
	fp.ArticlePerS, fp.ArticleCPU = throughput(func(i int) { detect(article) })
	if cfg != "default-high-lazy-docs" { // the crawler never sees a query
		fp.QueryPerS, fp.QueryCPU = throughput(func(i int) { query(benchQueries[i%len(benchQueries)]) })
	}
	runtime.GC()
	debug.FreeOSMemory()
	fp.RSSMB = rssMB()
	fp.HWMMB = procStatusMB("VmHWM:")
	b, _ := json.Marshal(fp)
	fmt.Printf("FOOTPRINT %s\n", b)
}

// throughput runs f for about two seconds and returns calls per second of
// wall time and per CPU-second (0 where CPU time is not measured).
func throughput(f func(i int)) (perSec, perCPUSec float64) {
	start, cpu0 := time.Now(), cpuTime()
	n := 0
	for time.Since(start) < 2*time.Second {
		f(n)
		n++
	}
	perSec = float64(n) / time.Since(start).Seconds()
	if cpu := cpuTime() - cpu0; cpu > 0 {
		perCPUSec = float64(n) / cpu.Seconds()
	}
	return perSec, perCPUSec
}

// rssMB is the resident set size of this process in MB (VmRSS).
func rssMB() float64 { return procStatusMB("VmRSS:") }

// procStatusMB reads a kB field of /proc/self/status; 0 where there is no
// /proc.
func procStatusMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}
