package extract

import (
	"testing"
	"time"
)

func TestParseVietnameseTime(t *testing.T) {
	tests := []struct {
		in    string
		want  string // RFC 3339; "" means not a time
		clock bool
	}{
		{"Thứ năm, 19/03/2026 - 17:58", "2026-03-19T17:58:00+07:00", true},
		{"Thứ tư, 20/08/2025 - 09:15", "2025-08-20T09:15:00+07:00", true},
		{"19/03/2026 17:58", "2026-03-19T17:58:00+07:00", true},
		{"17:58 19/03/2026", "2026-03-19T17:58:00+07:00", true},
		{"19/03/2026 | 17h58", "2026-03-19T17:58:00+07:00", true},
		{"20/08/2025 09:15:30 (GMT+7)", "2025-08-20T09:15:30+07:00", true},
		{"20/08/2025 02:15 GMT+0", "2025-08-20T02:15:00Z", true},
		{"29/08/2023", "2023-08-29T00:00:00+07:00", false},
		{"20/8/2025", "2025-08-20T00:00:00+07:00", false},
		{"Việt NamViệt Nam29/08/2023", "2023-08-29T00:00:00+07:00", false},
		{"ngày 20 tháng 8 năm 2025", "2025-08-20T00:00:00+07:00", false},
		{"2025-08-20T09:15:00+07:00", "2025-08-20T09:15:00+07:00", true},
		{"2025-08-20T02:15:00Z", "2025-08-20T02:15:00Z", true},
		{"2025-08-20T09:15:00.123+0700", "2025-08-20T09:15:00+07:00", true},
		{"2025-08-20T04:15:00+02:00", "2025-08-20T04:15:00+02:00", true},
		{"2025-08-20 09:15", "2025-08-20T09:15:00+07:00", true},
		{"2025-08-20T09:15", "2025-08-20T09:15:00+07:00", true},
		{"2025-08-20", "2025-08-20T00:00:00+07:00", false},
		{"Wed, 20 Aug 2025 09:15:00 +0700", "2025-08-20T09:15:00+07:00", true},
		{"  20/08/2025  ", "2025-08-20T00:00:00+07:00", false},
		{"29/02/2024", "2024-02-29T00:00:00+07:00", false},

		{"", "", false},
		{"hôm nay", "", false},
		{"31/02/2025", "", false},
		{"29/02/2025", "", false},
		{"20/13/2025", "", false},
		{"00/08/2025", "", false},
		{"20/08/2025 24:00", "", false},
		{"20/08/2025 23:60", "", false},
		{"2025-02-30", "", false},
		{"2025-08-20T09:15:00+25:00", "", false},
		{"Wed, 10 Aug 2000 0:00:00 +1700", "", false}, // found by FuzzParseVietnameseTime in CI
		{"01/01/0001", "", false},
		{"120/08/2025", "", false},
		{"20/08/20251", "", false},
		{"Hội nghị lần thứ 20 kéo dài hơn một tuần, quy tụ hàng trăm đại biểu từ khắp các tỉnh thành trong cả nước; ngày 20/08/2025 là ngày khai mạc", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, clock, ok := parseTime(tc.in)
			if tc.want == "" {
				if ok {
					t.Fatalf("parsed as %v, want no time", got)
				}
				return
			}
			if !ok {
				t.Fatalf("not parsed, want %s", tc.want)
			}
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Errorf("= %s, want %s", s, tc.want)
			}
			if clock != tc.clock {
				t.Errorf("clock = %v, want %v", clock, tc.clock)
			}
			pub, ok := ParseVietnameseTime(tc.in)
			if !ok || !pub.Equal(got) {
				t.Errorf("ParseVietnameseTime differs from parseTime")
			}
		})
	}
}

func TestParseVietnameseTimeZoneIsFixed(t *testing.T) {
	// ICT must not depend on tzdata or the TZ variable.
	t.Setenv("TZ", "America/New_York")
	got, ok := ParseVietnameseTime("19/03/2026 17:58")
	if !ok {
		t.Fatal("not parsed")
	}
	if name, off := got.Zone(); off != 7*3600 || name != "ICT" {
		t.Errorf("zone %s %d, want ICT +25200", name, off)
	}
	iso, _ := ParseVietnameseTime("2026-03-19T17:58:00+07:00")
	if iso.Location() != got.Location() {
		t.Errorf("+07:00 offsets not normalised to the shared ICT zone: %v", iso.Location())
	}
}
