package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// Every kind of record with an API has its collection in openapi.json and
// on the server: the Go client posts one record of each kind (created,
// then replayed) and finds it in the list. The kinds come from
// outbound.Kinds, so a kind added there and forgotten in the API fails here.
func TestEveryKindHasItsAPI(t *testing.T) {
	doc := mustDoc(t)
	forEachServer(t, func(t *testing.T, a *api) {
		ctx := context.Background()
		// Nodes send every kind they record; funding is entered at headquarters.
		hana := mustToken(t, a.db, "hana", outbound.HQAnalyst)
		node, analyst := client.New(a.url, mustToken(t, a.db, "node-2304", outbound.Node, "2304")), client.New(a.url, hana)
		for _, k := range outbound.Kinds {
			if k.Path == "" {
				continue
			}
			item := doc.Paths.Find(k.Path)
			if item == nil || item.Post == nil || item.Get == nil {
				t.Errorf("openapi.json lacks POST and GET %s for %s", k.Path, k.Plural)
			}
			c := node
			if !k.FromNodes {
				c = analyst
			}
			r := testdb.Sample(t, k, "2304", clock)
			for _, want := range []outbound.Status{outbound.Created, outbound.Replayed} {
				if st, err := testdb.Record(ctx, c, r); err != nil || st != want {
					t.Fatalf("POST %s: %s, %v; want %s", k.Path, st, err, want)
				}
			}
			if status, body := a.as(hana).do("GET", k.Path+"?crossing=2304", nil); status != 200 ||
				!strings.Contains(string(body), r.RecordID().String()) {
				t.Errorf("GET %s: %d %s; want the record posted", k.Path, status, body)
			}
		}
	})
}

// The Go client answers as the storage does: the same pages, versions and
// history, so a node, a test or a command can use either.
func TestClientAnswersAsTheStorage(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		ctx := testdb.System
		first := testdb.Sample(t, outbound.InspectionKind, "2304", clock).(*outbound.Inspection)
		edit := *first
		edit.ID, edit.Replaces, edit.Reason, edit.Notes = uuid.New(), &first.ID, "badge typo", "corrected"
		for _, in := range []outbound.Inspection{*first, edit} {
			if _, err := testdb.Record(ctx, a.db, &in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := testdb.Record(ctx, a.db, testdb.Sample(t, outbound.StaffingKind, "2304", clock)); err != nil {
			t.Fatal(err)
		}
		c := client.New(a.url, mustToken(t, a.db, "hana", outbound.HQAnalyst))
		f := outbound.Filter{Crossing: "2304", From: outbound.DateOf(clock).AddDays(-7), To: outbound.DateOf(clock), Limit: 10}
		same := func(what string, got, want any, errs ...error) {
			t.Helper()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s through the client differs from the storage (-storage +client):\n%s", what, diff)
			}
		}
		wantList, wantNext, err1 := a.db.FindInspections(ctx, outbound.InspectionFilter{Filter: f, IncludeVoided: true})
		gotList, gotNext, err2 := c.FindInspections(context.Background(), outbound.InspectionFilter{Filter: f, IncludeVoided: true})
		same("FindInspections", []any{gotList, gotNext}, []any{wantList, wantNext}, err1, err2)
		wantOne, err1 := a.db.FindInspection(ctx, first.ID)
		gotOne, err2 := c.FindInspection(context.Background(), first.ID)
		same("FindInspection", gotOne, wantOne, err1, err2)
		wantHistory, err1 := a.db.InspectionHistory(ctx, edit.ID)
		gotHistory, err2 := c.InspectionHistory(context.Background(), edit.ID)
		same("InspectionHistory", gotHistory, wantHistory, err1, err2)
		if len(gotHistory) != 2 {
			t.Errorf("history: %d versions; want 2", len(gotHistory))
		}
		wantStaffing, _, err1 := a.db.FindStaffing(ctx, f)
		gotStaffing, _, err2 := c.FindStaffing(context.Background(), f)
		same("FindStaffing", gotStaffing, wantStaffing, err1, err2)
		if _, err := c.FindInspection(context.Background(), uuid.New()); outbound.ErrorCode(err) != outbound.ENOTFOUND {
			t.Errorf("an unknown id through the client: %v; want not found", err)
		}
	})
}
