package extract_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"baoscope/extract"
	"baoscope/model"
	"baoscope/sample"
	"baoscope/sites"
)

// sampleChrome are strings of the mirror's chrome that must never reach a
// body, in every language it renders.
var sampleChrome = []string{
	"Vietnam.vn", "Nền tảng quảng bá", "(0)", "No data", "No videos", ".jpg", ".jpeg",
	"Trang chủ", "Tin liên quan", "Cơ quan của Đảng bộ", "Same tag", "Same category",
	"같은 태그", "같은 카테고리", "نفس الوسم", "نفس الفئة", "Gleiches Tag", "Тот же тег",
	"相同标签", "同じタグ", "แท็กเดียวกัน", "Tag yang sama", "Même tag", "Misma etiqueta",
	"Stesso tag", "Mesma etiqueta", "Cùng thẻ", "Cùng chuyên mục", "https://",
}

// TestSampleSite serves the embedded sample corpus, with every fault page,
// and a generated corpus in every language the mirror knows, and extracts
// every page of both sites from the loopback mirror.
func TestSampleSite(t *testing.T) {
	embedded, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	// Every language the text corpus has text in (vi and ten others).
	generated, err := sample.Generate(sample.GenerateOptions{Reports: 12, Langs: 11, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		corpus *sample.Corpus
		opts   sample.Options
	}{
		{"embedded", embedded, sample.Options{Faults: sample.Faults()}},
		{"generated", generated, sample.Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := sample.Start(tc.corpus, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := srv.Close(); err != nil {
					t.Error(err)
				}
			})
			m := mirror{t: t, srv: srv, ex: extract.New(extract.Options{}), client: &http.Client{Timeout: 30 * time.Second}}
			m.checkCorpus(tc.corpus)
		})
	}
}

type mirror struct {
	t      *testing.T
	srv    *sample.Servers
	ex     *extract.Extractor
	client *http.Client
}

func (m *mirror) fetch(site, path string) (*model.Document, error) {
	m.t.Helper()
	base := m.srv.BaoLamDongURL
	if site == model.SiteVietnamVN {
		base = m.srv.VietnamVNURL
	}
	resp, err := m.client.Get(base + path)
	if err != nil {
		m.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 5<<20))
	if err != nil {
		m.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		m.t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return m.ex.Extract(extract.Page{URL: resp.Request.URL.String(), Site: site, ContentType: resp.Header.Get("Content-Type"), Body: body})
}

func (m *mirror) checkCorpus(c *sample.Corpus) {
	t := m.t
	pages := 0
	for r := range c.All() {
		for _, v := range r.Versions {
			pages++
			if v.Lang == "vi" {
				m.checkOriginal(r, &v)
			} else {
				m.checkTranslation(r, &v)
			}
		}
	}
	for _, p := range c.Unlinked() {
		pages++
		name := "unlinked " + p.Path()
		doc, err := m.fetch(model.SiteVietnamVN, p.Path())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		m.checkBody(name, doc, "", p.Body)
		if doc.ReportID != "" || doc.SourceURL != "" || doc.DeclaredLang != p.Lang || doc.Title != p.Title {
			t.Errorf("%s: report %q source %q lang %q title %q", name, doc.ReportID, doc.SourceURL, doc.DeclaredLang, doc.Title)
		}
	}
	for _, f := range m.srv.Site.FaultPages() {
		pages++
		doc, err := m.fetch(f.Site, f.Path)
		switch {
		case f.Fault == sample.FaultForeignSource:
			if err != nil || doc.ReportID != "" || !strings.Contains(doc.SourceURL, "baodaknong.vn") {
				t.Errorf("fault %s: doc %+v err %v", f.Fault, doc, err)
			}
		case err != nil && !errors.Is(err, extract.ErrNotArticle) && !errors.Is(err, extract.ErrNoContent):
			t.Errorf("fault %s: %v", f.Fault, err)
		}
	}
	for _, sec := range c.Sections() {
		if _, err := m.fetch(model.SiteBaoLamDong, "/"+sec.Slug+"/"); !errors.Is(err, extract.ErrNotArticle) {
			t.Errorf("listing %s: err %v, want ErrNotArticle", sec.Slug, err)
		}
	}
	for _, site := range []string{model.SiteBaoLamDong, model.SiteVietnamVN} {
		if _, err := m.fetch(site, "/"); !errors.Is(err, extract.ErrNotArticle) {
			t.Errorf("%s home: err %v, want ErrNotArticle", site, err)
		}
	}
	t.Logf("%d article pages extracted", pages)
}

