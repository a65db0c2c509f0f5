package validate

import (
	"reflect"
	"testing"

	"baoscope/internal/validatetest"
)

// TestQuery runs the table every way into a search shares.
func TestQuery(t *testing.T) {
	for _, tt := range validatetest.Cases() {
		t.Run(tt.Name, func(t *testing.T) {
			q, err := Query(Params(tt.Params), Limits{})
			if tt.Field != "" {
				if err == nil || err.Field != tt.Field {
					t.Fatalf("error %v, want one about %s", err, tt.Field)
				}
				if err.Message == "" {
					t.Error("an error without a message")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(q, tt.Want) {
				t.Errorf("query\n %+v\nwant\n %+v", q, tt.Want)
			}
		})
	}
}

// TestLimits: the caller's page sizes replace the defaults, and a default
// above the cap is brought down to it.
func TestLimits(t *testing.T) {
	tests := []struct {
		name     string
		size     string
		lim      Limits
		want     int
		errField string
	}{
		{"defaults", "", Limits{}, DefaultPageSize, ""},
		{"caller's default", "", Limits{DefaultSize: 7}, 7, ""},
		{"cap below the default", "", Limits{MaxSize: 5}, 5, ""},
		{"caller's cap", "6", Limits{MaxSize: 5}, 0, "size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Query(Search{Size: tt.size}, tt.lim)
			switch {
			case tt.errField != "":
				if err == nil || err.Field != tt.errField {
					t.Errorf("error %v, want one about %s", err, tt.errField)
				}
			case err != nil || q.Size != tt.want:
				t.Errorf("size %d (%v), want %d", q.Size, err, tt.want)
			}
		})
	}
}

// TestLangs: what the page's chips and the validator read alike.
func TestLangs(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"none", nil, nil},
		{"blanks", []string{"", " , "}, nil},
		{"lists and repeats", []string{"KO, en", "en", " k! "}, []string{"ko", "en", "k!"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Langs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Langs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
