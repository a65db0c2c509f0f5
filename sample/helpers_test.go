package sample

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Hosts the tests address the handlers by, so that absolute URLs in the
// golden files do not depend on a port.
const (
	testBaoHost = "baolamdong.test"
	testVNHost  = "vietnam.test"
)

// testCorpus is sample/testdata/corpus: a small corpus under the package's
// control (the embedded one grows while others work on it), with the
// real seeds and a report whose text is full of markup.
func testCorpus(t testing.TB) *Corpus {
	t.Helper()
	c, err := LoadFS(os.DirFS("testdata/corpus"))
	if err != nil {
		t.Fatalf("load testdata corpus: %v", err)
	}
	return c
}

func newSite(t testing.TB, c *Corpus, opts Options) *Site {
	t.Helper()
	s, err := New(c, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// response is what a handler answered.
type response struct {
	status      int
	contentType string
	body        string
}

// fetch serves method path on h as host.
func fetch(t testing.TB, h http.Handler, method, host, path string) response {
	t.Helper()
	req := httptest.NewRequest(method, "http://"+host+path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return response{status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: string(body)}
}

// get fetches a page that must exist.
func get(t testing.TB, h http.Handler, host, path string) string {
	t.Helper()
	r := fetch(t, h, http.MethodGet, host, path)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", path, r.status)
	}
	return r.body
}

// page is a parsed HTML page.
type page struct{ root *html.Node }

func parsePage(t testing.TB, body string) page {
	t.Helper()
	root, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse html: %v", err)
	}
	return page{root}
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the elements with the tag (any if "") and class (any if "").
func (p page) find(tag, class string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) && (class == "" || hasClass(n, class)) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(p.root)
	return out
}

// text is the text content of n, as an extractor sees it.
func text(n *html.Node) string {
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

// texts is the text of each node.
func texts(ns []*html.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = text(n)
	}
	return out
}

// hrefs are the href attributes of the links inside ns.
func (p page) links(class string) []string {
	var out []string
	for _, n := range p.find("", class) {
		for _, a := range (page{n}).find("a", "") {
			out = append(out, attrOf(a, "href"))
		}
	}
	return out
}

func generate(t testing.TB, opts GenerateOptions) *Corpus {
	t.Helper()
	c, err := Generate(opts)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opts, err)
	}
	return c
}
