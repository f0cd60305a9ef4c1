package web_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// importOne imports one historical inspection at Laredo on 2026-03-02, as
// `outbound import inspections` does.
func importOne(t *testing.T, db *sqldb.DB) outbound.Inspection {
	t.Helper()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", -6*3600))
	in := outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: at, EndedAt: at.Add(10 * time.Minute),
		Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.NIIXray}, Trigger: outbound.Routine,
		Officers: []string{"B1"}, Outcome: outbound.NoFinding}
	seq := func(yield func(sqldb.HistoryRow, error) bool) {
		yield(sqldb.HistoryRow{Where: "line 2", Inspection: in}, nil)
	}
	st, err := db.ImportHistory(testdb.System, outbound.ImportSource{File: "laredo-log.csv", SHA256: strings.Repeat("ab", 32)}, seq, sqldb.HistoryOptions{})
	if err != nil || st.Created != 1 {
		t.Fatalf("import: %+v %v", st, err)
	}
	return in
}

// Imported history shows as imported on its crossing's page and in the
// API; reports count it or not by ?source=; an inspection sent with an
// import of its own is refused.
func TestImportedHistoryInPagesAndReports(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		if status, body := a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 201 { // recorded, 2026-03-01
			t.Fatalf("setup: %d %s", status, body)
		}
		imported := importOne(t, a.db)
		if status, page := a.page("/crossings/2304?from=2026-03-01&to=2026-03-07"); !strings.Contains(page, "imported from laredo-log.csv by test") {
			t.Fatalf("the crossing page does not mark the imported inspection: %d %s", status, page)
		}
		for source, want := range map[string]float64{"": 2, "all": 2, "recorded": 1, "imported": 1} {
			status, body := a.do("GET", "/api/v1/reports/activity?from=2026-03-01&to=2026-03-07&source="+source, nil)
			var rep struct {
				Totals map[string]any `json:"totals"`
			}
			if err := json.Unmarshal(body, &rep); status != 200 || err != nil || rep.Totals["inspections"] != want {
				t.Errorf("source %q: %d %s; want %g inspections", source, status, body, want)
			}
		}
		if status, body := a.do("GET", "/api/v1/reports/activity?from=2026-03-01&to=2026-03-07&source=typed", nil); status != 400 || !strings.Contains(string(body), `"field":"source"`) {
			t.Errorf("a bad source: %d %s", status, body)
		}
		status, body := a.do("GET", "/api/v1/inspections?crossing=2304&from=2026-03-02&to=2026-03-02", nil)
		if status != 200 || !strings.Contains(string(body), `"import":{"id":`) || !strings.Contains(string(body), `"file":"laredo-log.csv"`) {
			t.Fatalf("the API does not show the import: %d %s", status, body)
		}
		forged := inspectionJSON(uuid.New())
		forged["import"] = map[string]any{"id": uuid.NewString(), "file": "x.csv", "sha256": strings.Repeat("0", 64), "by": "me", "at": "2026-03-01T00:00:00Z"}
		status, body = a.do("POST", "/api/v1/inspections", forged)
		if status != 400 || !strings.Contains(string(body), `"field":"import"`) {
			t.Fatalf("an inspection sent as imported: %d %s", status, body)
		}
		// An edit of imported history stays imported: it counts there.
		edit := imported.NextVersion(uuid.New(), "badge typed wrong")
		edit.Officers = []string{"B2"}
		if status, body := a.do("POST", "/api/v1/inspections", edit); status != 201 || !strings.Contains(string(body), `"file":"laredo-log.csv"`) {
			t.Fatalf("edit imported history: %d %s", status, body)
		}
		if rep, err := a.db.VerifyRollups(testdb.System, sqldb.RollupCheck{}); err != nil || !rep.OK() {
			t.Fatalf("rollups after the edit: %+v %v", rep.Problems, err)
		}
	})
}
