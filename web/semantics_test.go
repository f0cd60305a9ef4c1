package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
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

// A key given twice in one object, at any depth, is refused with 400
// naming it, on every route that takes a body; nothing is stored.
func TestDuplicateKeysAreRefused(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		one := func(extra string) string {
			b, _ := json.Marshal(inspectionJSON(uuid.New()))
			return strings.Replace(string(b), "{", "{"+extra, 1)
		}
		nested, _ := json.Marshal(inspectionJSON(uuid.New()))
		cases := []struct{ method, path, body, field string }{
			{"POST", "/api/v1/inspections", one(`"notes":"seen",`), "notes"},
			{"POST", "/api/v1/inspections", one(`"Notes":"seen",`), "notes"},
			{"POST", "/api/v1/inspections", strings.Replace(string(nested), `"quantity":48000`, `"quantity":48000,"quantity":1`, 1), "seizures[0].quantity"},
			{"POST", "/api/v1/login", `{"name":"sam","name":"olga","password":"x"}`, "name"},
			{"POST", "/api/v1/password", `{"old_password":"a","new_password":"b","new_password":"c"}`, "new_password"},
		}
		// Every other route that takes JSON, with one of its own keys given
		// twice; a route that takes JSON and is missing here fails.
		keyOf := map[string]string{
			"/api/v1/inspections": "crossing", "/api/v1/staffing": "crossing", "/api/v1/exits": "crossing",
			"/api/v1/lane-decisions": "crossing", "/api/v1/surveys": "crossing", "/api/v1/funding": "crossing",
			"/api/v1/login": "name", "/api/v1/password": "old_password", "/api/v1/sync/status": "version",
			"/api/v1/sync/conflicts/resolve": "note", "/api/v1/sync/set-apart/resolve": "note", "/api/v1/schedules": "budget", "/api/v1/operations": "name",
			"/api/v1/lanes/decide": "lane",
		}
		for _, pattern := range newServer(a.db).Routes() {
			method, path, _ := strings.Cut(pattern, " ")
			if method != "POST" && method != "PUT" || !strings.HasPrefix(path, "/api/v1/") ||
				path == "/api/v1/logout" || path == "/api/v1/policies" || path == "/api/v1/planning/{kind}" {
				continue // no body, or a YAML one (below)
			}
			key, ok := keyOf[path]
			if !ok {
				t.Errorf("%s takes JSON: name one of its keys in this test", pattern)
				continue
			}
			value := `"2304"`
			if key == "budget" {
				value = "1"
			}
			cases = append(cases, struct{ method, path, body, field string }{method, path,
				"{" + `"` + key + `":` + value + `,"` + key + `":` + value + "}", key})
		}
		before := a.count()
		for _, c := range cases {
			status, body := a.do(c.method, c.path, c.body)
			code, field, msg := errorOf(t, body)
			if status != 400 || code != "invalid" || field != c.field || !strings.Contains(msg, "twice") {
				t.Errorf("%s %s %s = %d %s; want 400 naming %s", c.method, c.path, c.body, status, body, c.field)
			}
		}
		good := inspectionJSON(uuid.New())
		twice, _ := json.Marshal([]any{good, json.RawMessage(one(`"crossing":"2304",`))})
		status, body := a.do("POST", "/api/v1/inspections", twice)
		var res struct {
			Results []struct {
				Status string
				Error  *struct{ Field string }
			}
		}
		if err := json.Unmarshal(body, &res); err != nil || status != 200 || len(res.Results) != 2 ||
			res.Results[0].Status != "created" || res.Results[1].Status != "invalid" || res.Results[1].Error.Field != "crossing" {
			t.Fatalf("batch with a key twice in its second item = %d %s; want created, then invalid naming crossing", status, body)
		}
		if a.count() != before+1 {
			t.Fatalf("stored %d inspections; want %d", a.count(), before+1)
		}
		// Policies and planning documents are YAML (JSON is YAML too): the
		// YAML decoder refuses a key twice.
		for path, doc := range map[string]string{
			"/api/v1/policies":              `{"kind":"national","kind":"local","id":"n","effective":"2026-01-01","rules":[]}`,
			"/api/v1/planning/gap_standard": `{"version":1,"version":2}`,
		} {
			method := "POST"
			if strings.Contains(path, "planning") {
				method = "PUT"
			}
			status, body := a.as(mustToken(t, a.db, "p-"+uuid.NewString()[:6], outbound.PolicyAdmin)).do(method, path, doc)
			if status != 400 && status != 422 || !strings.Contains(string(body), "already") {
				t.Errorf("%s %s with a key twice = %d %s; want it refused", method, path, status, body)
			}
		}
	})
}

