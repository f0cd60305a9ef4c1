package web_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// Through the API an analyst publishes the standard and the catalogue
// (a bad one refused, naming its line), ranks the gaps, downloads the
// fiscal year's budget request in each format, records the funding line
// and sets it against the request's plan.
func TestBudgetThroughTheAPI(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		hq := a.as(mustToken(t, a.db, "hq", outbound.HQAnalyst))
		if status, body := hq.do("GET", "/api/v1/gaps", nil); status != 404 || !strings.Contains(string(body), "no gap standard") {
			t.Fatalf("gaps before a standard: %d %s", status, body)
		}
		bad := "classes:\n  - id: sw\n    needs:\n      - {item: moat, severity: high}\n"
		if status, body := hq.do("PUT", "/api/v1/planning/gap_standard", bad); status != 400 || !strings.Contains(string(body), "needs[0]") {
			t.Fatalf("a bad standard: %d %s", status, body)
		}
		for _, f := range []struct{ kind, file string }{{"gap_standard", "standard.yaml"}, {"cost_catalogue", "catalogue.yaml"}} {
			src, _ := os.ReadFile("../gaps/testdata/" + f.file)
			if status, body := hq.do("PUT", "/api/v1/planning/"+f.kind, src); status != 201 || !strings.Contains(string(body), `"version":1`) {
				t.Fatalf("publish %s: %d %s", f.kind, status, body)
			}
		}
		policy := []byte("kind: national\nid: n\neffective: 2026-01-01\nrules:\n  - id: daily\n    scope: {}\n    min_inspections: {count: 1, per: day}\n")
		if _, _, err := a.db.PublishPolicy(testdb.System, "n.yaml", policy); err != nil {
			t.Fatal(err)
		}
		day, _ := outbound.ParseDate("2026-03-01")
		if _, err := a.db.RecordSurveys(testdb.System, []outbound.Survey{{ID: uuid.New(), Crossing: "2304", Day: day, OutboundLanes: 2,
			WiFi: "poor", Cellular: "fair", Mbps: 2, Power: "grid", Equipment: []outbound.Equipment{}, Hazards: []string{}}}); err != nil {
			t.Fatal(err)
		}
		status, body := a.do("GET", "/api/v1/gaps", nil) // the Laredo supervisor
		var gaps struct {
			Standard string
			Items    []struct{ Crossing string }
			Costs    []struct {
				Crossing  string
				FirstYear float64 `json:"first_year_usd"`
			}
		}
		if err := json.Unmarshal(body, &gaps); status != 200 || err != nil || len(gaps.Items) != 1 || len(gaps.Costs) == 0 ||
			!strings.HasPrefix(gaps.Standard, "gap standard version 1") {
			t.Fatalf("gaps: %d %s", status, body)
		}
		status, body = hq.do("GET", "/api/v1/reports/budget?fiscal_year=2027&block_hours=3", nil)
		var rep struct {
			Report  string
			Filters map[string]string
			Rows    []map[string]any
		}
		if err := json.Unmarshal(body, &rep); status != 200 || err != nil || rep.Report != "budget" || rep.Filters["block_hours"] != "3" ||
			!strings.Contains(rep.Filters["equipment"], "cost catalogue version 1") || len(rep.Rows) != 1 || rep.Rows[0]["posting_hours"] != 365*3.0 {
			t.Fatalf("budget as JSON: %d %s", status, body)
		}
		if status, body = hq.do("GET", "/api/v1/reports/budget?fiscal_year=2027&format=text", nil); status != 200 ||
			!strings.Contains(string(body), "posting 365 windows x 2 h x 1 officers = 730.0") {
			t.Fatalf("budget as text: %d %s", status, body)
		}
		// The page shows the same request: the table, the arithmetic, the downloads.
		if status, body = hq.do("GET", "/reports/budget?fiscal_year=2027", nil); status != 200 || !strings.Contains(string(body), "posting 365 windows x 2 h") ||
			!strings.Contains(string(body), "nation: shortfall") || !strings.Contains(string(body), "format=xlsx") {
			t.Fatalf("budget page: %d %s", status, body)
		}
		for format, magic := range map[string]string{"xlsx": "PK", "pdf": "%PDF", "csv": "crossing,border"} {
			if status, body = hq.do("GET", "/api/v1/reports/budget?fiscal_year=2027&format="+format, nil); status != 200 || !bytes.HasPrefix(body, []byte(magic)) {
				t.Fatalf("budget as %s: %d %.40q", format, status, body)
			}
		}
		for _, q := range []string{"", "fiscal_year=27", "fiscal_year=2027&shift_hours=0", "fiscal_year=2027&target_rate=lots", "fiscal_year=2027&format=docx"} {
			if status, body = hq.do("GET", "/api/v1/reports/budget?"+q, nil); status != 400 {
				t.Errorf("budget?%s: %d %s; want 400", q, status, body)
			}
		}
		entry := map[string]any{"id": uuid.NewString(), "fiscal_year": 2027, "crossing": "2304", "category": "equipment", "kind": "allocation",
			"day": "2026-03-02", "amount_usd": 25000, "note": "first tranche"}
		if status, body = hq.do("POST", "/api/v1/funding", entry); status != 201 {
			t.Fatalf("record funding: %d %s", status, body)
		}
		if status, body = hq.do("POST", "/api/v1/funding", entry); status != 200 {
			t.Fatalf("replay funding: %d %s", status, body)
		}
		status, body = hq.do("GET", "/api/v1/funding/plan?fiscal_year=2027", nil)
		var plan struct {
			Items []struct {
				Crossing, Category string
				Plan               float64 `json:"plan_usd"`
				Allocated          float64 `json:"allocated_usd"`
			}
		}
		if err := json.Unmarshal(body, &plan); status != 200 || err != nil {
			t.Fatalf("funding plan: %d %s", status, body)
		}
		found := false
		for _, r := range plan.Items {
			if r.Crossing == "2304" && r.Category == "equipment" {
				found = r.Allocated == 25000 && r.Plan > 0
			}
		}
		if !found {
			t.Fatalf("funding plan: no Laredo equipment row with the allocation against a plan: %s", body)
		}
	})
}
