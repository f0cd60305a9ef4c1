package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// post sends a page's form as a browser would (with a token instead of a
// cookie, so no CSRF field) and returns the status, the page and where it
// sends the browser next.
func (a *api) post(path string, form url.Values) (int, string, string) {
	a.t.Helper()
	req, _ := http.NewRequest("POST", a.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := noRedirects.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

func (a *api) page(path string) (int, string) {
	a.t.Helper()
	status, body := a.do("GET", path, nil)
	return status, string(body)
}

// A supervisor records a shift's hours and a diversion, publishes a
// schedule and plans an operation from the desk; a bad shift is refused
// with the field named, and nothing is stored.
func TestSupervisorDesk(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		shift := url.Values{"crossing": {"2304"}, "day": {"2026-03-09"}, "shift": {"day"}, "hours_planned": {"16"}, "hours_worked": {"10"},
			"hours_diverted": {"6"}, "diversion_reason": {""}}
		status, body, _ := a.post("/supervisor/staffing", shift)
		// The form again, as typed, with why at its field in plain words.
		if status != 400 || !strings.Contains(body, `<p class="error field-error" id="s-reason-error" role="alert">Diverted hours need a reason for the diversion: Inbound traffic, Staff shortage,`) ||
			!strings.Contains(body, `name="hours_diverted" type="number" min="0" max="800" step="0.25" inputmode="decimal" value="6"`) ||
			!strings.Contains(body, `name="diversion_reason" aria-invalid="true" aria-describedby="s-reason-error"`) || strings.Contains(body, "inbound_traffic<") || strings.Contains(body, "diversion_reason:") {
			t.Fatalf("diverted hours without a reason: %d %s", status, body)
		}
		if list, _, _ := a.db.FindStaffing(testdb.System, outbound.Filter{Limit: 10}); len(list) != 0 {
			t.Fatalf("a refused shift was stored: %+v", list)
		}
		shift.Set("diversion_reason", "inbound_traffic")
		if status, _, to := a.post("/supervisor/staffing", shift); status != 303 || !strings.HasPrefix(to, "/supervisor?") {
			t.Fatalf("record a shift: %d -> %q", status, to)
		}
		if list, _, _ := a.db.FindStaffing(testdb.System, outbound.Filter{Limit: 10}); len(list) != 1 || list[0].HoursDiverted != 6 {
			t.Fatalf("stored shifts: %+v", list)
		}
		if status, _, _ := a.post("/supervisor/schedule", url.Values{"crossing": {"2304"}, "from": {"2026-03-11"}, "to": {"2026-03-17"}}); status != 303 {
			t.Fatalf("publish a schedule: %d", status)
		}
		status, _, to := a.post("/supervisor/operation", url.Values{"crossing": {"2304"}, "name": {"surge"}, "from": {"2026-03-11"},
			"to": {"2026-03-12"}, "officers": {"6"}, "reason": {"a tip"}})
		if status != 303 || !strings.Contains(to, "Operation+surge+planned") {
			t.Fatalf("plan an operation: %d -> %q", status, to)
		}
		status, page := a.page(to)
		if status != 200 || !strings.Contains(page, "Operation surge planned") || !strings.Contains(page, ">Inbound traffic<") ||
			!strings.Contains(page, `id="schedule"`) || !strings.Contains(page, "surge: 2026-03-11 to 2026-03-12, 6 officers") {
			t.Fatalf("the desk after it all: %d %s", status, page)
		}
		// Another supervisor's crossing is not this desk's.
		if status, _ := a.page("/supervisor?crossing=3004"); status != 403 {
			t.Fatalf("someone else's crossing: %d", status)
		}
	})
}

// A supervisor corrects an inspection, then voids it, each with a reason;
// the page shows every version; a correction of a replaced version is
// refused as stale.
func TestCorrectAndVoidFromTheInspectionPage(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		v1 := inspectionJSON(uuid.New())
		if status, body := a.do("POST", "/api/v1/inspections", v1); status != 201 {
			t.Fatalf("setup: %d %s", status, body)
		}
		fix := url.Values{"version": {v1["id"].(string)}, "action": {"edit"}, "modality": {"truck"}, "techniques": {"interview", "nii_xray"},
			"trigger": {"routine"}, "outcome": {"seizure"}, "officers": {"b1234, b9999"}, "notes": {""}, "reason": {"it was a truck"}}
		status, body, to := a.post("/inspections/"+v1["id"].(string)+"/edit", fix)
		if status != 303 {
			t.Fatalf("correct: %d %s", status, body)
		}
		if status, _, _ := a.post("/inspections/"+v1["id"].(string)+"/edit", fix); status != 409 {
			t.Fatalf("a second correction of version 1: %d; want 409 (stale)", status)
		}
		v2 := strings.TrimPrefix(to, "/inspections/")
		if status, body, to = a.post(to+"/edit", url.Values{"version": {v2}, "action": {"void"}, "reason": {"entered twice"}}); status != 303 {
			t.Fatalf("void: %d %s", status, body)
		}
		status, page := a.page(to)
		for _, want := range []string{"This inspection was voided: entered twice", "it was a truck", "first record", "B9999", "NII / X-ray"} {
			if !strings.Contains(page, want) {
				t.Fatalf("the voided inspection's page lacks %q: %d %s", want, status, page)
			}
		}
		if strings.Contains(page, "Void this inspection") {
			t.Fatal("a voided inspection still offers to be voided")
		}
		history, err := a.db.InspectionHistory(testdb.System, uuid.MustParse(v2))
		if err != nil || len(history) != 3 || !history[2].Voided || history[1].Modality != outbound.Truck {
			t.Fatalf("history: %+v %v; want the record, the correction and the void", history, err)
		}
	})
}

