package sqldb_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A node's record that collides at headquarters is kept for a supervisor,
// never dropped or written over.
func TestNodeConflictsAreKept(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		node := mustUser(t, db, "node-2304", outbound.Node, "2304")
		v1 := inspection(time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC))
		if _, err := db.RecordInspections(sup, []outbound.Inspection{v1}); err != nil {
			t.Fatal(err)
		}
		other := v1
		other.Notes = "entered at the node with other notes"
		res, err := db.RecordInspections(node, []outbound.Inspection{other, other})
		if err != nil || res[0].Status != outbound.Conflict || res[1].Status != outbound.Conflict {
			t.Fatalf("node pushes a colliding id twice: %+v, %v", res, err)
		}
		list, err := db.FindConflicts(sup, "")
		if err != nil || len(list) != 1 || list[0].ID != v1.ID || list[0].Node != "node-2304" || list[0].Kind != "inspection" {
			t.Fatalf("conflicts = %+v, %v; want the node's version kept once", list, err)
		}
		if stored, _ := db.FindInspection(sup, v1.ID); stored.Notes != "" {
			t.Fatal("the node's version overwrote headquarters' record")
		}
		if _, err := db.FindConflicts(mustUser(t, db, "nils", outbound.Officer, "3004"), "2304"); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("another crossing's officer reads the conflicts: %v", err)
		}
		// A supervisor's own collision is answered, not kept: they are there to see it.
		res, _ = db.RecordInspections(sup, []outbound.Inspection{other})
		if list, _ := db.FindConflicts(testdb.System, ""); res[0].Status != outbound.Conflict || len(list) != 1 {
			t.Fatalf("a supervisor's conflict was kept: %d kept", len(list))
		}
	})
}

func TestReferenceFollowsTheNodesScope(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		node := mustUser(t, db, "node-2304", outbound.Node, "2304")
		mustUser(t, db, "olga", outbound.Officer, "2304")
		mustUser(t, db, "nils", outbound.Officer, "3004")
		mustUser(t, db, "hana", outbound.HQAnalyst)
		ref, err := db.ReferenceFor(node, 0)
		if err != nil || !ref.Changed || len(ref.Crossings) != 2 || len(ref.Users) != 1 || ref.Users[0].Name != "olga" || ref.Users[0].PasswordHash == "" {
			t.Fatalf("reference = %+v, %v; want both crossings and Laredo's officer with her hash", ref, err)
		}
		again, err := db.ReferenceFor(node, ref.Cursor)
		if err != nil || again.Changed {
			t.Fatalf("nothing changed, but the reference says %+v, %v", again, err)
		}
		if ahead, _ := db.ReferenceFor(node, ref.Cursor+100); !ahead.Changed {
			t.Fatal("a node ahead of headquarters (restored from a backup) got nothing")
		}
		// Records are not reference data: they do not move the cursor.
		if _, err := db.RecordInspections(testdb.System, []outbound.Inspection{inspection(time.Date(2026, 3, 8, 10, 0, 0, 0, time.UTC))}); err != nil {
			t.Fatal(err)
		}
		if again, _ = db.ReferenceFor(node, ref.Cursor); again.Changed {
			t.Fatal("an inspection moved the reference cursor")
		}
		if err := db.DisableUser(testdb.System, "olga"); err != nil {
			t.Fatal(err)
		}
		if again, _ = db.ReferenceFor(node, ref.Cursor); !again.Changed || !again.Users[0].Disabled {
			t.Fatalf("after disabling olga: %+v", again)
		}
		if again.Users[0].PasswordHash != "" {
			t.Fatal("a disabled user's password hash is sent to the node")
		}
		// The node applies it: olga is off there, and her old hash is gone.
		port := testdb.Open(t, testdb.SQLite(t))
		if err := port.ApplyReference(testdb.System, ref); err != nil {
			t.Fatal(err)
		}
		if err := port.ApplyReference(testdb.System, again); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := port.SQL().QueryRow(`SELECT password_hash FROM users WHERE name = 'olga'`).Scan(&hash); err != nil || hash != "" {
			t.Fatalf("the node keeps olga's hash %q after she was disabled: %v", hash, err)
		}
		if _, err := db.ReferenceFor(mustUser(t, db, "sam", outbound.Supervisor, "2304"), 0); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a supervisor pulls reference data: %v", err)
		}
	})
}

