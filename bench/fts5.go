//go:build sqlite_fts5

package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3", with FTS5 under this build tag

	"baoscope/model"
)

// FTS5Available reports whether this binary was built with SQLite FTS5
// (the sqlite_fts5 build tag).
const FTS5Available = true

// What FTS5 is asked for: rank at most maxHits documents (search's pass 1
// window before it counted every match) and show pageSize reports, the
// search package's default page.
const (
	maxHits  = 10000 // documents ranked for grouping
	pageSize = 20    // reports per page
)

// bodyText is what FTS5's body column holds: lead and paragraphs.
func bodyText(d *model.Document) string {
	if d.Lead == "" {
		return strings.Join(d.Body, "\n")
	}
	return d.Lead + "\n" + strings.Join(d.Body, "\n")
}

// fts5 is the comparison: the same documents in one SQLite file, the way
// an application would use FTS5. docs holds one row per document with
// the metadata that filters and grouping need (indexed by report); fts
// is an FTS5 table over title and body with the same rowid. The tokenizer
// is unicode61 with diacritics removed, the closest FTS5 has to
// baoscope's folding; it has no segmentation for Chinese, Japanese or
// Thai (a run of those characters is one token) and no stemming.
type fts5 struct {
	db   *sql.DB
	path string
}

const fts5Schema = `
CREATE TABLE IF NOT EXISTS docs(
	id INTEGER PRIMARY KEY,
	url TEXT NOT NULL UNIQUE,
	report TEXT NOT NULL,
	lang TEXT NOT NULL,
	section TEXT NOT NULL,
	published INTEGER NOT NULL,
	original INTEGER NOT NULL,
	title TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_report ON docs(report);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
	title, body, lang UNINDEXED, report UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);`

// openFTS5 opens (creating) the database at path for up to conns
// concurrent connections.
func openFTS5(path string, conns int) (ftsEngine, error) {
	// WAL lets readers run beside each other; synchronous=NORMAL is what
	// an application that can replay its last transactions would choose,
	// and matches Bleve, which does not fsync every batch either.
	dsn := "file:" + path + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=10000&cache=private"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("fts5: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(max(conns, 1))
	db.SetMaxIdleConns(max(conns, 1))
	if _, err := db.Exec(fts5Schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("fts5: schema: %w", err)
	}
	return &fts5{db: db, path: path}, nil
}

func (f *fts5) setConns(n int) {
	f.db.SetMaxOpenConns(max(n, 1))
	f.db.SetMaxIdleConns(max(n, 1))
}

func (f *fts5) count() (int, error) {
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM docs`).Scan(&n); err != nil {
		return 0, fmt.Errorf("fts5: count: %w", err)
	}
	return n, nil
}

// add inserts documents in one transaction, as one Bleve batch is one
// write.
func (f *fts5) add(docs []*model.Document) error {
	tx, err := f.db.Begin()
	if err != nil {
		return fmt.Errorf("fts5: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	insDoc, err := tx.Prepare(`INSERT INTO docs(url, report, lang, section, published, original, title) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5: prepare: %w", err)
	}
	defer insDoc.Close()
	insFTS, err := tx.Prepare(`INSERT INTO fts(rowid, title, body, lang, report) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("fts5: prepare: %w", err)
	}
	defer insFTS.Close()
	for _, d := range docs {
		var pub int64
		if !d.Published.IsZero() {
			pub = d.Published.Unix()
		}
		res, err := insDoc.Exec(d.URL, d.GroupKey(), d.Lang, d.Section, pub, d.IsOriginal, d.Title)
		if err != nil {
			return fmt.Errorf("fts5: insert %s: %w", d.URL, err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("fts5: insert %s: %w", d.URL, err)
		}
		if _, err := insFTS.Exec(id, d.Title, bodyText(d), d.Lang, d.GroupKey()); err != nil {
			return fmt.Errorf("fts5: insert %s: %w", d.URL, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("fts5: commit: %w", err)
	}
	return nil
}

// finish checkpoints the write-ahead log into the database file, so that
// its size is the index's, and merges FTS5's segments as an application
// would after a bulk load ('optimize').
func (f *fts5) finish() error {
	if _, err := f.db.Exec(`INSERT INTO fts(fts) VALUES('optimize')`); err != nil {
		return fmt.Errorf("fts5: optimize: %w", err)
	}
	if _, err := f.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("fts5: checkpoint: %w", err)
	}
	return nil
}

func (f *fts5) size() (int64, error) {
	var n int64
	for _, suffix := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(f.path + suffix)
		if err == nil {
			n += fi.Size()
		}
	}
	return n, nil
}

// search does what baoscope's search does, in SQL: rank matching
// documents (up to maxHits) and group them by report in order of first
// appearance; then, for the first page of reports, the matching versions
// with a snippet, and every version.
func (f *fts5) search(ctx context.Context, q Query) (int, error) {
	where := "fts MATCH ?"
	args := []any{q.Match}
	if q.Filter != "" {
		where += " AND " + q.Filter
		args = append(args, q.Args...)
	}
	rows, err := f.db.QueryContext(ctx, `SELECT d.report FROM fts JOIN docs d ON d.id = fts.rowid WHERE `+where+
		` ORDER BY rank LIMIT ?`, append(args, maxHits)...)
	if err != nil {
		return 0, fmt.Errorf("fts5: %s: %w", q.Name, err)
	}
	seen := map[string]bool{}
	var groups []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			rows.Close()
			return 0, fmt.Errorf("fts5: %s: %w", q.Name, err)
		}
		if !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("fts5: %s: %w", q.Name, err)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("fts5: %s: %w", q.Name, err)
	}
	page := groups[:min(len(groups), pageSize)]
	if len(page) == 0 {
		return 0, nil
	}
	in := "?" + strings.Repeat(",?", len(page)-1)
	pageArgs := make([]any, len(page))
	for i, g := range page {
		pageArgs[i] = g
	}
	// Matching versions, highlighted.
	n, err := drain(f.db.QueryContext(ctx, `SELECT d.url, d.lang, d.title, snippet(fts, 1, '<mark>', '</mark>', '…', 24)
		FROM fts JOIN docs d ON d.id = fts.rowid WHERE `+where+` AND d.report IN (`+in+`) ORDER BY rank`,
		append(args, pageArgs...)...))
	if err != nil {
		return 0, fmt.Errorf("fts5: %s: matched versions: %w", q.Name, err)
	}
	if n == 0 {
		return 0, fmt.Errorf("fts5: %s: reports matched but no version of the first page did", q.Name)
	}
	// Every version of those reports.
	if _, err := drain(f.db.QueryContext(ctx, `SELECT url, lang, title, original, published, section
		FROM docs WHERE report IN (`+in+`)`, pageArgs...)); err != nil {
		return 0, fmt.Errorf("fts5: %s: versions: %w", q.Name, err)
	}
	return len(groups), nil
}

// drain reads every row, as rendering a result would.
func drain(rows *sql.Rows, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

func (f *fts5) close() error { return f.db.Close() }
