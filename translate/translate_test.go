package translate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"baoscope/internal/ctxtest"
)

// words is the analyzer of these tests: lowercase words split on spaces.
func words(_, text string) []string { return strings.Fields(strings.ToLower(text)) }

// parallel is a small hand-made parallel corpus: Vietnamese syllables
// against English words. Each report is an original and a translation;
// some translations carry the lead as their first paragraph.
func parallel() []Report {
	n := 0
	r := func(vi, en []string) Report {
		n++
		return Report{ID: fmt.Sprint(n), Versions: []Version{{Lang: "vi", Title: vi[0], Segments: vi[1:]}, {Lang: "en", Title: en[0], Segments: en[1:]}}}
	}
	return []Report{
		r([]string{"giá cà phê tăng", "nông dân vui", "giá cà phê tăng cao"}, []string{"coffee price rises", "farmers happy", "coffee price rises high"}),
		r([]string{"sạt lở đèo", "mưa lớn", "sạt lở trên đèo"}, []string{"landslide pass", "heavy rain", "landslide on pass"}),
		r([]string{"giá sầu riêng giảm", "sầu riêng nhiều", "nông dân lo"}, []string{"durian price falls", "much durian", "farmers worry"}),
		r([]string{"mưa lớn gây sạt lở", "mưa lớn kéo dài"}, []string{"heavy rain causes landslide", "heavy rain lasts"}),
		r([]string{"cà phê và sầu riêng", "nông dân trồng cà phê", "nông dân trồng sầu riêng"}, []string{"coffee and durian", "farmers grow coffee", "farmers grow durian"}),
		r([]string{"trường học mới", "học sinh vui", "trường học khai giảng"}, []string{"new school", "pupils happy", "school opens"}),
		r([]string{"học sinh đến trường", "mưa lớn"}, []string{"pupils go to school", "heavy rain"}),
	}
}

func seq(rs []Report) func(func(Report) bool) {
	return func(yield func(Report) bool) {
		for _, r := range rs {
			if !yield(r) {
				return
			}
		}
	}
}

func TestLearnFindsTheTruePairs(t *testing.T) {
	tabs, st, err := Learn(context.Background(), seq(parallel()), words, Options{Iterations: 10})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != 7 || st.Pairs["en"] == 0 {
		t.Errorf("stats %+v", st)
	}
	tests := []struct {
		term, from, to string
		want           []string // the top translation must be one of these
	}{
		{"coffee", "en", "vi", []string{"cà", "phê"}},
		{"durian", "en", "vi", []string{"sầu", "riêng"}},
		{"landslide", "en", "vi", []string{"sạt", "lở"}},
		{"school", "en", "vi", []string{"trường", "học"}},
		{"rain", "en", "vi", []string{"mưa"}},
		{"mưa", "vi", "en", []string{"rain", "heavy"}},
		{"phê", "vi", "en", []string{"coffee"}},
		{"đèo", "vi", "en", []string{"pass"}},
	}
	for _, tt := range tests {
		got := tabs.Translate(tt.term, tt.from, tt.to, 3, 0.01)
		if len(got) == 0 || !slices.Contains(tt.want, got[0].Term) {
			t.Errorf("%s %s→%s: %v, want first one of %v", tt.term, tt.from, tt.to, got, tt.want)
		}
	}
}

