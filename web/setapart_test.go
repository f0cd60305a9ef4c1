package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// A record with text PostgreSQL cannot hold (a NUL byte) is that item's
// invalid result, never a 500: the rest of the batch is stored. Whether
// validation or the database refuses it, the answer is the same.
func TestNULByteInABatchIsOneItemsInvalid(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		poisoned := inspectionJSON(uuid.New())
		poisoned["notes"] = "lane 3\x00"
		good := inspectionJSON(uuid.New())
		status, body := a.do("POST", "/api/v1/inspections", []map[string]any{poisoned, good})
		var res struct{ Results []struct{ Status string } }
		if err := json.Unmarshal(body, &res); err != nil || status != 200 || len(res.Results) != 2 {
			t.Fatalf("batch = %d %s", status, body)
		}
		if a.db.Dialect() == "postgres" && res.Results[0].Status != "invalid" {
			t.Errorf("the NUL byte: %s; want invalid", res.Results[0].Status)
		}
		if res.Results[1].Status != "created" {
			t.Errorf("the good item: %s; want created", res.Results[1].Status)
		}
		// One alone answers 400, not 500.
		poisoned["id"] = uuid.NewString()
		if status, body := a.do("POST", "/api/v1/inspections", poisoned); a.db.Dialect() == "postgres" && status != 400 {
			t.Errorf("one with a NUL byte = %d %s; want 400", status, body)
		}
	})
}

// A supervisor resolves a set-apart record once, with a reason; a
// correction must be a record stored here; another crossing's supervisor
// and an officer may not; the node's status may not hold a negative queue.
func TestResolveSetApartThroughTheAPI(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		id := setApart(t, a, "headquarters refused it")
		path := "/api/v1/sync/set-apart/resolve"
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "inspection", "id": id, "resolution": "discarded", "note": " "}, "note"},
			{map[string]any{"kind": "inspection", "id": id, "resolution": "ignored", "note": "x"}, "resolution"},
			{map[string]any{"kind": "parcel", "id": id, "resolution": "discarded", "note": "x"}, "kind"},
			{map[string]any{"kind": "inspection", "id": id, "resolution": "corrected", "note": "x"}, "corrected_by"},
			{map[string]any{"kind": "inspection", "id": id, "resolution": "corrected", "corrected_by": uuid.New(), "note": "x"}, "corrected_by"},
			{map[string]any{"kind": "inspection", "id": id, "resolution": "corrected", "corrected_by": id, "note": "x"}, "corrected_by"},
		} {
			status, body := a.do("POST", path, c.body)
			if _, field, _ := errorOf(t, body); status != 400 || field != c.field {
				t.Errorf("%v = %d %s; want 400 naming %s", c.body, status, body, c.field)
			}
		}
		officer := mustToken(t, a.db, "olga", outbound.Officer, "2304")
		if status, _ := a.as(officer).do("POST", path, map[string]any{"kind": "inspection", "id": id, "resolution": "discarded", "note": "x"}); status != 403 {
			t.Errorf("an officer resolving = %d; want 403", status)
		}
		sa, err := a.db.FindSetApart(testdb.System, false)
		if err != nil || len(sa) != 1 {
			t.Fatalf("after refusals: %+v, %v; want it still open", sa, err)
		}
		status, body := a.do("POST", path, map[string]any{"kind": "inspection", "id": id, "resolution": "discarded", "note": "entered twice"})
		var got outbound.SetApart
		if err := json.Unmarshal(body, &got); err != nil || status != 200 || got.Resolution != "discarded" || got.ResolvedBy != "sam" {
			t.Fatalf("discard = %d %s", status, body)
		}
		if status, _ := a.do("POST", path, map[string]any{"kind": "inspection", "id": id, "resolution": "discarded", "note": "again"}); status != 409 {
			t.Errorf("discarding again = %d; want 409", status)
		}
		if rep, err := a.db.VerifyAudit(testdb.System, nil, nil); err != nil || !rep.OK() {
			t.Errorf("audit verify: %+v, %v", rep, err)
		}

		node := mustToken(t, a.db, "node-2304", outbound.Node, "2304")
		for _, bad := range []map[string]any{
			{"version": "v", "schema": 1, "queue_depth": -1, "last_error": ""},
			{"version": "v", "schema": 1, "queue_depth": 0, "last_error": "", "set_apart_count": -2},
			{"version": "v", "schema": 1, "queue_depth": 0, "last_error": "a\x00b"},
		} {
			if status, body := a.as(node).do("POST", "/api/v1/sync/status", bad); status != 400 {
				t.Errorf("status %v = %d %s; want 400", bad, status, body)
			}
		}
		nodes, err := a.db.FindNodes(testdb.System, 0)
		if err != nil || len(nodes) != 0 {
			t.Errorf("nodes after refused reports: %+v, %v; want none stored", nodes, err)
		}
	})
}

