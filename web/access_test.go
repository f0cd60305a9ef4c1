package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// probe is one request to a route.
type probe struct {
	method, path string
	body         func() any // made afresh for each actor
}

// TestEveryRouteWithEveryRole runs every route as every role (and as a
// supervisor of another crossing, and as nobody) and checks the status.
// A route missing from the table fails the test.
func TestEveryRouteWithEveryRole(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		db := a.db
		if err := db.SavePorts(testdb.System, []outbound.Port{testdb.Blaine}); err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{"nobody": ""}
		for _, r := range outbound.Roles {
			var crossings []string
			if !r.National() {
				crossings = []string{"2304"}
			}
			tokens[string(r)] = mustToken(t, db, "u-"+string(r), r, crossings...)
		}
		tokens["elsewhere"] = mustToken(t, db, "u-elsewhere", outbound.Supervisor, "3004")

		// A Laredo inspection to read and edit.
		v1 := inspectionJSON(uuid.New())
		if status, body := a.do("POST", "/api/v1/inspections", v1); status != 201 {
			t.Fatalf("setup: %d %s", status, body)
		}
		edit := func() any {
			m := inspectionJSON(uuid.New())
			m["replaces"], m["reason"] = v1["id"], "corrected"
			return m
		}
		staffing := func() any {
			return map[string]any{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-02", "shift": "night",
				"hours_planned": 8, "hours_worked": 8, "hours_diverted": 0}
		}
		exit := func() any {
			return map[string]any{"id": uuid.New().String(), "crossing": "2304", "day": "2026-03-02", "modality": "bus", "count": 12}
		}
		newInspection := func() any { return inspectionJSON(uuid.New()) }
		lanes := []byte("kind: national\nid: lanes\neffective: 2026-01-01\nrules:\n  - id: all\n    scope: {}\n    lane_selection: {rate: 0.5, min_random: 0.1}\n")
		if _, _, err := db.PublishPolicy(testdb.System, "lanes.yaml", lanes); err != nil {
			t.Fatal(err)
		}
		// A Laredo survey, which counts.
		if _, err := db.RecordSurveys(testdb.System, []outbound.Survey{{ID: uuid.New(), Crossing: "2304", Day: outbound.DateOf(testdb.Clock),
			WiFi: "poor", Cellular: "poor", Power: "grid"}}); err != nil {
			t.Fatal(err)
		}
		decide := func() any {
			return map[string]any{"id": uuid.NewString(), "crossing": "2304", "lane": "L1", "modality": "truck"}
		}
		decided := func() any {
			return map[string]any{"id": uuid.NewString(), "crossing": "2304", "lane": "L1", "modality": "truck", "score": 1, "day": "2026-03-10",
				"rule": "lanes/all", "probability": 0.5, "draw": 0.25, "inspect": true, "decided_at": "2026-03-10T12:00:00Z", "decided_by": "olga"}
		}
		standard, err := os.ReadFile("../gaps/testdata/standard.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishPlan(testdb.System, outbound.GapStandard, "standard.yaml", standard); err != nil {
			t.Fatal(err)
		}
		op, err := db.PlanOperation(testdb.System, outbound.OperationRequest{Name: "pulse", Basis: outbound.IntelligenceBasis,
			Crossings: []string{"2304"}, Reason: "a tip", From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 3}, Officers: 4})
		if err != nil {
			t.Fatal(err)
		}

		const (
			ok, created, noContent, see, bad = 200, 201, 204, 303, 400
			notFound                         = 404
			unauth, forbidden, conflict      = 401, 403, 409
			unprocessable                    = 422
		)
		// Columns: nobody, officer, supervisor, field_office, hq_analyst,
		// policy_admin, auditor, admin, node (of Laredo), elsewhere (a
		// supervisor at Blaine).
		actors := []string{"nobody", "officer", "supervisor", "field_office", "hq_analyst", "policy_admin", "auditor", "admin", "node", "elsewhere"}
		read := []int{unauth, ok, ok, ok, ok, ok, ok, ok, ok, forbidden}
		all := func(status int) []int {
			return []int{status, status, status, status, status, status, status, status, status, status}
		}
		anyone := all(ok)
		page := []int{see, ok, ok, ok, ok, ok, ok, ok, ok, ok} // signed in: the page; else to the sign-in page
		// The supervisor's desk: supervisors and field offices; its forms,
		// sent empty here, are refused as bad input once the role passes.
		desk := func(status int) []int {
			return []int{see, forbidden, status, status, forbidden, forbidden, forbidden, forbidden, forbidden, status}
		}
		// A form posted with no session is held on the sign-in page (401).
		deskPost := func(status int) []int {
			s := desk(status)
			s[0] = unauth
			return s
		}
		deskForm := func(status int) []int { // edits: supervisors and nodes
			return []int{unauth, forbidden, status, forbidden, forbidden, forbidden, forbidden, forbidden, status, status}
		}
		signedIn := []int{unauth, ok, ok, ok, ok, ok, ok, ok, ok, ok}
		nodeOnly := func(status int) []int {
			return []int{unauth, forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, status, forbidden}
		}
		table := map[string][]struct {
			probe
			want []int
		}{
			"GET /{$}":                       {{probe{"GET", "/", nil}, all(see)}},
			"GET /login":                     {{probe{"GET", "/login", nil}, anyone}},
			"POST /login":                    {{probe{"POST", "/login", nil}, all(bad)}},
			"POST /logout":                   {{probe{"POST", "/logout", nil}, all(see)}},
			"GET /password":                  {{probe{"GET", "/password", nil}, []int{see, ok, ok, ok, ok, ok, ok, ok, ok, ok}}},
			"POST /password":                 {{probe{"POST", "/password", nil}, []int{see, bad, bad, bad, bad, bad, bad, bad, forbidden, bad}}},
			"GET /static/":                   {{probe{"GET", "/static/app.css", nil}, anyone}, {probe{"GET", "/static/", nil}, all(notFound)}},
			"GET /sw.js":                     {{probe{"GET", "/sw.js", nil}, anyone}},
			"GET /manifest.webmanifest":      {{probe{"GET", "/manifest.webmanifest", nil}, anyone}},
			"GET /dashboard":                 {{probe{"GET", "/dashboard?from=2026-03-01&to=2026-03-07", nil}, page}},
			"GET /reports":                   {{probe{"GET", "/reports", nil}, page}},
			"GET /reports/budget":            {{probe{"GET", "/reports/budget?fiscal_year=2027", nil}, page}},
			"GET /reports/{name}":            {{probe{"GET", "/reports/activity?crossing=2304&from=2026-03-01&to=2026-03-07", nil}, []int{see, ok, ok, ok, ok, ok, ok, ok, ok, forbidden}}},
			"GET /crossings/{code}":          {{probe{"GET", "/crossings/2304?from=2026-03-01&to=2026-03-07", nil}, []int{see, ok, ok, ok, ok, ok, ok, ok, ok, forbidden}}},
			"GET /inspections/{id}":          {{probe{"GET", "/inspections/" + v1["id"].(string), nil}, []int{see, ok, ok, ok, ok, ok, ok, ok, ok, forbidden}}},
			"POST /inspections/{id}/edit":    {{probe{"POST", "/inspections/" + v1["id"].(string) + "/edit", nil}, deskForm(bad)}},
			"GET /supervisor":                {{probe{"GET", "/supervisor", nil}, desk(ok)}},
			"POST /supervisor/staffing":      {{probe{"POST", "/supervisor/staffing", nil}, deskPost(bad)}},
			"POST /supervisor/staffing/edit": {{probe{"POST", "/supervisor/staffing/edit", nil}, deskPost(bad)}},
			"POST /supervisor/schedule":      {{probe{"POST", "/supervisor/schedule", nil}, deskPost(bad)}},
			"POST /supervisor/operation":     {{probe{"POST", "/supervisor/operation", nil}, deskPost(bad)}},
			"GET /survey":                    {{probe{"GET", "/survey", nil}, []int{see, forbidden, ok, ok, forbidden, forbidden, forbidden, forbidden, ok, ok}}},
			"POST /survey":                   {{probe{"POST", "/survey", nil}, []int{unauth, forbidden, bad, bad, forbidden, forbidden, forbidden, forbidden, bad, bad}}},
			"POST /survey/void":              {{probe{"POST", "/survey/void", nil}, []int{unauth, forbidden, bad, bad, forbidden, forbidden, forbidden, forbidden, bad, bad}}},
			"GET /capture":                   {{probe{"GET", "/capture", nil}, []int{see, ok, ok, forbidden, forbidden, forbidden, forbidden, forbidden, ok, ok}}},
			"GET /outbox":                    {{probe{"GET", "/outbox", nil}, []int{see, ok, ok, forbidden, forbidden, forbidden, forbidden, forbidden, ok, ok}}},
			"GET /healthz":                   {{probe{"GET", "/healthz", nil}, anyone}},
			"GET /readyz":                    {{probe{"GET", "/readyz", nil}, anyone}},
			"GET /metrics":                   {{probe{"GET", "/metrics", nil}, anyone}},
			"GET /api/v1/openapi.json":       {{probe{"GET", "/api/v1/openapi.json", nil}, anyone}},
			"POST /api/v1/login":             {{probe{"POST", "/api/v1/login", func() any { return map[string]string{"name": "u-" + uuid.NewString()[:8], "password": "wrong"} }}, []int{unauth, unauth, unauth, unauth, unauth, unauth, unauth, unauth, unauth, unauth}}},
			"POST /api/v1/logout":            {{probe{"POST", "/api/v1/logout", nil}, []int{noContent, noContent, noContent, noContent, noContent, noContent, noContent, noContent, noContent, noContent}}},
			"GET /api/v1/session":            {{probe{"GET", "/api/v1/session", nil}, signedIn}},
			"POST /api/v1/password":          {{probe{"POST", "/api/v1/password", func() any { return map[string]string{"old_password": "wrong", "new_password": "long enough password"} }}, []int{unauth, bad, bad, bad, bad, bad, bad, bad, forbidden, bad}}},
			"GET /api/v1/crossings":          {{probe{"GET", "/api/v1/crossings", nil}, signedIn}},
			"GET /api/v1/crossings/{code}":   {{probe{"GET", "/api/v1/crossings/2304", nil}, signedIn}},
			"POST /api/v1/inspections": {
				{probe{"POST", "/api/v1/inspections", newInspection}, []int{unauth, created, created, forbidden, forbidden, forbidden, forbidden, forbidden, created, forbidden}},
				{probe{"POST", "/api/v1/inspections", edit}, []int{unauth, forbidden, created, forbidden, forbidden, forbidden, forbidden, forbidden, conflict, forbidden}},
			},
			"GET /api/v1/inspections":              {{probe{"GET", "/api/v1/inspections?crossing=2304", nil}, read}},
			"GET /api/v1/inspections/{id}":         {{probe{"GET", "/api/v1/inspections/" + v1["id"].(string), nil}, read}},
			"GET /api/v1/inspections/{id}/history": {{probe{"GET", "/api/v1/inspections/" + v1["id"].(string) + "/history", nil}, read}},
			"POST /api/v1/staffing":                {{probe{"POST", "/api/v1/staffing", staffing}, []int{unauth, forbidden, created, forbidden, forbidden, forbidden, forbidden, forbidden, conflict, forbidden}}},
			"GET /api/v1/staffing":                 {{probe{"GET", "/api/v1/staffing?crossing=2304", nil}, read}},
			"POST /api/v1/exits":                   {{probe{"POST", "/api/v1/exits", exit}, []int{unauth, forbidden, created, forbidden, forbidden, forbidden, forbidden, forbidden, conflict, forbidden}}},
			"GET /api/v1/exits":                    {{probe{"GET", "/api/v1/exits?crossing=2304", nil}, read}},
			"GET /api/v1/audit/checkpoints":        {{probe{"GET", "/api/v1/audit/checkpoints", nil}, []int{unauth, forbidden, forbidden, forbidden, forbidden, forbidden, ok, ok, forbidden, forbidden}}},
			"GET /api/v1/sync":                     {{probe{"GET", "/api/v1/sync", nil}, signedIn}},
			"POST /api/v1/sync/status": {{probe{"POST", "/api/v1/sync/status", func() any {
				return map[string]any{"version": "test", "schema": 0, "queue_depth": 0, "last_error": ""}
			}}, nodeOnly(noContent)}},
			"GET /api/v1/sync/reference": {{probe{"GET", "/api/v1/sync/reference?cursor=0", nil}, nodeOnly(ok)}},
			"GET /api/v1/sync/conflicts": {{probe{"GET", "/api/v1/sync/conflicts?crossing=2304", nil}, read}},
			"POST /api/v1/sync/conflicts/resolve": {{probe{"POST", "/api/v1/sync/conflicts/resolve", func() any {
				return map[string]any{"kind": "inspection", "id": uuid.NewString(), "node": "node-2304", "resolution": "kept", "note": "no such"}
			}}, []int{unauth, forbidden, notFound, notFound, forbidden, forbidden, forbidden, forbidden, forbidden, notFound}}},
			"POST /api/v1/sync/set-apart/resolve": {{probe{"POST", "/api/v1/sync/set-apart/resolve", func() any {
				return map[string]any{"kind": "inspection", "id": uuid.NewString(), "resolution": "discarded", "note": "no such"}
			}}, []int{unauth, forbidden, notFound, notFound, forbidden, forbidden, forbidden, forbidden, forbidden, notFound}}},
			"POST /supervisor/conflict": {{probe{"POST", "/supervisor/conflict", nil}, deskPost(bad)}},
			"GET /api/v1/nodes":         {{probe{"GET", "/api/v1/nodes", nil}, []int{unauth, forbidden, ok, ok, ok, ok, ok, ok, forbidden, ok}}},
			"POST /supervisor/set-apart": {
				{probe{"POST", "/supervisor/set-apart", nil}, deskPost(bad)},
			},
			"POST /api/v1/policies": {{probe{"POST", "/api/v1/policies", func() any {
				// The second national version of the same day is refused (422).
				return []byte("kind: national\nid: n-" + uuid.NewString()[:8] + "\neffective: 2030-01-01\n" +
					"rules:\n  - id: r\n    scope: {}\n    officers: {min: 1}\n")
			}}, []int{unauth, forbidden, forbidden, forbidden, forbidden, created, forbidden, unprocessable, forbidden, forbidden}}},
			"GET /api/v1/policies":          {{probe{"GET", "/api/v1/policies", nil}, signedIn}},
			"GET /api/v1/policies/in-force": {{probe{"GET", "/api/v1/policies/in-force?crossing=2304", nil}, signedIn}},
			"GET /api/v1/compliance":        {{probe{"GET", "/api/v1/compliance?crossing=2304&from=2026-03-01&to=2026-03-07", nil}, read}},
			"GET /api/v1/policy-checks":     {{probe{"GET", "/api/v1/policy-checks?crossing=2304&from=2026-03-01&to=2026-03-07", nil}, read}},
			"GET /api/v1/reports/{name}":    {{probe{"GET", "/api/v1/reports/activity?crossing=2304&from=2026-03-01&to=2026-03-07", nil}, read}},
			"POST /api/v1/schedules": {{probe{"POST", "/api/v1/schedules", func() any {
				return map[string]any{"from": "2026-03-16", "to": "2026-03-22", "crossings": []string{"2304"}}
			}}, []int{unauth, forbidden, created, created, forbidden, forbidden, forbidden, forbidden, forbidden, forbidden}}},
			"GET /api/v1/schedules": {{probe{"GET", "/api/v1/schedules?crossing=2304&from=2026-03-16&to=2026-03-22", nil}, read}},
			"POST /api/v1/operations": {{probe{"POST", "/api/v1/operations", func() any {
				return map[string]any{"name": "surge", "basis": "intelligence", "crossings": []string{"2304"}, "reason": "a tip",
					"from": "2026-03-16", "to": "2026-03-18", "officers": 6}
			}}, []int{unauth, forbidden, created, created, forbidden, forbidden, forbidden, forbidden, forbidden, forbidden}}},
			"GET /api/v1/operations":      {{probe{"GET", "/api/v1/operations?from=2026-03-16&to=2026-03-22", nil}, signedIn}},
			"GET /api/v1/operations/{id}": {{probe{"GET", "/api/v1/operations/" + op.ID, nil}, read}},
			"POST /api/v1/lanes/decide": {{probe{"POST", "/api/v1/lanes/decide", decide},
				[]int{unauth, created, created, forbidden, forbidden, forbidden, forbidden, forbidden, created, forbidden}}},
			"POST /api/v1/lane-decisions": {{probe{"POST", "/api/v1/lane-decisions", decided}, nodeOnly(created)}},
			"GET /api/v1/lane-decisions":  {{probe{"GET", "/api/v1/lane-decisions?crossing=2304", nil}, read}},
			"POST /api/v1/surveys": {{probe{"POST", "/api/v1/surveys", func() any {
				return map[string]any{"id": uuid.NewString(), "crossing": "2304", "day": "2026-03-02", "outbound_lanes": 2, "secondary_bays": 1,
					"canopy": true, "lighting": true, "barriers": false, "safe_pull_off": true, "equipment": []any{}, "wifi": "poor",
					"cellular": "fair", "mbps": 3, "power": "grid", "hazards": []string{}, "notes": ""}
			}}, []int{unauth, forbidden, created, created, forbidden, forbidden, forbidden, forbidden, created, forbidden}}},
			"GET /api/v1/surveys":        {{probe{"GET", "/api/v1/surveys?crossing=2304", nil}, read}},
			"GET /api/v1/surveys/latest": {{probe{"GET", "/api/v1/surveys/latest?crossing=2304", nil}, read}},
			"POST /api/v1/funding": {{probe{"POST", "/api/v1/funding", func() any {
				return map[string]any{"id": uuid.NewString(), "fiscal_year": 2027, "crossing": "2304", "category": "equipment", "kind": "allocation",
					"day": "2026-03-02", "amount_usd": 1000, "note": ""}
			}}, []int{unauth, forbidden, forbidden, created, created, forbidden, forbidden, forbidden, forbidden, forbidden}}},
			"GET /api/v1/funding":      {{probe{"GET", "/api/v1/funding?crossing=2304", nil}, read}},
			"GET /api/v1/funding/plan": {{probe{"GET", "/api/v1/funding/plan?fiscal_year=2027", nil}, signedIn}},
			"PUT /api/v1/planning/{kind}": {{probe{"PUT", "/api/v1/planning/gap_standard", func() any { return standard }},
				[]int{unauth, forbidden, forbidden, forbidden, created, created, forbidden, forbidden, forbidden, forbidden}}},
			"GET /api/v1/planning/{kind}": {{probe{"GET", "/api/v1/planning/gap_standard", nil}, signedIn}},
			"GET /api/v1/gaps":            {{probe{"GET", "/api/v1/gaps", nil}, signedIn}},
			"GET /api/v1/reports/budget":  {{probe{"GET", "/api/v1/reports/budget?fiscal_year=2027", nil}, signedIn}},
		}
		for _, pattern := range newServer(db).Routes() {
			if _, ok := table[pattern]; !ok {
				t.Errorf("route %s has no entry in the access table", pattern)
			}
		}
		before := counts(t, a)
		writes := map[string]int{}
		for pattern, probes := range table {
			for _, p := range probes {
				for i, who := range actors {
					var body any
					if p.body != nil {
						body = p.body()
					}
					status, got := a.as(tokens[who]).do(p.method, p.path, body)
					if status != p.want[i] {
						t.Errorf("%s %s as %s: %d %s; want %d", p.method, p.path, who, status, got, p.want[i])
					}
					if (p.method == "POST" || p.method == "PUT") && status == created {
						writes[pattern]++
					}
				}
			}
		}
		after := counts(t, a)
		writes["POST /api/v1/lane_decisions"] = writes["POST /api/v1/lanes/decide"] + writes["POST /api/v1/lane-decisions"]
		writes["POST /api/v1/plan_documents"] = writes["PUT /api/v1/planning/{kind}"]
		for _, kind := range []string{"inspections", "staffing", "exits", "schedules", "operations", "lane_decisions", "surveys", "funding", "plan_documents"} {
			pattern := "POST /api/v1/" + kind
			if after[kind]-before[kind] != writes[pattern] {
				t.Errorf("%s: %d stored, %d writes allowed: a forbidden write changed something", kind, after[kind]-before[kind], writes[pattern])
			}
		}
	})
}

