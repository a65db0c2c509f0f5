package langid

import (
	"slices"
	"strings"
	"testing"
)

func TestIsSyllable(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		// Vietnamese, folded.
		{"nguoi", true}, {"nghieng", true}, {"chinh", true}, {"quyen", true},
		{"khuyen", true}, {"gia", true}, {"gi", true}, {"ke", true}, {"ghe", true},
		{"xuan", true}, {"toan", true}, {"huynh", true}, {"truong", true},
		{"a", true}, {"oi", true}, {"uong", true},
		// Spelling rules Vietnamese never breaks.
		{"ka", false},   // k only before e, i, y
		{"ce", false},   // c never before e, i, y
		{"get", false},  // g before e is gh
		{"nge", false},  // ng before e is ngh
		{"ging", false}, // no -ing rime
		{"ie", false},   // iê needs a final
		// Other languages.
		{"and", false}, {"with", false}, {"kommune", false}, {"yang", false},
		{"dengan", false}, {"provincia", false}, {"krong", false},
	}
	for _, tt := range tests {
		if got := isSyllable(tt.w); got != tt.want {
			t.Errorf("isSyllable(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}

func TestFoldWord(t *testing.T) {
	tests := []struct {
		in, want   string
		ok, marked bool
	}{
		{"Người", "nguoi", true, true},
		{"Đắk", "dak", true, true},
		{"quyền", "quyen", true, true},
		{"Lâm", "lam", true, false}, // â is also French and Portuguese
		{"Jút", "jut", false, false},
		{"K'nia", "k'nia", false, false},
		{"café", "cafe", false, false},
	}
	for _, tt := range tests {
		got, ok, marked := foldWord(tt.in)
		if got != tt.want || ok != tt.ok || marked != tt.marked {
			t.Errorf("foldWord(%q) = %q, %v, %v; want %q, %v, %v", tt.in, got, ok, marked, tt.want, tt.ok, tt.marked)
		}
	}
}

func TestVietnameseRule(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"chinh quyen hai cap", true},
		{"chính quyền hai cấp", true},
		{"xay dung nong thon moi", true},
		{"gia ca phe hom nay", true},
		{"Cac truong hoc tren dia ban tinh da san sang cho nam hoc moi, UBND tinh cho biet.", true},
		{"the man can", false},       // English words, Vietnamese in shape only
		{"no hay", false},            // Spanish
		{"non ho", false},            // Italian
		{"ca phe", false},            // two words, nothing only Vietnamese: left to lingua-go
		{"nguoi", false},             // one word: left to lingua-go
		{"Krong No Cu Jut", false},   // highland names are not syllables
		{"pemerintah daerah", false}, // Indonesian
		{"The man in the long song can hang on to the ban.", false},
	}
	for _, tt := range tests {
		_, got := vietnameseRule(newProfile(tt.text).words[scriptLatin])
		if got != tt.want {
			t.Errorf("vietnameseRule(%q) = %v, want %v (%+v)", tt.text, got, tt.want, countVietnamese(newProfile(tt.text).words[scriptLatin]))
		}
	}
}

func TestScanWords(t *testing.T) {
	var got []string
	scanWords("Cư Jút, K'nia và Đắk R’lấp (Krong No) 크롱노'노 bna_2023년 Nam'", func(w string, _ int, s script) {
		got = append(got, s.String()+":"+w)
	})
	want := []string{
		"Latin:Cư", "Latin:Jút", "Latin:K'nia", "Latin:và", "Latin:Đắk", "Latin:R’lấp",
		"Latin:Krong", "Latin:No", "Hangul:크롱노'노", "Latin:bna", "Hangul:년", "Latin:Nam",
	}
	if !slices.Equal(got, want) {
		t.Errorf("scanWords:\n got %q\nwant %q", got, want)
	}
}

func TestProfileKana(t *testing.T) {
	tests := []struct {
		text       string
		kana, han  int
		wantScript script
	}{
		{"林同省は二層制を導入した", 3, 0, scriptKana}, // Han read as Japanese
		{"林同省实行两级地方政府模式", 0, 13, scriptHan},
		{"コーヒー", 4, 0, scriptKana}, // the prolonged sound mark counts as kana
	}
	for _, tt := range tests {
		p := newProfile(tt.text)
		if tt.wantScript == scriptKana && (p.letters[scriptKana] == 0 || p.letters[scriptHan] != 0) {
			t.Errorf("%q: kana %d han %d, want all Japanese", tt.text, p.letters[scriptKana], p.letters[scriptHan])
		}
		if tt.wantScript == scriptHan && (p.letters[scriptHan] != tt.han || p.letters[scriptKana] != 0) {
			t.Errorf("%q: kana %d han %d, want %d Han", tt.text, p.letters[scriptKana], p.letters[scriptHan], tt.han)
		}
	}
}

func TestStripNames(t *testing.T) {
	tests := []struct {
		q, want string
	}{
		{"Krong No", ""},
		{"Kommunalverwaltung Cu Jut", "Kommunalverwaltung"},
		{"coffee Lam Dong 2025", "coffee 2025"},
		{"Tran Van Nam visited", "visited"},
		{"La commune de Cu Jut", "La commune de"}, // "La" is French here
		{"Lâm Đồng", "Lâm Đồng"},                  // accents: written as Vietnamese
		{"UBND tinh", "tinh"},
		{"Dak R'lap", ""},
	}
	for _, tt := range tests {
		rest, _ := stripNames(tt.q)
		if got := strings.Join(strings.Fields(rest), " "); got != tt.want {
			t.Errorf("stripNames(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestChunkWords(t *testing.T) {
	words := strings.Fields(strings.Repeat("abcdefghi ", 200)) // 1,999 bytes joined
	chunks := chunkWords(words, 320, 3)
	if len(chunks) != 3 {
		t.Fatalf("got %d chunks, want 3", len(chunks))
	}
	for _, c := range chunks {
		if len(c) > 320 || len(c) < 250 {
			t.Errorf("chunk of %d bytes, want 250..320", len(c))
		}
	}
	if got := chunkWords([]string{"one", "two"}, 320, 3); !slices.Equal(got, []string{"one two"}) {
		t.Errorf("short text: got %q", got)
	}
	if got := chunkWords(nil, 320, 3); len(got) != 0 {
		t.Errorf("no words: got %q", got)
	}
	// 330 bytes make two chunks of ~165, not one of 320 and a tail of 10.
	even := strings.Fields(strings.Repeat("abcdefghi ", 33))
	got := chunkWords(even, 320, 3)
	if len(got) != 2 || len(got[0]) < 150 || len(got[1]) < 150 {
		t.Errorf("balanced: got chunks of %d", lens(got))
	}
}

func lens(ss []string) []int {
	out := make([]int, len(ss))
	for i, s := range ss {
		out[i] = len(s)
	}
	return out
}

func TestSplitLookalikes(t *testing.T) {
	tests := []struct {
		name    string
		dist    []Candidate
		text    string
		want    string
		changed bool
	}{
		{"malay markers", []Candidate{{"id", 0.6}, {"ms", 0.4}}, "pekebun kopi purata ketara", "ms", true},
		{"indonesian markers", []Candidate{{"ms", 0.6}, {"id", 0.4}}, "pemerintah kabupaten", "id", true},
		{"spanish markers", []Candidate{{"pt", 0.5}, {"es", 0.45}}, "precio del café", "es", true},
		{"portuguese spelling", []Candidate{{"es", 0.5}, {"pt", 0.45}}, "eleições do conselho", "pt", true},
		{"no markers", []Candidate{{"id", 0.6}, {"ms", 0.4}}, "kopi", "id", false},
		{"not a pair", []Candidate{{"de", 0.6}, {"ms", 0.4}}, "pekebun purata", "de", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dist := slices.Clone(tt.dist)
			changed := splitLookalikes(dist, strings.Fields(tt.text))
			if dist[0].Lang != tt.want || changed != tt.changed {
				t.Errorf("got %v changed %v, want %s first, changed %v", dist, changed, tt.want, tt.changed)
			}
			if sum, want := dist[0].Confidence+dist[1].Confidence, tt.dist[0].Confidence+tt.dist[1].Confidence; sum < want-1e-9 || sum > want+1e-9 {
				t.Errorf("probability mass %v, want %v kept", sum, want)
			}
		})
	}
}
