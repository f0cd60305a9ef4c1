package sqldb

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/outbound-oss/outbound"
)

// BackupTo writes a consistent copy of an SQLite database to path while
// the database stays in use: VACUUM INTO reads one snapshot (a read
// transaction, so writers carry on in WAL mode) and writes a compact,
// self-contained file with no WAL beside it. Every write committed before
// the backup began is in the copy. path must not exist: a backup never
// overwrites one. PostgreSQL databases are backed up with pg_dump, which
// reads one snapshot the same way (cmd does that).
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return outbound.Errorf(outbound.EINVALID, "db", "BackupTo copies SQLite databases; back up PostgreSQL with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return outbound.Errorf(outbound.ECONFLICT, "o", "%s exists: a backup never overwrites a file; name a new one", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path) // a partial copy is no backup
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// CheckIntegrity runs SQLite's own check of every page and index, for a
// copy about to be restored; nil on PostgreSQL, whose restore checks as
// it loads.
func (db *DB) CheckIntegrity(ctx context.Context) error {
	if db.dialect != SQLite {
		return nil
	}
	rows, err := db.sql.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return outbound.Errorf(outbound.EINVALID, "db", "the file is damaged: %s", problems[0])
	}
	return nil
}
