package sqldb

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/outbound-oss/outbound"
)

// page is one keyset-paged list query: rows of from matching where, newest
// first on the pair of key columns, after the cursor. A keyset rather than
// an offset, so pages neither repeat nor skip a row while others are
// inserted.
type page struct {
	what, columns, from string
	key                 [2]string
	where               []string
	args                []any
	limit               int
	cursor              string
}

// pageQuery authorizes a read and turns a filter into a page: WHERE terms on
// the crossing (the actor's scope when none is asked for) and a day column,
// the page size and the cursor.
func pageQuery(ctx context.Context, f outbound.Filter, dayColumn string) (page, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, f.Crossing); err != nil {
		return page{}, err
	}
	where, args := []string{"1 = 1"}, []any{}
	switch a := outbound.ActorFrom(ctx); {
	case f.Crossing != "":
		where, args = append(where, "crossing = ?"), append(args, f.Crossing)
	case !a.AllCrossings && len(a.Crossings) == 0:
		where = append(where, "1 = 0")
	case !a.AllCrossings: // a scoped actor sees their crossings only
		where = append(where, "crossing IN "+placeholders(len(a.Crossings), 1))
		for _, c := range a.Crossings {
			args = append(args, c)
		}
	}
	if !f.From.IsZero() {
		where, args = append(where, dayColumn+" >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, dayColumn+" <= ?"), append(args, f.To.String())
	}
	if err := f.Period().Ordered(); err != nil {
		return page{}, err
	}
	limit := f.Limit
	switch {
	case limit == 0:
		limit = outbound.DefaultPageSize
	case limit < 0 || limit > outbound.MaxPageSize:
		return page{}, outbound.Errorf(outbound.EINVALID, "limit", "limit must be 1 to %d", outbound.MaxPageSize)
	}
	return page{where: where, args: args, limit: limit, cursor: f.Cursor}, nil
}

// findPage runs a page query and gives the rows and the next page's cursor,
// empty on the last page. key gives a row's values of the key columns.
func findPage[T any](ctx context.Context, db *DB, q page,
	scan func(scanner) (T, string, error), key func(*T) (string, string)) ([]T, string, error) {
	where, args := q.where, q.args
	if q.cursor != "" {
		a, b, err := decodeCursor(q.cursor)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, `(`+q.key[0]+`, `+q.key[1]+`) < (?, ?)`), append(args, a, b)
	}
	rows, err := db.sql.QueryContext(ctx, db.Rebind(`SELECT `+q.columns+` FROM `+q.from+
		` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+q.key[0]+` DESC, `+q.key[1]+` DESC LIMIT ?`), append(args, q.limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("find %s: %w", q.what, err)
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		r, _, err := scan(rows)
		if err != nil {
			return nil, "", fmt.Errorf("scan %s: %w", q.what, err)
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("find %s: %w", q.what, err)
	}
	next := ""
	if len(list) > q.limit {
		list = list[:q.limit]
		next = encodeCursor(key(&list[q.limit-1]))
	}
	return list, next, nil
}

// encodeCursor and decodeCursor carry the last row's key to the next page.
func encodeCursor(a, b string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(a + "|" + b))
}

func decodeCursor(c string) (string, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	parts := strings.Split(string(b), "|")
	if err != nil || len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", outbound.Errorf(outbound.EINVALID, "cursor", "cursor is not one this server gave out")
	}
	return parts[0], parts[1], nil
}
