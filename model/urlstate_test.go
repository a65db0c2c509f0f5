package model

import (
	"encoding/json"
	"testing"
)

// TestOutcome: the outcomes' stored spellings, which bbolt and Redis
// keep, and what the crawler asks of them.
func TestOutcome(t *testing.T) {
	tests := []struct {
		o             Outcome
		want          string
		skipped, held bool
	}{
		{OutcomeStored, "stored", false, true},
		{OutcomeUnchanged, "unchanged", false, true},
		{OutcomeNotFound, "not_found", false, false},
		{OutcomeRedirect, "redirect", false, false},
		{OutcomeSkipped("other_paper"), "skipped:other_paper", true, false},
		{OutcomeFailed("timeout"), "failed:timeout", false, false},
		{Outcome("skipped"), "skipped", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			b, err := json.Marshal(URLState{URL: "u", Outcome: tt.o})
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(b, &back); err != nil || back["outcome"] != tt.want {
				t.Errorf("stored as %v (%v), want %q", back["outcome"], err, tt.want)
			}
			if tt.o.Skipped() != tt.skipped || tt.o.Held() != tt.held {
				t.Errorf("Skipped %v Held %v, want %v %v", tt.o.Skipped(), tt.o.Held(), tt.skipped, tt.held)
			}
		})
	}
}
