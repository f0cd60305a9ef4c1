package sqldb

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/outbound-oss/outbound"
)

// volumeBatch is how many volumes one INSERT carries: 4 parameters each,
// far below either database's parameter limit.
const volumeBatch = 250

// volumesLock is the PostgreSQL advisory lock that volume imports take
// (migrations take 7152026).
const volumesLock = 7152027

type volumeKey struct{ port, month, measure string }

// ImportVolumes stores ports and monthly volumes in one transaction, in
// batches, as rows stream in; a row error rolls everything back. A volume
// already stored with the same value is left alone, so a re-import of the
// same file writes nothing; one stored with another value takes the row's
// (the later import wins) and is counted as changed.
func (db *DB) ImportVolumes(ctx context.Context, rows iter.Seq2[outbound.VolumeRow, error]) (outbound.ImportStats, error) {
	var st outbound.ImportStats
	if err := outbound.Authorize(ctx, outbound.ManageReference, ""); err != nil {
		return st, err
	}
	err := db.inTx(ctx, func(tx *txn) error {
		st = outbound.ImportStats{}
		// New volumes are those the table gained; the upserts' count is
		// new and changed ones together. Imports take turns so that the
		// gain is this one's (SQLite's write transactions already do).
		if db.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, volumesLock); err != nil {
				return fmt.Errorf("lock volumes: %w", err)
			}
		}
		before, err := countVolumes(ctx, tx)
		if err != nil {
			return err
		}
		var changes []change
		seen := map[string]bool{}
		var batch []outbound.MonthlyVolume
		at := map[volumeKey]int{} // a key's place in batch: duplicates in a file are collapsed, the later row wins
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			args := make([]any, 0, 4*len(batch))
			for _, v := range batch {
				args = append(args, v.PortCode, v.Month.String(), v.Measure, v.Value)
			}
			res, err := tx.exec(ctx, volumeInsert(len(batch)), args...)
			if err != nil {
				return fmt.Errorf("store volumes: %w", err)
			}
			n, err := res.RowsAffected()
			st.Written += int(n)
			batch, at = batch[:0], map[volumeKey]int{}
			return err
		}
		for row, err := range rows {
			if err != nil {
				return err
			}
			st.Rows++
			port := row.Port
			if !seen[port.Code] {
				if err := port.Validate(); err != nil {
					return fmt.Errorf("line %d: %w", row.Line, err)
				}
				c, err := db.savePort(ctx, tx, port)
				if err != nil {
					return err
				}
				changes = append(changes, c)
				seen[port.Code] = true
			}
			v := row.Volume
			k := volumeKey{v.PortCode, v.Month.String(), v.Measure}
			if i, dup := at[k]; dup {
				batch[i] = v
				continue
			}
			at[k] = len(batch)
			batch = append(batch, v)
			if len(batch) == volumeBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		st.Ports = len(seen)
		if err := flush(); err != nil {
			return err
		}
		after, err := countVolumes(ctx, tx)
		if err != nil {
			return err
		}
		st.Changed = st.Written - (after - before)
		return db.appendAudit(ctx, tx, append(changes, change{action: "volumes.import", subject: "bts_volumes",
			after: outbound.Digest(st)}))
	})
	if err != nil {
		return outbound.ImportStats{}, err
	}
	st.Unchanged = st.Rows - st.Written
	return st, nil
}

func countVolumes(ctx context.Context, tx *txn) (int, error) {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM bts_volumes`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count volumes: %w", err)
	}
	return n, nil
}

// volumeInsert is the upsert of n volumes.
func volumeInsert(n int) string {
	return `INSERT INTO bts_volumes (port_code, month, measure, value) VALUES (?, ?, ?, ?)` +
		strings.Repeat(`, (?, ?, ?, ?)`, n-1) +
		` ON CONFLICT (port_code, month, measure) DO UPDATE SET value = excluded.value
		WHERE bts_volumes.value <> excluded.value`
}

// FindVolumes lists a port's volumes for the months from..to, inclusive.
func (db *DB) FindVolumes(ctx context.Context, portCode string, from, to outbound.Date) ([]outbound.MonthlyVolume, error) {
	if err := outbound.Authorize(ctx, outbound.ReadRecords, ""); err != nil {
		return nil, err
	}
	code, err := outbound.NormalizePortCode(portCode)
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, db.Rebind(`SELECT port_code, month, measure, value FROM bts_volumes
		WHERE port_code = ? AND month >= ? AND month <= ? ORDER BY month, measure`), code, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("find volumes: %w", err)
	}
	defer rows.Close()
	var vs []outbound.MonthlyVolume
	for rows.Next() {
		var v outbound.MonthlyVolume
		if err := rows.Scan(&v.PortCode, dbDate{&v.Month}, &v.Measure, &v.Value); err != nil {
			return nil, fmt.Errorf("scan volume: %w", err)
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}
