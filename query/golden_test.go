package query

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite testdata/parse.golden from the parser's output")

// goldenInputs are the table's queries followed by testdata/queries.txt, a
// corpus of queries as researchers type them.
func goldenInputs(t testing.TB) []string {
	var in []string
	for _, c := range parseCases {
		in = append(in, c.in)
	}
	f, err := os.Open(filepath.Join("testdata", "queries.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		in = append(in, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return in
}

// goldenField writes s so that it fits on one line of the golden file:
// as is when printable, Go-quoted otherwise.
func goldenField(s string) string {
	for _, r := range s {
		if r == '\t' || !unicode.IsGraphic(r) && r != ' ' || r == unicode.ReplacementChar {
			return strconv.Quote(s)
		}
	}
	if len(s) > 120 {
		return strconv.Quote(s[:40]) + "…(" + strconv.Itoa(len(s)) + " bytes)"
	}
	return s
}

func TestGolden(t *testing.T) {
	var buf bytes.Buffer
	for _, in := range goldenInputs(t) {
		out := ""
		n, err := Parse(in)
		if err != nil {
			out = "error: " + err.Error()
		} else {
			out = n.String()
		}
		buf.WriteString(goldenField(in))
		buf.WriteByte('\t')
		buf.WriteString(goldenField(out))
		buf.WriteByte('\n')
	}
	path := filepath.Join("testdata", "parse.golden")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		gotLines := strings.Split(buf.String(), "\n")
		wantLines := strings.Split(string(want), "\n")
		for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
			var g, w string
			if i < len(gotLines) {
				g = gotLines[i]
			}
			if i < len(wantLines) {
				w = wantLines[i]
			}
			if g != w {
				t.Errorf("line %d:\ngot  %s\nwant %s", i+1, g, w)
			}
		}
		t.Error("parse.golden is out of date; review the diff and run go test -update")
	}
}
