package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"baoscope/langid"
)

func TestDetectCommand(t *testing.T) {
	dir := t.TempDir()
	deFile := filepath.Join(dir, "de.txt")
	const deText = "Die Gemeinde Cu Jut entstand durch den Zusammenschluss der Gemeinden Tam Thang und Truc Son. Die gesamte Gemeinde besteht aus 50 dörflichen Einheiten mit über 48.880 Einwohnern."
	if err := os.WriteFile(deFile, []byte(deText), 0o644); err != nil {
		t.Fatal(err)
	}
	const koText = "크롱노 코뮌은 다크 드로 코뮌, 탄탄 코뮌의 3개 행정 구역을 합병하여 설립되었습니다."
	threeLines := koText + "\nКоммуна Зя Хьеп была образована на основе слияния двух административных единиц.\n\nchinh quyen hai cap\n"

	tests := []struct {
		name    string
		args    []string
		stdin   string
		wantErr error  // matched with errors.Is
		errHas  string // substring of the error
		check   func(t *testing.T, stdout string)
	}{
		{
			name: "help", args: []string{"--help"}, wantErr: flag.ErrHelp,
			check: func(t *testing.T, out string) {
				for _, s := range []string{"Usage: baoscope detect", "--lines", "--json", "Examples:"} {
					if !strings.Contains(out, s) {
						t.Errorf("help lacks %q:\n%s", s, out)
					}
				}
			},
		},
		{
			name: "plain stdin", stdin: koText,
			check: func(t *testing.T, out string) {
				if !strings.HasPrefix(out, "ko  1.00  script") {
					t.Errorf("got %q, want it to start with \"ko  1.00  script\"", out)
				}
			},
		},
		{
			name: "json stdin dash", args: []string{"--json", "-"}, stdin: koText,
			check: func(t *testing.T, out string) {
				var d langid.Detection
				if err := json.Unmarshal([]byte(out), &d); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, out)
				}
				if d.Lang != "ko" || d.Method != langid.MethodScript || d.Candidates == nil {
					t.Errorf("got %+v, want ko by script with a candidates list", d)
				}
			},
		},
		{
			name: "file argument", args: []string{deFile},
			check: func(t *testing.T, out string) {
				if !strings.HasPrefix(out, "de  ") {
					t.Errorf("got %q, want de", out)
				}
			},
		},
		{
			name: "lines json", args: []string{"--lines", "--json"}, stdin: threeLines,
			check: func(t *testing.T, out string) {
				type row struct {
					Line int    `json:"line"`
					Text string `json:"text"`
					Lang string `json:"lang"`
				}
				var got []row
				sc := bufio.NewScanner(strings.NewReader(out))
				for sc.Scan() {
					var r row
					if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
						t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
					}
					got = append(got, r)
				}
				want := []row{{1, "", "ko"}, {2, "", "ru"}, {4, "chinh quyen hai cap", "vi"}}
				if len(got) != len(want) {
					t.Fatalf("got %d JSON lines, want %d (blank line skipped):\n%s", len(got), len(want), out)
				}
				for i := range want {
					if got[i].Line != want[i].Line || got[i].Lang != want[i].Lang || (want[i].Text != "" && got[i].Text != want[i].Text) {
						t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
					}
				}
			},
		},
		{
			name: "lines table", args: []string{"--lines"}, stdin: threeLines,
			check: func(t *testing.T, out string) {
				rows := strings.Split(strings.TrimSpace(out), "\n")
				if len(rows) != 4 || !strings.HasPrefix(rows[0], "LINE") {
					t.Fatalf("want a header and 3 rows, got:\n%s", out)
				}
				for i, want := range []string{"1 ko", "2 ru", "4 vi"} {
					if f := strings.Fields(rows[i+1]); len(f) < 2 || f[0]+" "+f[1] != want {
						t.Errorf("row %d = %q, want it to start %q", i+1, rows[i+1], want)
					}
				}
			},
		},
		{
			name: "query names are unknown", args: []string{"--query"}, stdin: "Krong No",
			check: func(t *testing.T, out string) {
				if !strings.HasPrefix(out, "unknown") {
					t.Errorf("got %q, want unknown", out)
				}
			},
		},
		{name: "missing file", args: []string{filepath.Join(dir, "nope.txt")}, errHas: "no such file"},
		{name: "empty input", stdin: "  \n\t\n", wantErr: errEmptyInput},
		{name: "empty lines input", args: []string{"--lines"}, stdin: "\n\n", wantErr: errEmptyInput},
		{name: "unknown language", args: []string{"--detect-langs", "vi,xx"}, stdin: "x", wantErr: langid.ErrUnknownLanguage, errHas: `"xx"`},
		{name: "two files", args: []string{"a", "b"}, wantErr: errUsage},
		{name: "bad flag", args: []string{"--nope"}, wantErr: errUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runDetect(context.Background(), tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			case tt.errHas != "" && (err == nil || !strings.Contains(err.Error(), tt.errHas)):
				t.Fatalf("err = %v, want one containing %q", err, tt.errHas)
			case tt.wantErr == nil && tt.errHas == "" && err != nil:
				t.Fatalf("err = %v (stderr %q)", err, stderr.String())
			}
			if tt.check != nil {
				tt.check(t, stdout.String())
			}
		})
	}
}
