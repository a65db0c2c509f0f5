package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"baoscope/sample"
)

// TestMirror serves each kind of corpus through run, as a user would from
// a terminal: the first line gives two base URLs that answer, the hint
// shows the crawl flags for them, and cancelling the context (Ctrl-C in
// main) stops it cleanly.
func TestMirror(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		vnSitemap int // status of vietnam.vn's /sitemap.xml
		served    string
	}{
		{"bundled", nil, http.StatusOK, "served: baolamdong.vn 200=2 · vietnam.vn 200=3\n"},
		{"generated", []string{"--reports", "3", "--versions", "2", "--seed", "7"}, http.StatusOK, "served: baolamdong.vn 200=2 · vietnam.vn 200=3\n"},
		{"no translation sitemaps", []string{"--no-translation-sitemaps"}, http.StatusNotFound, "served: baolamdong.vn 200=2 · vietnam.vn 200=2 404=1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out, errb syncBuffer
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, append([]string{"mirror", "--log-level", "warn"}, tt.args...), strings.NewReader(""), &out, &errb)
			}()
			first := waitFirstLine(t, &out, done)
			bao, vn, err := parseMirrorLine(first)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{bao, vn} {
				for _, path := range []string{"/robots.txt", "/"} {
					if code := get(t, u+path); code != http.StatusOK {
						t.Errorf("GET %s%s: %d, want 200", u, path, code)
					}
				}
			}
			if code := get(t, vn+"/sitemap.xml"); code != tt.vnSitemap {
				t.Errorf("GET %s/sitemap.xml: %d, want %d", vn, code, tt.vnSitemap)
			}
			if want := "--baolamdong-url " + bao + " --vietnamvn-url " + vn; !strings.Contains(out.String(), want) {
				t.Errorf("stdout lacks the crawl hint %q:\n%s", want, out.String())
			}

			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("mirror after cancel: %v\n%s", err, errb.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("mirror did not stop after its context was cancelled")
			}
			if _, err := http.Get(bao + "/robots.txt"); err == nil {
				t.Error("the mirror still answers after it stopped")
			}
			if !strings.HasSuffix(out.String(), tt.served) {
				t.Errorf("stdout ends %q, want %q", out.String(), tt.served)
			}
		})
	}
}

// waitFirstLine waits for run's first line of output, failing the test if
// run returns first.
func waitFirstLine(t *testing.T, out *syncBuffer, done <-chan error) string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if line, _, ok := strings.Cut(out.String(), "\n"); ok {
			return line
		}
		select {
		case err := <-done:
			t.Fatalf("mirror returned before printing its URLs: %v", err)
		case <-deadline:
			t.Fatal("no URLs from mirror in 30 s")
		case <-tick.C:
		}
	}
}

func get(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // only the status matters
	return resp.StatusCode
}

func TestMirrorUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the error, or on stderr for errUsage
	}{
		{"versions without reports", []string{"mirror", "--versions", "3"}, "need --reports"},
		{"seed without reports", []string{"mirror", "--seed", "3"}, "need --reports"},
		{"negative reports", []string{"mirror", "--reports", "-1"}, "must not be negative"},
		{"bad versions", []string{"mirror", "--reports", "2", "--versions", "0"}, "corpus"},
		{"argument", []string{"mirror", "now"}, `unexpected argument "now"`},
		{"missing corpus directory", []string{"mirror", "--corpus", "no-such-dir"}, "no such file or directory"},
		{"corpus file", []string{"mirror", "--corpus", "mirror_test.go"}, "is not a directory"},
		{"corpus and reports", []string{"mirror", "--corpus", ".", "--reports", "2"}, "exclude each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errb)
			if err == nil {
				t.Fatalf("no error; stdout %q", out.String())
			}
			if !strings.Contains(err.Error(), tt.want) && !strings.Contains(errb.String(), tt.want) {
				t.Errorf("err %v, stderr %q: want %q", err, errb.String(), tt.want)
			}
		})
	}
}

func TestParseMirrorLine(t *testing.T) {
	tests := []struct {
		line, bao, vn string
		ok            bool
	}{
		{"baolamdong=http://127.0.0.1:1 vietnamvn=http://127.0.0.1:2", "http://127.0.0.1:1", "http://127.0.0.1:2", true},
		{"vietnamvn=http://b baolamdong=http://a extra=1\r", "http://a", "http://b", true},
		{"baolamdong=http://127.0.0.1:1", "", "", false},
		{"sample site on http://127.0.0.1:1", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			bao, vn, err := parseMirrorLine(tt.line)
			if (err == nil) != tt.ok || bao != tt.bao || vn != tt.vn {
				t.Errorf("parseMirrorLine = %q, %q, %v; want %q, %q, ok %v", bao, vn, err, tt.bao, tt.vn, tt.ok)
			}
		})
	}
}

// The child's first line can arrive in pieces; later output is dropped.
func TestFirstLine(t *testing.T) {
	f := newFirstLine()
	for _, p := range []string{"baolamdong=x ", "vietnamvn=y\ncrawl it", " with:\n", "more\n"} {
		if n, err := f.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	select {
	case got := <-f.line:
		if got != "baolamdong=x vietnamvn=y" {
			t.Errorf("first line %q", got)
		}
	default:
		t.Fatal("no first line")
	}
	select {
	case got := <-f.line:
		t.Errorf("a second line %q", got)
	default:
	}
}

// TestMirrorCorpusDir: --corpus serves the reports of a directory laid
// out as the bundled corpus, and only those.
func TestMirrorCorpusDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, corpusSubset(t, []string{"396102"})); err != nil {
		t.Fatal(err)
	}
	bundled, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := bundled.Report("396102")
	left, _ := bundled.Report("386120")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"mirror", "--log-level", "warn", "--corpus", dir}, strings.NewReader(""), &out, &errb)
	}()
	bao, _, err := parseMirrorLine(waitFirstLine(t, &out, done))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		r    *sample.Report
		want int
	}{{kept, http.StatusOK}, {left, http.StatusNotFound}} {
		if code := get(t, bao+tt.r.Path()); code != tt.want {
			t.Errorf("GET %s: %d, want %d", tt.r.Path(), code, tt.want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("mirror after cancel: %v\n%s", err, errb.String())
	}
}
