// Package sqldb implements every outbound service on database/sql, for an
// embedded SQLite file (modernc.org/sqlite, pure Go) and for PostgreSQL
// (pgx). Queries are written once, with ? placeholders, and rebound for
// PostgreSQL; the schema lives in embedded migrations, one set per dialect.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"           // registers "sqlite"

	"github.com/outbound-oss/outbound"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open outbound database. It implements the storage services of
// the root package.
type DB struct {
	sql     *sql.DB
	dialect string
	// Now is the server clock (receive times); tests replace it.
	Now func() time.Time
	// Draw is the uniform [0, 1) draw of lane decisions; nil is
	// crypto/rand. Tests replace it.
	Draw func() float64
	// MigrationProgress, when set, is told how far a migration that fills
	// data (such as 0025's practice rollups, minutes at 10 million
	// inspections) has come: done of total steps.
	MigrationProgress func(migration string, done, total int64)

	crossings crossingCache
	path      string // the SQLite file; "" for PostgreSQL
	primary   *DB    // set by OpenStandby: this is its read-only copy
}

// sqliteBusyTimeout is how long an SQLite statement waits for another
// connection's write lock before it fails.
const sqliteBusyTimeout = 10 * time.Second

// Options tune how Open opens a database.
type Options struct {
	// Synchronous is SQLite's synchronous setting: "FULL" (the default)
	// syncs the write-ahead log at every commit, so a record answered 201
	// is still there after a power cut; "NORMAL" syncs only at
	// checkpoints and may lose the last commits on power loss (never
	// corrupts). It exists for benchmarks that compare the two
	// (docs/benchmarks.md). PostgreSQL ignores it: its own
	// synchronous_commit is the server's to set.
	Synchronous string
	// Tracer, when set, is told of every statement sent to PostgreSQL
	// (pgx's tracing hook): tests count round trips with it. SQLite
	// ignores it.
	Tracer pgx.QueryTracer
	// Existing refuses to create an SQLite file that is not there: a
	// command that reads a database (backup, a dry run) must not make an
	// empty one out of a mistyped path and report success.
	Existing bool
}

// Open opens the database a DSN names: "postgres://..." (or
// "postgresql://"), else "sqlite:PATH" or a plain file path. It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	return OpenWith(ctx, dsn, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dsn string, opts Options) (*DB, error) {
	db := &DB{Now: time.Now}
	synchronous := strings.ToUpper(opts.Synchronous)
	switch synchronous {
	case "":
		synchronous = "FULL"
	case "FULL", "NORMAL", "EXTRA":
	default:
		return nil, outbound.Errorf(outbound.EINVALID, "synchronous", "synchronous %q is not FULL, NORMAL or EXTRA", opts.Synchronous)
	}
	var err error
	switch {
	case IsPostgres(dsn):
		db.dialect = Postgres
		if opts.Tracer == nil {
			db.sql, err = sql.Open("pgx", dsn)
			break
		}
		var cfg *pgx.ConnConfig
		if cfg, err = pgx.ParseConfig(dsn); err == nil {
			cfg.Tracer = opts.Tracer
			db.sql = stdlib.OpenDB(*cfg)
		}
	default:
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" || strings.ContainsAny(path, "?#") {
			return nil, outbound.Errorf(outbound.EINVALID, "db", "database %q: expected a file path, sqlite:PATH or postgres://...", dsn)
		}
		db.dialect = SQLite
		if opts.Existing {
			if _, err := os.Stat(path); err != nil {
				return nil, outbound.Errorf(outbound.ENOTFOUND, "db", "database %s: %v", path, errors.Unwrap(err))
			}
		}
		// WAL lets readers work during a write; IMMEDIATE transactions take
		// the write lock up front so two writers queue instead of failing;
		// a 64 MiB page cache keeps the rollups' hot pages in memory.
		// synchronous(FULL) fsyncs the WAL before a commit returns: a port
		// node answers 201 to an officer only once the record would
		// survive a power cut (NORMAL would lose the last commits).
		db.path = path
		db.sql, err = sql.Open("sqlite", "file:"+path+
			"?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout("+strconv.FormatInt(sqliteBusyTimeout.Milliseconds(), 10)+")"+
			"&_pragma=synchronous("+synchronous+")&_pragma=cache_size(-65536)&_txlock=immediate")
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", Redact(dsn), err)
	}
	// Reports read their dimensions on several connections at once; keep
	// them open between requests rather than dial (or reopen the file and
	// its page cache) each time: database/sql keeps two idle by default.
	// No more than are kept: past that, queries queue for a connection
	// rather than open one to close it again (docs/benchmarks.md). Safe
	// because no code here asks for a second connection while it holds a
	// transaction.
	db.sql.SetMaxIdleConns(16)
	db.sql.SetMaxOpenConns(16)
	if err := db.sql.PingContext(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("open %s: %w", Redact(dsn), err)
	}
	return db, nil
}

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// readyQuery reads a real table: a ping only proves a connection, and
// SQLite's pooled connections may answer from pages they already hold.
const readyQuery = `SELECT count(*) FROM (SELECT version FROM schema_migrations LIMIT 1) m`

