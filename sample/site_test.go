package sample

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/temoto/robotstxt"

	"baoscope/sites"
)

const (
	krongNoSlug = "krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen"
	krongNoPath = "/" + krongNoSlug + "-396102.html"
	ngheAnPath  = "/ko/nghe-an-6-nhiem-vu-trong-tam-doi-voi-can-bo-chu-chot-cap-xa"
)

func TestPageTypes(t *testing.T) {
	s := newSite(t, testCorpus(t), Options{})
	bao, vn := s.BaoLamDong(), s.VietnamVN()
	tests := []struct {
		name        string
		h           http.Handler
		host, path  string
		status      int
		contentType string
	}{
		{"bao home", bao, testBaoHost, "/", 200, contentHTML},
		{"bao article", bao, testBaoHost, krongNoPath, 200, contentHTML},
		{"bao listing", bao, testBaoHost, "/chinh-tri/", 200, contentHTML},
		{"bao listing page 2", bao, testBaoHost, "/chinh-tri/?page=2", 200, contentHTML},
		{"bao empty listing", bao, testBaoHost, "/van-hoa/", 200, contentHTML},
		{"bao listing without slash", bao, testBaoHost, "/chinh-tri", 301, ""},
		{"bao rss", bao, testBaoHost, "/rss/chinh-tri.rss", 200, contentRSS},
		{"bao sitemap index", bao, testBaoHost, "/sitemap.xml", 200, contentXML},
		{"bao sitemap month", bao, testBaoHost, "/sitemaps/2025-10.xml", 200, contentXML},
		{"bao robots", bao, testBaoHost, "/robots.txt", 200, contentPlain},
		{"bao unknown path", bao, testBaoHost, "/khong-co", 404, contentHTML},
		{"bao unknown id", bao, testBaoHost, "/tin-gia-999999.html", 404, contentHTML},
		{"bao wrong slug", bao, testBaoHost, "/tin-gia-396102.html", 404, contentHTML},
		{"bao listing past the end", bao, testBaoHost, "/chinh-tri/?page=3", 404, contentHTML},
		{"bao listing bad page", bao, testBaoHost, "/chinh-tri/?page=0", 404, contentHTML},
		{"bao unknown rss", bao, testBaoHost, "/rss/the-thao.rss", 404, contentHTML},
		{"bao unknown sitemap", bao, testBaoHost, "/sitemaps/1999-01.xml", 404, contentHTML},
		{"bao image", bao, testBaoHost, "/images/396102-1.jpg", 404, contentHTML},
		{"bao fault page when off", bao, testBaoHost, "/admin/202510/ban-tin-noi-bo-ban-bien-tap/", 404, contentHTML},
		{"vn home", vn, testVNHost, "/", 200, contentHTML},
		{"vn seed translation", vn, testVNHost, "/ko/" + krongNoSlug, 200, contentHTML},
		{"vn written translation", vn, testVNHost, "/en/" + krongNoSlug, 200, contentHTML},
		{"vn unlinked", vn, testVNHost, ngheAnPath, 200, contentHTML},
		{"vn sitemap index", vn, testVNHost, "/sitemap.xml", 200, contentXML},
		{"vn sitemap day", vn, testVNHost, "/sitemaps/post-2025-10-15.xml", 200, contentXML},
		{"vn robots", vn, testVNHost, "/robots.txt", 200, contentPlain},
		{"vn missing translation", vn, testVNHost, "/fr/" + krongNoSlug, 404, contentHTML},
		{"vn original language", vn, testVNHost, "/vi/" + krongNoSlug, 404, contentHTML},
		{"vn unknown slug", vn, testVNHost, "/en/khong-co-bai-nay", 404, contentHTML},
		{"vn unknown day", vn, testVNHost, "/sitemaps/post-1999-01-01.xml", 404, contentHTML},
		{"vn bad sitemap part", vn, testVNHost, "/sitemaps/post-2025-10-15-2.xml", 404, contentHTML},
		{"vn fault page when off", vn, testVNHost, "/en/" + foreignSlug, 404, contentHTML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fetch(t, tt.h, http.MethodGet, tt.host, tt.path)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d", r.status, tt.status)
			}
			if tt.contentType != "" && r.contentType != tt.contentType {
				t.Errorf("content type = %q, want %q", r.contentType, tt.contentType)
			}
			if r.contentType == contentHTML {
				parsePage(t, r.body)
			}
		})
	}
}

