package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"baoscope/internal/validatetest"
)

// TestSearchFlagsTable runs the validator's table through the search
// command's flags, as the server's tests run it through the API and the
// page: the same searches are refused, naming the same field as a flag,
// and the rest make the same query.
func TestSearchFlagsTable(t *testing.T) {
	for _, tt := range validatetest.Cases() {
		if tt.FormOnly {
			continue
		}
		t.Run(tt.Name, func(t *testing.T) {
			var args []string
			for _, k := range slices.Sorted(maps.Keys(tt.Params)) {
				if k != "q" {
					args = append(args, "--"+k+"="+strings.Join(tt.Params[k], ","))
				}
			}
			args = append(args, strings.Fields(tt.Params.Get("q"))...)
			fs := flag.NewFlagSet("search", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var sf searchFlags
			sf.register(fs)
			err := fs.Parse(args)
			if err == nil {
				_, err = sf.query(fs.Args())
			}
			if tt.Field != "" {
				// The flag package refuses what is no number or boolean
				// itself ("-size"); the validator says "--size".
				if err == nil || !strings.Contains(err.Error(), "-"+tt.Field) {
					t.Fatalf("err = %v, want one naming -%s", err, tt.Field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			q, _ := sf.query(fs.Args())
			if !reflect.DeepEqual(q, tt.Want) {
				t.Errorf("query\n %+v\nwant\n %+v", q, tt.Want)
			}
		})
	}
}

// TestSearchRefusesReversedDates: the command checks the range before it
// opens anything, as the API does (it used to search an empty range).
func TestSearchRefusesReversedDates(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"search", "--data", t.TempDir(), "--from", "2025-09-01", "--to", "2025-08-01", "Krong"},
		nil, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "--to") || !strings.Contains(err.Error(), "before from") {
		t.Fatalf("err = %v, want one saying --to is before from", err)
	}
}
