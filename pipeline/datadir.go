package pipeline

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// ErrNoData is returned by Open with Options.Existing for a directory
// that holds no data directory's store.
var ErrNoData = errors.New("no data directory")

// holdsData checks that dir is a data directory: it exists and holds a
// store file. The index alone does not count: reindex rebuilds it from
// the store, not the other way round.
func holdsData(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%w: %s does not exist; only crawl and demo create one", ErrNoData, dir)
	case err != nil:
		return fmt.Errorf("data directory: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("%w: %s is not a directory", ErrNoData, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, StoreFile)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%w: %s holds no %s; only crawl and demo create one", ErrNoData, dir, StoreFile)
		}
		return fmt.Errorf("data directory: %w", err)
	}
	return nil
}

// Names Reindex gives the index it builds (beside the live one, with the
// start time after it) and the live index while the new one replaces it.
const (
	reindexNew = ".new-"
	reindexOld = ".old"
)

// cleanReindexLeftovers removes what a reindex killed midway left beside
// the index at ixPath: the half-built new indexes (index.bleve.new-*),
// which no one else would ever remove, and the previous index once the
// new one is in place. Killed between its two renames, a reindex left no
// index at all but the previous one as .old: that one is put back (and
// the pipeline's reconciliation indexes whatever the store holds beyond
// it). Called with the store held, so no reindex is running.
func cleanReindexLeftovers(ixPath string, log *slog.Logger) error {
	old := ixPath + reindexOld
	if _, err := os.Stat(old); err == nil {
		if _, err := os.Stat(ixPath); errors.Is(err, os.ErrNotExist) {
			log.Warn("a killed reindex left no index: putting the previous one back", "path", ixPath)
			if err := os.Rename(old, ixPath); err != nil {
				return fmt.Errorf("restore index: %w", err)
			}
		} else if err := removeLeftover(old, log); err != nil {
			return err
		}
	}
	leftovers, err := filepath.Glob(ixPath + reindexNew + "*")
	if err != nil {
		return fmt.Errorf("reindex leftovers: %w", err)
	}
	for _, dir := range leftovers {
		if err := removeLeftover(dir, log); err != nil {
			return err
		}
	}
	return nil
}

func removeLeftover(path string, log *slog.Logger) error {
	log.Info("removing what a killed reindex left", "path", path)
	if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("reindex leftovers: %w", err)
	}
	return nil
}