// The survey form keeps what was typed when an answer is refused, names
// the field, and stores a good survey once.
func TestSurveyForm(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		form := url.Values{"crossing": {"2304"}, "day": {"2026-03-09"}, "outbound_lanes": {"4"}, "secondary_bays": {"1"}, "canopy": {"on"},
			"count_nii_xray": {"1"}, "condition_nii_xray": {"out_of_service"}, "wifi": {"poor"}, "cellular": {"fair"}, "mbps": {"-3"},
			"power": {"grid"}, "hazards": {"lanes merge before the booth\n"}}
		status, body, _ := a.post("/survey", form)
		if status != 400 || !strings.Contains(body, "mbps:") || !strings.Contains(body, `id="mbps" name="mbps" type="number" min="0" step="any" value="-3" aria-invalid="true"`) ||
			!strings.Contains(body, "lanes merge before the booth") {
			t.Fatalf("a negative throughput: %d %s", status, body)
		}
		form.Set("mbps", "2.5")
		if status, body, _ = a.post("/survey", form); status != 303 {
			t.Fatalf("a good survey: %d %s", status, body)
		}
		list, _, err := a.db.FindSurveys(testdb.System, outbound.Filter{Crossing: "2304", Limit: 5})
		if err != nil || len(list) != 1 || list[0].Mbps != 2.5 || list[0].Working("nii_xray") != 0 || list[0].RecordedBy != "sam" || len(list[0].Hazards) != 1 {
			t.Fatalf("stored: %+v %v", list, err)
		}
	})
}