func TestMethods(t *testing.T) {
	s := newSite(t, testCorpus(t), Options{})
	if r := fetch(t, s.BaoLamDong(), http.MethodPost, testBaoHost, "/"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", r.status)
	}
	// net/http drops the body of a HEAD answer; the recorder does not.
	if r := fetch(t, s.VietnamVN(), http.MethodHead, testVNHost, "/ko/"+krongNoSlug); r.status != http.StatusOK {
		t.Errorf("HEAD: status %d, want 200", r.status)
	}
}

func TestArticlePage(t *testing.T) {
	c := testCorpus(t)
	s := newSite(t, c, Options{})
	body := get(t, s.BaoLamDong(), testBaoHost, krongNoPath)
	p := parsePage(t, body)
	rep, _ := c.Report("396102")
	vi := rep.Original()

	if got := texts(p.find("h1", "article-title")); !slices.Equal(got, []string{vi.Title}) {
		t.Errorf("title = %q", got)
	}
	if got := texts(p.find("h2", "article-sapo")); !slices.Equal(got, []string{vi.Lead}) {
		t.Errorf("lead = %q", got)
	}
	var want []string
	for _, para := range vi.Body {
		want = append(want, para.Text)
	}
	content := p.find("div", "article-content")[0]
	got := texts(append(page{content}.find("p", ""), page{content}.find("figcaption", "")...))
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("body = %q, want %q", got, want)
	}
	tm := p.find("time", "article-time")[0]
	if text(tm) != "Thứ tư, 15/10/2025 - 08:30" || attrOf(tm, "datetime") != "2025-10-15T08:30:00+07:00" {
		t.Errorf("date line = %q (%s)", text(tm), attrOf(tm, "datetime"))
	}
	for _, wantStr := range []string{
		`<link rel="canonical" href="https://baolamdong.vn/` + krongNoSlug + `-396102.html">`,
		`<meta property="article:published_time" content="2025-10-15T08:30:00+07:00">`,
		`<meta property="article:section" content="Chính trị">`,
		`"@type":"NewsArticle"`,
		`<a href="/tag/krong-no">Krông Nô</a>`,
	} {
		if !strings.Contains(body, wantStr) {
			t.Errorf("page lacks %s", wantStr)
		}
	}
	if len(p.links("related")) == 0 {
		t.Error("no related links")
	}
}

// checkSeedPage checks a vietnam.vn page against the seed it comes from:
// every seed paragraph, the source line verbatim and the comment counter.
func checkSeedPage(t *testing.T, c *Corpus, id, lang, wantSource, wantComment string) {
	t.Helper()
	rep, _ := c.Report(id)
	s := newSite(t, c, Options{})
	p := parsePage(t, get(t, s.VietnamVN(), testVNHost, sites.TranslationPath(lang, rep.Slug)))
	content := text(p.find("div", "post-content")[0])
	data := mustRead("testdata/corpus/seeds/" + lang + "-" + id + ".txt")
	lines := splitLines(string(data))
	for _, l := range lines[:len(lines)-2] { // all but the source line and the footer
		if !strings.Contains(content, l) {
			t.Errorf("page lacks seed line %q", l)
		}
	}
	if got := strings.TrimSpace(text(p.find("p", "post-source")[0])); got != wantSource {
		t.Errorf("source line = %q, want %q", got, wantSource)
	}
	if got := text(p.find("div", "post-comments")[0]); got != wantComment {
		t.Errorf("comments = %q, want %q", got, wantComment)
	}
	if strings.Contains(content, wantComment) {
		t.Error("comment footer left in the post content")
	}
}