func TestPivotThroughSource(t *testing.T) {
	rs := parallel()
	// Add German versions of the coffee and durian reports only: German
	// and English share no report without Vietnamese between them.
	rs[0].Versions = append(rs[0].Versions, Version{Lang: "de", Title: "kaffeepreis steigt", Segments: []string{"bauern froh", "kaffeepreis steigt stark"}})
	rs[4].Versions = append(rs[4].Versions, Version{Lang: "de", Title: "kaffee und durian", Segments: []string{"bauern pflanzen kaffee", "bauern pflanzen durian"}})
	rs[2].Versions = append(rs[2].Versions, Version{Lang: "de", Title: "durianpreis sinkt", Segments: []string{"viel durian", "bauern sorgen"}})
	tabs, _, err := Learn(context.Background(), seq(rs), words, Options{Iterations: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := tabs.Translate("durian", "en", "de", 3, 0.001)
	if len(got) == 0 || got[0].Term != "durian" {
		t.Errorf("durian en→de through vi: %v", got)
	}
	if langs := tabs.Langs(); !slices.Equal(langs, []string{"de", "en", "vi"}) {
		t.Errorf("langs %v", langs)
	}
}

func TestDeterministicAndSaved(t *testing.T) {
	dir := t.TempDir()
	var files [][]byte
	for i := range 2 {
		tabs, _, err := Learn(context.Background(), seq(parallel()), words, Options{})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, FileName+string(rune('a'+i)))
		if err := tabs.Save(p); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, b)
		back, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if a, ok := back.Aligned("1", "en", 2, 2); !ok || len(a) != 2 || len(a[0].Left) != 1 || a[1].Right[0] != 1 {
			t.Errorf("report 1's English alignment, loaded: %v %v", a, ok)
		}
		if _, ok := back.Aligned("1", "en", 3, 2); ok {
			t.Error("an alignment learned on 2 segments served for 3")
		}
		for _, term := range []string{"coffee", "durian", "school"} {
			if a, b := tabs.Translate(term, "en", "vi", 5, 0), back.Translate(term, "en", "vi", 5, 0); !slices.Equal(a, b) {
				t.Errorf("%s: saved %v, loaded %v", term, a, b)
			}
		}
	}
	if string(files[0]) != string(files[1]) {
		t.Error("two runs on the same corpus wrote different files")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "none")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("not gzip"), 0o644)
	if _, err := Load(junk); err == nil {
		t.Error("junk accepted")
	}
	old := filepath.Join(dir, "old")
	f, _ := os.Create(old)
	if err := (&file{Version: FormatVersion + 1}).write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(old); !errors.Is(err, ErrStale) {
		t.Errorf("old version: %v", err)
	}
}

func TestPrune(t *testing.T) {
	tb := table{keys: []uint64{key(1, 1), key(1, 2), key(1, 3), key(1, 4), key(2, 1)}, p: []float64{0.5, 0.3, 0.15, 0.05, 0.004}}
	got, err := prune(context.Background(), tb, 0.8, 10, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if len(got[1]) != 2 || got[1][0].f != 1 || got[1][1].f != 2 {
		t.Errorf("mass 0.8: %v", got[1])
	}
	if _, ok := got[2]; ok {
		t.Errorf("below the floor kept: %v", got[2])
	}
	if got, _ := prune(context.Background(), tb, 1, 1, 0); len(got[1]) != 1 {
		t.Errorf("top 1: %v", got[1])
	}
}

// TestSampled: EM learns from at most max translations, spread over the
// corpus, and from all of them when there are few or max is negative.
func TestSampled(t *testing.T) {
	tests := []struct {
		n, max int
		want   []int
	}{
		{5, 10, []int{0, 1, 2, 3, 4}},
		{5, -1, []int{0, 1, 2, 3, 4}},
		{10, 4, []int{2, 4, 7, 9}},
		{6, 3, []int{1, 3, 5}},
		{3, 0, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d of %d", tt.max, tt.n), func(t *testing.T) {
			use := sampled(tt.n, tt.max)
			var got []int
			for i := range tt.n {
				if use(i) {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("sampled(%d, %d) uses %v, want %v", tt.n, tt.max, got, tt.want)
			}
		})
	}
}

// TestLearnStopsWhenCancelled cancels learning at each point where it
// looks at its context, from gathering the reports to pruning the last
// table: every one stops it with context.Canceled.
func TestLearnStopsWhenCancelled(t *testing.T) {
	all := ctxtest.New(-1)
	if _, _, err := Learn(all, seq(parallel()), words, Options{}); err != nil {
		t.Fatal(err)
	}
	if all.Looks() < 10 {
		t.Fatalf("learning looked at its context %d times", all.Looks())
	}
	for n := range all.Looks() {
		tabs, _, err := Learn(ctxtest.New(n), seq(parallel()), words, Options{})
		if !errors.Is(err, context.Canceled) || tabs != nil {
			t.Errorf("cancelled at look %d of %d: tables %v, err %v", n+1, all.Looks(), tabs != nil, err)
		}
	}
}

// TestStagesStopWhenCancelled: each long loop of learning, given a
// cancelled context, stops with its error, whatever its input's size.
func TestStagesStopWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, _, err := gather(context.Background(), seq(parallel()), words)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := alignAll(context.Background(), c.docs["en"], nil, nil, func(int) bool { return true }, nil)
	if err != nil {
		t.Fatal(err)
	}
	co, err := newCooc(context.Background(), ps)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := co.model1(context.Background(), 1, false, DefaultSmoothing)
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]func() error{
		"gather": func() error { _, _, err := gather(ctx, seq(parallel()), words); return err },
		"align": func() error {
			_, err := alignAll(ctx, c.docs["en"], nil, nil, func(int) bool { return true }, nil)
			return err
		},
		"cooccurrences":  func() error { _, err := newCooc(ctx, ps); return err },
		"model1":         func() error { _, err := co.model1(ctx, 1, false, DefaultSmoothing); return err },
		"model1 reverse": func() error { _, err := co.model1(ctx, 1, true, DefaultSmoothing); return err },
		"prune":          func() error { _, err := prune(ctx, tb, 0.9, 10, 0.01); return err },
	}
	for name, stage := range stages {
		t.Run(name, func(t *testing.T) {
			if err := stage(); !errors.Is(err, context.Canceled) {
				t.Errorf("err %v, want context.Canceled", err)
			}
		})
	}
}

