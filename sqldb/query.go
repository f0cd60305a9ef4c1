package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// withHash adapts a scanner of a record without a content hash.
func withHash[T any](scan func(scanner) (T, error)) func(scanner) (T, string, error) {
	return func(s scanner) (T, string, error) {
		r, err := scan(s)
		return r, "", err
	}
}

// eachRow runs a query written with ? placeholders and calls fn with each
// row scan reads.
func eachRow[T any](ctx context.Context, db *DB, query string, scan func(scanner) (T, string, error), fn func(T), args ...any) error {
	rows, err := db.sql.QueryContext(ctx, db.Rebind(query), args...)
	return eachOf(rows, err, scan, fn)
}

// eachOf scans the rows a query answered and hands each to fn.
func eachOf[T any](rows *sql.Rows, err error, scan func(scanner) (T, string, error), fn func(T)) error {
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, _, err := scan(rows)
		if err != nil {
			return fmt.Errorf("query: %w", err)
		}
		fn(r)
	}
	return rows.Err()
}

// eachSerialRow is eachRow for a statement that PostgreSQL would
// otherwise plan with parallel workers: a rollup read of several pieces
// (UNION ALL) costs enough to get them, and starting them took 80 ms
// where the statement alone takes 4 (2 cores, 4 clients at once). It
// runs in a read-only transaction that forbids them; SQLite has none.
func eachSerialRow[T any](ctx context.Context, db *DB, query string, scan func(scanner) (T, string, error), fn func(T), args ...any) error {
	if db.dialect != Postgres {
		return eachRow(ctx, db, query, scan, fn, args...)
	}
	tx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
		return fmt.Errorf("query: %w", err)
	}
	rows, err := tx.QueryContext(ctx, db.Rebind(query), args...)
	return eachOf(rows, err, scan, fn)
}

// anyOf is the condition that column (of SQL type typ) holds one of ids,
// and its arguments: on PostgreSQL one array, so that the statement is
// the same (and prepared once per connection) whatever the count; on
// SQLite a list of placeholders.
func (db *DB) anyOf(column, typ string, ids []uuid.UUID) (string, []any) {
	if db.dialect == Postgres {
		list := make([]string, len(ids))
		for i, id := range ids {
			list[i] = id.String()
		}
		return column + ` = ANY(CAST(CAST(? AS text[]) AS ` + typ + `[]))`, []any{list}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id.String()
	}
	return column + ` IN ` + placeholders(len(ids), 1), args
}

// inCodes is the condition that column holds one of codes, and its
// arguments. On PostgreSQL it is a semi-join on one array, which every
// plan hashes: a list of parameters in a cached (generic) plan is
// compared one by one with every row read, which cost the southwest's
// 90-day trend (55 crossings, 15,000 rows) 14 ms. On SQLite a list of
// placeholders.
func (db *DB) inCodes(column string, codes []string) (string, []any) {
	switch {
	case db.dialect == Postgres:
		return column + ` IN (SELECT unnest(CAST(? AS text[])))`, []any{codes}
	case len(codes) == 0:
		return `1 = 0`, nil
	}
	args := make([]any, len(codes))
	for i, c := range codes {
		args[i] = c
	}
	return column + ` IN ` + placeholders(len(codes), 1), args
}

// placeholders returns n groups of k question marks: "(?, ?), (?, ?)";
// one group of k is an IN list.
func placeholders(k, n int) string {
	group := "(?" + strings.Repeat(", ?", k-1) + ")"
	return group + strings.Repeat(", "+group, n-1)
}
