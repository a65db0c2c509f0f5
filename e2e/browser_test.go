package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath finds Debian's chromium (installed by .ci/run);
// BAOSCOPE_CHROMIUM points elsewhere.
func chromiumPath() string {
	if p := os.Getenv("BAOSCOPE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactDir is where screenshots go: e2e/artifacts (ignored by git)
// unless BAOSCOPE_ARTIFACTS says otherwise.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("BAOSCOPE_ARTIFACTS")
	if dir == "" {
		dir = "artifacts"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// newBrowser starts headless chromium with a fresh profile. It skips the
// test when chromium is absent, except in CI, where that is a failure.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; .ci/run should have installed it (apt-get install -y chromium)")
		}
		t.Skip("chromium not found: install Debian's chromium (apt-get install -y chromium) or set BAOSCOPE_CHROMIUM to run the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelCtx := chromedp.NewContext(allocCtx)
	// The first action starts the browser, which lives as long as the
	// context of that action: no timeout on it, one on what follows.
	if err := chromedp.Do(browserCtx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium %s: %v", path, err)
	}
	ctx, cancelTimeout := context.WithTimeout(browserCtx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc() // waits for the browser to exit, before TempDir goes
	})
	return ctx
}

// pageProblems collects what the browser reports as wrong with a page:
// Content-Security-Policy violations (a style or script the policy
// blocks means a broken page) and uncaught exceptions.
type pageProblems struct {
	mu   sync.Mutex
	msgs []string
}

func (p *pageProblems) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *cdplog.EventEntryAdded:
			if strings.Contains(e.Entry.Text, "Content Security Policy") {
				msg = e.Entry.Text
			}
		case *runtime.EventExceptionThrown:
			msg = e.ExceptionDetails.Text
		}
		if msg != "" {
			p.mu.Lock()
			p.msgs = append(p.msgs, msg)
			p.mu.Unlock()
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	}
	if err != nil {
		t.Fatalf("listen to the browser's log: %v", err)
	}
}

func (p *pageProblems) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.msgs)
}

