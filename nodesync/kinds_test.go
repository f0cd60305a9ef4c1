package nodesync_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/nodesync"
)

// Every kind that port nodes record reaches headquarters unchanged in one
// round, and a second round sends nothing again; a kind nodes do not send
// stays at the node. The kinds come from outbound.Kinds, so a kind added
// there and forgotten by the push fails here.
func TestEveryKindTravelsFromNodeToHeadquarters(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		c := upstream(t, hq)

		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		sent := map[outbound.Kind]outbound.Record{}
		for _, k := range outbound.Kinds {
			r := testdb.Sample(t, k, "2304", time.Now())
			if st, err := testdb.Record(testdb.System, node, r); err != nil || st != outbound.Created {
				t.Fatalf("record %s at the node: %s, %v", k.Name, st, err)
			}
			sent[k] = r
		}
		s := &nodesync.Syncer{DB: node, Upstream: c}
		rep, err := s.Round(context.Background())
		if err != nil || rep.Pending != 0 || rep.Conflicts != 0 {
			t.Fatalf("round: %+v, %v", rep, err)
		}
		pushed := 0
		for k, r := range sent {
			got, err := hq.RecordsByID(testdb.System, k, []uuid.UUID{r.RecordID()})
			switch {
			case err != nil:
				t.Fatal(err)
			case k.FromNodes && (len(got) != 1 || got[0].ContentHash() != r.ContentHash()):
				t.Errorf("%s at headquarters: %+v; want the node's record unchanged", k.Name, got)
			case !k.FromNodes && len(got) != 0:
				t.Errorf("%s reached headquarters, though nodes do not send them", k.Name)
			}
			if k.FromNodes {
				pushed++
			}
		}
		if rep.Pushed != pushed {
			t.Errorf("the round pushed %d records; want %d, one of each kind nodes send", rep.Pushed, pushed)
		}
		if rep, err := s.Round(context.Background()); err != nil || rep.Pushed != 0 {
			t.Errorf("second round: %+v, %v; want nothing sent again", rep, err)
		}
	})
}

// A survey voided at a port node arrives voided: the void goes after the
// survey it names, in the same round, and headquarters counts neither.
func TestASurveyVoidedAtANodeArrivesVoided(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		node := testdb.Open(t, testdb.SQLite(t), testdb.Laredo)
		day := outbound.DateOf(time.Now())
		survey := outbound.Survey{ID: uuid.New(), Crossing: "2304", Day: day, OutboundLanes: 30, WiFi: "poor", Cellular: "poor", Power: "grid"}
		void := survey.Void(uuid.New(), day, "lanes typed as 30")
		// The void's id sorts first, so the push's order by id would send it first.
		for void.ID.String() > survey.ID.String() {
			void.ID = uuid.New()
		}
		if res, err := node.RecordSurveys(testdb.System, []outbound.Survey{survey, void}); err != nil || res[1].Status != outbound.Created {
			t.Fatalf("record at the node: %+v %v", res, err)
		}
		rep, err := (&nodesync.Syncer{DB: node, Upstream: upstream(t, hq)}).Round(context.Background())
		if err != nil || rep.Pushed != 2 || rep.Pending != 0 {
			t.Fatalf("round: %+v, %v", rep, err)
		}
		if latest, err := hq.LatestSurvey(testdb.System, "2304"); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Fatalf("headquarters counts a voided survey: %+v %v", latest, err)
		}
	})
}
