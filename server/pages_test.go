package server

import (
	"bytes"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"baoscope/model"
	"baoscope/web"
)

func page(t *testing.T, base, path string, wantStatus int) string {
	t.Helper()
	resp := mustGet(t, base+path)
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, resp.StatusCode, wantStatus, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	return string(b)
}

// parse checks that a page is well-formed enough for a browser's parser
// and returns its tree.
func parse(t *testing.T, s string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// elements returns the elements named tag.
func elements(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// hrefs is the set of link targets in a page, as the browser reads them.
func hrefs(doc *html.Node) map[string]bool {
	out := map[string]bool{}
	for _, a := range elements(doc, "a") {
		out[attr(a, "href")] = true
	}
	return out
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	return strings.Contains(" "+attr(n, "class")+" ", " "+c+" ")
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func TestSearchPage(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	body := page(t, ts.URL, "/?q=Krong+No", 200)
	doc := parse(t, body)

	var hits []*html.Node
	for _, li := range elements(doc, "li") {
		if hasClass(li, "hit") {
			hits = append(hits, li)
		}
	}
	var krong *html.Node
	for _, h := range hits {
		for _, a := range elements(h, "a") {
			if attr(a, "href") == "/reports/396102" {
				krong = h
			}
		}
	}
	if krong == nil {
		t.Fatalf("no result links to /reports/396102:\n%s", body)
	}
	// Links to every version, and side-by-side links for translations.
	links := map[string]bool{}
	for _, a := range elements(krong, "a") {
		links[attr(a, "href")] = true
	}
	for _, want := range []string{
		blog + "xa-krong-no-396102.html", vnvn + "ko/krong-no-commune", vnvn + "ar/krong-no-commune", vnvn + "en/krong-no-commune",
		"/reports/396102?lang=ko", "/reports/396102?lang=ar",
	} {
		if !links[want] {
			t.Errorf("result lacks a link to %s", want)
		}
	}
	// Highlighted snippets, each marked with its language and direction.
	marks := 0
	for _, p := range elements(krong, "p") {
		if hasClass(p, "snippet") {
			marks += len(elements(p, "mark"))
			if attr(p, "lang") == "" || attr(p, "dir") == "" {
				t.Errorf("snippet without lang/dir: %v", p.Attr)
			}
		}
	}
	if marks == 0 {
		t.Error("no <mark> in the snippets")
	}
	all := hrefs(doc)
	for _, want := range []string{"/api/v1/search?format=jsonl&q=Krong+No", "/api/v1/search?format=csv&q=Krong+No"} {
		if !all[want] {
			t.Errorf("no export link %s", want)
		}
	}
	for _, want := range []string{
		`Query syntax`,
		`name="lang" value="ko"`,
		`type="date" name="from"`,
		`name="originals"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestSearchPageQueryLanguageAndFilters(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	body := page(t, ts.URL, "/?q="+url.QueryEscape("크롱노")+"&lang=ko&originals=false&sort=date&from=2025-01-01", 200)
	if !strings.Contains(body, "Korean (ko)") {
		t.Error("detected query language not shown")
	}
	if !regexp.MustCompile(`id="lang-ko" name="lang" value="ko" checked`).MatchString(body) {
		t.Error("the ko chip is not checked")
	}
	if !strings.Contains(body, `value="2025-01-01"`) || !strings.Contains(body, `<option value="date" selected>`) {
		t.Error("the form does not echo the filters")
	}
}

func TestSearchPageErrorsAndLanding(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	body := page(t, ts.URL, "/?q="+url.QueryEscape(`Krong "No`), 400)
	if !strings.Contains(body, `role="alert"`) || !strings.Contains(body, `<mark>&#34;</mark>`) {
		t.Errorf("the query error does not mark the character at fault:\n%s", body)
	}
	body = page(t, ts.URL, "/?q=a&size=1000", 400)
	if !strings.Contains(body, "size must be") {
		t.Error("a bad parameter is not explained")
	}
	body = page(t, ts.URL, "/", 200)
	if !strings.Contains(body, "3 reports, 9 documents") {
		t.Errorf("the landing page does not say what is indexed")
	}
	// The form's empty fields are dropped by a redirect to the short URL.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(ts.URL + "/?q=Krong&from=&to=&section=")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/?q=Krong" {
		t.Errorf("form with empty fields: %d to %q, want 302 to /?q=Krong", resp.StatusCode, resp.Header.Get("Location"))
	}
	page(t, ts.URL, "/nowhere", 404)
	page(t, ts.URL, "/reports/123456", 404)
	page(t, ts.URL, "/static/nope.css", 404)
}

func TestPagination(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{DefaultPageSize: 1})
	seen := map[string]bool{}
	path := "/?q=Krong+OR+Jut+OR+Lat&sort=date"
	var pages []string
	for i := 0; path != ""; i++ {
		if i > 5 {
			t.Fatal("pagination does not end")
		}
		pages = append(pages, path)
		doc := parse(t, page(t, ts.URL, path, 200))
		path = ""
		for _, a := range elements(doc, "a") {
			switch {
			case strings.HasPrefix(attr(a, "href"), "/reports/"):
				if !strings.Contains(attr(a, "href"), "?") {
					if seen[attr(a, "href")] {
						t.Errorf("%s on two pages", attr(a, "href"))
					}
					seen[attr(a, "href")] = true
				}
			case attr(a, "rel") == "next":
				path = attr(a, "href")
			}
		}
	}
	if len(seen) != 3 || len(pages) != 3 {
		t.Fatalf("%d reports over %d pages, want 3 over 3", len(seen), len(pages))
	}
	// Previous from the last page leads back to the second.
	doc := parse(t, page(t, ts.URL, pages[2], 200))
	for _, a := range elements(doc, "a") {
		if attr(a, "rel") == "prev" {
			prev, _ := url.Parse(attr(a, "href"))
			want, _ := url.Parse(pages[1])
			if prev.Query().Get("cursor") != want.Query().Get("cursor") {
				t.Errorf("Previous goes to cursor %q, want %q", prev.Query().Get("cursor"), want.Query().Get("cursor"))
			}
			return
		}
	}
	t.Error("no Previous link on the last page")
}

func TestReportPageSideBySide(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	body := page(t, ts.URL, "/reports/396102?lang=ar", 200)
	doc := parse(t, body)
	var pairs [][]*html.Node
	for _, d := range elements(doc, "div") {
		if hasClass(d, "pair") && !hasClass(d, "head") {
			var cells []*html.Node
			for c := d.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && hasClass(c, "cell") {
					cells = append(cells, c)
				}
			}
			pairs = append(pairs, cells)
		}
	}
	// Lead + 3 paragraphs; the Arabic has 2, so the last is padded.
	if len(pairs) != 4 {
		t.Fatalf("%d rows, want 4 (lead + 3 paragraphs)", len(pairs))
	}
	for i, p := range pairs {
		if len(p) != 2 {
			t.Fatalf("row %d has %d cells", i, len(p))
		}
		if attr(p[0], "lang") != "vi" || attr(p[0], "dir") != "ltr" {
			t.Errorf("row %d left %v, want vi ltr", i, p[0].Attr)
		}
		if attr(p[1], "lang") != "ar" || attr(p[1], "dir") != "rtl" {
			t.Errorf("row %d right %v, want ar rtl", i, p[1].Attr)
		}
	}
	if got := textOf(pairs[1][0]); got != "Xã Krông Nô được thành lập trên cơ sở sáp nhập ba xã." {
		t.Errorf("first paragraph %q", got)
	}
	if got := textOf(pairs[1][1]); got != "تأسست بلدية كرونغ نو من دمج ثلاث بلديات." {
		t.Errorf("first Arabic paragraph %q", got)
	}
	if got := strings.TrimSpace(textOf(pairs[3][1])); got != "" {
		t.Errorf("padding cell holds %q", got)
	}
	// The switcher offers every other version and marks the current one.
	for _, want := range []string{`href="/reports/396102?lang=ko"`, `href="/reports/396102?lang=en"`, `aria-current="true"`} {
		if !strings.Contains(body, want) {
			t.Errorf("switcher lacks %s", want)
		}
	}
	if strings.Contains(body, `href="/reports/396102?lang=ar"`) {
		t.Error("the current translation is a link")
	}

	// No lang: English when there is one; an absent language says so.
	if body := page(t, ts.URL, "/reports/396102", 200); !strings.Contains(body, `lang="en" dir="ltr"><p>Krong No commune was formed`) {
		t.Error("English is not the default translation")
	}
	if body := page(t, ts.URL, "/reports/396102?lang=th", 200); !strings.Contains(body, "no Thai version") {
		t.Error("a missing translation is not explained")
	}
}

// TestCrawledMarkupIsText: crawled titles and bodies that carry markup
// are shown as text by the API snippets, the search page and the report
// page, never as markup.
func TestCrawledMarkupIsText(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})

	res := decode[model.Result](t, mustGet(t, ts.URL+"/api/v1/search?q="+url.QueryEscape("Đà Lạt")))
	found := false
	for _, r := range res.Reports {
		if r.ReportID != "999001" {
			continue
		}
		found = true
		for _, m := range r.Matched {
			for _, bad := range []string{"<script", "<img", "<b ", "</p>"} {
				if strings.Contains(m.Snippet, bad) {
					t.Errorf("API snippet of %s contains %s: %q", m.Lang, bad, m.Snippet)
				}
			}
		}
	}
	if !found {
		t.Fatal("report 999001 not found")
	}

	for _, path := range []string{"/?q=" + url.QueryEscape("Đà Lạt"), "/?q=" + url.QueryEscape("Da Lat flowers"), "/reports/999001", "/reports/999001?lang=en"} {
		t.Run(path, func(t *testing.T) {
			body := page(t, ts.URL, path, 200)
			for _, bad := range []string{"<script", "<img", "<b "} {
				if strings.Contains(body, bad) {
					t.Errorf("page contains %s", bad)
				}
			}
			doc := parse(t, body)
			if n := len(elements(doc, "script")) + len(elements(doc, "img")) + len(elements(doc, "b")); n > 0 {
				t.Errorf("%d script/img/b elements in the page", n)
			}
			// No element got an event handler from crawled text.
			var walk func(*html.Node)
			walk = func(n *html.Node) {
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") {
						t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
			if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(body, "&lt;img") {
				t.Error("the markup is not shown as text")
			}
		})
	}
}