// A survey made in error is voided from the desk with a reason, and
// through the API; the crossing's page then shows the one that counts,
// or none.
func TestVoidASurvey(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		survey := func(day string, lanes int) map[string]any {
			return map[string]any{"id": uuid.NewString(), "crossing": "2304", "day": day, "outbound_lanes": lanes, "secondary_bays": 1,
				"canopy": true, "lighting": true, "barriers": false, "safe_pull_off": true, "equipment": []any{}, "wifi": "poor",
				"cellular": "fair", "mbps": 3, "power": "grid", "hazards": []string{}, "notes": ""}
		}
		older, wrong := survey("2026-03-01", 3), survey("2026-03-09", 30)
		for _, s := range []map[string]any{older, wrong} {
			if status, body := a.do("POST", "/api/v1/surveys", s); status != 201 {
				t.Fatalf("record: %d %s", status, body)
			}
		}
		status, page := a.page("/survey?crossing=2304")
		if status != 200 || !strings.Contains(page, "30 outbound lanes") || !strings.Contains(page, `name="survey" value="`+wrong["id"].(string)+`"`) {
			t.Fatalf("the survey page offers no void of the survey that counts: %d %s", status, page)
		}
		void := url.Values{"crossing": {"2304"}, "survey": {wrong["id"].(string)}, "reason": {"  "}}
		if status, body, _ := a.post("/survey/void", void); status != 400 || !strings.Contains(body, "a void needs a reason") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("a void without a reason: %d %s", status, body)
		}
		void.Set("reason", "lanes typed as 30")
		if status, body, to := a.post("/survey/void", void); status != 303 || !strings.Contains(to, "voided") {
			t.Fatalf("void: %d %s -> %q", status, body, to)
		}
		// The same form sent again names a survey that no longer counts.
		if status, body, _ := a.post("/survey/void", void); status != 409 || !strings.Contains(body, "has changed since the page was made") {
			t.Fatalf("a second void from the same page: %d %s", status, body)
		}
		var latest outbound.Survey
		if status, body := a.do("GET", "/api/v1/surveys/latest?crossing=2304", nil); status != 200 || json.Unmarshal(body, &latest) != nil || latest.OutboundLanes != 3 {
			t.Fatalf("latest after the void: %d %s", status, body)
		}
		if _, page := a.page("/crossings/2304"); !strings.Contains(page, "3 outbound lanes") {
			t.Fatalf("the crossing's page does not show the survey that counts: %s", page)
		}

		// Through the API: the void's answer has only a void's fields.
		apiVoid := map[string]any{"id": uuid.NewString(), "crossing": "2304", "day": "2026-03-10", "voids": older["id"], "reason": "wrong crossing"}
		status, body := a.do("POST", "/api/v1/surveys", apiVoid)
		if status != 201 || strings.Contains(string(body), "outbound_lanes") || !strings.Contains(string(body), `"recorded_by":"sam"`) {
			t.Fatalf("void through the API: %d %s", status, body)
		}
		if status, body := a.do("GET", "/api/v1/surveys/latest?crossing=2304", nil); status != 404 || !strings.Contains(string(body), "no survey that counts") {
			t.Fatalf("latest with every survey voided: %d %s", status, body)
		}
		if _, page := a.page("/crossings/2304"); !strings.Contains(page, "No survey counts") {
			t.Fatalf("the crossing's page with every survey voided: %s", page)
		}
		if status, body := a.do("GET", "/api/v1/surveys?crossing=2304", nil); status != 200 || strings.Count(string(body), `"voids"`) != 2 {
			t.Fatalf("the history keeps surveys and voids: %d %s", status, body)
		}
		if status, body := a.do("GET", "/api/v1/surveys/latest?crossing=2304&day=1", nil); status != 400 || !strings.Contains(string(body), "day") {
			t.Fatalf("an unknown parameter: %d %s", status, body)
		}
		if status, body := a.do("GET", "/api/v1/surveys/latest", nil); status != 400 || !strings.Contains(string(body), "crossing is required") {
			t.Fatalf("no crossing: %d %s", status, body)
		}
		// Invalid UTF-8 is refused, not stored as U+FFFD.
		bad := `{"id":"` + uuid.NewString() + `","crossing":"2304","day":"2026-03-10","voids":"` + older["id"].(string) + "\",\"reason\":\"bad\xff\xfe\"}"
		if status, body := a.do("POST", "/api/v1/surveys", []byte(bad)); status != 400 || !strings.Contains(string(body), "not valid UTF-8") {
			t.Fatalf("invalid UTF-8: %d %s", status, body)
		}
	})
}

// A conflict the port node's push left is shown on the desk and resolved
// there: applied, the node's inspection becomes the latest version.
func TestResolveAConflictFromTheDesk(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		v1 := inspectionJSON(uuid.New())
		if status, body := a.do("POST", "/api/v1/inspections", v1); status != 201 {
			t.Fatalf("setup: %d %s", status, body)
		}
		node := a.as(mustToken(t, a.db, "node-2304", outbound.Node, "2304"))
		other := inspectionJSON(uuid.MustParse(v1["id"].(string)))
		other["notes"] = "as the node saw it"
		if status, body := node.do("POST", "/api/v1/inspections", []any{other}); status != 200 || !strings.Contains(string(body), `"conflict"`) {
			t.Fatalf("node push: %d %s", status, body)
		}
		status, page := a.page("/supervisor")
		if status != 200 || !strings.Contains(page, "Apply the node's version") {
			t.Fatalf("the desk shows no conflict to resolve: %d %s", status, page)
		}
		form := url.Values{"crossing": {"2304"}, "kind": {"inspection"}, "id": {v1["id"].(string)}, "node": {"node-2304"}, "resolution": {"applied"}}
		if status, body, _ := a.post("/supervisor/conflict", form); status != 400 || !strings.Contains(body, `-error" role="alert">Say why`) {
			t.Fatalf("no reason: %d %s", status, body)
		}
		form.Set("note", "the node saw the car")
		status, _, to := a.post("/supervisor/conflict", form)
		if status != 303 {
			t.Fatalf("resolve: %d", status)
		}
		if _, page = a.page(to); !strings.Contains(page, "is resolved: applied") || !strings.Contains(page, "applied by sam") || !strings.Contains(page, "No conflict waits for you") {
			t.Fatalf("the desk after resolving: %s", page)
		}
		history, err := a.db.InspectionHistory(testdb.System, uuid.MustParse(v1["id"].(string)))
		if err != nil || len(history) != 2 || history[1].Notes != "as the node saw it" {
			t.Fatalf("history: %+v %v", history, err)
		}
	})
}

