package sqldb

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/outbound-oss/outbound"
)

// change is one audited write, before it takes its place in the chain.
type change struct {
	action, subject, crossing string
	before, after             string // digests
}

// auditBatch is how many entries one INSERT carries: 10 parameters each.
const auditBatch = 100

// appendAudit chains changes onto the audit log in the caller's
// transaction, as the context's actor. The head row is locked first, so
// that concurrent writers chain one after the other; callers append last,
// to hold that lock only until their commit.
func (db *DB) appendAudit(ctx context.Context, tx *txn, changes []change) error {
	if len(changes) == 0 {
		return nil
	}
	a := outbound.ActorFrom(ctx)
	if a == nil {
		return errors.New("audit: a write without an actor")
	}
	role := string(a.Role)
	if a.System {
		role = "system"
	}
	lock := ""
	if db.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var prev string
	if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+lock).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	at := db.Now().UTC().Truncate(time.Microsecond)
	entries := make([]outbound.AuditEntry, len(changes))
	for i, c := range changes {
		seq++
		e := outbound.AuditEntry{Seq: seq, At: at, Actor: a.Name, Role: role, Action: c.action, Subject: c.subject,
			Crossing: c.crossing, Before: c.before, After: c.after, PrevHash: prev}
		e.Hash = e.ChainHash()
		prev, entries[i] = e.Hash, e
	}
	if err := db.insertAudit(ctx, tx, entries); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, seq, prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	// Nodes pull reference data by this cursor: move it when any changed.
	for i := len(changes) - 1; i >= 0; i-- {
		if isReference(changes[i].subject) {
			return setState(ctx, tx, map[string]string{stateReference: strconv.FormatInt(seq-int64(len(changes)-1-i), 10)})
		}
	}
	return nil
}

// insertAudit stores chained entries: on PostgreSQL in one statement, an
// array per column; on SQLite in multi-row inserts of auditBatch rows.
func (db *DB) insertAudit(ctx context.Context, tx *txn, entries []outbound.AuditEntry) error {
	const head = `INSERT INTO audit_log (seq, at, actor, role, action, subject, crossing, before_digest, after_digest, hash) `
	if db.dialect == Postgres {
		n := len(entries)
		seqs, at := make([]int64, n), make([]time.Time, n)
		actors, roles, actions, subjects := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		crossings, befores, afters, hashes := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, e := range entries {
			seqs[i], at[i], actors[i], roles[i], actions[i], subjects[i] = e.Seq, e.At, e.Actor, e.Role, e.Action, e.Subject
			crossings[i], befores[i], afters[i], hashes[i] = e.Crossing, e.Before, e.After, e.Hash
		}
		_, err := tx.exec(ctx, head+`SELECT * FROM unnest(CAST(? AS bigint[]), CAST(? AS timestamptz[]), CAST(? AS text[]),
			CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))`,
			seqs, at, actors, roles, actions, subjects, crossings, befores, afters, hashes)
		return err
	}
	for start := 0; start < len(entries); start += auditBatch {
		chunk := entries[start:min(start+auditBatch, len(entries))]
		args := make([]any, 0, 10*len(chunk))
		for _, e := range chunk {
			args = append(args, e.Seq, ts(e.At), e.Actor, e.Role, e.Action, e.Subject, e.Crossing, e.Before, e.After, e.Hash)
		}
		if _, err := tx.exec(ctx, head+`VALUES `+placeholders(10, len(chunk)), args...); err != nil {
			return err
		}
	}
	return nil
}

// FindCheckpoints lists the signed checkpoints, oldest first.
func (db *DB) FindCheckpoints(ctx context.Context) ([]outbound.Checkpoint, error) {
	if err := outbound.Authorize(ctx, outbound.ReadAudit, ""); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, hash, at, public_key, signature FROM audit_checkpoints ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("find checkpoints: %w", err)
	}
	defer rows.Close()
	cps := []outbound.Checkpoint{}
	for rows.Next() {
		var c outbound.Checkpoint
		if err := rows.Scan(&c.Seq, &c.Hash, dbTime{&c.At}, &c.PublicKey, &c.Signature); err != nil {
			return nil, fmt.Errorf("scan checkpoint: %w", err)
		}
		cps = append(cps, c)
	}
	return cps, rows.Err()
}

// SignCheckpoint signs the chain's head unless the last checkpoint covers it.
func (db *DB) SignCheckpoint(ctx context.Context, key ed25519.PrivateKey) (outbound.Checkpoint, bool, error) {
	var c outbound.Checkpoint
	signed := false
	if err := outbound.Authorize(ctx, outbound.SignCheckpoints, ""); err != nil {
		return c, false, err
	}
	err := db.inTx(ctx, func(tx *txn) error {
		if err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&c.Seq, &c.Hash); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		var last int64
		err := tx.queryRow(ctx, `SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("last checkpoint: %w", err)
		}
		if c.Seq == 0 || c.Seq == last {
			return nil
		}
		c.At = db.Now().UTC().Truncate(time.Microsecond)
		c.Sign(key)
		signed = true
		_, err = tx.exec(ctx, `INSERT INTO audit_checkpoints (seq, hash, at, public_key, signature) VALUES (?, ?, ?, ?, ?)`,
			c.Seq, c.Hash, ts(c.At), c.PublicKey, c.Signature)
		return err
	})
	return c, signed, err
}
