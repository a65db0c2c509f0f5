package align

import (
	"slices"
	"strings"
	"testing"
)

func TestShapes(t *testing.T) {
	p := func(s string, n int) string { return strings.Repeat(s+" ", n) }
	tests := []struct {
		name        string
		left, right []string
		want        string
	}{
		{"one to one", []string{p("aa", 30), p("bb", 60), p("cc", 20)}, []string{p("xx", 31), p("yy", 58), p("zz", 21)}, "0-0 1-1 2-2"},
		{"lead carried as the first body paragraph is still 1-1", []string{p("lead", 10), p("b", 80)}, []string{p("l", 40), p("y", 80)}, "0-0 1-1"},
		{"merged", []string{p("aa", 30), p("bb", 30), p("cc", 40)}, []string{p("xx", 60), p("zz", 40)}, "0,1-0 2-1"},
		{"split", []string{p("aa", 60), p("cc", 40)}, []string{p("x", 30), p("y", 30), p("z", 40)}, "0-0,1 1-2"},
		{"a lost paragraph is lost, not merged",
			[]string{p("a", 30) + "11", p("b", 30) + "12", p("c", 30) + "13", p("d", 30) + "48.880", p("e", 30) + "15", p("f", 30) + "16"},
			[]string{p("a", 30) + "11", p("b", 30) + "12", p("c", 30) + "13", p("e", 30) + "15", p("f", 30) + "16"},
			"0-0 1-1 2-2 3- 4-3 5-4"},
		{"empty right", []string{"a", "b"}, nil, "0- 1-"},
		{"empty left", nil, []string{"a"}, "-0"},
		{"both empty", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(Align(tt.left, tt.right, nil)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestAnchors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Xã Krông Nô tiếp nhận 1.481 hồ sơ", []string{"xa", "krong", "no", "#1481"}},
		{"크롱노(Krong No) 1,481건", []string{"krong", "no", "#1481"}},
		{"استقبل ١٤٨١ طلباً", []string{"#1481"}},
		{"giá 3,5 tỷ, năm 2025.", []string{"#35", "#2025"}},
		{"57, 59, 66", []string{"#57", "#59", "#66"}},
		{"Đắk Mil", []string{"dak", "mil"}},
	}
	for _, tt := range tests {
		if got := anchors(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("anchors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
