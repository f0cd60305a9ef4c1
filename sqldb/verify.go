package sqldb

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

// maxProblems bounds a report: the first problems say where to look.
const maxProblems = 100

// verifier collects what verification finds.
type verifier struct {
	rep  outbound.AuditReport
	more int // problems beyond maxProblems
}

func (v *verifier) problem(seq int64, format string, args ...any) {
	if seq > 0 && v.rep.FirstBroken == 0 {
		v.rep.FirstBroken = seq
	}
	if len(v.rep.Problems) < maxProblems {
		v.rep.Problems = append(v.rep.Problems, fmt.Sprintf(format, args...))
	} else {
		v.more++
	}
}

// audited are the subject prefixes of records whose every row must match
// its last audit entry: every kind of client-made record, and the
// documents, policies and accounts below. Ports, crossings and BTS volumes are
// audited as writes but not compared row by row.
var audited = func() []string {
	prefixes := []string{"user:", "token:", "schedule:", "operation:", "plan:", "setapart:", "policy:"}
	for _, s := range stores {
		prefixes = append(prefixes, s.kind().Name+":")
	}
	return prefixes
}()

// VerifyAudit recomputes the chain, checks the checkpoints against pub (if
// given), compares every audited record with its last audit entry and
// recomputes every report rollup cell.
func (db *DB) VerifyAudit(ctx context.Context, pub ed25519.PublicKey, kept []outbound.Checkpoint) (outbound.AuditReport, error) {
	var keys []ed25519.PublicKey
	if pub != nil {
		keys = append(keys, pub)
	}
	return db.Verify(ctx, keys, kept, RollupCheck{})
}

// Verify is VerifyAudit with a choice of how much of the rollups to
// recompute, and progress. A checkpoint passes when one of keys signed it:
// after the signing key is rotated, the old and the new public key.
func (db *DB) Verify(ctx context.Context, keys []ed25519.PublicKey, kept []outbound.Checkpoint, check RollupCheck) (outbound.AuditReport, error) {
	if err := outbound.Authorize(ctx, outbound.ReadAudit, ""); err != nil {
		return outbound.AuditReport{}, err
	}
	v := &verifier{}
	stored, err := db.FindCheckpoints(ctx)
	if err != nil {
		return v.rep, err
	}
	checkpoints := append(stored, kept...)
	want := map[int64]string{} // hashes to remember along the chain: those checkpoints name
	for _, c := range checkpoints {
		want[c.Seq] = ""
	}
	last, lastSeq, lastHash, err := db.verifyChain(ctx, v, want)
	if err != nil {
		return v.rep, err
	}
	var headSeq int64
	var headHash string
	if err := db.sql.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return v.rep, fmt.Errorf("audit head: %w", err)
	}
	if headSeq != lastSeq || headHash != lastHash {
		v.problem(min(headSeq, lastSeq)+1, "the head names entry %d (%.12s) but the log ends at entry %d (%.12s): entries were removed or added at the end", headSeq, headHash, lastSeq, lastHash)
	}
	for _, c := range checkpoints {
		v.rep.Checkpoints++
		switch got, ok := want[c.Seq]; {
		case len(keys) > 0 && !slices.ContainsFunc(keys, c.VerifySignature):
			v.problem(0, "checkpoint at entry %d (%s) is not signed by any key given", c.Seq, c.At.Format("2006-01-02T15:04:05Z"))
		case c.Seq > lastSeq:
			v.problem(lastSeq+1, "checkpoint at entry %d, but the log ends at entry %d: entries were removed", c.Seq, lastSeq)
		case !ok || got != c.Hash:
			v.problem(c.Seq, "history up to entry %d was rewritten: the checkpoint signed %.12s, the log now has %.12s", c.Seq, c.Hash, got)
		}
	}
	if err := db.verifyRecords(ctx, v, last); err != nil {
		return v.rep, err
	}
	if err := db.verifyRollups(ctx, v, check); err != nil {
		return v.rep, err
	}
	v.finish()
	return v.rep, nil
}

