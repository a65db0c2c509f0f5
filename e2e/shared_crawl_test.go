package e2e

import (
	"bufio"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"baoscope/internal/testredis"
	"baoscope/sample"
	"baoscope/sites"
)

// corpusPageURLs lists the article URLs a complete crawl of c on m stores.
func corpusPageURLs(m *mirror, c *sample.Corpus) []string {
	var out []string
	for r := range c.All() {
		for _, v := range r.Versions {
			if v.Lang == "vi" {
				out = append(out, m.BaoLamDongURL+r.Path())
			} else {
				out = append(out, m.VietnamVNURL+sites.TranslationPath(v.Lang, r.Slug))
			}
		}
	}
	for _, p := range c.Unlinked() {
		out = append(out, m.VietnamVNURL+p.Path())
	}
	slices.Sort(out)
	return out
}

// sharedCrawler starts one `baoscope crawl --redis` process.
func sharedCrawler(t *testing.T, bin, redisAddr, prefix, data string, m *mirror, extra ...string) (*exec.Cmd, io.Reader) {
	t.Helper()
	args := append([]string{"crawl", "--learn=false", "--data", data, "--redis", redisAddr, "--redis-prefix", prefix,
		"--delay", "10ms", "--parallel", "2", "--progress", "never", "--low-accuracy",
		"--baolamdong-url", m.BaoLamDongURL, "--vietnamvn-url", m.VietnamVNURL}, extra...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stderr
}

// sharedSetup starts what a shared crawl test needs: a redis-server, the
// binary, a generated corpus on a logging mirror, and three data
// directories.
func sharedSetup(t *testing.T) (redisAddr, bin string, c *sample.Corpus, m *mirror, dirs []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs three crawl processes")
	}
	redisAddr = testredis.Start(t)
	bin = buildBaoscope(t, t.TempDir())
	c, err := sample.Generate(sample.GenerateOptions{Reports: 30, Langs: 4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	m = startMirror(t, c, sample.Options{})
	return redisAddr, bin, c, m, []string{t.TempDir(), t.TempDir(), t.TempDir()}
}

// TestSharedCrawlFetchesEachPageOnce: three processes share one crawl
// through a real redis-server; together they fetch every page of the
// generated corpus exactly once and store each document once.
func TestSharedCrawlFetchesEachPageOnce(t *testing.T) {
	addr, bin, c, m, dirs := sharedSetup(t)
	var wg sync.WaitGroup
	for _, d := range dirs {
		cmd, stderr := sharedCrawler(t, bin, addr, "once", d, m)
		wg.Add(1)
		go func() {
			defer wg.Done()
			logs, _ := io.ReadAll(stderr)
			if err := cmd.Wait(); err != nil {
				t.Errorf("crawl process: %v\n%s", err, logs)
			}
		}()
	}
	wg.Wait()

	counts := map[string]int{}
	for _, u := range m.requests() {
		if strings.HasSuffix(u, "/robots.txt") {
			continue // each process's Colly reads robots.txt for itself
		}
		counts[u]++
	}
	for u, n := range counts {
		if n != 1 {
			t.Errorf("%s fetched %d times", u, n)
		}
	}
	var union []string
	worked := 0
	for i, d := range dirs {
		urls := storedURLs(t, d)
		t.Logf("process %d stored %d documents", i, len(urls))
		if len(urls) > 0 {
			worked++
		}
		union = append(union, urls...)
	}
	slices.Sort(union)
	want := corpusPageURLs(m, c)
	if !slices.Equal(union, want) {
		t.Errorf("the processes stored %d documents (%d distinct), want the corpus's %d exactly",
			len(union), len(slices.Compact(slices.Clone(union))), len(want))
	}
	if worked < 2 {
		t.Errorf("only %d of 3 processes stored anything: the crawl was not shared", worked)
	}
}

// TestSharedCrawlSurvivesKill: one of three processes is killed mid-crawl;
// the URLs it had taken return to the queue when their leases expire, and
// the others finish the crawl: nothing is lost.
func TestSharedCrawlSurvivesKill(t *testing.T) {
	addr, bin, c, m, dirs := sharedSetup(t)
	var wg sync.WaitGroup
	var victim *exec.Cmd
	stored := make(chan struct{}, 1)
	for i, d := range dirs {
		cmd, stderr := sharedCrawler(t, bin, addr, "kill", d, m, "--redis-lease", "2s", "--log-level", "debug")
		wg.Add(1)
		if i == 0 {
			victim = cmd
			go func() {
				defer wg.Done()
				n := 0
				sc := bufio.NewScanner(stderr)
				for sc.Scan() {
					if strings.Contains(sc.Text(), "msg=stored") {
						if n++; n == 5 {
							stored <- struct{}{}
						}
					}
				}
				cmd.Wait()
			}()
			continue
		}
		go func() {
			defer wg.Done()
			logs, _ := io.ReadAll(stderr)
			if err := cmd.Wait(); err != nil {
				t.Errorf("surviving crawl process: %v\n%s", err, logs)
			}
		}()
	}
	select {
	case <-stored:
		victim.Process.Signal(syscall.SIGKILL)
	case <-time.After(2 * time.Minute):
		t.Fatal("the first process stored nothing")
	}
	wg.Wait()

	var union []string
	for _, d := range dirs {
		union = append(union, storedURLs(t, d)...)
	}
	slices.Sort(union)
	union = slices.Compact(union)
	if want := corpusPageURLs(m, c); !slices.Equal(union, want) {
		missing := 0
		for _, u := range want {
			if _, ok := slices.BinarySearch(union, u); !ok {
				missing++
			}
		}
		t.Errorf("after killing one process: %d documents stored, want %d (%d missing)", len(union), len(want), missing)
	}
}
