package store

import (
	"errors"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"baoscope/model"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.db")
	s, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestPutReportsChanges(t *testing.T) {
	s, _ := openTemp(t)
	pub := time.Date(2025, 10, 15, 8, 0, 0, 0, time.UTC)
	doc := &model.Document{URL: "https://baolamdong.vn/a-1.html", Title: "A", Lang: "vi", ContentHash: "h1", Published: pub}
	tests := []struct {
		name    string
		edit    func(d *model.Document)
		changed bool
	}{
		{"new", func(*model.Document) {}, true},
		{"same", func(*model.Document) {}, false},
		{"only fetched again", func(d *model.Document) { d.FetchedAt = pub.Add(time.Hour) }, false},
		{"new content", func(d *model.Document) { d.ContentHash = "h2" }, true},
		{"relinked", func(d *model.Document) { d.ReportID = "1" }, true},
		{"redetected", func(d *model.Document) { d.Lang = "en" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.edit(doc)
			st, err := s.Put(doc)
			if err != nil || st.Changed != tt.changed {
				t.Errorf("Put: changed %v err %v, want %v", st.Changed, err, tt.changed)
			}
		})
	}
	if _, err := s.Put(&model.Document{}); err == nil {
		t.Error("document without URL accepted")
	}
	got, err := s.Get(doc.URL)
	if err != nil || got.Lang != "en" || got.ReportID != "1" {
		t.Errorf("Get: %+v %v", got, err)
	}
	if p, ok := s.Published(doc.URL); !ok || !p.Equal(pub) {
		t.Errorf("Published = %v %v", p, ok)
	}
	if _, ok := s.Published("https://baolamdong.vn/none-2.html"); ok {
		t.Error("Published of an absent URL")
	}
	if _, err := s.Get("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get absent: %v", err)
	}
	if err := s.Delete(doc.URL); err != nil || s.Has(doc.URL) {
		t.Errorf("Delete: %v, still there %v", err, s.Has(doc.URL))
	}
}

func TestEachPagesThroughEverything(t *testing.T) {
	s, _ := openTemp(t)
	const n = 700 // more than one page of Each (500)
	for i := range n {
		if _, err := s.Put(&model.Document{URL: "u" + string(rune('a'+i%26)) + time.Duration(i).String(), ContentHash: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	if err := s.Each(func(d *model.Document) error { seen[d.URL] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Count(); len(seen) != n || c != n {
		t.Errorf("Each saw %d, Count %d, want %d", len(seen), c, n)
	}
}

func TestURLStateSurvivesReopen(t *testing.T) {
	s, path := openTemp(t)
	st := &model.URLState{
		URL: "https://www.vietnam.vn/en/x", Kind: "translation", Status: 404, Outcome: model.OutcomeNotFound,
		FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), NotFoundSince: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	if _, err := s.URLState(st.URL); !errors.Is(err, ErrNotFound) {
		t.Errorf("state of an unknown URL: %v", err)
	}
	if err := s.PutURLState(st); err != nil {
		t.Fatal(err)
	}
	if err := s.PutURLState(&model.URLState{}); err == nil {
		t.Error("state without URL accepted")
	}
	s.Close()
	s2, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.URLState(st.URL)
	if err != nil || *got != *st {
		t.Errorf("after reopen: %+v %v", got, err)
	}
	if n, _ := s2.CountURLStates(); n != 1 {
		t.Errorf("%d states", n)
	}
}

func TestSecondOpenerFailsInsteadOfHanging(t *testing.T) {
	_, path := openTemp(t)
	if _, err := Open(path, 50*time.Millisecond); err == nil {
		t.Error("a second Open of a locked store succeeded")
	}
}

func TestCollyStorage(t *testing.T) {
	s, path := openTemp(t)
	c := s.CollyStorage()
	if err := c.Init(); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.IsVisited(42); ok || err != nil {
		t.Errorf("IsVisited before Visited: %v %v", ok, err)
	}
	if err := c.Visited(42); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://baolamdong.vn/a-1.html")
	c.SetCookies(u, "session=s1")
	s.Close()
	s2, err := Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	c2 := s2.CollyStorage()
	if ok, _ := c2.IsVisited(42); !ok {
		t.Error("visited hash lost on reopen")
	}
	other, _ := url.Parse("https://BAOLAMDONG.VN/other")
	if got := c2.Cookies(other); got != "session=s1" {
		t.Errorf("cookies %q", got)
	}
	vn, _ := url.Parse("https://www.vietnam.vn/")
	if got := c2.Cookies(vn); got != "" {
		t.Errorf("cookies of another host: %q", got)
	}
}

func TestMeta(t *testing.T) {
	s, _ := openTemp(t)
	var v map[string]int
	if err := s.GetMeta("x", &v); !errors.Is(err, ErrNotFound) {
		t.Errorf("absent meta: %v", err)
	}
	if err := s.PutMeta("x", map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.GetMeta("x", &v); err != nil || v["a"] != 1 {
		t.Errorf("meta %v %v", v, err)
	}
}
