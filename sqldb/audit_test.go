package sqldb_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// audited fills a database with one of each audited record, as a
// supervisor, and signs a checkpoint of it.
func audited(t *testing.T, db *sqldb.DB, key ed25519.PrivateKey) (outbound.Inspection, outbound.Checkpoint) {
	t.Helper()
	sup := mustUser(t, db, "ana", outbound.Supervisor, "2304")
	if _, _, err := db.CreateToken(testdb.System, "ana", "tablet", nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	in := inspection(time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC))
	in.Outcome = outbound.Seized
	in.Seizures = []outbound.Seizure{{Category: outbound.Firearms, Quantity: 2, Unit: "each", ValueUSD: 1700}}
	if _, err := db.RecordInspections(sup, []outbound.Inspection{in, inspection(in.StartedAt.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	day, _ := outbound.ParseDate("2026-03-07")
	if _, err := db.RecordStaffing(sup, []outbound.Staffing{{ID: uuid.New(), Crossing: "2304", Day: day, Shift: outbound.DayShift,
		HoursPlanned: 16, HoursWorked: 8, HoursDiverted: 8, DiversionReason: outbound.DivertedInboundTraffic}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordExits(sup, []outbound.ExitCount{{ID: uuid.New(), Crossing: "2304", Day: day, Modality: outbound.Truck, Count: 900}}); err != nil {
		t.Fatal(err)
	}
	cp, signed, err := db.SignCheckpoint(testdb.System, key)
	if err != nil || !signed {
		t.Fatalf("checkpoint: %v %v", signed, err)
	}
	if _, again, _ := db.SignCheckpoint(testdb.System, key); again {
		t.Fatal("signed a second checkpoint of the same head")
	}
	return in, cp
}

func mustExec(t *testing.T, db *sqldb.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(db.Rebind(query), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// rewriteChain changes entry 2 and recomputes every hash after it, as an
// insider with database access would to hide an edit.
func rewriteChain(t *testing.T, db *sqldb.DB) {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT seq, at, actor, role, action, subject, crossing, before_digest, after_digest FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var entries []outbound.AuditEntry
	for rows.Next() {
		var e outbound.AuditEntry
		var at any
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Role, &e.Action, &e.Subject, &e.Crossing, &e.Before, &e.After); err != nil {
			t.Fatal(err)
		}
		switch v := at.(type) {
		case time.Time:
			e.At = v
		case string:
			e.At, _ = time.Parse(time.RFC3339Nano, v)
		}
		entries = append(entries, e)
	}
	rows.Close()
	prev := ""
	for i := range entries {
		e := &entries[i]
		if e.Seq == 2 {
			e.Actor = "someone else"
		}
		e.PrevHash = prev
		e.Hash = e.ChainHash()
		prev = e.Hash
		mustExec(t, db, `UPDATE audit_log SET actor = ?, hash = ? WHERE seq = ?`, e.Actor, e.Hash, e.Seq)
	}
	mustExec(t, db, `UPDATE audit_head SET hash = ? WHERE id = 1`, prev)
}

func TestVerifyCatchesEveryTampering(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	_ = otherPub
	cases := []struct {
		name   string
		tamper func(t *testing.T, db *sqldb.DB, in outbound.Inspection, cp outbound.Checkpoint)
		want   string
		broken bool // whether the chain itself is broken
	}{
		{"inspection edited in place", func(t *testing.T, db *sqldb.DB, in outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `UPDATE inspections SET notes = 'nothing seen' WHERE id = ?`, in.ID.String())
		}, "inspection:" + "%s was altered", false},
		{"seizure deleted", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `DELETE FROM seizures`)
		}, "inspection:%s was altered", false},
		{"staffing deleted", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `DELETE FROM staffing`)
		}, "is in the audit log but no longer in the database", false},
		{"exit count inserted around the application", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `INSERT INTO exit_counts (id, crossing, day, modality, count, estimated, method, received_at, content_hash)
				SELECT ?, crossing, day, 'bus', count, estimated, method, received_at, content_hash FROM exit_counts`, uuid.New().String())
		}, "is not in the audit log", false},
		{"user promoted in the database", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `UPDATE users SET role = 'admin'`)
		}, "user:ana was altered", false},
		{"audit entry edited", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `UPDATE audit_log SET actor = 'someone else' WHERE seq = 2`)
		}, "entry 2 (", true},
		{"audit entry deleted", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
		}, "entries 3 to 3 are missing", true},
		{"chain rewritten consistently", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, _ outbound.Checkpoint) {
			rewriteChain(t, db)
		}, "history up to entry", true},
		{"tail cut off and head moved back", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, cp outbound.Checkpoint) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq > ?`, cp.Seq-2)
			mustExec(t, db, `UPDATE audit_head SET seq = seq - 2, hash = (SELECT hash FROM audit_log WHERE seq = ?) WHERE id = 1`, cp.Seq-2)
		}, "but the log ends at entry", true},
		{"checkpoint forged with another key", func(t *testing.T, db *sqldb.DB, _ outbound.Inspection, cp outbound.Checkpoint) {
			mustExec(t, db, `DELETE FROM audit_checkpoints`)
			forged := cp
			forged.Sign(otherKey)
			mustExec(t, db, `INSERT INTO audit_checkpoints (seq, hash, at, public_key, signature) VALUES (?, ?, ?, ?, ?)`,
				forged.Seq, forged.Hash, forged.At.Format("2006-01-02T15:04:05.000000Z"), forged.PublicKey, forged.Signature)
		}, "is not signed by any key given", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, db *sqldb.DB) {
				in, cp := audited(t, db, key)
				rep, err := db.VerifyAudit(testdb.System, pub, nil)
				if err != nil || !rep.OK() || rep.Records < 6 || rep.Checkpoints != 1 {
					t.Fatalf("before tampering: %+v, %v; want a clean report", rep, err)
				}
				c.tamper(t, db, in, cp)
				// The auditor also kept a copy of the checkpoint.
				rep, err = db.VerifyAudit(testdb.System, pub, []outbound.Checkpoint{cp})
				if err != nil {
					t.Fatal(err)
				}
				want := strings.Replace(c.want, "%s", in.ID.String(), 1)
				if rep.OK() || !strings.Contains(strings.Join(rep.Problems, "\n"), want) {
					t.Fatalf("verify after tampering: %+v; want a problem containing %q", rep.Problems, want)
				}
				if c.broken && rep.FirstBroken == 0 {
					t.Fatalf("verify did not name the first broken link: %+v", rep)
				}
			})
		})
	}
}

func TestAuditRecordsWhoDidWhat(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		audited(t, db, key)
		var actor, role, action string
		err := db.SQL().QueryRow(`SELECT actor, role, action FROM audit_log WHERE subject LIKE 'staffing:%'`).Scan(&actor, &role, &action)
		if err != nil || actor != "ana" || role != "supervisor" || action != "staffing.create" {
			t.Fatalf("staffing entry: %s %s %s, %v", actor, role, action, err)
		}
		if _, err := db.FindCheckpoints(mustUser(t, db, "olga", outbound.Officer, "2304")); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an officer reads checkpoints: %v", err)
		}
		if _, _, err := db.SignCheckpoint(mustUser(t, db, "root", outbound.Admin), key); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an admin signs through the service: %v; only the command line with the key may", err)
		}
	})
}