// Every route, API and page alike, refuses a query parameter it does not
// read with 400 naming it, before anything else happens; a route that
// parses a filter without applying it refuses that filter too.
func TestUnknownQueryParametersAreRefused(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		concrete := strings.NewReplacer("{$}", "", "{name}", "activity", "{code}", "2304", "{id}", uuid.NewString(), "{kind}", "gap_standard")
		before := a.count()
		for _, pattern := range newServer(a.db).Routes() {
			method, path, _ := strings.Cut(pattern, " ")
			path = concrete.Replace(path)
			if path == "/static/" {
				path = "/static/app.css"
			}
			status, body := a.do(method, path+"?zz_unknown=1", nil)
			if status != 400 || !strings.Contains(string(body), "zz_unknown") {
				t.Errorf("%s with zz_unknown = %d %s; want 400 naming it", pattern, status, body)
			}
			if strings.HasPrefix(path, "/api/") {
				if code, field, _ := errorOf(t, body); code != "invalid" || field != "zz_unknown" {
					t.Errorf("%s with zz_unknown: error %s %s; want invalid, field zz_unknown", pattern, code, field)
				}
			}
		}
		for _, c := range []struct{ path, name string }{
			{"/api/v1/staffing?border=northern", "border"},
			{"/api/v1/exits?crossing=2304&modality=truck", "modality"},
			{"/api/v1/reports/activity?from=2026-03-01&to=2026-03-07&modality=truck", "modality"},
			{"/api/v1/operations?from=2026-03-01&to=2026-03-07&crossing=2304", "crossing"},
			{"/api/v1/inspections?crossing=2304&Crossing=3004", "Crossing"},
			{"/reports/activity?from=2026-03-01&to=2026-03-07&hourly_rate=50", "hourly_rate"},
			{"/crossings/2304?crossing=3004", "crossing"},
		} {
			status, body := a.do("GET", c.path, nil)
			if status != 400 || !strings.Contains(string(body), `&#34;`+c.name+`&#34;`) && !strings.Contains(string(body), `\"`+c.name+`\"`) {
				t.Errorf("GET %s = %d %.300s; want 400 naming %s", c.path, status, body, c.name)
			}
		}
		if status, body := a.do("GET", "/api/v1/inspections?crossing=%zz", nil); status != 400 || !strings.Contains(string(body), "query string") {
			t.Errorf("a query that does not parse = %d %s; want 400", status, body)
		}
		// What the pages, the scripts and the client send still passes.
		for _, path := range []string{
			"/api/v1/inspections?crossing=2304&from=2026-03-01&to=2026-03-07&modality=truck&outcome=seizure&include_voided=true&limit=10",
			"/api/v1/reports/activity?from=2026-03-01&to=2026-03-07&border=southwest&field_office=Laredo&crossing=2304&format=csv",
			"/api/v1/sync/conflicts?crossing=2304", "/api/v1/staffing?crossing=2304&from=2026-03-01&to=2026-03-07&limit=5",
			"/static/app.css?v=anything", "/login?next=/dashboard", "/supervisor?crossing=2304&done=saved",
			"/crossings/2304?from=2026-03-01&to=2026-03-07&border=southwest&modality=truck&outcome=seizure&include_voided=true",
			"/reports/budget?fiscal_year=2027&target_rate=5&hourly_rate=60&block_hours=4",
		} {
			if status, body := a.do("GET", path, nil); status != 200 {
				t.Errorf("GET %s = %d %.300s; want 200", path, status, body)
			}
		}
		if a.count() != before {
			t.Fatal("a refused request changed the record")
		}
	})
}
