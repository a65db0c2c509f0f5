package sample

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"baoscope/sites"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden pins one page of each type, rendered from the testdata corpus
// (with the fault pages on) and from a small generated corpus. The
// extractor's selectors depend on this markup: review a diff before
// running with -update.
func TestGolden(t *testing.T) {
	c := testCorpus(t)
	s := newSite(t, c, Options{Faults: Faults()})
	var faultPath = map[Fault]string{}
	for _, fp := range s.FaultPages() {
		faultPath[fp.Fault] = fp.Path
	}
	gen := generate(t, GenerateOptions{Reports: 40, Langs: 3, Seed: 2024, Text: c})
	gs := newSite(t, gen, Options{})
	g := gen.At(25)

	bao, vn := s.BaoLamDong(), s.VietnamVN()
	tests := []struct {
		file       string
		h          http.Handler
		host, path string
		status     int
	}{
		{"bao-home.html", bao, testBaoHost, "/", 200},
		{"bao-article.html", bao, testBaoHost, krongNoPath, 200},
		{"bao-article-markup-in-text.html", bao, testBaoHost, "/canh-bao-lua-dao-qua-mang-390001.html", 200},
		{"bao-listing.html", bao, testBaoHost, "/chinh-tri/", 200},
		{"bao-listing-page-2.html", bao, testBaoHost, "/chinh-tri/?page=2", 200},
		{"bao-rss.xml", bao, testBaoHost, "/rss/chinh-tri.rss", 200},
		{"bao-sitemap-index.xml", bao, testBaoHost, "/sitemap.xml", 200},
		{"bao-sitemap-month.xml", bao, testBaoHost, "/sitemaps/2025-09.xml", 200},
		{"bao-robots.txt", bao, testBaoHost, "/robots.txt", 200},
		{"bao-404.html", bao, testBaoHost, "/khong-co", 404},
		{"bao-fault-robots-disallowed.html", bao, testBaoHost, faultPath[FaultRobotsDisallowed], 200},
		{"vn-home.html", vn, testVNHost, "/", 200},
		{"vn-translation-seed-ko.html", vn, testVNHost, "/ko/" + krongNoSlug, 200},
		{"vn-translation-written-en.html", vn, testVNHost, "/en/" + krongNoSlug, 200},
		{"vn-unlinked-ko.html", vn, testVNHost, ngheAnPath, 200},
		{"vn-sitemap-index.xml", vn, testVNHost, "/sitemap.xml", 200},
		{"vn-sitemap-day.xml", vn, testVNHost, "/sitemaps/post-2025-10-15.xml", 200},
		{"vn-robots.txt", vn, testVNHost, "/robots.txt", 200},
		{"vn-404.html", vn, testVNHost, "/fr/" + krongNoSlug, 404},
		{"vn-fault-foreign-source.html", vn, testVNHost, faultPath[FaultForeignSource], 200},
		{"generated-article.html", gs.BaoLamDong(), testBaoHost, g.Path(), 200},
		{"generated-translation.html", gs.VietnamVN(), testVNHost, sites.TranslationPath(g.Versions[1].Lang, g.Slug), 200},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := fetch(t, tt.h, http.MethodGet, tt.host, tt.path)
			if r.status != tt.status {
				t.Fatalf("GET %s: status %d, want %d", tt.path, r.status, tt.status)
			}
			file := filepath.Join("testdata", "golden", tt.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(r.body), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./sample -run TestGolden -update to create it)", err)
			}
			if r.body != string(want) {
				t.Errorf("GET %s differs from %s; review the change and rerun with -update\n%s", tt.path, file, firstDiff(string(want), r.body))
			}
		})
	}
}

// firstDiff shows where two texts first differ.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-80)
	return "want: …" + want[from:min(len(want), i+80)] + "\n got: …" + got[from:min(len(got), i+80)]
}