// Each report is a page with its chart, its table with totals, and a
// download in each format that answers that format.
func TestReportPagesAndDownloads(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		if status, body := a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 201 {
			t.Fatalf("setup: %d %s", status, body)
		}
		for _, name := range outbound.ReportNames {
			status, page := a.page("/reports/" + name + "?from=2026-03-01&to=2026-03-07")
			if status != 200 || !strings.Contains(page, `<figure class="chart"><figcaption id="chart-title">`) || !strings.Contains(page, "<tfoot>") {
				t.Fatalf("%s page: %d %s", name, status, page)
			}
			for format, want := range map[string]string{"csv": "crossing,border", "xlsx": "PK", "pdf": "%PDF", "json": `{"report":"` + name} {
				status, body := a.do("GET", "/api/v1/reports/"+name+"?from=2026-03-01&to=2026-03-07&format="+format, nil)
				if status != 200 || !strings.HasPrefix(string(body), want) {
					t.Fatalf("%s as %s: %d %.30q", name, format, status, body)
				}
				if !strings.Contains(page, "format="+format) {
					t.Fatalf("the %s page has no %s download", name, format)
				}
			}
		}
		// A page the role may not see says so.
		if err := a.db.SavePorts(testdb.System, []outbound.Port{testdb.Blaine}); err != nil {
			t.Fatal(err)
		}
		other := a.as(mustToken(t, a.db, "nils", outbound.Supervisor, "3004"))
		if status, page := other.page("/reports/activity?crossing=2304"); status != 403 || !strings.Contains(page, "Not allowed") {
			t.Fatalf("another crossing's report: %d %s", status, page)
		}
	})
}

// The dashboard's figures are the reports' totals, each linking to its
// report with the same filters.
func TestDashboardFiguresAreTheReportsTotals(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		seized := inspectionJSON(uuid.New()) // a seizure of 48,000 USD on 2026-03-01
		plain := inspectionJSON(uuid.New())
		plain["outcome"], plain["seizures"] = "no_finding", []any{}
		for _, in := range []map[string]any{seized, plain} {
			if status, body := a.do("POST", "/api/v1/inspections", in); status != 201 {
				t.Fatalf("setup: %d %s", status, body)
			}
		}
		status, page := a.page("/dashboard?from=2026-03-01&to=2026-03-07")
		for _, want := range []string{`<span class="n">2</span><span class="k">Inspections</span>`, `<span class="n">1</span><span class="k">Seizures</span><br><span class="k">$48,000 declared value`,
			`href="/reports/activity?from=2026-03-01&amp;to=2026-03-07"`} {
			if !strings.Contains(page, want) {
				t.Fatalf("the dashboard lacks %s: %d %s", want, status, page)
			}
		}
	})
}

// The crossing page shows the crossing's staffing and seizure figures,
// read from its reports' rows.
func TestCrossingPageShowsStaffingAndSeizures(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		if status, body := a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 201 { // a seizure of 48,000 USD on 2026-03-01
			t.Fatalf("setup: %d %s", status, body)
		}
		shift := url.Values{"crossing": {"2304"}, "day": {"2026-03-02"}, "shift": {"day"}, "hours_planned": {"16"}, "hours_worked": {"10"},
			"hours_diverted": {"6"}, "diversion_reason": {"inbound_traffic"}}
		if status, _, _ := a.post("/supervisor/staffing", shift); status != 303 {
			t.Fatalf("record a shift: %d", status)
		}
		status, page := a.page("/crossings/2304?from=2026-03-01&to=2026-03-07")
		for _, want := range []string{"Hours planned on outbound: 16</li>", "Hours worked: 10</li>", "Hours diverted to inbound: 6 (37.5% of planned)</li>",
			"Cost: $950</li>", "<p>1 seizures, $48,000 declared, in 1 inspections.</p>"} {
			if !strings.Contains(page, want) {
				t.Fatalf("the crossing page lacks %q: %d %s", want, status, page)
			}
		}
	})
}

// The pages that read many reports start one request scope each, through
// the server's hook, so their reports share what they read; the API's
// single report does not need one.
func TestPagesStartARequestScope(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		var scopes atomic.Int64
		h := newServer(a.db)
		cache := h.RequestScope
		h.RequestScope = func(ctx context.Context) context.Context { scopes.Add(1); return cache(ctx) }
		srv := httptest.NewServer(h.Handler())
		t.Cleanup(srv.Close)
		b := *a
		b.url, b.token = srv.URL, mustToken(t, a.db, "hana", outbound.HQAnalyst)
		for _, c := range []struct {
			path string
			want int64 // scopes started so far
		}{
			{"/dashboard?from=2026-03-01&to=2026-03-07", 1},
			{"/crossings/2304?from=2026-03-01&to=2026-03-07", 2},
			{"/api/v1/reports/activity?from=2026-03-01&to=2026-03-07", 2},
		} {
			if status, _ := b.page(c.path); status != 200 {
				t.Fatalf("GET %s = %d", c.path, status)
			}
			if n := scopes.Load(); n != c.want {
				t.Fatalf("after GET %s: %d request scopes started; want %d", c.path, n, c.want)
			}
		}
	})
}
