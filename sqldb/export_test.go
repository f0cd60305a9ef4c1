package sqldb

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/outbound-oss/outbound"
)

// The two designs of the audit log weighed in issue #18, for
// BenchmarkAuditDesign: one entry per record (the log as it is), and one
// entry per batch whose after digest hashes the list of the batch's
// subjects and digests, the list kept in the entry (in before_digest,
// for the measurement) so that a verify can still name one altered
// record.

// AuditPerRecord appends one entry per subject, as a batch's records do.
func (db *DB) AuditPerRecord(ctx context.Context, subjects, digests []string) error {
	return db.inTx(ctx, func(tx *txn) error {
		changes := make([]change, len(subjects))
		for i := range subjects {
			changes[i] = change{action: "inspection.create", subject: subjects[i], crossing: "2304", after: digests[i]}
		}
		return db.appendAudit(ctx, tx, changes)
	})
}

// AuditPerBatch appends one entry for the whole batch.
func (db *DB) AuditPerBatch(ctx context.Context, batch string, subjects, digests []string) error {
	var list strings.Builder
	for i := range subjects {
		list.WriteString(subjects[i] + " " + digests[i] + "\n")
	}
	return db.inTx(ctx, func(tx *txn) error {
		return db.appendAudit(ctx, tx, []change{{action: "inspection.batch", subject: "batch:" + batch, crossing: "2304",
			before: list.String(), after: outbound.Digest(list.String())}})
	})
}

// AuditDigests reads the log as verify does (every link recomputed) and
// returns each record's last digest; a batch entry's list is checked
// against its digest and counts for each record in it.
func (db *DB) AuditDigests(ctx context.Context) (map[string]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, at, actor, role, action, subject, crossing,
		before_digest, after_digest, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	last := map[string]string{}
	prev := ""
	for rows.Next() {
		var e outbound.AuditEntry
		if err := rows.Scan(&e.Seq, dbTime{&e.At}, &e.Actor, &e.Role, &e.Action, &e.Subject, &e.Crossing,
			&e.Before, &e.After, &e.Hash); err != nil {
			return nil, err
		}
		e.PrevHash = prev
		if e.ChainHash() != e.Hash {
			return nil, fmt.Errorf("entry %d is altered", e.Seq)
		}
		prev = e.Hash
		if e.Action != "inspection.batch" {
			last[e.Subject] = e.After
			continue
		}
		if outbound.Digest(e.Before) != e.After {
			return nil, fmt.Errorf("entry %d: its list is altered", e.Seq)
		}
		sc := bufio.NewScanner(strings.NewReader(e.Before))
		for sc.Scan() {
			subject, digest, _ := strings.Cut(sc.Text(), " ")
			last[subject] = digest
		}
	}
	return last, rows.Err()
}
