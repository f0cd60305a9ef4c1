package sqldb

import (
	"context"
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

// placeholders returns n groups of k question marks: "(?, ?), (?, ?)";
// one group of k is an IN list.
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

func placeholders(k, n int) string {
	group := "(?" + strings.Repeat(", ?", k-1) + ")"
	return group + strings.Repeat(", "+group, n-1)
}
