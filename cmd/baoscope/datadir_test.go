package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/store"
)

// TestCommandsRefuseNoData: a mistyped or empty --data is an error naming
// the path, and nothing is created there (search and serve used to
// create an empty store and index and answer "0 reports").
func TestCommandsRefuseNoData(t *testing.T) {
	empty := t.TempDir()
	missing := filepath.Join(t.TempDir(), "mistyped", "dir")
	for _, tt := range []struct {
		name string
		args []string
		dir  string
	}{
		{"search missing", []string{"search", "--data", missing, "Krong"}, missing},
		{"search empty", []string{"search", "--data", empty, "Krong"}, empty},
		{"serve missing", []string{"serve", "--addr", "127.0.0.1:0", "--data", missing}, missing},
		{"serve empty", []string{"serve", "--addr", "127.0.0.1:0", "--data", empty}, empty},
		{"reindex empty", []string{"reindex", "--data", empty}, empty},
		{"learn empty", []string{"learn", "--data", empty}, empty},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), append(tt.args, "--low-accuracy"), nil, &out, &errb)
			if !errors.Is(err, pipeline.ErrNoData) || !strings.Contains(err.Error(), tt.dir) {
				t.Fatalf("err = %v, want ErrNoData naming %s", err, tt.dir)
			}
			if _, err := os.Stat(filepath.Join(tt.dir, pipeline.StoreFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a store was created in %s", tt.dir)
			}
			if _, err := os.Stat(filepath.Join(tt.dir, pipeline.IndexDir)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("an index was created in %s", tt.dir)
			}
		})
	}
}

// TestSearchWhileServed: while serve holds a data directory, search
// --data fails naming the serving process and the command to use, and
// search --server asks the server instead, printing what the local
// search prints.
func TestSearchWhileServed(t *testing.T) {
	_, data := crawlSubset(t, []string{"396102", "386120"}, "--learn=false")
	ctx := context.Background()
	var local bytes.Buffer
	if err := run(ctx, []string{"search", "--data", data, "--low-accuracy", "Krong", "No"}, nil, &local, &bytes.Buffer{}); err != nil {
		t.Fatalf("local search: %v", err)
	}

	base := startServe(t, data)
	var out, errb bytes.Buffer
	err := run(ctx, []string{"search", "--data", data, "--low-accuracy", "Krong"}, nil, &out, &errb)
	wantHeld := []string{
		filepath.Join(data, pipeline.StoreFile), fmt.Sprintf("process %d", os.Getpid()),
		"baoscope search --server " + base,
	}
	for _, w := range wantHeld {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("search of a served directory: err = %v, want it to name %q", err, w)
		}
	}

	out.Reset()
	if err := run(ctx, []string{"search", "--server", base, "Krong", "No"}, nil, &out, &errb); err != nil {
		t.Fatalf("search --server: %v", err)
	}
	// The same table, but for the time the search took.
	took := regexp.MustCompile(`[0-9.]+ ms\)`)
	if got, want := took.ReplaceAllString(out.String(), "ms)"), took.ReplaceAllString(local.String(), "ms)"); got != want {
		t.Errorf("search --server printed\n%s\nthe local search\n%s", got, want)
	}

	out.Reset()
	if err := run(ctx, []string{"search", "--server", base, "--json", "--lang", "vi", "--size", "1", "Krong No"}, nil, &out, &errb); err != nil {
		t.Fatalf("search --server --json: %v", err)
	}
	var res model.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res.Reports) != 1 || res.Reports[0].ReportID != "396102" {
		t.Errorf("search --server --json: %v %+v", err, res)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{`"unterminated`}, "position"},
		{[]string{"--cursor", "forged", "Krong"}, "--cursor"},
		{[]string{"--server", "ftp://x", "Krong"}, "--server"},
	} {
		err := run(ctx, append([]string{"search", "--server", base}, tt.args...), nil, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("search --server %q: err = %v, want one naming %q", tt.args, err, tt.want)
		}
	}
}

// startServe runs serve on data until the test ends and returns its base
// URL.
func startServe(t *testing.T, data string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--low-accuracy", "--log-level", "warn"}, nil, &out, &errb)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	re := regexp.MustCompile(`web page (http://[^/\s]+)/`)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, errb.String())
		case <-time.After(50 * time.Millisecond):
		}
		// The summary line follows the address: the holder file has the
		// address by then.
		if m := re.FindStringSubmatch(out.String()); m != nil && strings.Contains(out.String(), " reports, ") {
			return m[1]
		}
	}
	t.Fatalf("serve printed no address:\n%s\n%s", out.String(), errb.String())
	return ""
}

// TestHeldAdvice: what a held directory's error tells to do depends on
// the holder: search a server, wait for or stop anything else.
func TestHeldAdvice(t *testing.T) {
	for _, tt := range []struct {
		name   string
		holder *store.Holder
		want   []string
	}{
		{"serve", &store.Holder{PID: 7, Serving: "http://127.0.0.1:8080"}, []string{"baoscope search --server http://127.0.0.1:8080", "kill 7"}},
		{"crawl", &store.Holder{PID: 8}, []string{"wait for it to finish", "kill 8"}},
		{"unknown", nil, []string{"baoscope search --server URL", "wait for it"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := withHeldAdvice(fmt.Errorf("open: %w", &store.HeldError{Path: "d/store.db", Holder: tt.holder}))
			if !errors.Is(err, store.ErrHeld) {
				t.Errorf("err = %v, no longer a held error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
			if tt.name == "crawl" && strings.Contains(err.Error(), "--server") {
				t.Errorf("%q offers a server that a crawl is not", err)
			}
		})
	}
}

// TestRemoteErrors: the API's JSON errors read as the local search's,
// a 429 as a busy server.
func TestRemoteErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		header string
		body   string
		want   string
	}{
		{"busy", 429, "1", `{"error":{"code":"overloaded","message":"too many searches at once (queue_full); retry in 1 s"}}`, "server busy: too many searches at once (queue_full); retry in 1 s"},
		{"bad parameter", 400, "", `{"error":{"code":"bad_parameter","message":"must be after from","param":"to"}}`, "--to: must be after from"},
		{"bad query", 400, "", `{"error":{"code":"bad_query","message":"unterminated phrase","param":"q","position":6}}`, "query: at position 6: unterminated phrase"},
		{"not json", 502, "", `<html>bad gateway</html>`, "server answered 502 Bad Gateway"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			_, err := searchRemote(context.Background(), srv.URL, url.Values{"q": {"x"}})
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
