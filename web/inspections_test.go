package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// inspectionJSON is the example of DESIGN section 5 with a fresh id.
func inspectionJSON(id uuid.UUID) map[string]any {
	return map[string]any{
		"id": id.String(), "crossing": "2304",
		"started_at": "2026-03-01T14:05:00-06:00", "ended_at": "2026-03-01T14:17:00-06:00",
		"modality": "personal_vehicle", "techniques": []string{"interview", "physical"},
		"trigger": "random_selection", "operation_id": nil, "officers": []string{"B1234", "B5678"},
		"outcome":  "seizure",
		"seizures": []map[string]any{{"category": "currency", "quantity": 48000, "unit": "USD", "value_usd": 48000}},
		"notes":    "",
	}
}

func (a *api) count() int {
	a.t.Helper()
	_, body := a.do("GET", "/api/v1/inspections?include_voided=true&limit=1000", nil)
	var l struct{ Items []outbound.Inspection }
	if err := json.Unmarshal(body, &l); err != nil {
		a.t.Fatal(err)
	}
	return len(l.Items)
}

func TestPostOneCreatedReplayedConflict(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		in := inspectionJSON(uuid.New())
		status, body := a.do("POST", "/api/v1/inspections", in)
		var created outbound.Inspection
		json.Unmarshal(body, &created)
		if status != 201 || created.Version != 1 || !created.ReceivedAt.Equal(clock) || created.LocalDay.String() != "2026-03-01" {
			t.Fatalf("create = %d %s", status, body)
		}
		status, again := a.do("POST", "/api/v1/inspections", in)
		if status != 200 || string(again) != string(body) {
			t.Fatalf("replay = %d %s; want 200 with the stored record %s", status, again, body)
		}
		in["notes"] = "other content"
		status, body = a.do("POST", "/api/v1/inspections", in)
		if code, field, _ := errorOf(t, body); status != 409 || code != "conflict" || field != "id" {
			t.Fatalf("same id, other content = %d %s", status, body)
		}
		status, body = a.do("GET", "/api/v1/inspections/"+created.ID.String(), nil)
		if status != 200 || !strings.Contains(string(body), `"notes":""`) {
			t.Fatalf("get = %d %s", status, body)
		}
		if a.count() != 1 {
			t.Fatal("want exactly one stored inspection")
		}
	})
}

func TestEditThroughTheAPI(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		v1 := inspectionJSON(uuid.New())
		a.do("POST", "/api/v1/inspections", v1)
		v2 := inspectionJSON(uuid.New())
		v2["replaces"], v2["reason"], v2["modality"] = v1["id"], "it was a truck", "truck"
		status, body := a.do("POST", "/api/v1/inspections", v2)
		if status != 201 || !strings.Contains(string(body), `"version":2`) {
			t.Fatalf("edit = %d %s", status, body)
		}
		stale := inspectionJSON(uuid.New())
		stale["replaces"], stale["reason"] = v1["id"], "edited from an old screen"
		status, body = a.do("POST", "/api/v1/inspections", stale)
		if code, field, _ := errorOf(t, body); status != 409 || code != "conflict" || field != "replaces" {
			t.Fatalf("stale edit = %d %s", status, body)
		}
	})
}

func TestBatchAnswersEveryItemInOrder(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		stored := inspectionJSON(uuid.New())
		a.do("POST", "/api/v1/inspections", stored)
		conflict := inspectionJSON(uuid.MustParse(stored["id"].(string)))
		conflict["notes"] = "different"
		unknownField := inspectionJSON(uuid.New())
		unknownField["colour"] = "red"
		badTime := inspectionJSON(uuid.New())
		badTime["started_at"] = "yesterday"
		badOfficer := inspectionJSON(uuid.New())
		badOfficer["officers"] = []string{"B1", "not a badge"}
		fresh := inspectionJSON(uuid.New())
		batch := []map[string]any{fresh, stored, conflict, unknownField, badTime, badOfficer}

		status, body := a.do("POST", "/api/v1/inspections", batch)
		var res struct {
			Results []struct {
				ID     *string
				Status string
				Error  *struct{ Code, Field, Message string }
			}
		}
		if err := json.Unmarshal(body, &res); err != nil || status != 200 || len(res.Results) != len(batch) {
			t.Fatalf("batch = %d %s", status, body)
		}
		want := []struct{ status, field string }{
			{"created", ""}, {"replayed", ""}, {"conflict", "id"}, {"invalid", "colour"}, {"invalid", "started_at"}, {"invalid", "officers[1]"},
		}
		for i, w := range want {
			got := res.Results[i]
			field := ""
			if got.Error != nil {
				field = got.Error.Field
			}
			if got.Status != w.status || field != w.field || got.ID == nil || *got.ID != batch[i]["id"] {
				t.Errorf("item %d = %s %q (%+v); want %s %q", i, got.Status, field, got.Error, w.status, w.field)
			}
		}
		if a.count() != 2 {
			t.Fatalf("stored %d inspections; want 2", a.count())
		}
	})
}

