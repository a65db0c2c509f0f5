package store

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// A second open of a held store fails after its timeout naming the
// holder (here this very process: flock conflicts between two opens of
// the file in one process too), and the holder's serving address once
// set; closing removes the holder file.
func TestHeldStoreNamesHolder(t *testing.T) {
	s, path := openTemp(t)
	if err := s.SetServing("http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path, 50*time.Millisecond)
	var he *HeldError
	if !errors.As(err, &he) || !errors.Is(err, ErrHeld) {
		t.Fatalf("second open: %v, want a *HeldError", err)
	}
	if he.Holder == nil || he.Holder.PID != os.Getpid() || he.Holder.Serving != "http://127.0.0.1:8080" {
		t.Fatalf("holder = %+v, want pid %d serving http://127.0.0.1:8080", he.Holder, os.Getpid())
	}
	for _, want := range []string{path, "process ", "serving http://127.0.0.1:8080"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + HolderSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("holder file after Close: %v, want it removed", err)
	}
	s2, err := Open(path, time.Second)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	defer s2.Close()
	h, err := ReadHolder(path)
	if err != nil || h.PID != os.Getpid() || h.Serving != "" {
		t.Errorf("holder of the new open = %+v, %v", h, err)
	}
}

// A holder that never wrote its file (or wrote garbage) is "unknown",
// still a *HeldError.
func TestHeldStoreUnknownHolder(t *testing.T) {
	_, path := openTemp(t)
	if err := os.WriteFile(path+HolderSuffix, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path, 50*time.Millisecond)
	var he *HeldError
	if !errors.As(err, &he) || he.Holder != nil || !strings.Contains(err.Error(), "unknown") {
		t.Fatalf("second open: %v, want an unknown holder", err)
	}
}
