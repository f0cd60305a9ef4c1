package sqldb_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// Lane decisions follow the policy's rate, answer the same decision to a
// retry, travel from a node to headquarters exactly once, and are refused
// when their draw does not decide them.
func TestLaneDecisions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		officer := mustUser(t, db, "olga", outbound.Officer, "2304")
		req := outbound.LaneRequest{ID: uuid.New(), Crossing: "2304", Lane: "L1", Modality: outbound.Truck}
		if _, err := db.DecideLane(officer, req); outbound.ErrorCode(err) != outbound.EUNPROCESSABLE {
			t.Fatalf("no rule in force: %v", err)
		}
		src := []byte("kind: national\nid: n\neffective: 2026-01-01\nrules:\n" +
			"  - id: lanes\n    scope: {}\n    lane_selection: {rate: 0.2, min_random: 0.05}\n")
		if _, _, err := db.PublishPolicy(testdb.System, "n.yaml", src); err != nil {
			t.Fatal(err)
		}
		first, err := db.DecideLane(officer, req)
		if err != nil || first.Status != outbound.Created {
			t.Fatalf("decide: %+v %v", first, err)
		}
		d := first.Record
		if d.Rule != "n/lanes" || d.Probability != 0.2 || d.Inspect != (d.Draw < d.Probability) || d.Day.String() != "2026-03-10" {
			t.Fatalf("decision: %+v", d)
		}
		again, err := db.DecideLane(officer, req)
		if err != nil || again.Status != outbound.Replayed || again.Record.Draw != d.Draw {
			t.Fatalf("the same id again: %+v %v; want the same decision", again, err)
		}
		other := req
		other.Lane = "L2"
		if _, err := db.DecideLane(officer, other); outbound.ErrorCode(err) != outbound.ECONFLICT {
			t.Fatalf("the same id for another vehicle: %v", err)
		}
		if _, err := db.DecideLane(mustUser(t, db, "bea", outbound.Officer, "3004"), outbound.LaneRequest{ID: uuid.New(), Crossing: "2304", Lane: "L1",
			Modality: outbound.Truck}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("Blaine's officer at Laredo: %v", err)
		}

		// Over many vehicles the rate is the rule's: 0.2 at score 1, 0.05
		// at score 0.
		for _, c := range []struct{ score, want float64 }{{1, 0.2}, {0, 0.05}} {
			const n = 600
			inspected := 0
			for range n {
				s := c.score
				r, err := db.DecideLane(officer, outbound.LaneRequest{ID: uuid.New(), Crossing: "2304", Lane: "L1", Modality: outbound.Bus, Score: &s})
				if err != nil {
					t.Fatal(err)
				}
				if r.Record.Inspect {
					inspected++
				}
			}
			if got, sd := float64(inspected)/n, math.Sqrt(c.want*(1-c.want)/n); math.Abs(got-c.want) > 5*sd {
				t.Errorf("score %v: %.3f of vehicles inspected; the rule says %.2f", c.score, got, c.want)
			}
		}

		// Headquarters takes a node's decisions once, and only decided ones.
		hq := mustOpen(t, testdb.SQLite(t))
		node := mustUser(t, hq, "node-2304", outbound.Node, "2304")
		sent := *d
		for range 2 {
			res, err := hq.RecordLaneDecisions(node, []outbound.LaneDecision{sent})
			if err != nil || (res[0].Status != outbound.Created && res[0].Status != outbound.Replayed) {
				t.Fatalf("push: %+v %v", res, err)
			}
		}
		forged := sent
		forged.ID, forged.Inspect = uuid.New(), !sent.Inspect
		if res, err := hq.RecordLaneDecisions(node, []outbound.LaneDecision{forged}); err != nil || res[0].Status != outbound.Invalid ||
			!strings.Contains(res[0].Err.Message, "draw < probability") {
			t.Fatalf("a decision its draw does not decide: %+v %v", res, err)
		}
		if _, err := hq.RecordLaneDecisions(mustUser(t, hq, "sam", outbound.Supervisor, "2304"), []outbound.LaneDecision{forged}); outbound.ErrorCode(err) != outbound.EFORBIDDEN {
			t.Fatalf("a supervisor sends draws: %v", err)
		}
		for name, x := range map[string]*sqldb.DB{"node": db, "headquarters": hq} {
			if rep, err := x.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
				t.Fatalf("%s: %v %v", name, rep.Problems, err)
			}
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE lane_decisions SET inspected = ? WHERE id = ?`), !d.Inspect, d.ID.String()); err != nil {
			t.Fatal(err)
		}
		if rep, _ := db.VerifyAudit(testdb.System, nil, nil); !strings.Contains(strings.Join(rep.Problems, "\n"), "lane:"+d.ID.String()+" was altered") {
			t.Fatalf("verify after flipping a decision: %v", rep.Problems)
		}
	})
}