func TestSeedTranslationPages(t *testing.T) {
	embedded, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	const src = "https://baolamdong.vn/krong-no-kien-toan-to-chuc-nang-cao-hieu-qua-chinh-quyen-396102.html"
	tests := []struct {
		name                 string
		c                    *Corpus
		id, lang             string
		wantSource, wantComm string
	}{
		{"ko embedded", embedded, "396102", "ko", "출처: " + src, "댓글 (0)"},
		{"ko testdata", testCorpus(t), "396102", "ko", "출처: " + src, "댓글 (0)"},
		{"ar", testCorpus(t), "396102", "ar", "المصدر: " + src, "تعليق (0)"},
		{"de", testCorpus(t), "386800", "de", "Quelle: https://baolamdong.vn/cu-jut-can-phan-dau-tro-thanh-la-co-dau-o-khu-vuc-phia-tay-tinh-lam-dong-386800.html", "Kommentar (0)"},
		{"ru keeps the English label", testCorpus(t), "386694", "ru", "Source: https://baolamdong.vn/pho-bi-thu-tinh-uy-lam-dong-bui-thang-kiem-tra-cong-toc-van-hanh-chinh-quyen-dia-phuong-hai-cap-tai-gia-hiep-va-di-linh-386694.html", "Комментарий (0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkSeedPage(t, tt.c, tt.id, tt.lang, tt.wantSource, tt.wantComm)
		})
	}
}

func TestTranslationChrome(t *testing.T) {
	s := newSite(t, testCorpus(t), Options{})
	body := get(t, s.VietnamVN(), testVNHost, "/ar/"+krongNoSlug)
	p := parsePage(t, body)
	if !strings.Contains(body, `<html lang="ar" dir="rtl">`) {
		t.Error("Arabic page is not rtl")
	}
	if got := p.links("lang-switch"); !slices.Equal(got, []string{"/ar/" + krongNoSlug, "/en/" + krongNoSlug, "/ko/" + krongNoSlug}) {
		t.Errorf("language switch = %v", got)
	}
	if got := texts(p.find("span", "post-paper")); !slices.Equal(got, []string{"Báo Lâm Đồng"}) {
		t.Errorf("paper = %q", got)
	}
	if len(p.find("section", "same-tag")) != 1 || len(p.find("section", "same-category")) != 1 {
		t.Error("related blocks missing")
	}
	// The written English translation has a lead, rendered first.
	en := parsePage(t, get(t, s.VietnamVN(), testVNHost, "/en/"+krongNoSlug))
	first := en.find("div", "post-content")[0].FirstChild.NextSibling
	if !strings.HasPrefix(text(first), "A working delegation") {
		t.Errorf("first paragraph = %q, want the lead", text(first))
	}
}

