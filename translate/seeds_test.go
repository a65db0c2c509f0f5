package translate

import (
	"context"
	"sync"
	"testing"

	"baoscope/align"
	"baoscope/index"
	"baoscope/sample"
)

// bundled learns once from the bundled corpus for the tests that need
// real text.
var bundled = sync.OnceValues(func() (*Tables, error) {
	c, err := sample.Load()
	if err != nil {
		return nil, err
	}
	an, err := index.NewAnalyzer()
	if err != nil {
		return nil, err
	}
	reports := func(yield func(Report) bool) {
		for r := range c.All() {
			if !yield(reportOf(r)) {
				return
			}
		}
	}
	tabs, _, err := Learn(context.Background(), reports, an.Terms, Options{})
	return tabs, err
})

func reportOf(r *sample.Report) Report {
	out := Report{ID: r.ID}
	for _, v := range r.Versions {
		var body []string
		for _, p := range v.Body {
			body = append(body, p.Text)
		}
		out.Versions = append(out.Versions, Version{Lang: v.Lang, Title: v.Title, Segments: align.Segments(v.Lead, body)})
	}
	return out
}

// TestSeedsAligned checks the alignment learning keeps for the real
// vietnam.vn pages of report 396102. Both lose the original's lead,
// split its first and its second-to-last paragraph in two, and the
// Korean page also splits the second; the caption (12) is kept.
func TestSeedsAligned(t *testing.T) {
	tabs, err := bundled()
	if err != nil {
		t.Fatal(err)
	}
	c, _ := sample.Load()
	rep, _ := c.Report("396102")
	r := reportOf(rep)
	vi := r.Versions[0].Segments
	for _, tt := range []struct{ lang, want string }{
		{"ko", "0- 1-0,1 2-2,3 3-4 4-5 5-6 6-7 7-8 8-9 9-10 10-11 11-12 12-13 13-14,15 14-16"},
		{"ar", "0- 1-0,1 2-2,3 3-4 4-5 5-6 6-7 7-8 8-9 9-10 10-11 11-12 12-13 13-14,15 14-16"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			v, _ := rep.Version(tt.lang)
			bs, ok := tabs.Aligned("396102", tt.lang, len(vi), len(v.Body))
			if !ok {
				t.Fatal("no alignment learned")
			}
			if got := align.Format(bs); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
