package web_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
)

func TestStaffingAndExitsFollowTheSameContract(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		shift := map[string]any{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-01", "shift": "day",
			"hours_planned": 32, "hours_worked": 24, "hours_diverted": 8, "diversion_reason": "inbound_traffic", "notes": ""}
		if status, body := a.do("POST", "/api/v1/staffing", shift); status != 201 {
			t.Fatalf("staffing = %d %s", status, body)
		}
		if status, _ := a.do("POST", "/api/v1/staffing", shift); status != 200 {
			t.Fatalf("staffing replay = %d; want 200", status)
		}
		second := map[string]any{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-01", "shift": "day",
			"hours_planned": 16, "hours_worked": 16, "hours_diverted": 0}
		status, body := a.do("POST", "/api/v1/staffing", second)
		if code, _, _ := errorOf(t, body); status != 409 || code != "conflict" {
			t.Fatalf("a second record for the same shift = %d %s", status, body)
		}
		noReason := map[string]any{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-01", "shift": "night",
			"hours_planned": 16, "hours_worked": 8, "hours_diverted": 8}
		status, body = a.do("POST", "/api/v1/staffing", noReason)
		if _, field, _ := errorOf(t, body); status != 400 || field != "diversion_reason" {
			t.Fatalf("diverted hours without a reason = %d %s", status, body)
		}
		badDay := map[string]any{"id": uuid.New().String(), "crossing": "2304", "day": "01/03/2026", "shift": "night",
			"hours_planned": 1, "hours_worked": 1, "hours_diverted": 0}
		if status, body = a.do("POST", "/api/v1/staffing", badDay); status != 400 {
			t.Fatalf("bad day = %d %s", status, body)
		}
		status, body = a.do("GET", "/api/v1/staffing?crossing=2304&from=2026-03-01&to=2026-03-01", nil)
		var l struct{ Items []map[string]any }
		json.Unmarshal(body, &l)
		if status != 200 || len(l.Items) != 1 || l.Items[0]["hours_diverted"] != 8.0 {
			t.Fatalf("staffing list = %d %s", status, body)
		}

		exits := []map[string]any{
			{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-01", "modality": "truck", "count": 5210, "estimated": false, "method": "lane counter"},
			{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-01", "modality": "personal_vehicle", "count": 30000, "estimated": true, "method": ""},
		}
		status, body = a.do("POST", "/api/v1/exits", exits)
		var res struct{ Results []struct{ Status string } }
		json.Unmarshal(body, &res)
		if status != 200 || res.Results[0].Status != "created" || res.Results[1].Status != "invalid" {
			t.Fatalf("exits batch = %d %s; want created, then invalid (an estimate needs its method)", status, body)
		}
		status, body = a.do("GET", "/api/v1/exits?crossing=2304", nil)
		json.Unmarshal(body, &l)
		if status != 200 || len(l.Items) != 1 || l.Items[0]["count"] != 5210.0 {
			t.Fatalf("exits list = %d %s", status, body)
		}
	})
}