func TestUnlinkedPage(t *testing.T) {
	for name, c := range map[string]*Corpus{"testdata": testCorpus(t), "embedded": must(Load())} {
		t.Run(name, func(t *testing.T) {
			s := newSite(t, c, Options{})
			path := c.Unlinked()[0].Path()
			body := get(t, s.VietnamVN(), testVNHost, path)
			if strings.Contains(body, "baolamdong.vn") {
				t.Error("the Nghe An page links baolamdong.vn")
			}
			p := parsePage(t, body)
			if got := strings.TrimSpace(text(p.find("p", "post-source")[0])); got != "원천" {
				t.Errorf("source = %q, want the bare label", got)
			}
			if len(page{p.find("p", "post-source")[0]}.find("a", "")) != 0 {
				t.Error("source label has a link")
			}
			if got := text(p.find("div", "post-comments")[0]); got != "댓글 (0)" {
				t.Errorf("comments = %q", got)
			}
			meta := text(p.find("div", "post-meta")[0])
			if meta != "Việt NamViệt Nam29/08/2023" {
				t.Errorf("meta line = %q, want the seed's", meta)
			}
			if got := texts(p.find("h3", "")); len(got) < 3 || got[0] != "같은 태그" || got[1] != "같은 카테고리" {
				t.Errorf("related headings = %q", got)
			}
			if u, ok := sites.ParseSourceLine(text(p.root)); ok {
				t.Errorf("page has a source line naming %s", u)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestRobots(t *testing.T) {
	s := newSite(t, testCorpus(t), Options{})
	tests := []struct {
		h        http.Handler
		host     string
		disallow []string
	}{
		{s.BaoLamDong(), testBaoHost, []string{"/admin/", "/tim-kiem"}},
		{s.VietnamVN(), testVNHost, []string{"/search"}},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			body := get(t, tt.h, tt.host, "/robots.txt")
			if !strings.Contains(body, "Sitemap: http://"+tt.host+"/sitemap.xml\n") {
				t.Errorf("no Sitemap line:\n%s", body)
			}
			rules, err := robotstxt.FromString(body)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range tt.disallow {
				if rules.TestAgent(d+"x", "baoscope") {
					t.Errorf("%s allowed", d)
				}
			}
			if !rules.TestAgent("/", "baoscope") {
				t.Error("/ disallowed")
			}
		})
	}
}

// sitemapURLs fetches a sitemap index and every file it names, and
// returns the paths of the URLs listed, in order, with duplicates.
func sitemapURLs(t *testing.T, h http.Handler, host string) []string {
	t.Helper()
	var idx sitemapIndex
	if err := xml.Unmarshal([]byte(get(t, h, host, "/sitemap.xml")), &idx); err != nil {
		t.Fatalf("sitemap index: %v", err)
	}
	var out []string
	for _, sm := range idx.Sitemaps {
		u, err := url.Parse(sm.Loc)
		if err != nil || u.Host != host {
			t.Fatalf("sitemap %q is not on %s", sm.Loc, host)
		}
		if _, err := time.Parse(time.RFC3339, sm.Lastmod); err != nil {
			t.Errorf("sitemap %s lastmod: %v", sm.Loc, err)
		}
		var set urlset
		if err := xml.Unmarshal([]byte(get(t, h, host, u.Path)), &set); err != nil {
			t.Fatalf("sitemap %s: %v", u.Path, err)
		}
		if len(set.URLs) == 0 || len(set.URLs) > sitemapLimit {
			t.Errorf("sitemap %s has %d URLs", u.Path, len(set.URLs))
		}
		for _, e := range set.URLs {
			lu, err := url.Parse(e.Loc)
			if err != nil || lu.Scheme != "http" || lu.Host != host {
				t.Fatalf("URL %q is not on %s", e.Loc, host)
			}
			out = append(out, lu.Path)
		}
	}
	return out
}

// wantPaths are the paths each site must expose for c.
func wantPaths(c *Corpus) (bao, vn []string) {
	for r := range c.All() {
		bao = append(bao, r.Path())
		for _, v := range r.Versions[1:] {
			vn = append(vn, sites.TranslationPath(v.Lang, r.Slug))
		}
	}
	for _, p := range c.Unlinked() {
		vn = append(vn, p.Path())
	}
	return bao, vn
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %d entries, want %d\n got: %v\nwant: %v", what, len(got), len(want), clip(got), clip(want))
	}
	if d := len(got) - len(slices.Compact(got)); d != 0 {
		t.Errorf("%s: %d duplicates", what, d)
	}
}

func clip(s []string) []string { return s[:min(len(s), 10)] }

func TestSitemapsListEveryPageOnce(t *testing.T) {
	tests := []struct {
		name string
		c    *Corpus
		opts Options
	}{
		{"testdata", testCorpus(t), Options{}},
		{"testdata split", testCorpus(t), Options{SitemapMaxURLs: 2}},
		{"embedded", must(Load()), Options{}},
		{"generated", generate(t, GenerateOptions{Reports: 700, Langs: 3, Seed: 7}), Options{SitemapMaxURLs: 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.c, tt.opts)
			bao, vn := wantPaths(tt.c)
			sameSet(t, "baolamdong sitemap", sitemapURLs(t, s.BaoLamDong(), testBaoHost), bao)
			sameSet(t, "vietnam.vn sitemap", sitemapURLs(t, s.VietnamVN(), testVNHost), vn)
		})
	}
}

// crawlListings follows every section listing from its first page through
// its next links and returns the article links found.
func crawlListings(t *testing.T, s *Site, c *Corpus) []string {
	t.Helper()
	var out []string
	for _, sec := range c.Sections() {
		next := "/" + sec.Slug + "/"
		for pages := 0; next != ""; pages++ {
			if pages > c.Len() {
				t.Fatalf("listing of %s does not end", sec.Slug)
			}
			p := parsePage(t, get(t, s.BaoLamDong(), testBaoHost, next))
			out = append(out, p.links("article-list")...)
			next = ""
			if n := p.find("a", "next"); len(n) > 0 {
				next = attrOf(n[0], "href")
			}
		}
	}
	return out
}

func TestListingPaginationReachesEveryArticle(t *testing.T) {
	tests := []struct {
		name string
		c    *Corpus
		opts Options
	}{
		{"testdata", testCorpus(t), Options{}},
		{"testdata page size 1", testCorpus(t), Options{PageSize: 1}},
		{"embedded", must(Load()), Options{}},
		{"generated", generate(t, GenerateOptions{Reports: 503, Langs: 2, Seed: 3}), Options{PageSize: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.c, tt.opts)
			bao, _ := wantPaths(tt.c)
			sameSet(t, "listings", crawlListings(t, s, tt.c), bao)
		})
	}
}