func TestBadInputIsRejectedAndChangesNothing(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		huge := `[` + strings.Repeat(`{"id":"x"},`, 1001) + `{}]`
		big := make([]byte, 9<<20)
		for i := range big {
			big[i] = ' '
		}
		cases := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"unknown field", map[string]any{"id": uuid.New().String(), "color": 1}, 400, "color"},
			{"wrong type", map[string]any{"id": uuid.New().String(), "officers": "B1"}, 400, "officers"},
			{"not json", "{oops", 400, ""},
			{"empty", "", 400, ""},
			{"scalar", "42", 400, ""},
			{"trailing data", `{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11"} {}`, 400, ""},
			{"missing fields", map[string]any{"id": uuid.New().String()}, 400, "crossing"},
			{"crossing outside the scope", func() map[string]any { m := inspectionJSON(uuid.New()); m["crossing"] = "0001"; return m }(), 403, "crossing"},
			{"end before start", func() map[string]any {
				m := inspectionJSON(uuid.New())
				m["ended_at"] = "2026-03-01T13:00:00-06:00"
				return m
			}(), 400, "ended_at"},
			{"seizure without goods", func() map[string]any { m := inspectionJSON(uuid.New()); m["seizures"] = []any{}; return m }(), 400, "seizures"},
			{"too many items", huge, 413, ""},
			{"too large", big, 413, ""},
		}
		for _, c := range cases {
			status, body := a.do("POST", "/api/v1/inspections", c.body)
			code, field, msg := errorOf(t, body)
			if status != c.status || field != c.field || msg == "" || code == "internal" {
				t.Errorf("%s: %d %s; want %d field %q", c.name, status, body, c.status, c.field)
			}
		}
		if n := a.count(); n != 0 {
			t.Fatalf("bad input stored %d inspections", n)
		}
	})
}

func TestListFiltersAndPages(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		var batch []map[string]any
		for d := 1; d <= 9; d++ {
			for h := range 3 {
				m := inspectionJSON(uuid.New())
				m["started_at"] = fmt.Sprintf("2026-03-%02dT%02d:00:00-06:00", d, 8+h)
				m["ended_at"] = fmt.Sprintf("2026-03-%02dT%02d:30:00-06:00", d, 8+h)
				batch = append(batch, m)
			}
		}
		a.do("POST", "/api/v1/inspections", batch)
		seen := map[string]bool{}
		path := "/api/v1/inspections?crossing=2304&from=2026-03-02&to=2026-03-08&limit=4"
		for pages := 0; ; pages++ {
			status, body := a.do("GET", path, nil)
			var l struct {
				Items      []outbound.Inspection
				NextCursor string `json:"next_cursor"`
			}
			json.Unmarshal(body, &l)
			if status != 200 || pages > 10 {
				t.Fatalf("page %d = %d %s", pages, status, body)
			}
			for _, in := range l.Items {
				if seen[in.ID.String()] || in.LocalDay.String() < "2026-03-02" || in.LocalDay.String() > "2026-03-08" {
					t.Fatalf("page %d: %s repeated or outside the days asked for (%s)", pages, in.ID, in.LocalDay)
				}
				seen[in.ID.String()] = true
			}
			if l.NextCursor == "" {
				break
			}
			path = "/api/v1/inspections?crossing=2304&from=2026-03-02&to=2026-03-08&limit=4&cursor=" + l.NextCursor
		}
		if len(seen) != 21 {
			t.Fatalf("listed %d inspections for 7 days; want 21", len(seen))
		}
		for _, bad := range []struct{ query, field string }{
			{"from=March", "from"}, {"limit=0", "limit"}, {"limit=5000", "limit"}, {"cursor=zz", "cursor"},
			{"from=2026-03-05&to=2026-03-01", "to"}, {"include_voided=maybe", "include_voided"},
		} {
			status, body := a.do("GET", "/api/v1/inspections?"+bad.query, nil)
			if _, field, _ := errorOf(t, body); status != 400 || field != bad.field {
				t.Errorf("%s = %d %s; want 400 on %s", bad.query, status, body, bad.field)
			}
		}
	})
}

func TestRefusedValuesNameTheirField(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		for field, value := range map[string]any{"id": "not-a-uuid", "ended_at": "14:17", "replaces": "x"} {
			m := inspectionJSON(uuid.New())
			m[field] = value
			status, body := a.do("POST", "/api/v1/inspections", m)
			if _, got, _ := errorOf(t, body); status != 400 || got != field {
				t.Errorf("bad %s: %d %s", field, status, body)
			}
		}
	})
}

func TestReportsOverHTTP(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New()))
		status, body := a.do("GET", "/api/v1/reports/seizures?from=2026-03-01&to=2026-03-01", nil)
		var rep struct {
			Report string
			Rows   []map[string]any
			Totals map[string]any
		}
		json.Unmarshal(body, &rep)
		if status != 200 || rep.Report != "seizures" || len(rep.Rows) != 1 || rep.Totals["value_usd"] != 48000.0 {
			t.Fatalf("seizures report: %d %s", status, body)
		}
		status, body = a.do("GET", "/api/v1/reports/seizures?from=2026-03-01&to=2026-03-01&format=csv", nil)
		if status != 200 || !strings.HasPrefix(string(body), "crossing,border,inspections,seizures,value_usd,by_category.currency.count") {
			t.Fatalf("seizures CSV: %d %s", status, body)
		}
		for format, magic := range map[string]string{"xlsx": "PK", "pdf": "%PDF"} {
			req, _ := http.NewRequest("GET", a.url+"/api/v1/reports/coverage?from=2026-03-01&to=2026-03-07&format="+format, nil)
			req.Header.Set("Authorization", "Bearer "+a.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.HasPrefix(string(b), magic) || !strings.Contains(resp.Header.Get("Content-Disposition"), "coverage."+format) {
				t.Errorf("coverage as %s: %d %q", format, resp.StatusCode, resp.Header)
			}
		}
		for _, q := range []string{"/api/v1/reports/weather?from=2026-03-01&to=2026-03-02", "/api/v1/reports/activity?from=2026-03-01", "/api/v1/reports/activity?from=2026-03-01&to=2026-03-02&format=docx",
			"/api/v1/reports/compliance?from=2026-03-01&to=2026-03-02&min_coverage=lots"} {
			if status, body = a.do("GET", q, nil); status < 400 {
				t.Errorf("%s: %d %s", q, status, body)
			}
		}
	})
}
