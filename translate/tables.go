package translate

import (
	"slices"
	"strings"

	"baoscope/align"
	"baoscope/model"
)

// Translation is model.Translation: what Translate answers.
type Translation = model.Translation

// Tables are the learned translation probabilities, direction by
// direction: for "vi>de", p(German term | Vietnamese term).
type Tables struct {
	dirs map[string]map[string][]Translation
	// aligned holds each translation's alignment with its original, by
	// report id and language.
	aligned map[string]Alignment
}

// Alignment is a translation's paragraphs paired with its original's:
// the beads over both sides' align.Segments, which had Left and Right
// segments when learned.
type Alignment struct {
	Left, Right int
	Beads       []align.Bead
}

func newTables() *Tables {
	return &Tables{dirs: map[string]map[string][]Translation{}, aligned: map[string]Alignment{}}
}

func (t *Tables) setAlignment(report, lang string, left, right int, bs []align.Bead) {
	t.aligned[report+"/"+lang] = Alignment{left, right, bs}
}

// Aligned returns the learned alignment of report's lang version with its
// original, when it was learned on segments of the same counts as now
// (left and right); a document that changed since is aligned afresh by
// the caller.
func (t *Tables) Aligned(report, lang string, left, right int) ([]align.Bead, bool) {
	if t == nil {
		return nil, false
	}
	a, ok := t.aligned[report+"/"+lang]
	if !ok || a.Left != left || a.Right != right {
		return nil, false
	}
	return a.Beads, true
}

func dirKey(from, to string) string { return from + ">" + to }

func (t *Tables) add(from, to string, fv, tv *vocab, by map[int32][]entry) {
	m := make(map[string][]Translation, len(by))
	for e, es := range by {
		ts := make([]Translation, len(es))
		for i, x := range es {
			ts[i] = Translation{Term: tv.terms[x.f], P: x.p}
		}
		m[fv.terms[e]] = ts
	}
	t.dirs[dirKey(from, to)] = m
}

func (t *Tables) entries() int {
	n := 0
	for _, m := range t.dirs {
		for _, ts := range m {
			n += len(ts)
		}
	}
	return n
}

// Langs lists the languages the tables translate between, Source
// included, sorted.
func (t *Tables) Langs() []string {
	seen := map[string]bool{}
	for k := range t.dirs {
		a, b, _ := strings.Cut(k, ">")
		seen[a], seen[b] = true, true
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Translate returns what term, an index term of language from, may be in
// language to, most probable first: learned directly when one side is
// Source, through Source otherwise, pruned as the tables are. Nil when
// nothing was learned.
func (t *Tables) Translate(term, from, to string, k int, floor float64) []Translation {
	if t == nil || from == to {
		return nil
	}
	if from == Source || to == Source {
		ts := t.dirs[dirKey(from, to)][term]
		return ts[:min(k, len(ts))]
	}
	sum := map[string]float64{}
	for _, v := range t.dirs[dirKey(from, Source)][term] {
		for _, y := range t.dirs[dirKey(Source, to)][v.Term] {
			sum[y.Term] += v.P * y.P
		}
	}
	out := make([]Translation, 0, len(sum))
	for y, p := range sum {
		if p >= floor {
			out = append(out, Translation{Term: y, P: p})
		}
	}
	sortTranslations(out)
	return out[:min(k, len(out))]
}

func sortTranslations(ts []Translation) {
	slices.SortFunc(ts, func(a, b Translation) int {
		switch {
		case a.P > b.P:
			return -1
		case a.P < b.P:
			return 1
		}
		return strings.Compare(a.Term, b.Term)
	})
}
