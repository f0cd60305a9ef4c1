package sqldb

import (
	"github.com/outbound-oss/outbound"

	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// Migration is one schema step: a numbered SQL file applied in one
// transaction.
type Migration struct {
	Version int
	Name    string // file name without extension, such as "0001_record"
}

// Migrations lists the migrations of the database's dialect in order.
func (db *DB) Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+db.dialect)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		ms = append(ms, Migration{Version: n, Name: name})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns those it applied. Concurrent callers are safe:
// PostgreSQL takes an advisory lock, SQLite's write lock serializes.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	ms, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := db.checkNotNewer(ctx, ms); err != nil {
		return nil, err
	}
	var applied []Migration
	for _, m := range ms {
		done := false
		err := db.inTx(ctx, func(tx *txn) error {
			if db.dialect == Postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7152026)`); err != nil {
					return err
				}
			}
			var one int
			err := tx.queryRow(ctx, `SELECT 1 FROM schema_migrations WHERE version = ?`, m.Version).Scan(&one)
			if err == nil {
				done = true
				return nil
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			body, err := migrations.ReadFile(path.Join("migrations", db.dialect, m.Name+".sql"))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if fill := backfills[m.Name]; fill != nil {
				if err := fill(ctx, tx); err != nil {
					return err
				}
			}
			_, err = tx.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, ts(db.Now()))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if !done {
			applied = append(applied, m)
		}
	}
	for _, m := range applied {
		if m.Name == "0006_rollup" || m.Name == "0007_rollup_month" {
			// Inspections recorded before the rollups existed.
			if err := db.RebuildRollups(ctx); err != nil {
				return applied, fmt.Errorf("migration %s: %w", m.Name, err)
			}
			break
		}
	}
	return applied, nil
}

// backfills are the steps a migration takes in Go, in its transaction,
// after its SQL: filling what SQL alone cannot compute.
var backfills = map[string]func(context.Context, *txn) error{
	"0025_practice_rollup": backfillPractices,
}

// Pending lists the migrations Migrate would apply, in order, and applies
// none; it writes nothing, not even the table that records migrations.
func (db *DB) Pending(ctx context.Context) ([]Migration, error) {
	ms, err := db.Migrations()
	if err != nil {
		return nil, err
	}
	exists := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if db.dialect == Postgres {
		exists = `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	if n == 0 {
		return ms, nil
	}
	if err := db.checkNotNewer(ctx, ms); err != nil {
		return nil, err
	}
	applied := map[int]bool{}
	rows, err := db.sql.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("pending migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	var pending []Migration
	for _, m := range ms {
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// checkNotNewer refuses a database that a later release has migrated:
// migrations only go forward, and this build does not know what the
// later ones changed.
func (db *DB) checkNotNewer(ctx context.Context, ms []Migration) error {
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if known := ms[len(ms)-1].Version; v > known {
		return outbound.Errorf(outbound.ECONFLICT, "db", "the database is at schema %d, newer than this build knows (%d): a later release migrated it; run that release or a newer one (migrations only go forward)", v, known)
	}
	return nil
}

// SchemaVersion returns the highest applied migration. Call it after Migrate.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	if err := db.sql.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}