// The crossing page shows the records headquarters refused: as the node
// reported them (at headquarters) and as set apart here (at the node);
// the supervisor's desk discards one with a reason.
func TestSetApartOnThePages(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		id := setApart(t, a, "started_at: more than a day in the future")
		node := a.as(mustToken(t, a.db, "node-2304", outbound.Node, "2304"))
		report := map[string]any{"version": "v", "schema": 0, "queue_depth": 0, "last_error": "", "set_apart_count": 1,
			"set_apart": []any{map[string]any{"kind": "inspection", "id": id, "crossing": "2304", "reason": "refused for the page",
				"set_apart_at": "2026-03-10T12:00:00Z"}}}
		if status, body := node.do("POST", "/api/v1/sync/status", report); status != 204 {
			t.Fatalf("node status: %d %s", status, body)
		}
		status, page := a.page("/crossings/2304?from=2026-03-01&to=2026-03-10")
		if status != 200 || !strings.Contains(page, "1 refused by headquarters and set apart") || !strings.Contains(page, "Refused for the page.") ||
			!strings.Contains(page, "more than a day in the future") {
			t.Fatalf("the crossing page does not show the set-apart record: %d %s", status, page)
		}
		status, page = a.page("/supervisor")
		if status != 200 || !strings.Contains(page, "Refused by headquarters") || !strings.Contains(page, id.String()) {
			t.Fatalf("the desk does not offer the set-apart record: %d %s", status, page)
		}
		if !strings.Contains(page, "Start time: more than a day in the future.") || strings.Contains(page, "started_at") {
			t.Errorf("the desk gives headquarters' reason in the API's words; want the form's (Start time)")
		}
		form := url.Values{"crossing": {"2304"}, "kind": {"inspection"}, "id": {id.String()}, "resolution": {"discarded"}}
		if status, body, _ := a.post("/supervisor/set-apart", form); status != 400 || !strings.Contains(body, `-error" role="alert">Say why`) {
			t.Fatalf("no reason: %d %s", status, body)
		}
		form.Set("note", "entered twice")
		status, _, to := a.post("/supervisor/set-apart", form)
		if status != 303 {
			t.Fatalf("discard: %d", status)
		}
		if _, page = a.page(to); !strings.Contains(page, "is discarded") || strings.Contains(page, "Refused by headquarters") {
			t.Fatalf("the desk after discarding: %s", page)
		}
	})
}

// setApart records an inspection through the API and sets it apart, as a
// node does when headquarters refuses it, with reason; it returns its id.
func setApart(t *testing.T, a *api, reason string) uuid.UUID {
	t.Helper()
	refused := inspectionJSON(uuid.New())
	if status, body := a.do("POST", "/api/v1/inspections", refused); status != 201 {
		t.Fatalf("record: %d %s", status, body)
	}
	id := uuid.MustParse(refused["id"].(string))
	in, err := a.db.FindInspection(testdb.System, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.SetApart(testdb.System, 1, &in, reason); err != nil {
		t.Fatal(err)
	}
	return id
}
