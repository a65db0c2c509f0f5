package translate

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// FileName is the tables' file in a data directory.
const FileName = "translations.gob.gz"

// FormatVersion changes whenever the file's layout or the meaning of its
// terms changes (a new analysis, a new alignment); Load refuses other
// versions with ErrStale, and the tables are learned again.
const FormatVersion = 1

// ErrStale is returned by Load for a file of another FormatVersion.
var ErrStale = errors.New("translation tables of another format version")

// file is the serialised form: every map as a sorted slice, so the same
// tables always make the same bytes.
type file struct {
	Version int
	Dirs    []dir
	Aligned []aligned
}

type aligned struct {
	Key string // report id/lang
	Alignment
}

type dir struct {
	From, To string
	Words    []word
}

type word struct {
	Term  string
	Trans []Translation
}

// Save writes the tables to path atomically: a crash leaves the old file
// or the new one, never half of one.
func (t *Tables) Save(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".translations-*")
	if err != nil {
		return fmt.Errorf("save translation tables: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := t.encode(bw); err != nil {
		tmp.Close()
		return fmt.Errorf("save translation tables: %w", err)
	}
	if err := errors.Join(bw.Flush(), tmp.Chmod(0o644), tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("save translation tables: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save translation tables: %w", err)
	}
	return nil
}

func (t *Tables) encode(w io.Writer) error {
	f := file{Version: FormatVersion}
	for _, k := range slices.Sorted(maps.Keys(t.dirs)) {
		from, to, _ := strings.Cut(k, ">")
		d := dir{From: from, To: to}
		m := t.dirs[k]
		for _, term := range slices.Sorted(maps.Keys(m)) {
			d.Words = append(d.Words, word{term, m[term]})
		}
		f.Dirs = append(f.Dirs, d)
	}
	for _, k := range slices.Sorted(maps.Keys(t.aligned)) {
		f.Aligned = append(f.Aligned, aligned{k, t.aligned[k]})
	}
	return f.write(w)
}

func (f *file) write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if err := gob.NewEncoder(zw).Encode(f); err != nil {
		return err
	}
	return zw.Close()
}

// Load reads tables written by Save. A missing file is fs.ErrNotExist; a
// file of another version is ErrStale.
func Load(path string) (*Tables, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load translation tables: %w", err)
	}
	defer fh.Close()
	zr, err := gzip.NewReader(bufio.NewReader(fh))
	if err != nil {
		return nil, fmt.Errorf("load translation tables %s: %w", path, err)
	}
	var f file
	if err := gob.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("load translation tables %s: %w", path, err)
	}
	if f.Version != FormatVersion {
		return nil, fmt.Errorf("load translation tables %s: version %d, want %d: %w", path, f.Version, FormatVersion, ErrStale)
	}
	t := newTables()
	for _, d := range f.Dirs {
		m := make(map[string][]Translation, len(d.Words))
		for _, w := range d.Words {
			m[w.Term] = w.Trans
		}
		t.dirs[dirKey(d.From, d.To)] = m
	}
	for _, a := range f.Aligned {
		t.aligned[a.Key] = a.Alignment
	}
	return t, nil
}
