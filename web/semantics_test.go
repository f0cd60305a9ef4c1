package web_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
)

// A retry that lists the techniques or the officers in another order is a
// replay, answered with the record as first stored, alone (200) and in a
// batch ("replayed"); any other difference is still a conflict.
func TestReorderedSetsAreAReplay(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		in := inspectionJSON(uuid.New())
		status, stored := a.do("POST", "/api/v1/inspections", in)
		if status != 201 {
			t.Fatalf("create = %d %s", status, stored)
		}
		in["techniques"], in["officers"] = []string{"physical", "interview"}, []string{"B5678", "B1234"}
		status, body := a.do("POST", "/api/v1/inspections", in)
		if status != 200 || string(body) != string(stored) {
			t.Fatalf("reordered replay = %d %s; want 200 with the stored record %s", status, body, stored)
		}
		only := inspectionJSON(uuid.MustParse(in["id"].(string)))
		only["officers"] = []string{"B5678", "B1234"}
		fresh := inspectionJSON(uuid.New())
		changed := inspectionJSON(uuid.MustParse(in["id"].(string)))
		changed["officers"] = []string{"B5678", "B1235"}
		status, body = a.do("POST", "/api/v1/inspections", []map[string]any{in, only, fresh, changed})
		var res struct{ Results []struct{ Status string } }
		if err := json.Unmarshal(body, &res); err != nil || status != 200 || len(res.Results) != 4 {
			t.Fatalf("batch = %d %s", status, body)
		}
		for i, want := range []string{"replayed", "replayed", "created", "conflict"} {
			if res.Results[i].Status != want {
				t.Errorf("item %d = %s; want %s (%s)", i, res.Results[i].Status, want, body)
			}
		}
		status, body = a.do("GET", "/api/v1/inspections/"+in["id"].(string), nil)
		if status != 200 || string(body) != string(stored) {
			t.Fatalf("stored record after the replays = %d %s; want it unchanged: %s", status, body, stored)
		}
		if a.count() != 2 {
			t.Fatalf("stored %d inspections; want 2", a.count())
		}
	})
}