// Ready reports whether the database can be read: for SQLite, the file
// is opened afresh, read-only (a missing file is not created, a corrupt
// header is seen), and read; for PostgreSQL, the pool reads the
// migrations table. It is what /readyz asks.
func (db *DB) Ready(ctx context.Context) error {
	var n int
	if err := db.sql.QueryRowContext(ctx, readyQuery).Scan(&n); err != nil {
		return fmt.Errorf("read database: %w", err)
	}
	if db.path == "" {
		return nil
	}
	probe, err := sql.Open("sqlite", "file:"+db.path+"?mode=ro&_pragma=busy_timeout(2000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", db.path, err)
	}
	defer probe.Close()
	if err := probe.QueryRowContext(ctx, readyQuery).Scan(&n); err != nil {
		return fmt.Errorf("read %s: %w", db.path, err)
	}
	return nil
}

// SQL returns the underlying handle, for benchmarks and tools.
func (db *DB) SQL() *sql.DB { return db.sql }

// Rebind turns the ? placeholders of q into $1, $2, ... for PostgreSQL.
// Queries here never hold a literal question mark. Results are kept: the
// same few queries run millions of times.
func (db *DB) Rebind(q string) string {
	if db.dialect != Postgres {
		return q
	}
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	r := rebind(q)
	rebound.Store(q, r)
	return r
}

var rebound sync.Map // query -> PostgreSQL query

func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// txn is a transaction that prepares each statement once: a batch runs
// the same INSERT a thousand times. On PostgreSQL pgx already prepares
// each statement once per connection and keeps it; preparing it again
// per transaction would cost two more round trips (prepare, deallocate)
// for every statement of every transaction.
type txn struct {
	*sql.Tx
	db    *DB
	stmts map[string]*sql.Stmt
}

// exec runs a query written with ? placeholders as a prepared statement.
func (t *txn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.db.dialect == Postgres {
		return t.ExecContext(ctx, t.db.Rebind(query), args...)
	}
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// query runs a query written with ? placeholders as a prepared statement.
func (t *txn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if t.db.dialect == Postgres {
		return t.QueryContext(ctx, t.db.Rebind(query), args...)
	}
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a query written with ? placeholders as a prepared statement.
func (t *txn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if t.db.dialect == Postgres {
		return t.QueryRowContext(ctx, t.db.Rebind(query), args...)
	}
	st, err := t.stmt(ctx, query)
	if err != nil {
		return t.QueryRowContext(ctx, t.db.Rebind(query), args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.PrepareContext(ctx, t.db.Rebind(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	t.stmts[query] = st
	return st, nil
}

// inTx runs fn in a transaction and commits it if fn returns nil. The
// transaction's prepared statements close with it. A transaction that
// PostgreSQL aborts as a deadlock victim (two batches inserting the same ids
// in other orders) is run again, up to 3 times: fn must start afresh.
func (db *DB) inTx(ctx context.Context, fn func(tx *txn) error) error {
	var err error
	for range 3 {
		if err = db.inTxOnce(ctx, fn); !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports whether PostgreSQL aborted a transaction that may
// succeed if run again.
func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001") // deadlock_detected, serialization_failure
}

func (db *DB) inTxOnce(ctx context.Context, fn func(tx *txn) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(&txn{Tx: tx, db: db, stmts: map[string]*sql.Stmt{}}); err != nil {
		return errors.Join(err, rollback(tx))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func rollback(tx *sql.Tx) error {
	if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}

// IsPostgres reports whether dsn names a PostgreSQL database rather than
// an SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Redact hides a password in a DSN before it reaches a message.
func Redact(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	userinfo := dsn[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return dsn[:scheme+3] + userinfo[:i] + ":xxxxx" + dsn[at:]
	}
	return dsn
}

// timeFormat stores instants as fixed-width UTC text, so that SQLite sorts
// and compares them as text; PostgreSQL parses the same text as timestamptz.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// dbTime scans a stored instant: text from SQLite, time.Time from PostgreSQL.
type dbTime struct{ t *time.Time }

func (d dbTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d.t = v.UTC()
	case string:
		return d.parse(v)
	case []byte:
		return d.parse(string(v))
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

func (d dbTime) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*d.t = t.UTC()
	return nil
}

// dbDate scans a stored 'YYYY-MM-DD'.
type dbDate struct{ d *outbound.Date }

func (d dbDate) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan date: unexpected %T", src)
	}
	v, err := outbound.ParseDate(s)
	*d.d = v
	return err
}

// dbTimeValue scans a nullable stored instant through sql.Null.
type dbTimeValue time.Time

// Scan implements sql.Scanner.
func (v *dbTimeValue) Scan(src any) error {
	var t time.Time
	if err := (dbTime{&t}).Scan(src); err != nil {
		return err
	}
	*v = dbTimeValue(t)
	return nil
}
