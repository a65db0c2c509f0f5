package index

import "testing"

// TestFieldBreaks: the title, lead and paragraphs of a snippet are kept
// apart by the separator, never run into one another.
func TestFieldBreaks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one line", "one line"},
		{"Title of the report\nOn the afternoon", "Title of the report · On the afternoon"},
		{"Title \n\n body", "Title · body"}, // an empty lead
		{"\n…<mark>Krong</mark> No\n", "…<mark>Krong</mark> No"},
	}
	for _, tt := range tests {
		if got := fieldBreaks(tt.in); got != tt.want {
			t.Errorf("fieldBreaks(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