func (m *mirror) checkOriginal(r *sample.Report, v *sample.Version) {
	name := fmt.Sprintf("original %s", r.ID)
	doc, err := m.fetch(model.SiteBaoLamDong, r.Path())
	if err != nil {
		m.t.Errorf("%s: %v", name, err)
		return
	}
	m.checkBody(name, doc, "", v.Body)
	want := fmt.Sprintf("%s|%v|%s|%s|%s|%s|%s|%s", r.ID, true, "vi", v.Title, v.Lead, r.Section, r.Author, strings.Join(r.Tags, ","))
	got := fmt.Sprintf("%s|%v|%s|%s|%s|%s|%s|%s", doc.ReportID, doc.IsOriginal, doc.DeclaredLang, doc.Title, doc.Lead, doc.Section, doc.Author, strings.Join(doc.Tags, ","))
	if got != want {
		m.t.Errorf("%s:\n got %s\nwant %s", name, got, want)
	}
	if !doc.Published.Equal(v.Published) || doc.CanonicalURL != r.URL() {
		m.t.Errorf("%s: published %v (want %v), canonical %q", name, doc.Published, v.Published, doc.CanonicalURL)
	}
}

func (m *mirror) checkTranslation(r *sample.Report, v *sample.Version) {
	name := fmt.Sprintf("%s translation of %s", v.Lang, r.ID)
	doc, err := m.fetch(model.SiteVietnamVN, sites.TranslationPath(v.Lang, r.Slug))
	if err != nil {
		m.t.Errorf("%s: %v", name, err)
		return
	}
	m.checkBody(name, doc, v.Lead, v.Body)
	wantID := ""
	if id, ok := sites.ReportIDFromSource(v.SourceURL); ok {
		wantID = id
	}
	if doc.ReportID != wantID || wantID != r.ID || doc.SourceURL != v.SourceURL || doc.IsOriginal ||
		doc.DeclaredLang != v.Lang || doc.Title != v.Title || doc.Lead != "" {
		m.t.Errorf("%s: report %q (want %q) source %q (want %q) lang %q title %q lead %q",
			name, doc.ReportID, r.ID, doc.SourceURL, v.SourceURL, doc.DeclaredLang, doc.Title, doc.Lead)
	}
	if !doc.Published.Equal(v.Published) {
		m.t.Errorf("%s: published %v, want %v", name, doc.Published, v.Published)
	}
}

// checkBody requires the body to be the version's prose: its lead (for a
// translation, where it opens the content) and its paragraphs, without
// captions and without lines the chrome filter rejects. The few rejected
// lines are logged: on seed pages they are photo captions kept as text.
func (m *mirror) checkBody(name string, doc *model.Document, lead string, body []sample.Paragraph) {
	t := m.t
	var want, dropped []string
	if lead != "" {
		want = append(want, lead)
	}
	for _, p := range body {
		switch {
		case p.Caption:
		case extract.IsChrome(p.Text):
			dropped = append(dropped, p.Text)
		default:
			want = append(want, p.Text)
		}
	}
	if len(dropped) > 2 {
		t.Errorf("%s: %d paragraphs judged chrome: %q", name, len(dropped), dropped)
	} else if len(dropped) > 0 {
		t.Logf("%s: judged chrome: %q", name, dropped)
	}
	if !slices.Equal(doc.Body, want) {
		t.Errorf("%s: body differs:\n got %q\nwant %q", name, doc.Body, want)
	}
	for i, p := range doc.Body {
		for _, c := range sampleChrome {
			if strings.Contains(p, c) {
				t.Errorf("%s: chrome %q in paragraph %d: %q", name, c, i, p)
			}
		}
	}
}
