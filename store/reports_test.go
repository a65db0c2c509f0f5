package store

import (
	"encoding/json"
	"slices"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"baoscope/model"
)

const (
	origURL = "https://baolamdong.vn/a-1.html"
	enURL   = "https://www.vietnam.vn/en/a"
	koURL   = "https://www.vietnam.vn/ko/a"
)

// version is a document of report 1: the original states the section,
// a translation's page does not.
func version(u string) *model.Document {
	d := testDoc(u)
	d.ReportID = "1"
	if u == origURL {
		d.IsOriginal, d.Section = true, "kinh-te"
	}
	return d
}

// reportMetaOf reads report id's metadata as s sees it.
func reportMetaOf(s *Store, id string) reportMeta {
	var meta reportMeta
	s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketReports); b != nil {
			if v := b.Get([]byte(id)); v != nil {
				return json.Unmarshal(v, &meta)
			}
		}
		return nil
	})
	return meta
}

// sectionOf is the section of the document stored under u ("?" when
// none is).
func sectionOf(s *Store, u string) string {
	d, err := s.Get(u)
	if err != nil {
		return "?"
	}
	return d.Section
}

// TestPutLinksInOneTransaction stores the versions of a report in both
// orders, one Put each: every Put is one commit, and once it returns the
// file holds the document, its link and, from the original, the report's
// metadata and the section every version carries, crash or not.
func TestPutLinksInOneTransaction(t *testing.T) {
	tests := []struct {
		name  string
		order []string
		// updated is what the original's Put gives its section to.
		updated []string
	}{
		{"original first", []string{origURL, enURL, koURL}, nil},
		{"translations first", []string{enURL, koURL, origURL}, []string{enURL, koURL}},
		{"original between", []string{enURL, origURL, koURL}, []string{enURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, path := openQuiet(t)
			for i, u := range tt.order {
				before := s.Commits()
				d := version(u)
				st, err := s.Put(d)
				if err != nil || !st.Changed || st.Existed {
					t.Fatalf("Put %s: %+v %v", u, st, err)
				}
				if n := s.Commits() - before; n != 1 {
					t.Errorf("Put %s: %d commits, want 1", u, n)
				}
				var updated []string
				for _, v := range st.Updated {
					updated = append(updated, v.URL)
					if v.Section != "kinh-te" {
						t.Errorf("updated %s has section %q", v.URL, v.Section)
					}
				}
				slices.Sort(updated)
				if u == origURL && !slices.Equal(updated, tt.updated) {
					t.Errorf("the original updated %v, want %v", updated, tt.updated)
				}
				if u != origURL && len(updated) > 0 {
					t.Errorf("a translation updated %v", updated)
				}
				origSeen := slices.Index(tt.order, origURL) <= i
				if want := map[bool]string{true: "kinh-te", false: ""}[origSeen]; d.Section != want {
					t.Errorf("Put %s left its section %q, want %q", u, d.Section, want)
				}
				// What a kill -9 right after Put returns leaves.
				crashed := crashCopy(t, path)
				urls, err := crashed.ReportURLs("1")
				if err != nil {
					t.Fatal(err)
				}
				if want := slices.Sorted(slices.Values(tt.order[:i+1])); !slices.Equal(urls, want) {
					t.Errorf("after a crash the report links %v, want %v", urls, want)
				}
				for _, v := range tt.order[:i+1] {
					want := ""
					if origSeen {
						want = "kinh-te"
					}
					if got := sectionOf(crashed, v); got != want {
						t.Errorf("after a crash %s is stored with section %q, want %q", v, got, want)
					}
				}
				if meta := reportMetaOf(crashed, "1"); origSeen && (meta.Section != "kinh-te" || meta.OriginalURL != origURL) {
					t.Errorf("after a crash the report's metadata is %+v", meta)
				}
			}
			reopened := closeAndReopen(t, s, path)
			if urls, _ := reopened.ReportURLs("1"); len(urls) != 3 {
				t.Errorf("after Close the report links %v", urls)
			}
		})
	}
}

