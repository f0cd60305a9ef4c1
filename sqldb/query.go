package sqldb

import (
	"context"
	"fmt"
	"strings"
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
func placeholders(k, n int) string {
	group := "(?" + strings.Repeat(", ?", k-1) + ")"
	return group + strings.Repeat(", "+group, n-1)
}
