package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/outbound-oss/outbound"
)

// standbyCatchUp bounds how long OpenStandby waits for a standby to replay
// the primary's latest migrations: serve migrates the primary a moment
// before it opens the standby.
const standbyCatchUp = 30 * time.Second

// OpenStandby opens dsn as a read-only copy of primary: a PostgreSQL hot
// standby streaming from it, which reports, pages and exports may read.
// It refuses, with an EINVALID error on field "read-db" naming the
// difference, anything else: SQLite on either side, a server that is not
// in recovery (a primary would not follow this one's writes: its reports
// would silently drift), a copy of another cluster, another database or
// schema of the same cluster, or a schema whose migrations differ from
// the primary's once the standby has had standbyCatchUp to replay them.
func OpenStandby(ctx context.Context, dsn string, primary *DB) (*DB, error) {
	if primary.dialect != Postgres {
		return nil, outbound.Errorf(outbound.EINVALID, "read-db", "a read database needs a PostgreSQL primary (--db postgres://...); SQLite has no standbys")
	}
	if !IsPostgres(dsn) {
		return nil, outbound.Errorf(outbound.EINVALID, "read-db", "read database %q: expected postgres://... (a PostgreSQL hot standby of the primary)", Redact(dsn))
	}
	db, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, standbyCatchUp)
	defer cancel()
	var lag error // how the standby was last seen behind
	for {
		err = db.checkStandbyOf(ctx, primary)
		var b behind
		if !errors.As(err, &b) {
			if err != nil && ctx.Err() != nil && lag != nil {
				err = lag // the wait ran out mid-check: say what it waited for
			}
			break
		}
		lag = b.error
		select {
		case <-ctx.Done():
			db.Close()
			return nil, b.error
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	db.primary = primary
	return db, nil
}

// behind is a schema difference that replay may still close: the standby
// has a prefix of the primary's migrations.
type behind struct{ error }

// identity is what makes a PostgreSQL database this outbound database.
type identity struct {
	inRecovery       bool
	system           int64 // pg_control_system(): the same on a physical copy
	database, schema string
}

func (db *DB) identity(ctx context.Context) (identity, error) {
	var id identity
	err := db.sql.QueryRowContext(ctx, `SELECT pg_is_in_recovery(), (SELECT system_identifier FROM pg_control_system()),
		current_database(), COALESCE(current_schema(), '')`).Scan(&id.inRecovery, &id.system, &id.database, &id.schema)
	if err != nil {
		return id, fmt.Errorf("read database identity: %w", err)
	}
	return id, nil
}

// checkStandbyOf reports how db fails to be a standby of primary, or nil.
func (db *DB) checkStandbyOf(ctx context.Context, primary *DB) error {
	mine, err := db.identity(ctx)
	if err != nil {
		return err
	}
	theirs, err := primary.identity(ctx)
	if err != nil {
		return err
	}
	refuse := func(format string, args ...any) error {
		return outbound.Errorf(outbound.EINVALID, "read-db", "the read database "+format, args...)
	}
	switch {
	case !mine.inRecovery:
		return refuse("is not a hot standby (pg_is_in_recovery() is false): it would not follow the primary's writes, and reports read from it would drift; give a standby's DSN, or no --read-db")
	case mine.system != theirs.system:
		return refuse("is not a copy of the primary's cluster: its system identifier is %d, the primary's %d (a standby made with pg_basebackup from the primary shares it)", mine.system, theirs.system)
	case mine.database != theirs.database:
		return refuse("is database %q, the primary's is %q", mine.database, theirs.database)
	case mine.schema != theirs.schema:
		return refuse("reads schema %q, the primary's %q (search_path)", mine.schema, theirs.schema)
	}
	have, err := db.appliedMigrations(ctx)
	if err != nil {
		return refuse("has no outbound schema: %v", err)
	}
	want, err := primary.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	for i, m := range want {
		if i >= len(have) {
			return behind{refuse("has schema %d, the primary %d: it has not replayed migration %s", last(have), last(want), m.Name)}
		}
		if have[i] != m {
			return refuse("has migration %d %s where the primary has %d %s", have[i].Version, have[i].Name, m.Version, m.Name)
		}
	}
	if len(have) > len(want) {
		return refuse("has schema %d, the primary %d: it has migration %s, which the primary has not", last(have), last(want), have[len(want)].Name)
	}
	return nil
}

func last(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// appliedMigrations lists the migrations the database records, in order.
func (db *DB) appliedMigrations(ctx context.Context) ([]Migration, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	defer rows.Close()
	var ms []Migration
	for rows.Next() {
		var m Migration
		if err := rows.Scan(&m.Version, &m.Name); err != nil {
			return nil, fmt.Errorf("read migrations: %w", err)
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

// StandbyLag reports how far db, a standby of primary, is behind it: 0
// when it has replayed everything the primary has written, else the age
// of the last transaction it replayed (pg_last_xact_replay_timestamp()).
// The WAL positions are compared first because an idle primary commits
// nothing: the last replayed commit then grows old while the standby is
// fully caught up. The primary's is its insert position: with
// synchronous_commit off, a commit that has returned may not be written
// out yet, and the standby is behind it all the same. It fails when
// either database does not answer or db is no longer in recovery
// (promoted: it no longer follows the primary).
func (db *DB) StandbyLag(ctx context.Context, primary *DB) (time.Duration, error) {
	var lsn string
	if err := primary.sql.QueryRowContext(ctx, `SELECT pg_current_wal_insert_lsn()::text`).Scan(&lsn); err != nil {
		return 0, fmt.Errorf("primary's WAL position: %w", err)
	}
	var (
		inRecovery bool
		behind     int64
		age        sql.NullFloat64
	)
	err := db.sql.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		COALESCE(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::bigint,
		EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8`, lsn).Scan(&inRecovery, &behind, &age)
	if err != nil {
		return 0, fmt.Errorf("standby's replay: %w", err)
	}
	if !inRecovery {
		return 0, fmt.Errorf("the read database is no longer in recovery (promoted?): it does not follow the primary")
	}
	if behind <= 0 || !age.Valid || age.Float64 < 0 {
		return 0, nil
	}
	return time.Duration(age.Float64 * float64(time.Second)), nil
}
