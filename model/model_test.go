package model

import "testing"

// A group key names its report, or stands for an unlinked page alone;
// ReportIDOf turns it back.
func TestGroupKey(t *testing.T) {
	tests := []struct {
		name        string
		doc         Document
		key, report string
	}{
		{"linked", Document{URL: "https://www.vietnam.vn/en/a", ReportID: "396102"}, "396102", "396102"},
		{"unlinked", Document{URL: "https://www.vietnam.vn/en/a"}, "url:https://www.vietnam.vn/en/a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := tt.doc.GroupKey()
			if key != tt.key {
				t.Errorf("GroupKey() = %q, want %q", key, tt.key)
			}
			if id := ReportIDOf(key); id != tt.report {
				t.Errorf("ReportIDOf(%q) = %q, want %q", key, id, tt.report)
			}
		})
	}
}
