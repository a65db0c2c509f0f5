package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestLongRequestLineIsJSON414 sends raw request lines through the
// http.Server serve uses (HTTPServer): a query string of 64 KiB and more
// is the API's JSON 414, not Go's plain-text 431 (issue 16).
func TestLongRequestLineIsJSON414(t *testing.T) {
	svc := newFixtureService(t)
	ts := httptest.NewUnstartedServer(New(svc, Options{}))
	ts.Config = HTTPServer(ts.Config.Handler, slog.New(slog.DiscardHandler))
	ts.Start()
	defer ts.Close()
	for _, n := range []int{9 << 10, 65 << 10, 200 << 10, 900 << 10} {
		t.Run(fmt.Sprintf("%d KiB", n>>10), func(t *testing.T) {
			status, ctype, body := rawGet(t, ts.Listener.Addr().String(), "/api/v1/search?q="+strings.Repeat("a", n))
			var e struct {
				Error apiError `json:"error"`
			}
			if status != http.StatusRequestURITooLong || !strings.HasPrefix(ctype, "application/json") ||
				json.Unmarshal(body, &e) != nil || e.Error.Code != "uri_too_long" {
				t.Fatalf("status %d, %s: %.200s; want a JSON 414", status, ctype, body)
			}
		})
	}
}

// rawGet writes a GET request line by hand, as no client library
// would send an oversized one, and reads the response.
func rawGet(t *testing.T, addr, target string) (status int, ctype string, body []byte) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	go fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ = io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// TestCursorErrors: an edited cursor or one reused on another search is a
// 400 naming the cursor, with a message saying which.
func TestCursorErrors(t *testing.T) {
	_, ts := newTestServer(t, newFixtureService(t), Options{})
	type answer struct {
		NextCursor string   `json:"next_cursor"`
		Error      apiError `json:"error"`
	}
	get := func(v url.Values) (int, answer) {
		resp := mustGet(t, ts.URL+"/api/v1/search?"+v.Encode())
		var a answer
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, a
	}
	status, first := get(url.Values{"q": {"Krong OR Cu"}, "size": {"1"}})
	cur := first.NextCursor
	if status != http.StatusOK || cur == "" {
		t.Fatalf("first page: %d, next cursor %q", status, cur)
	}
	payload, sig, _ := strings.Cut(cur, ".")
	tests := []struct {
		name   string
		params url.Values
		status int
		says   string
	}{
		{"the next page", url.Values{"q": {"Krong OR Cu"}, "size": {"1"}, "cursor": {cur}}, 200, ""},
		{"forged", url.Values{"q": {"Krong OR Cu"}, "size": {"1"}, "cursor": {payload + "x." + sig}}, 400, "altered"},
		{"unsigned", url.Values{"q": {"Krong OR Cu"}, "size": {"1"}, "cursor": {payload}}, 400, "altered"},
		{"another query", url.Values{"q": {"Cu Jut"}, "size": {"1"}, "cursor": {cur}}, 400, "another search"},
		{"another language filter", url.Values{"q": {"Krong OR Cu"}, "lang": {"ko"}, "size": {"1"}, "cursor": {cur}}, 400, "another search"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, a := get(tt.params)
			if status != tt.status {
				t.Fatalf("status %d (%+v), want %d", status, a.Error, tt.status)
			}
			if e := a.Error; tt.says != "" && (e.Param != "cursor" || e.Code != "bad_parameter" || !strings.Contains(e.Message, tt.says)) {
				t.Errorf("error %+v, want one on the cursor saying %q", e, tt.says)
			}
		})
	}
}