// TestPutLinkAfterDurableWrite is the old deferred-link case of
// TestDurableWriteCarriesEarlierDeferredWrites, kept with links written
// by Put itself: the link and metadata of a document stored before are
// in the file, and a version stored after it is too, as soon as its own
// Put returns (a link is no longer left for a later commit).
func TestPutLinkAfterDurableWrite(t *testing.T) {
	s, path := openQuiet(t)
	if _, err := s.Put(version(origURL)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(version(enURL)); err != nil {
		t.Fatal(err)
	}
	check := func(s *Store) (before, after bool) {
		urls, _ := s.ReportURLs("1")
		return reportMetaOf(s, "1").Section == "kinh-te" && slices.Contains(urls, origURL),
			slices.Contains(urls, enURL)
	}
	if b, a := check(s); !b || !a {
		t.Errorf("the store itself sees before %v, after %v; want both", b, a)
	}
	crashed := crashCopy(t, path)
	if !crashed.Has(origURL) || !crashed.Has(enURL) {
		t.Error("document lost in the crash")
	}
	if b, a := check(crashed); !b || !a {
		t.Errorf("after a crash: before %v, after %v; want both (each link commits with its document)", b, a)
	}
	reopened := closeAndReopen(t, s, path)
	if b, a := check(reopened); !b || !a {
		t.Errorf("after Close: before %v, after %v; want both", b, a)
	}
}

// TestPutOriginalAndTranslationTogether queues an original and a
// translation behind a commit in flight, so that one transaction takes
// both, in either order: the translation must end up stored with the
// section, whichever of the two the transaction ran first, which is what
// the pipeline's lock around separate link and store calls used to
// ensure.
func TestPutOriginalAndTranslationTogether(t *testing.T) {
	for _, first := range []string{origURL, enURL} {
		t.Run("first queued "+first, func(t *testing.T) {
			s, path := openQuiet(t)
			var wg sync.WaitGroup
			release, queued := holdCommit(t, s, &wg)
			before := s.Commits()
			var (
				tr      = version(enURL)
				trSt    Stored
				origSt  Stored
				trErr   error
				origErr error
			)
			put := func(u string) {
				if u == origURL {
					origSt, origErr = s.Put(version(origURL))
				} else {
					trSt, trErr = s.Put(tr)
				}
			}
			second := enURL
			if first == enURL {
				second = origURL
			}
			wg.Go(func() { put(first) })
			queued(1)
			wg.Go(func() { put(second) })
			queued(2)
			close(release)
			wg.Wait()
			if trErr != nil || origErr != nil {
				t.Fatal(trErr, origErr)
			}
			if !trSt.Changed || !origSt.Changed {
				t.Errorf("changed: translation %v, original %v", trSt.Changed, origSt.Changed)
			}
			if n := s.Commits() - before; n != 2 {
				t.Errorf("%d commits, want 2: the one held open, then both Puts in one", n)
			}
			// The translation got the section either way: from the
			// report's metadata, or from the original's update.
			gotIt := tr.Section == "kinh-te" || (len(origSt.Updated) == 1 && origSt.Updated[0].Section == "kinh-te")
			if !gotIt {
				t.Errorf("translation indexed without the section: own %q, updated %d", tr.Section, len(origSt.Updated))
			}
			if got := sectionOf(crashCopy(t, path), enURL); got != "kinh-te" {
				t.Errorf("translation stored with section %q, want kinh-te", got)
			}
		})
	}
}

// TestPutSectionIsIdentity: a stored version whose section changes is
// rewritten (the index shows sections), and one whose section is already
// its report's is not.
func TestPutSectionIsIdentity(t *testing.T) {
	s, _ := openQuiet(t)
	if _, err := s.Put(version(enURL)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(version(origURL)); err != nil {
		t.Fatal(err)
	}
	// The translation fetched again: its page states no section, the
	// report's is taken, and nothing changed.
	before := s.Commits()
	d := version(enURL)
	if st, err := s.Put(d); err != nil || st.Changed || !st.Existed || d.Section != "kinh-te" {
		t.Errorf("translation again: %+v %v, section %q", st, err, d.Section)
	}
	if n := s.Commits() - before; n != 0 {
		t.Errorf("%d commits for an unchanged translation", n)
	}
	// The original moved to another section: both versions follow.
	o := version(origURL)
	o.Section = "xa-hoi"
	st, err := s.Put(o)
	if err != nil || !st.Changed || len(st.Updated) != 1 {
		t.Fatalf("original moved: %+v %v", st, err)
	}
	if got := sectionOf(s, enURL); got != "xa-hoi" {
		t.Errorf("translation's section %q after the original moved, want xa-hoi", got)
	}
}