// counts reads how many records of each kind are stored.
func counts(t *testing.T, a *api) map[string]int {
	t.Helper()
	n := map[string]int{}
	list, _, err := a.db.FindInspections(testdb.System, outbound.InspectionFilter{IncludeVoided: true, Filter: outbound.Filter{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	// Every version counts: an edit is a write.
	for _, in := range list {
		n["inspections"] += in.Version
	}
	s, _, _ := a.db.FindStaffing(testdb.System, outbound.Filter{Limit: 1000})
	e, _, _ := a.db.FindExits(testdb.System, outbound.Filter{Limit: 1000})
	n["staffing"], n["exits"] = len(s), len(e)
	// Schedules: a row per publication and crossing; every probe plans one.
	for _, table := range []string{"schedules", "operations", "lane_decisions", "surveys", "funding", "plan_documents"} {
		var rows int
		if err := a.db.SQL().QueryRow(`SELECT count(*) FROM ` + table).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		n[table] = rows
	}
	return n
}

func TestSessionsNeedCSRFAndANewPassword(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		password, err := a.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		anon := a.as("")
		resp := login(t, a, "olga", password)
		if resp.StatusCode != 200 {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "outbound_session" {
				cookie = c
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
			t.Fatalf("session cookie = %+v; want HttpOnly and SameSite=Strict", cookie)
		}
		var info struct {
			CSRFToken          string `json:"csrf_token"`
			MustChangePassword bool   `json:"must_change_password"`
		}
		decodeBody(t, resp, &info)
		if info.CSRFToken == "" || !info.MustChangePassword {
			t.Fatalf("login answer = %+v", info)
		}
		browser := anon
		browser.cookie = cookie
		if status, body := browser.do("GET", "/api/v1/crossings", nil); status != 403 {
			t.Fatalf("before changing the one-time password: %d %s; want 403", status, body)
		}
		change := map[string]string{"old_password": password, "new_password": "correct horse battery"}
		if status, _ := browser.do("POST", "/api/v1/password", change); status != 403 {
			t.Fatalf("a write without the CSRF token: %d; want 403", status)
		}
		withCSRF := *browser
		withCSRF.header = map[string]string{"X-CSRF-Token": info.CSRFToken}
		if status, body := withCSRF.do("POST", "/api/v1/password", change); status != 204 {
			t.Fatalf("change password: %d %s", status, body)
		}
		if status, _ := browser.do("GET", "/api/v1/crossings", nil); status != 200 {
			t.Fatalf("after the change: %d", status)
		}
		if status, _ := browser.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 403 {
			t.Fatalf("a write without CSRF: %d; want 403", status)
		}
		if status, body := withCSRF.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 201 {
			t.Fatalf("a write with CSRF: %d %s", status, body)
		}
		if status, _ := withCSRF.do("POST", "/api/v1/logout", nil); status != 204 {
			t.Fatalf("logout: %d", status)
		}
		if status, _ := browser.do("GET", "/api/v1/crossings", nil); status != 401 {
			t.Fatalf("after logout: %d; want 401", status)
		}
	})
}

func TestSignInIsRateLimitedPerAddress(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		statuses := map[int]int{}
		for i := range 30 {
			resp := login(t, a, fmt.Sprintf("user%d", i), "guess")
			statuses[resp.StatusCode]++
			resp.Body.Close()
		}
		if statuses[401] != 25 || statuses[429] != 5 {
			t.Fatalf("30 sign-ins from one address: %v; want 25 refused, then 5 rate-limited", statuses)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		resp, err := http.Get(a.url + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s = %q; want %q", h, got, want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); csp == "" || containsAny(csp, "unsafe-inline", "unsafe-eval") {
			t.Errorf("CSP = %q; want one without inline or eval", csp)
		}
		if resp.Header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS over plain HTTP")
		}
	})
}

// Signing in again, with an old session's cookie still in the browser, works.
func TestSignInOverAnOldSession(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		password, err := a.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(map[string]string{"name": "olga", "password": password})
		req, _ := http.NewRequest("POST", a.url+"/api/v1/login", bytes.NewReader(body))
		req.AddCookie(&http.Cookie{Name: "outbound_session", Value: "obs_stale"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("sign-in with a stale cookie: %d", resp.StatusCode)
		}
	})
}
