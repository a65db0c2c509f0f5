package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"baoscope/extract"
	"baoscope/langid"
)

// reindexChildEnv makes the test binary the reindex that
// TestKilledReindexLeavesNothing kills: the value is the data directory.
const reindexChildEnv = "BAOSCOPE_TEST_REINDEX_CHILD"

func openDir(t *testing.T, dir string, existing bool) *Pipeline {
	t.Helper()
	det, err := langid.New(langid.Options{LowAccuracy: true, Languages: []string{"vi", "en"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Open(context.Background(), Options{DataDir: dir, Extractor: extract.New(extract.Options{}), Detector: det, Existing: existing})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestKilledReindexLeavesNothing kills a real reindex (this test binary
// run again as a child) with SIGKILL once it has written its first batch
// into index.bleve.new-*, as issue 16 found (18 MB and 51 MB folders left
// beside a 49 MB index); the next run removes the folder and reindexes
// every document.
func TestKilledReindexLeavesNothing(t *testing.T) {
	if dir := os.Getenv(reindexChildEnv); dir != "" {
		reindexChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("runs a child process")
	}
	dir := t.TempDir()
	p := openDir(t, dir, false)
	const n = 1200 // more than one index batch: the child is killed between batches
	for i := range n {
		d := original()
		d.URL, d.ReportID, d.ContentHash = fmt.Sprintf("https://baolamdong.vn/r-%d.html", i), fmt.Sprint(i), fmt.Sprint(i)
		if err := p.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledReindexLeavesNothing$")
	cmd.Env = append(os.Environ(), reindexChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "progress ") {
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, out)
	cmd.Wait()
	leftovers, _ := filepath.Glob(filepath.Join(dir, IndexDir+reindexNew+"*"))
	if len(leftovers) != 1 {
		t.Fatalf("after the kill: %q beside the index, want the half-built one", leftovers)
	}

	p = openDir(t, dir, true)
	defer p.Close()
	if _, err := os.Stat(leftovers[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the next open left %s: %v", leftovers[0], err)
	}
	got, err := p.Reindex(context.Background(), nil)
	if err != nil || got != n {
		t.Fatalf("reindex after the kill: %d, %v; want %d documents", got, err, n)
	}
	if c, _ := p.Index().Count(); c != n {
		t.Errorf("index holds %d documents, want %d", c, n)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if slices.ContainsFunc(names, func(s string) bool { return strings.HasPrefix(s, IndexDir+".") }) {
		t.Errorf("data directory after the reindex: %q", names)
	}
}

// reindexChild reindexes dir and, at its first batch, says so and waits
// to be killed: a kill between batches, made certain.
func reindexChild(t *testing.T, dir string) {
	p := openDir(t, dir, true)
	_, err := p.Reindex(context.Background(), func(n int) {
		fmt.Printf("progress %d\n", n)
		time.Sleep(time.Hour)
	})
	t.Fatalf("the child reindex was not killed: %v", err)
}

// TestReindexLeftovers: what each moment of a killed reindex leaves, and
// what the next open makes of it.
func TestReindexLeftovers(t *testing.T) {
	for _, tt := range []struct {
		name       string
		have, want []string
	}{
		{"half-built new indexes", []string{"index.bleve", "index.bleve.new-20260101T000000", "index.bleve.new-20260102T000000"}, []string{"index.bleve"}},
		{"killed after the swap", []string{"index.bleve", "index.bleve.old"}, []string{"index.bleve"}},
		{"killed between the renames", []string{"index.bleve.old", "index.bleve.new-20260101T000000"}, []string{"index.bleve"}},
		{"nothing left", []string{"index.bleve"}, []string{"index.bleve"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range tt.have {
				if err := os.MkdirAll(filepath.Join(dir, n), 0o755); err != nil {
					t.Fatal(err)
				}
				// Each directory says what it was, to tell a restored
				// index from another.
				if err := os.WriteFile(filepath.Join(dir, n, "was"), []byte(n), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := cleanReindexLeftovers(filepath.Join(dir, IndexDir), slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
			entries, _ := os.ReadDir(dir)
			var got []string
			for _, e := range entries {
				got = append(got, e.Name())
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("left %q, want %q", got, tt.want)
			}
			was, _ := os.ReadFile(filepath.Join(dir, IndexDir, "was"))
			if wantWas := IndexDir; !slices.Contains(tt.have, IndexDir) {
				if string(was) != IndexDir+reindexOld {
					t.Errorf("the index is %q, want the previous one put back", was)
				}
			} else if string(was) != wantWas {
				t.Errorf("the index is %q, want the live one", was)
			}
		})
	}
}

// TestCursorKeyKept: the key cursors are signed with is the data
// directory's, the same on every open, another in another directory.
func TestCursorKeyKept(t *testing.T) {
	dir := t.TempDir()
	p := openDir(t, dir, false)
	key := p.cursorKey
	p.Close()
	p = openDir(t, dir, true)
	again := p.cursorKey
	p.Close()
	other := openDir(t, t.TempDir(), false)
	defer other.Close()
	if len(key) == 0 || string(key) != string(again) || string(key) == string(other.cursorKey) {
		t.Errorf("keys %x, reopened %x, another directory %x", key, again, other.cursorKey)
	}
}
