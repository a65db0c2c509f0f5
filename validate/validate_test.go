package validate

import (
	"reflect"
	"strings"
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

// TestLanguageList: with the server's languages, any other code is an
// error that lists them; without a list, only the form is checked.
func TestLanguageList(t *testing.T) {
	lim := Limits{Langs: []string{"vi", "en", "ko"}}
	tests := []struct {
		name      string
		in        Search
		lim       Limits
		field     string
		mentioned []string // in the message
	}{
		{"known", Search{Langs: []string{"ko,vi"}}, lim, "", nil},
		{"unknown is a language", Search{Langs: []string{"unknown"}}, lim, "", nil},
		{"two letters not served", Search{Langs: []string{"xx"}}, lim, "lang", []string{`"xx"`, "vi, en, ko, unknown"}},
		{"three letters", Search{Langs: []string{"vie"}}, lim, "lang", []string{"did you mean vi?", "vi, en, ko"}},
		{"query language not served", Search{QLang: "de"}, lim, "qlang", []string{"vi, en, ko"}},
		{"no list: form only", Search{Langs: []string{"xx"}}, Limits{}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Query(tt.in, tt.lim)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				return
			}
			if err == nil || err.Field != tt.field {
				t.Fatalf("error %v, want one about %s", err, tt.field)
			}
			for _, m := range tt.mentioned {
				if !strings.Contains(err.Message, m) {
					t.Errorf("message %q does not say %q", err.Message, m)
				}
			}
		})
	}
}

// TestLanguages: the languages a search may name are the configured ones
// and then the index's others; unknown is never listed, lang= accepts it
// anyway.
func TestLanguages(t *testing.T) {
	tests := []struct {
		name                string
		configured, indexed []string
		want                []string
	}{
		{"configured only", []string{"vi", "en"}, nil, []string{"vi", "en"}},
		{"index adds its own", []string{"vi", "en"}, []string{"en", "de", "unknown", "vi"}, []string{"vi", "en", "de"}},
		{"index only", nil, []string{"ko"}, []string{"ko"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Languages(tt.configured, tt.indexed); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Languages(%q, %q) = %q, want %q", tt.configured, tt.indexed, got, tt.want)
			}
		})
	}
}
