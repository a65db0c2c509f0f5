package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"baoscope/index"
	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/store"
)

// The command is built once per test binary; every test that runs it gets
// a hard link in its own directory.
var (
	binOnce  sync.Once
	binPath  string
	binError error
)

// buildBaoscope returns the baoscope command, built from this tree, at
// dir/baoscope.
func buildBaoscope(t *testing.T, dir string) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build baoscope with")
	}
	binOnce.Do(func() {
		binPath = filepath.Join(tempDir(), "baoscope")
		out, err := exec.Command(gobin, "build", "-o", binPath, "baoscope/cmd/baoscope").CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	bin := filepath.Join(dir, "baoscope")
	if err := os.Link(binPath, bin); err != nil {
		return binPath // another file system: the shared copy will do
	}
	return bin
}

// storedURLs lists the URLs of the documents in a data directory's store,
// opened read-write after its process is gone.
func storedURLs(t *testing.T, data string) []string {
	t.Helper()
	st, err := store.Open(filepath.Join(data, pipeline.StoreFile), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []string
	err = st.Each(func(d *model.Document) error {
		out = append(out, d.URL)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestKillResume crawls the whole sample corpus with the real binary,
// kills it with SIGKILL once it has stored some documents, and runs the
// same command again. The second run must finish the crawl without
// fetching any article the first one stored, and leave the store and the
// index with every page of the corpus exactly once.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary twice")
	}
	tmp := t.TempDir()
	t0 := time.Now()
	bin := buildBaoscope(t, tmp)
	t.Logf("build: %s", time.Since(t0))
	t0 = time.Now()
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := startMirror(t, c, sample.Options{})
	data := filepath.Join(tmp, "data")
	args := []string{"crawl", "--learn=false", "--data", data,
		"--baolamdong-url", m.BaoLamDongURL, "--vietnamvn-url", m.VietnamVNURL,
		"--delay", "20ms", "--parallel", "2", "--timeout", "10s",
		// The corpus's languages only, to keep the run short; and no
		// revalidation, so that "not fetched again" is exact.
		"--vietnamvn-langs", "en,ko,zh,th,ru,de,fr,ja,es,ar", "--revalidate-days", "0",
		"--log-level", "debug", "--progress", "never"}
	fc := &faultCrawl{corpus: c, srv: m}
	want := fc.corpusURLs()
	slices.Sort(want)
	const killAfter = 12

	// Run 1, killed after killAfter documents are committed.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stored := 0
	sc := bufio.NewScanner(stderr)
	var tail []string
	for sc.Scan() {
		line := sc.Text()
		tail = append(tail, line)
		if strings.Contains(line, "msg=stored") {
			stored++
		}
		if stored == killAfter {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
				t.Fatal(err)
			}
			break
		}
	}
	go io.Copy(io.Discard, stderr) //nolint:errcheck // drain until the pipe closes
	err = cmd.Wait()
	if stored < killAfter {
		t.Fatalf("first run ended (%v) after %d stored documents, before it could be killed; last lines:\n%s",
			err, stored, strings.Join(tail[max(0, len(tail)-20):], "\n"))
	}
	first := storedURLs(t, data)
	if len(first) < killAfter || len(first) >= len(want) {
		t.Fatalf("killed run left %d documents; want at least %d and fewer than %d", len(first), killAfter, len(want))
	}
	t.Logf("killed after %d documents stored (%d of %d in the store), %s", stored, len(first), len(want), time.Since(t0))
	t0 = time.Now()
	m.requests()

	// Run 2, to completion.
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("second run: %v\n%s", err, out)
	}
	t.Logf("second run: %s\n%s", time.Since(t0), out)
	for _, u := range articleRequests(m, m.requests()) {
		if _, found := slices.BinarySearch(first, u); found {
			t.Errorf("second run fetched %s, stored by the first", u)
		}
	}

	// Every page of the corpus exactly once, in the store and the index.
	got := storedURLs(t, data)
	if !slices.Equal(got, want) {
		t.Errorf("store holds %d documents, want the %d pages of the corpus\n got %v\nwant %v", len(got), len(want), got, want)
	}
	ix, err := index.Open(filepath.Join(data, pipeline.IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.Count()
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != len(want) {
		t.Errorf("index holds %d documents, want %d", n, len(want))
	}
	for _, u := range want {
		if ok, err := ix.Has(u); err != nil || !ok {
			t.Errorf("not indexed: %s (%v)", u, err)
		}
	}
	if _, err := os.Stat(filepath.Join(data, pipeline.StoreFile)); err != nil {
		t.Error(err)
	}
}