// A supervisor resolves each kept conflict once, with a reason: applying
// the node's inspection makes it the latest version (once, however often
// it is asked), keeping headquarters' leaves the record as it was.
func TestResolveConflicts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		sup := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		node := mustUser(t, db, "node-2304", outbound.Node, "2304")
		v1 := inspection(time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC))
		mustRecord(t, db, v1)
		other := v1
		other.Notes = "the node's notes"
		edit := v1
		edit.ID, edit.Replaces, edit.Reason, edit.Modality = uuid.New(), &v1.ID, "node edit", outbound.Truck
		fix := v1
		fix.ID, fix.Replaces, fix.Reason = uuid.New(), &v1.ID, "headquarters' edit"
		mustRecord(t, db, fix) // the node's edit of v1 is now stale
		if res, err := db.RecordInspections(node, []outbound.Inspection{other, edit}); err != nil || res[0].Status != outbound.Conflict || res[1].Status != outbound.Conflict {
			t.Fatalf("node push: %+v %v", res, err)
		}
		apply := outbound.ConflictResolution{Kind: "inspection", ID: v1.ID, Node: "node-2304", Resolution: outbound.AppliedNode, Note: "the node is right"}
		if _, err := db.ResolveConflict(mustUser(t, db, "olga", outbound.Officer, "2304"), apply); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("an officer resolves: %v", err)
		}
		if _, err := db.ResolveConflict(sup, outbound.ConflictResolution{Kind: "inspection", ID: v1.ID, Node: "node-2304", Resolution: outbound.AppliedNode}); outbound.ErrorCode(err) != outbound.EINVALID {
			t.Fatalf("no reason given: %v", err)
		}
		c, err := db.ResolveConflict(sup, apply)
		if err != nil || c.Resolution != outbound.AppliedNode || c.ResolvedBy != "sam" || !c.ResolvedAt.Equal(clock) {
			t.Fatalf("apply: %+v %v", c, err)
		}
		history, err := db.InspectionHistory(sup, v1.ID)
		if err != nil || len(history) != 3 || history[2].Notes != "the node's notes" || history[2].Reason != "node node-2304's version applied: the node is right" {
			t.Fatalf("history after applying: %+v %v", history, err)
		}
		if _, err := db.ResolveConflict(sup, apply); outbound.ErrorCode(err) != outbound.ECONFLICT {
			t.Fatalf("resolved twice: %v", err)
		}
		// A crash after applying but before marking the conflict: resolving
		// again marks it and adds no second version.
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE sync_conflicts SET resolution = '' WHERE id = ?`), v1.ID.String()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ResolveConflict(sup, apply); err != nil {
			t.Fatalf("resolving after a crash: %v", err)
		}
		if h, _ := db.InspectionHistory(sup, v1.ID); len(h) != 3 {
			t.Fatalf("applied twice: %d versions", len(h))
		}
		kept, err := db.ResolveConflict(sup, outbound.ConflictResolution{Kind: "inspection", ID: edit.ID, Node: "node-2304",
			Resolution: outbound.KeptHeadquarters, Note: "headquarters' edit stands"})
		if err != nil || kept.Resolution != outbound.KeptHeadquarters {
			t.Fatalf("keep: %+v %v", kept, err)
		}
		if h, _ := db.InspectionHistory(sup, v1.ID); len(h) != 3 {
			t.Fatalf("keeping headquarters' record added a version: %d", len(h))
		}
		list, _ := db.FindConflicts(sup, "2304")
		if len(list) != 2 || list[0].Resolution == "" || list[1].Resolution == "" {
			t.Fatalf("conflicts after resolving: %+v", list)
		}
		if rep, err := db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Fatalf("verify: %v %v", rep.Problems, err)
		}
	})
}