// verifyChain walks the log in order, checking numbering, links and hashes;
// it returns each subject's last digest and the last entry.
func (db *DB) verifyChain(ctx context.Context, v *verifier, want map[int64]string) (map[string]string, int64, string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, at, actor, role, action, subject, crossing,
		before_digest, after_digest, hash FROM audit_log ORDER BY seq`)
	if err != nil {
		return nil, 0, "", fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	last := map[string]string{}
	var seq int64
	prev := ""
	for rows.Next() {
		var e outbound.AuditEntry
		if err := rows.Scan(&e.Seq, dbTime{&e.At}, &e.Actor, &e.Role, &e.Action, &e.Subject, &e.Crossing,
			&e.Before, &e.After, &e.Hash); err != nil {
			return nil, 0, "", fmt.Errorf("scan audit entry: %w", err)
		}
		v.rep.Entries++
		e.PrevHash = prev // the chain: each hash covers the one before
		switch {
		case e.Seq != seq+1:
			v.problem(seq+1, "entries %d to %d are missing", seq+1, e.Seq-1)
		case e.ChainHash() != e.Hash:
			v.problem(e.Seq, "entry %d (%s %s) does not match its hash: it, or the entry before it, was altered", e.Seq, e.Action, e.Subject)
		}
		seq, prev = e.Seq, e.Hash
		if _, ok := want[e.Seq]; ok {
			want[e.Seq] = e.Hash
		}
		last[e.Subject] = e.After
	}
	return last, seq, prev, rows.Err()
}

// verifyRecords compares every audited record with its last entry.
func (db *DB) verifyRecords(ctx context.Context, v *verifier, last map[string]string) error {
	seen := map[string]bool{}
	check := func(subject string, digest string) {
		v.rep.Records++
		seen[subject] = true
		want, ok := last[subject]
		switch {
		case !ok:
			v.problem(0, "%s is not in the audit log: it was written around the application", subject)
		case want != digest:
			v.problem(0, "%s was altered after it was written: it no longer matches its audit entry", subject)
		}
	}
	for _, st := range stores {
		if err := st.verify(ctx, db, check); err != nil {
			return err
		}
	}
	if err := eachRow(ctx, db, `SELECT `+userColumns+` FROM users`, withHash(scanUser),
		func(u outbound.UserRecord) { check("user:"+u.Name, outbound.Digest(u)) }); err != nil {
		return err
	}
	if err := eachRow(ctx, db, `SELECT `+tokenColumns+` FROM tokens`, withHash(scanToken),
		func(t outbound.TokenRecord) { check("token:"+t.ID, outbound.Digest(t)) }); err != nil {
		return err
	}
	if err := eachRow(ctx, db, `SELECT `+scheduleColumns+` FROM schedules`, withHash(scanSchedule),
		func(s outbound.PublishedSchedule) { check(scheduleSubject(s), scheduleDigest(s)) }); err != nil {
		return err
	}
	if err := eachRow(ctx, db, `SELECT `+operationColumns+` FROM operations`, withHash(scanOperation),
		func(op outbound.Operation) { check("operation:"+op.ID, operationDigest(op)) }); err != nil {
		return err
	}
	if err := eachRow(ctx, db, `SELECT `+planColumns+` FROM plan_documents`, scanPlan,
		func(d outbound.PlanDocument) { check(planSubject(d), planDigest(d)) }); err != nil {
		return err
	}
	if err := eachRow(ctx, db, `SELECT `+setApartColumns+` FROM sync_set_apart`, scanSetApart,
		func(sa outbound.SetApart) { check(setApartSubject(sa), outbound.Digest(sa)) }); err != nil {
		return err
	}
	if err := db.verifyPolicies(ctx, v, check); err != nil {
		return err
	}
	var removed []string
	for subject, after := range last {
		for _, kind := range audited {
			if strings.HasPrefix(subject, kind) && !seen[subject] && after != "" {
				removed = append(removed, subject)
			}
		}
	}
	sort.Strings(removed)
	for _, s := range removed {
		v.problem(0, "%s is in the audit log but no longer in the database: it was removed", s)
	}
	return nil
}

// verifyPolicies compares each published policy's text with the digest
// of its audit entry, as planning documents are: compliance is computed
// from that text. The columns beside it (kind, effective date) must say
// what the text says, since policies are listed and sent to port nodes in
// their order.
func (db *DB) verifyPolicies(ctx context.Context, v *verifier, check func(subject, digest string)) error {
	type row struct{ id, kind, effective, source string }
	return eachRow(ctx, db, `SELECT id, kind, effective, source FROM policies ORDER BY id`,
		func(s scanner) (row, string, error) {
			var r row
			return r, "", s.Scan(&r.id, &r.kind, &r.effective, &r.source)
		}, func(r row) {
			check("policy:"+r.id, outbound.Digest(r.source))
			docs, err := policy.Parse(r.id, strings.NewReader(r.source))
			if err != nil {
				v.problem(0, "policy:%s no longer reads as a policy: %v", r.id, err)
				return
			}
			for _, d := range docs {
				if d.ID == r.id && d.Kind == r.kind && d.Effective == r.effective {
					return
				}
			}
			v.problem(0, "policy:%s was altered after it was published: its kind %q or effective date %q is not what its text says", r.id, r.kind, r.effective)
		})
}

// withSeq scans a row's seq before the columns scanInspection reads.
type withSeq struct {
	s   scanner
	seq *int64
}

func (w withSeq) Scan(dest ...any) error { return w.s.Scan(append([]any{w.seq}, dest...)...) }

// eachInspection reads every inspection version with its seizures, a page
// at a time.
func (db *DB) eachInspection(ctx context.Context, fn func(outbound.Inspection)) error {
	var after int64
	for {
		rows, err := db.sql.QueryContext(ctx, db.Rebind(`SELECT seq, `+inspectionColumns+` FROM inspections
			WHERE seq > ? ORDER BY seq LIMIT 1000`), after)
		if err != nil {
			return fmt.Errorf("verify: %w", err)
		}
		var page []outbound.Inspection
		for rows.Next() {
			in, _, err := scanInspection(withSeq{rows, &after})
			if err != nil {
				rows.Close()
				return fmt.Errorf("verify: %w", err)
			}
			page = append(page, in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := db.loadDetails(ctx, db.sql, page); err != nil {
			return err
		}
		for _, in := range page {
			fn(in)
		}
	}
}
