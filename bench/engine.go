package bench

import (
	"context"
	"errors"

	"baoscope/model"
)

// ErrNoFTS5 is returned when the comparison with FTS5 is asked for from a
// binary built without it: go run -tags sqlite_fts5 ./cmd/baoscope bench --fts5.
var ErrNoFTS5 = errors.New("bench: built without sqlite_fts5; run `go run -tags sqlite_fts5 ./cmd/baoscope bench --fts5`")

// ftsEngine is the comparison engine (fts5.go, built with sqlite_fts5).
type ftsEngine interface {
	add(docs []*model.Document) error
	count() (int, error)
	finish() error
	size() (int64, error)
	search(ctx context.Context, q Query) (int, error)
	setConns(n int)
	close() error
}
