package query

import (
	"errors"
	"strings"
	"testing"
)

// wordsQuery is the query Words' terms make, ANDed.
func wordsQuery(text string) string { return (&And{Nodes: Words(text)}).String() }

func TestWords(t *testing.T) {
	tests := []struct {
		text  string
		words []string
	}{
		{"Cư Jút: Sầu riêng được mùa, được giá", []string{"Cư", "Jút", "Sầu", "riêng", "được", "mùa", "giá"}},
		{"Cao tốc Tân Phú - Bảo Lộc", []string{"Cao", "tốc", "Tân", "Phú", "Bảo", "Lộc"}},
		{"Coffee OR tea (prices) \"up\" a|b", []string{"Coffee", "OR", "tea", "prices", "up", "a|b"}},
		{"크롱노(Krong No) 코뮌", []string{"크롱노", "Krong", "No", "코뮌"}},
		{"title:lang:de -x Kro* +y", []string{"title", "lang", "de", "x", "Kro", "+y"}},
		{"1.481 tấn, 99,8% don't", []string{"1.481", "tấn", "99,8", "don't"}},
		// The bundled corpus's Russian title whose "№" made the mate
		// test's query "№", an empty phrase Parse refused.
		{"Оползень на перевале Баолок национальном шоссе \"№\" 20 почти шесть часов стояла пробка", []string{"Оползень", "на", "перевале", "Баолок", "национальном", "шоссе", "20", "почти", "шесть", "часов", "стояла", "пробка"}},
		{"a\u00adb\x00c – & №", []string{"ab", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			q := wordsQuery(tt.text)
			n, err := Parse(q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			var got []string
			for _, term := range Terms(n) {
				got = append(got, term.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.words, "|") {
				t.Errorf("%q: words %q, want %q", q, got, tt.words)
			}
		})
	}
}

// FuzzWords checks Words' promise on any text: the query its terms make
// parses (within the size limits) back to the same words.
func FuzzWords(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	f.Add("Оползень на перевале Баолок национальном шоссе \"№\" 20")
	f.Fuzz(func(t *testing.T, text string) {
		ws := Words(text)
		if len(ws) == 0 {
			return
		}
		q := (&And{Nodes: ws}).String()
		n, err := Parse(q)
		if errors.Is(err, ErrLimit) {
			return
		}
		if err != nil {
			t.Fatalf("Words(%q) make %s, which does not parse: %v", text, q, err)
		}
		got := Terms(n)
		if len(got) != len(ws) {
			t.Fatalf("Words(%q) make %s, which parses to %d terms, want %d", text, q, len(got), len(ws))
		}
		for i, w := range ws {
			if got[i].Text != w.(*Term).Text {
				t.Fatalf("Words(%q) make %s: term %d reads %q, want %q", text, q, i, got[i].Text, w.(*Term).Text)
			}
		}
	})
}
