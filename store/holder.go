package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// HolderSuffix names the file written beside the store file (store.db →
// store.db.holder) by the process that holds it open. bbolt's lock is an
// flock, which says that a file is held but not by whom; the holder file
// says who, so that a second process can name it instead of timing out
// with "timeout".
const HolderSuffix = ".holder"

// Holder is the process that holds a store open.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"` // its command line
	Since   time.Time `json:"since"`
	// Serving is the base URL the process answers searches on, when it
	// serves the data directory (set by SetServing); empty otherwise.
	Serving string `json:"serving,omitempty"`
}

// String reads "process 1234 (baoscope serve --data d), since 10:04:05 UTC,
// serving http://…".
func (h *Holder) String() string {
	s := fmt.Sprintf("process %d (%s) since %s", h.PID, h.Command, h.Since.UTC().Format("2006-01-02 15:04:05 UTC"))
	if h.Serving != "" {
		s += ", serving " + h.Serving
	}
	return s
}

// HeldError is returned by Open when another process holds the store
// beyond the timeout. Holder is nil when the holder file could not be
// read (a holder that has not written it yet, or an older baoscope).
type HeldError struct {
	Path   string
	Holder *Holder
}

func (e *HeldError) Error() string {
	if e.Holder == nil {
		return fmt.Sprintf("open store %s: held by another process (unknown: no readable %s)", e.Path, e.Path+HolderSuffix)
	}
	return fmt.Sprintf("open store %s: held by %s", e.Path, e.Holder)
}

// ErrHeld is what a *HeldError matches with errors.Is.
var ErrHeld = errors.New("store held by another process")

func (e *HeldError) Is(target error) bool { return target == ErrHeld }

// writeHolder records this process as the store's holder. Called with
// the lock held, so no other process writes the file meanwhile; a file
// left by a killed holder is simply overwritten by the next one.
func writeHolder(path string, h Holder) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	tmp := path + HolderSuffix + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write holder file: %w", err)
	}
	if err := os.Rename(tmp, path+HolderSuffix); err != nil {
		return fmt.Errorf("write holder file: %w", err)
	}
	return nil
}

// ReadHolder reads the holder file of the store at path.
func ReadHolder(path string) (*Holder, error) {
	b, err := os.ReadFile(path + HolderSuffix)
	if err != nil {
		return nil, err
	}
	var h Holder
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("holder file %s: %w", path+HolderSuffix, err)
	}
	return &h, nil
}

// thisProcess is the Holder record of the running process.
func thisProcess() Holder {
	return Holder{PID: os.Getpid(), Command: strings.Join(os.Args, " "), Since: time.Now().UTC().Truncate(time.Second)}
}

// SetServing records, in the holder file, the base URL this process
// serves the data directory on: what a second process, refused the
// store, can ask instead.
func (s *Store) SetServing(baseURL string) error {
	h := s.holder
	h.Serving = baseURL
	if err := writeHolder(s.path, h); err != nil {
		return err
	}
	s.holder = h
	return nil
}

// removeHolder deletes the holder file on Close, while the lock is
// still held: after it, the file names nobody.
func (s *Store) removeHolder() {
	_ = os.Remove(s.path + HolderSuffix)
}
