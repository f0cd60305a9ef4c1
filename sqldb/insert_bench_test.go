package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// BenchmarkInsertStrategies compares three ways to store a batch of 1,000
// inspection rows on PostgreSQL in one transaction, each answering which
// rows were new (the idempotency answer needs it), for issue #18:
// "unnest" is one INSERT ... SELECT FROM unnest(one array per column) ON
// CONFLICT DO NOTHING RETURNING id, what record uses; "values" is a
// multi-row INSERT ... VALUES with 20 parameters a row, as many rows as
// PostgreSQL's 65,535 parameters allow per statement; "copy-merge" is
// COPY into a temporary table, then one INSERT ... SELECT from it ON
// CONFLICT DO NOTHING RETURNING id. Half of each batch repeats ids already
// stored, so the conflict path is timed too.
func BenchmarkInsertStrategies(b *testing.B) {
	const per = 1000
	const columns = `id, original_id, version, replaces, reason, voided, crossing, started_at, ended_at, received_at,
		local_day, modality, techniques, trigger, operation_id, officers, officer_count, outcome, notes, content_hash`
	type row struct {
		id      string
		started time.Time
	}
	batch := func(prev []row) []row {
		rows := make([]row, per)
		start := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
		for i := range rows {
			if i%2 == 1 && prev != nil {
				rows[i] = prev[i] // stored by the batch before
				continue
			}
			rows[i] = row{uuid.NewString(), start.Add(time.Duration(i) * time.Minute)}
		}
		return rows
	}
	values := func(r row) []any {
		return []any{r.id, r.id, 1, nil, "", false, "2304", r.started, r.started.Add(12 * time.Minute), r.started,
			"2026-03-01", "personal_vehicle", "interview,visual", "random_selection", nil, "B1234,B5678", 2, "no_finding", "", strings.Repeat("0", 64)}
	}
	strategies := map[string]func(ctx context.Context, tx pgx.Tx, rows []row) (int, error){
		"unnest": func(ctx context.Context, tx pgx.Tx, rows []row) (int, error) {
			cols := make([][]any, 20)
			for _, r := range rows {
				for c, v := range values(r) {
					cols[c] = append(cols[c], v)
				}
			}
			types := []string{"uuid", "uuid", "int", "uuid", "text", "bool", "text", "timestamptz", "timestamptz", "timestamptz",
				"text", "text", "text", "text", "text", "text", "int", "text", "text", "text"}
			params := make([]string, 20)
			args := make([]any, 20)
			for c := range params {
				params[c] = fmt.Sprintf("$%d::%s[]", c+1, types[c])
				args[c] = cols[c]
				if types[c] == "uuid" { // strings into uuid[] go through text[]
					params[c] = fmt.Sprintf("$%d::text[]::uuid[]", c+1)
				}
			}
			return countRows(tx.Query(ctx, `INSERT INTO inspections (`+columns+`) SELECT * FROM unnest(`+strings.Join(params, ", ")+`)
				ON CONFLICT DO NOTHING RETURNING id`, args...))
		},
		"values": func(ctx context.Context, tx pgx.Tx, rows []row) (int, error) {
			const most = 65535 / 20
			n := 0
			for start := 0; start < len(rows); start += most {
				chunk := rows[start:min(start+most, len(rows))]
				var groups []string
				var args []any
				for _, r := range chunk {
					var ps []string
					for _, v := range values(r) {
						args = append(args, v)
						ps = append(ps, fmt.Sprintf("$%d", len(args)))
					}
					groups = append(groups, "("+strings.Join(ps, ", ")+")")
				}
				k, err := countRows(tx.Query(ctx, `INSERT INTO inspections (`+columns+`) VALUES `+strings.Join(groups, ", ")+`
					ON CONFLICT DO NOTHING RETURNING id`, args...))
				if err != nil {
					return n, err
				}
				n += k
			}
			return n, nil
		},
		"copy-merge": func(ctx context.Context, tx pgx.Tx, rows []row) (int, error) {
			if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE incoming ON COMMIT DROP AS SELECT `+columns+` FROM inspections WITH NO DATA`); err != nil {
				return 0, err
			}
			src := make([][]any, len(rows))
			for i, r := range rows {
				src[i] = values(r)
				for _, c := range []int{0, 1} {
					src[i][c] = uuid.MustParse(src[i][c].(string))
				}
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"incoming"}, strings.Fields(strings.ReplaceAll(columns, ",", " ")), pgx.CopyFromRows(src)); err != nil {
				return 0, err
			}
			return countRows(tx.Query(ctx, `INSERT INTO inspections (`+columns+`) SELECT `+columns+` FROM incoming
				ON CONFLICT DO NOTHING RETURNING id`))
		},
	}
	for _, name := range []string{"unnest", "values", "copy-merge"} {
		b.Run(name, func(b *testing.B) {
			db := testdb.Open(b, testdb.Postgres(b), testdb.Laredo)
			conn, err := db.SQL().Conn(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			batches := make([][]row, b.N)
			for i := range batches {
				var prev []row
				if i > 0 {
					prev = batches[i-1]
				}
				batches[i] = batch(prev)
			}
			cpu := testdb.CPU(b, db)
			b.ResetTimer()
			err = conn.Raw(func(dc any) error {
				ctx := context.Background()
				pc := dc.(*stdlib.Conn).Conn()
				for i := range b.N {
					tx, err := pc.Begin(ctx)
					if err != nil {
						return err
					}
					n, err := strategies[name](ctx, tx, batches[i])
					if err != nil {
						tx.Rollback(ctx)
						return err
					}
					if want := per - per/2*min(i, 1); n != want {
						return fmt.Errorf("batch %d: %d rows new; want %d", i, n, want)
					}
					if err := tx.Commit(ctx); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			process, server := cpu()
			b.ReportMetric(float64(b.N*per)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64((process+server).Microseconds())/float64(b.N*per), "cpu-µs/row")
		})
	}
}

// countRows counts the rows a query returns.
func countRows(rows pgx.Rows, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	return n, rows.Err()
}
