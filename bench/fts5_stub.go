//go:build !sqlite_fts5

package bench

// FTS5Available reports whether this binary was built with SQLite FTS5
// (the sqlite_fts5 build tag).
const FTS5Available = false

func openFTS5(string, int) (ftsEngine, error) { return nil, ErrNoFTS5 }