// TestBrowserSearchAndSideBySide drives the demo's pages in headless
// Chromium as a researcher would: type "Krong No", read the grouped
// result and its versions, open the side-by-side view, switch to Arabic,
// and look at it all on a phone-width screen. Screenshots are saved.
func TestBrowserSearchAndSideBySide(t *testing.T) {
	w := setup(t)
	ctx := newBrowser(t)
	base := w.api.URL
	shots := artifactDir(t)
	var problems pageProblems
	problems.listen(t, ctx)

	// Search from the landing page, with the keyboard.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS("#q")),
	); err != nil {
		t.Fatal(err)
	}
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#q"), "Krong No"),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("span.qlang")), // the results: the home page lists reports too
	); err != nil {
		t.Fatal(err)
	}
	if focused != "q" {
		t.Errorf("focus on load is %q, want the search box", focused)
	}

	type hit struct {
		Found    bool     `json:"found"`
		Matched  []string `json:"matched"`
		Versions []string `json:"versions"`
		Compare  []string `json:"compare"`
		Snippets int      `json:"snippets"`
		Marks    int      `json:"marks"`
		Results  int      `json:"results"`
	}
	h, err := chromedp.Run(ctx, chromedp.Evaluate[hit](`(() => {
		const a = document.querySelector('a[href="/reports/396102"]');
		if (!a) return {found: false};
		const li = a.closest('li.hit');
		const all = (sel, f) => [...li.querySelectorAll(sel)].map(f);
		return {
			found: true,
			matched: all('ul.matched .badge abbr', e => e.textContent),
			versions: all('.versions a.version', e => e.getAttribute('hreflang')),
			compare: all('a.compare', e => e.getAttribute('href')),
			snippets: li.querySelectorAll('p.snippet').length,
			marks: li.querySelectorAll('p.snippet mark').length,
			results: document.querySelectorAll('li.hit').length,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !h.Found {
		t.Fatal(`no result for report 396102 after searching "Krong No"`)
	}
	rep, _ := w.corpus.Report("396102")
	slices.Sort(h.Versions)
	if want := rep.Langs(); !slices.Equal(h.Versions, want) {
		t.Errorf("versions shown %v, want %v", h.Versions, want)
	}
	for _, l := range []string{"vi", "ko"} {
		if !slices.Contains(h.Matched, l) {
			t.Errorf("matched versions %v lack %s", h.Matched, l)
		}
	}
	if h.Snippets == 0 || h.Marks == 0 {
		t.Errorf("%d snippets with %d highlights", h.Snippets, h.Marks)
	}
	screenshot(t, ctx, filepath.Join(shots, "search-krong-no.png"))

	// Open the side-by-side view with the Korean version, then switch to
	// Arabic from the language switcher.
	type sideBySide struct {
		Rows      int    `json:"rows"`
		Left      string `json:"left"`
		Right     string `json:"right"`
		RightDir  string `json:"rightDir"`
		Direction string `json:"direction"`
		Columns   int    `json:"columns"`
		Back      string `json:"back"`
	}
	const inspect = `(() => {
		const rows = [...document.querySelectorAll('.parallel .pair:not(.head)')];
		const r = rows[1] || rows[0];
		const cells = r ? r.querySelectorAll('.cell') : [];
		return {
			rows: rows.length,
			left: cells[0] ? cells[0].lang : '',
			right: cells[1] ? cells[1].lang : '',
			rightDir: cells[1] ? cells[1].dir : '',
			direction: cells[1] ? getComputedStyle(cells[1]).direction : '',
			columns: r ? getComputedStyle(r).gridTemplateColumns.split(' ').length : 0,
			back: document.querySelector('.report .meta a').getAttribute('href'),
		};
	})()`
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.compare[href="/reports/396102?lang=ko"]`)),
		chromedp.WaitVisible(chromedp.CSS(".parallel")),
	); err != nil {
		t.Fatal(err)
	}
	ko, err := chromedp.Run(ctx, chromedp.Evaluate[sideBySide](inspect))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.switcher a[hreflang="ar"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.cell[lang="ar"]`)),
	); err != nil {
		t.Fatal(err)
	}
	ar, err := chromedp.Run(ctx, chromedp.Evaluate[sideBySide](inspect))
	if err != nil {
		t.Fatal(err)
	}
	if ko.Rows < 2 || ko.Left != "vi" || ko.Right != "ko" || ko.Columns != 2 {
		t.Errorf("Korean side by side: %+v, want vi beside ko in two columns", ko)
	}
	if ko.Back != "/?q=Krong+No&sort=relevance" {
		t.Errorf("the report page leads back to %q, want the search it came from", ko.Back)
	}
	if ar.Right != "ar" || ar.RightDir != "rtl" || ar.Direction != "rtl" {
		t.Errorf("Arabic side by side: %+v, want right-to-left Arabic", ar)
	}
	screenshot(t, ctx, filepath.Join(shots, "side-by-side-ar.png"))

	// Keyboard: the first Tab reaches the skip link.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	skip, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	if err != nil {
		t.Fatal(err)
	}
	if skip != "skip" {
		t.Errorf("first Tab focuses %q, want the skip link", skip)
	}

	// A phone-width screen: nothing wider than the screen, and the pairs
	// stack (one column).
	fits := chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(base+"/?q=Krong+No"),
		chromedp.WaitVisible(chromedp.CSS("li.hit")),
	); err != nil {
		t.Fatal(err)
	}
	searchFits, err := chromedp.Run(ctx, fits)
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, filepath.Join(shots, "phone-search-krong-no.png"))
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/reports/396102?lang=ar"),
		chromedp.WaitVisible(chromedp.CSS(".parallel")),
	); err != nil {
		t.Fatal(err)
	}
	reportFits, err := chromedp.Run(ctx, fits)
	if err != nil {
		t.Fatal(err)
	}
	columns, err := chromedp.Run(ctx, chromedp.Evaluate[int](`getComputedStyle(document.querySelector('.parallel .pair:not(.head)')).gridTemplateColumns.split(' ').length`))
	if err != nil {
		t.Fatal(err)
	}
	if !searchFits || !reportFits || columns != 1 {
		t.Errorf("at 375 px: search fits %v, report fits %v, %d columns (want both fit, 1 column)", searchFits, reportFits, columns)
	}
	screenshot(t, ctx, filepath.Join(shots, "phone-side-by-side-ar.png"))

	if p := problems.list(); len(p) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
