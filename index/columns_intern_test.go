package index

import (
	"fmt"
	"testing"
)

// intern numbers values from 1 and refuses once the number type is full
// (255 languages), rather than wrapping to 0, which means "none".
func TestInternStopsWhenFull(t *testing.T) {
	numbers, names := map[string]uint8{}, []string(nil)
	for i := range 255 {
		n, ok := intern(numbers, &names, fmt.Appendf(nil, "l%d", i))
		if !ok || int(n) != i+1 {
			t.Fatalf("value %d: number %d, ok %v", i, n, ok)
		}
	}
	if n, ok := intern(numbers, &names, []byte("l3")); !ok || n != 4 {
		t.Errorf("known value: %d %v, want 4 true", n, ok)
	}
	if _, ok := intern(numbers, &names, []byte("one too many")); ok {
		t.Error("256th value accepted")
	}
}
