package server

import (
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"
)

// TestOpenAPILintRules checks the rules of redocly's default ruleset
// that openapi.json once broke (11 errors, 6 warnings): servers listed,
// security declared (none, explicitly), a licence named, and a 4xx
// response on every operation. .ci/run runs the linter itself when npx
// is there; this needs no network.
func TestOpenAPILintRules(t *testing.T) {
	var doc struct {
		Info struct {
			License *struct {
				Name string `json:"name"`
			} `json:"license"`
		} `json:"info"`
		Servers  []struct{ URL string } `json:"servers"`
		Security *[]map[string][]string `json:"security"`
		Paths    map[string]map[string]struct {
			Security  *[]map[string][]string `json:"security"`
			Responses map[string]json.RawMessage
		} `json:"paths"`
	}
	if err := json.Unmarshal(openAPISpec, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Servers) == 0 || doc.Servers[0].URL == "" {
		t.Error("no-empty-servers: no server")
	}
	if doc.Info.License == nil || doc.Info.License.Name == "" {
		t.Error("info-license: no licence named")
	}
	if doc.Security == nil {
		t.Error("security-defined: no root security (declare none with [])")
	} else if len(*doc.Security) != 0 {
		t.Error("the API has no authentication: root security must be empty")
	}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			has4xx := false
			for code := range op.Responses {
				if strings.HasPrefix(code, "4") {
					has4xx = true
				}
			}
			if !has4xx {
				t.Errorf("operation-4xx-response: %s %s has no 4xx response", method, path)
			}
			if op.Security != nil && len(*op.Security) != 0 {
				t.Errorf("%s %s requires security the server does not have", method, path)
			}
		}
	}
}

// TestAPIReferencePage: /api renders the OpenAPI document as a page,
// every operation and parameter on it, with no script (the CSP stays).
func TestAPIReferencePage(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	resp := mustGet(t, ts.URL+"/api")
	if csp := resp.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy {
		t.Errorf("CSP %q", csp)
	}
	body := page(t, ts.URL, "/api", http.StatusOK)
	doc := parse(t, body)
	if len(elements(doc, "script")) != 0 {
		t.Error("the reference page has a script")
	}
	for _, want := range []string{
		"<code>GET /api/v1/search</code>", "<code>GET /api/v1/reports/{id}</code>", "<code>GET /api</code>",
		"<code>bom</code>", "<code>text</code>", "json | jsonl | csv | atom", // parameters, an enumeration
		"application/atom+xml", "Not a GET or HEAD", // responses, resolved references
		`id="schema-ReportHit"`, "array of VersionHit",
	} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("the reference lacks %s", want)
		}
	}
	// The operations come in the document's order.
	if i, j := strings.Index(body, `id="search"`), strings.Index(body, `id="static"`); i < 0 || j < i {
		t.Error("operations out of the document's order")
	}
	// Every footer links to it.
	if !hrefs(parse(t, page(t, ts.URL, "/", http.StatusOK)))["/api"] {
		t.Error("the pages do not link to /api")
	}
}