func TestListingOrderAndLinks(t *testing.T) {
	c := testCorpus(t)
	s := newSite(t, c, Options{})
	p := parsePage(t, get(t, s.BaoLamDong(), testBaoHost, "/chinh-tri/"))
	links := p.links("article-list")
	if len(links) != 5 || links[0] != krongNoPath {
		t.Errorf("page 1 = %v, want 5 links newest (%s) first", links, krongNoPath)
	}
	if n := p.find("a", "next"); len(n) != 1 || attrOf(n[0], "href") != "/chinh-tri/?page=2" || attrOf(n[0], "rel") != "next" || text(n[0]) != "Trang sau" {
		t.Errorf("next link wrong")
	}
	p2 := parsePage(t, get(t, s.BaoLamDong(), testBaoHost, "/chinh-tri/?page=2"))
	if len(p2.find("a", "next")) != 0 || len(p2.find("a", "prev")) != 1 {
		t.Error("last page must have prev and no next")
	}
	rep, _ := c.Report("396102")
	if got := texts(p.find("p", "sapo")); got[0] != rep.Original().Lead {
		t.Errorf("sapo = %q", got[0])
	}
}

func TestRSS(t *testing.T) {
	c := testCorpus(t)
	tests := []struct {
		section string
		opts    Options
		items   int
	}{
		{"chinh-tri", Options{}, 6},
		{"chinh-tri", Options{RSSItems: 2}, 2},
		{"kinh-te", Options{}, 1},
		{"van-hoa", Options{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.section, func(t *testing.T) {
			s := newSite(t, c, tt.opts)
			var feed rss
			if err := xml.Unmarshal([]byte(get(t, s.BaoLamDong(), testBaoHost, "/rss/"+tt.section+".rss")), &feed); err != nil {
				t.Fatalf("parse rss: %v", err)
			}
			if feed.Version != "2.0" || len(feed.Channel.Items) != tt.items {
				t.Fatalf("version %q, %d items; want 2.0, %d", feed.Version, len(feed.Channel.Items), tt.items)
			}
			var prev time.Time
			for k, it := range feed.Channel.Items {
				pub, err := time.Parse(time.RFC1123Z, it.PubDate)
				if err != nil {
					t.Errorf("pubDate: %v", err)
				}
				if k > 0 && pub.After(prev) {
					t.Error("items not newest first")
				}
				prev = pub
				u, err := url.Parse(it.Link)
				if err != nil || u.Host != testBaoHost || it.GUID.Value != it.Link {
					t.Errorf("link %q / guid %q", it.Link, it.GUID.Value)
				}
				if a, ok := sites.ParseArticlePath(u.Path); !ok || a.ID == "" {
					t.Errorf("link %q is not an article", it.Link)
				}
			}
		})
	}
}

func TestCrawledTextIsEscaped(t *testing.T) {
	c := testCorpus(t)
	s := newSite(t, c, Options{})
	const title = `Cảnh báo <script>alert("xss")</script> & "lừa đảo" qua mạng`
	pages := []struct {
		h          http.Handler
		host, path string
	}{
		{s.BaoLamDong(), testBaoHost, "/canh-bao-lua-dao-qua-mang-390001.html"},
		{s.BaoLamDong(), testBaoHost, "/chinh-tri/"},
		{s.BaoLamDong(), testBaoHost, "/"},
		{s.VietnamVN(), testVNHost, "/en/canh-bao-lua-dao-qua-mang"},
		{s.VietnamVN(), testVNHost, "/"},
	}
	for _, pg := range pages {
		t.Run(pg.path, func(t *testing.T) {
			body := get(t, pg.h, pg.host, pg.path)
			for _, bad := range []string{"<script>alert", `<a href="http://evil.example/">`, "<img src=x", "<b>lừa", "</p><p>."} {
				if strings.Contains(body, bad) {
					t.Errorf("crawled text rendered as markup: %s", bad)
				}
			}
			p := parsePage(t, body)
			for _, sc := range p.find("script", "") {
				if attrOf(sc, "type") != "application/ld+json" {
					t.Errorf("unexpected script element")
				}
			}
		})
	}
	art := parsePage(t, get(t, s.BaoLamDong(), testBaoHost, "/canh-bao-lua-dao-qua-mang-390001.html"))
	if got := text(art.find("h1", "article-title")[0]); got != title {
		t.Errorf("title text = %q, want %q", got, title)
	}
	if got := attrOf(art.find("img", "")[0], "alt"); got != "Ảnh minh họa <img src=x onerror=alert(1)>" {
		t.Errorf("alt = %q", got)
	}
	ld := text(art.find("script", "")[0])
	if !strings.Contains(ld, `\u003cscript\u003e`) || strings.Contains(ld, "</script") {
		t.Errorf("JSON-LD not escaped: %s", ld)
	}
	rssBody := get(t, s.BaoLamDong(), testBaoHost, "/rss/chinh-tri.rss")
	var feed rss
	if err := xml.Unmarshal([]byte(rssBody), &feed); err != nil {
		t.Fatal(err)
	}
	found := slices.ContainsFunc(feed.Channel.Items, func(it rssItem) bool { return it.Title == title })
	if !found || strings.Contains(rssBody, "<script>") {
		t.Error("RSS title not escaped or lost")
	}
}

func TestFaults(t *testing.T) {
	c := testCorpus(t)
	off := newSite(t, c, Options{})
	if len(off.FaultPages()) != 0 {
		t.Fatal("faults on by default")
	}
	s := newSite(t, c, Options{Faults: Faults()})
	byFault := map[Fault]FaultPage{}
	for _, fp := range s.FaultPages() {
		byFault[fp.Fault] = fp
	}

	t.Run("foreign source", func(t *testing.T) {
		fp := byFault[FaultForeignSource]
		if fp.Site != "vietnam.vn" {
			t.Fatalf("site = %q", fp.Site)
		}
		if !slices.Contains(sitemapURLs(t, s.VietnamVN(), testVNHost), fp.Path) {
			t.Error("not in the vietnam.vn sitemap")
		}
		if slices.Contains(sitemapURLs(t, off.VietnamVN(), testVNHost), fp.Path) {
			t.Error("in the sitemap with faults off")
		}
		p := parsePage(t, get(t, s.VietnamVN(), testVNHost, fp.Path))
		src, ok := sites.ParseSourceLine(text(p.find("p", "post-source")[0]))
		if !ok || !strings.HasPrefix(src, "https://baodaknong.vn/") || !strings.HasSuffix(src, "-12345.html") {
			t.Errorf("source = %q", src)
		}
		if _, linked := sites.ReportIDFromSource(src); linked {
			t.Error("source parses as a baolamdong report")
		}
		if s.FaultHits(FaultForeignSource) != 1 {
			t.Errorf("hits = %d, want 1", s.FaultHits(FaultForeignSource))
		}
	})

	t.Run("robots disallowed", func(t *testing.T) {
		fp := byFault[FaultRobotsDisallowed]
		rules, err := robotstxt.FromString(get(t, s.BaoLamDong(), testBaoHost, "/robots.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if rules.TestAgent(fp.Path, "baoscope") {
			t.Errorf("%s is allowed by robots.txt", fp.Path)
		}
		if a, ok := sites.ParseArticlePath(fp.Path); !ok {
			t.Errorf("%s does not look like an article (%+v)", fp.Path, a)
		}
		first := c.Sections()[0].Slug
		if !slices.Contains(parsePage(t, get(t, s.BaoLamDong(), testBaoHost, "/"+first+"/")).links("article-list"), fp.Path) {
			t.Error("not linked from the first listing page")
		}
		if slices.Contains(parsePage(t, get(t, off.BaoLamDong(), testBaoHost, "/"+first+"/")).links("article-list"), fp.Path) {
			t.Error("linked with faults off")
		}
		if slices.Contains(sitemapURLs(t, s.BaoLamDong(), testBaoHost), fp.Path) {
			t.Error("in the sitemap; it should only be reachable from the listing")
		}
		if s.FaultHits(FaultRobotsDisallowed) != 0 {
			t.Error("hit before being fetched")
		}
		get(t, s.BaoLamDong(), testBaoHost, fp.Path)
		if s.FaultHits(FaultRobotsDisallowed) != 1 {
			t.Errorf("hits = %d, want 1", s.FaultHits(FaultRobotsDisallowed))
		}
	})

	if _, err := New(c, Options{Faults: []Fault{"slow"}}); err == nil {
		t.Error("unknown fault accepted")
	}
}

func TestOptionsErrors(t *testing.T) {
	c := testCorpus(t)
	for _, opts := range []Options{{PageSize: -1}, {SitemapMaxURLs: sitemapLimit + 1}, {RSSItems: -3}} {
		if _, err := New(c, opts); err == nil {
			t.Errorf("New(%+v) accepted", opts)
		}
	}
	if _, err := New(&Corpus{}, Options{}); err == nil {
		t.Error("empty corpus accepted")
	}
}

func TestStart(t *testing.T) {
	srv, err := Start(testCorpus(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, base := range []string{srv.BaoLamDongURL, srv.VietnamVNURL} {
		u, _ := url.Parse(base)
		if host, _, _ := strings.Cut(u.Host, ":"); host != "127.0.0.1" {
			t.Errorf("%s is not on loopback", base)
		}
	}
	res, err := http.Get(srv.BaoLamDongURL + "/robots.txt")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "Sitemap: "+srv.BaoLamDongURL+"/sitemap.xml") {
		t.Errorf("robots.txt names another base:\n%s", body)
	}
	res, err = http.Get(srv.VietnamVNURL + "/ko/" + krongNoSlug)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("translation: %d", res.StatusCode)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(srv.BaoLamDongURL + "/"); err == nil {
		t.Error("server still answers after Close")
	}
}
