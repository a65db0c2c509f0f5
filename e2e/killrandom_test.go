package e2e

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"baoscope/model"
	"baoscope/pipeline"
	"baoscope/sample"
	"baoscope/sites"
	"baoscope/store"
)

// TestCrawlKilledAtRandomMoments: kill -9 of crawl five times, each after
// a random number of stored documents (0 to 40, so sometimes before the
// first), then a run to completion. The documents must equal the sample
// corpus exactly: none lost, none duplicated, none corrupted.
func TestCrawlKilledAtRandomMoments(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary six times")
	}
	tmp := t.TempDir()
	bin := buildBaoscope(t, tmp)
	c, err := sample.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := startMirror(t, c, sample.Options{})
	data := filepath.Join(tmp, "data")
	args := []string{"crawl", "--learn=false", "--data", data,
		"--baolamdong-url", m.BaoLamDongURL, "--vietnamvn-url", m.VietnamVNURL,
		"--delay", "5ms", "--parallel", "2", "--low-accuracy", "--log-level", "debug", "--progress", "never"}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	t.Logf("seed %d", seed)
	for run := range 5 {
		killAfter := rng.IntN(41)
		cmd := exec.Command(bin, args...)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stored := 0
		sc := bufio.NewScanner(stderr)
		for killAfter > 0 && sc.Scan() {
			if strings.Contains(sc.Text(), "msg=stored") {
				if stored++; stored == killAfter {
					break
				}
			}
		}
		cmd.Process.Kill() // SIGKILL
		go io.Copy(io.Discard, stderr)
		cmd.Wait()
		t.Logf("run %d killed after %d stored documents", run, stored)
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}

	// Expected: every version of every report, and the unlinked page,
	// with the corpus's titles.
	want := map[string]string{}
	for r := range c.All() {
		for _, v := range r.Versions {
			u := m.VietnamVNURL + sites.TranslationPath(v.Lang, r.Slug)
			if v.Lang == "vi" {
				u = m.BaoLamDongURL + r.Path()
			}
			want[u] = v.Title
		}
	}
	for _, p := range c.Unlinked() {
		want[m.VietnamVNURL+p.Path()] = p.Title
	}
	st, err := store.Open(filepath.Join(data, pipeline.StoreFile), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = st.Each(func(d *model.Document) error {
		if _, dup := got[d.URL]; dup {
			t.Errorf("%s stored twice", d.URL)
		}
		got[d.URL] = d.Title
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	for u, title := range want {
		switch g, ok := got[u]; {
		case !ok:
			t.Errorf("lost: %s", u)
		case g != title:
			t.Errorf("corrupted: %s has title %q, want %q", u, g, title)
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			t.Errorf("stored a page not in the corpus: %s", u)
		}
	}
	if n := searchTotal(t, bin, data); n != len(want) {
		t.Errorf("index holds %d documents, want %d", n, len(want))
	}
}