// TestCommonTermsAreNoTranslation: a word in every English version (a
// particle EM pairs with everything) is no translation of any word,
// while the words it co-occurs with keep theirs; with MaxShare 1 it
// comes back, which is what the rule takes out.
func TestCommonTermsAreNoTranslation(t *testing.T) {
	var rs []Report
	for i := range 3 * minCommonDocs {
		vi, en := "mưa lớn", "heavy rain ok"
		if i%2 == 0 {
			vi, en = "giá cà phê", "coffee price ok"
		}
		rs = append(rs, Report{ID: fmt.Sprint(i), Versions: []Version{
			{Lang: "vi", Title: vi, Segments: []string{vi}}, {Lang: "en", Title: en, Segments: []string{en}}}})
	}
	for _, tt := range []struct {
		share  float64
		withOK bool
	}{{0, false}, {1, true}} {
		tabs, st, err := Learn(context.Background(), seq(rs), words, Options{Iterations: 10, MaxShare: tt.share, Floor: 1e-9})
		if err != nil {
			t.Fatal(err)
		}
		gotOK := false
		for _, w := range []string{"mưa", "giá", "cà", "phê", "lớn"} {
			ts := tabs.Translate(w, "vi", "en", 10, 0)
			if len(ts) == 0 || ts[0].Term == "ok" && !tt.withOK {
				t.Errorf("MaxShare %v: %s → %v", tt.share, w, ts)
			}
			for _, x := range ts {
				gotOK = gotOK || x.Term == "ok"
			}
		}
		if gotOK != tt.withOK {
			t.Errorf("MaxShare %v: ok a translation: %t, want %t (common terms %v)", tt.share, gotOK, tt.withOK, st.Common)
		}
		if want := map[string]int{"en": 1}; !tt.withOK && !maps.Equal(st.Common, want) {
			t.Errorf("common terms %v, want %v", st.Common, want)
		}
	}
}

// TestSmoothingWeighsOnRareWords: the pseudo-counts lower the translations
// of a word seen in one segment far more than those of a word seen in
// many, and Smoothing < 0 turns them off.
func TestSmoothingWeighsOnRareWords(t *testing.T) {
	rs := append(parallel(), Report{ID: "fraud", Versions: []Version{
		{Lang: "vi", Title: "nông dân bị lừa", Segments: []string{"mưa lớn"}},
		{Lang: "en", Title: "farmers defrauded", Segments: []string{"heavy rain"}},
	}})
	// best learns with o and returns the probability of the best
	// translation of each of terms.
	best := func(o Options, terms ...string) []float64 {
		t.Helper()
		tabs, _, err := Learn(context.Background(), seq(rs), words, o)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]float64, len(terms))
		for i, term := range terms {
			got := tabs.Translate(term, "en", "vi", 1, 0)
			if len(got) == 0 {
				t.Fatalf("%s: no translation with %+v", term, o)
			}
			out[i] = got[0].P
		}
		return out
	}
	none, def := best(Options{Smoothing: -1}, "defrauded", "rain"), best(Options{}, "defrauded", "rain")
	rareNone, freqNone, rare, freq := none[0], none[1], def[0], def[1]
	if rare >= rareNone || freq >= freqNone {
		t.Fatalf("default smoothing lowers nothing: defrauded %.3f → %.3f, rain %.3f → %.3f", rareNone, rare, freqNone, freq)
	}
	if rare/rareNone >= freq/freqNone {
		t.Errorf("the rare word keeps %.2f of its best translation's probability, the frequent one %.2f: want the rare one lowered more", rare/rareNone, freq/freqNone)
	}
	if more := best(Options{Smoothing: 5}, "defrauded")[0]; more >= rare {
		t.Errorf("defrauded: %.3f with 5 pseudo-counts, %.3f with the default", more, rare)
	}
}