func TestSafeSnippet(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain &amp; simple", "plain &amp; simple"},
		{"a <mark>b</mark> c", "a <mark>b</mark> c"},
		{"&lt;script&gt; <mark>x</mark>", "&lt;script&gt; <mark>x</mark>"},
		{"<script>alert(1)</script><mark>x</mark>", "&lt;script&gt;alert(1)&lt;/script&gt;<mark>x</mark>"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"<mark>open", "<mark>open</mark>"},
		{"close</mark> <mark><mark>x</mark>", "close <mark>x</mark>"},
		{`" onfocus="x`, "&#34; onfocus=&#34;x"},
		{"1 < 2 &amp;&amp; 3 > 2", "1 &lt; 2 &amp;&amp; 3 &gt; 2"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := string(safeSnippet(tt.in)); got != tt.want {
				t.Errorf("safeSnippet(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func testFacets() map[string][]model.FacetCount {
	return map[string][]model.FacetCount{
		"lang":    {{Value: "vi", Count: 3}, {Value: "en", Count: 2}, {Value: "ko", Count: 1}},
		"section": {{Value: "chinh-tri", Count: 2}, {Value: "van-hoa", Count: 1}},
		"month":   {{Value: "2025-08", Count: 1}, {Value: "2025-10", Count: 1}, {Value: "2025-12", Count: 1}},
	}
}

func TestTimelineSVG(t *testing.T) {
	tv := newTimeline(testFacets()["month"], url.Values{"q": {"Krong"}})
	if tv == nil || len(tv.Bars) != 5 {
		t.Fatalf("timeline %+v, want 5 months (Aug–Dec 2025, gaps included)", tv)
	}
	pages, err := parsePagesForTest()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pages["search"].ExecuteTemplate(&buf, "timeline", tv); err != nil {
		t.Fatal(err)
	}
	golden(t, "timeline.svg.html", buf.Bytes())

	for _, tt := range []struct {
		name  string
		facet []model.FacetCount
		bars  int
	}{
		{"none", nil, 0},
		{"unparsable", []model.FacetCount{{Value: "someday", Count: 3}}, 0},
		{"one month", []model.FacetCount{{Value: "2026-01", Count: 2}}, 1},
		{"across years", []model.FacetCount{{Value: "2024-11", Count: 2}, {Value: "2026-02", Count: 1}}, 16},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tv := newTimeline(tt.facet, url.Values{})
			if n := 0; tv != nil {
				n = len(tv.Bars)
				if n != tt.bars {
					t.Errorf("%d bars, want %d", n, tt.bars)
				}
			} else if tt.bars != 0 {
				t.Errorf("no timeline, want %d bars", tt.bars)
			}
		})
	}
}

func parsePagesForTest() (map[string]*template.Template, error) {
	return web.Pages(templateFuncs())
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestFacetsOnThePage(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	body := page(t, ts.URL, "/?q=Krong+OR+Jut+OR+Lat", 200)
	doc := parse(t, body)
	// Aug–Dec 2025: three months with reports, two gaps without bars.
	if len(elements(doc, "svg")) != 1 || len(elements(doc, "rect")) != 3 {
		t.Errorf("want one timeline SVG with 3 bars")
	}
	all := hrefs(doc)
	for _, want := range []string{
		"/?from=2025-10-01&q=Krong+OR+Jut+OR+Lat&to=2025-10-31", // a bar narrows to its month
		"/?q=Krong+OR+Jut+OR+Lat&section=chinh-tri",             // a section facet
		"/?lang=ko&q=Krong+OR+Jut+OR+Lat",                       // a language facet
	} {
		if !all[want] {
			t.Errorf("page lacks a link to %s", want)
		}
	}
	if !strings.Contains(body, `<label for="lang-vi" lang="vi" title="Vietnamese">Tiếng Việt <span class="n">3</span></label>`) {
		t.Error("no counts on the language chips")
	}
	// Narrowed to Korean, the other languages are still offered.
	body = page(t, ts.URL, "/?q=Krong+OR+Jut+OR+Lat&lang=ko", 200)
	for _, l := range []string{"vi", "ar", "de", "en"} {
		if !strings.Contains(body, `id="lang-`+l+`"`) {
			t.Errorf("no %s chip when filtered to ko", l)
		}
	}
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	s, ts := newTestServer(t, newFixtureService(t), Options{})
	spec := decode[struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Parameters []struct {
				Name    string `json:"name"`
				In      string `json:"in"`
				Example any    `json:"example"`
			} `json:"parameters"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}](t, mustGet(t, ts.URL+"/api/v1/openapi.json"))
	if !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi %q", spec.OpenAPI)
	}

	// Every route is documented.
	documented := map[string]bool{}
	for p, ops := range spec.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	for _, r := range s.Routes() {
		key := strings.Replace(r, "{$}", "", 1)
		if !documented[key] {
			t.Errorf("route %s is not in openapi.json", r)
		}
		delete(documented, key)
	}
	for k := range documented {
		t.Errorf("openapi.json documents %s, which is not a route", k)
	}

	// Every documented route answers 200 with its examples.
	for p, ops := range spec.Paths {
		for m, op := range ops {
			t.Run(m+" "+p, func(t *testing.T) {
				path := p
				q := url.Values{}
				for _, par := range op.Parameters {
					if par.Example == nil {
						continue
					}
					ex := strings.TrimSuffix(strings.TrimPrefix(jsonString(par.Example), `"`), `"`)
					switch par.In {
					case "path":
						path = strings.Replace(path, "{"+par.Name+"}", ex, 1)
					case "query":
						q.Set(par.Name, ex)
					}
				}
				if len(q) > 0 {
					path += "?" + q.Encode()
				}
				if _, ok := op.Responses["200"]; !ok {
					t.Fatal("no 200 response documented")
				}
				req, _ := http.NewRequest(strings.ToUpper(m), ts.URL+path, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != 200 {
					b, _ := io.ReadAll(resp.Body)
					t.Errorf("%s %s: status %d: %s", m, path, resp.StatusCode, b)
				}
			})
		}
	}

	// The search parameters documented are the ones accepted.
	var names []string
	for _, par := range spec.Paths["/api/v1/search"]["get"].Parameters {
		names = append(names, par.Name)
	}
	if strings.Join(names, ",") != strings.Join(searchParams, ",") {
		t.Errorf("documented search parameters %v, accepted %v", names, searchParams)
	}
}
