package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/web"
)

// sampleJSON returns a sample of kind as a client sends it.
func sampleJSON(t *testing.T, kind outbound.Kind) map[string]any {
	t.Helper()
	b, _ := json.Marshal(testdb.Sample(t, kind, "2304", clock))
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, server := range []string{"received_at", "recorded_by", "original_id", "version", "local_day", "officer_count"} {
		delete(m, server)
	}
	return m
}

// spoiled returns a sample of kind as JSON, with a free-text field set to
// text, and the field's name.
func spoiled(t *testing.T, kind outbound.Kind, text string) (map[string]any, string) {
	t.Helper()
	m := sampleJSON(t, kind)
	field := map[outbound.Kind]string{outbound.InspectionKind: "notes", outbound.StaffingKind: "notes", outbound.ExitKind: "method",
		outbound.SurveyKind: "notes", outbound.LaneKind: "rule", outbound.FundingKind: "note"}[kind]
	if field == "" {
		t.Fatalf("no free-text field for %s: add one here", kind.Name)
	}
	m[field] = text
	return m, field
}

// A NUL or another control character in a record's text is refused with
// 400 naming the field, on every kind's collection, and nothing is stored:
// before, SQLite stored it and PostgreSQL answered 500, so a record a port
// node took could never be pushed. In a batch the item is invalid and the
// rest are stored. Both databases answer the same.
func TestControlCharactersAreRefusedOnEveryCollection(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		node := a.as(mustToken(t, a.db, "node-2304", outbound.Node, "2304"))
		hq := a.as(mustToken(t, a.db, "hana", outbound.HQAnalyst))
		for _, kind := range outbound.Kinds {
			if kind.Path == "" {
				continue // training: imported from files only (cmd/outbound tests it)
			}
			c := node
			if !kind.FromNodes {
				c = hq
			}
			for _, bad := range []string{"before\x00after", "bell\x07", "escape\x1b[31m"} {
				m, field := spoiled(t, kind, bad)
				status, body := c.do("POST", kind.Path, m)
				code, got, msg := errorOf(t, body)
				if status != 400 || code != outbound.EINVALID || got != field || !strings.Contains(msg, "control character") {
					t.Errorf("POST %s with %q in %s: %d %s; want 400 naming %s", kind.Path, bad, field, status, body, field)
				}
			}
			if _, body := hq.do("GET", kind.Path+"?crossing=2304", nil); strings.Contains(string(body), `"id"`) {
				t.Errorf("GET %s after refusals lists %s", kind.Path, body)
			}
		}
		good, bad := inspectionJSON(uuid.New()), inspectionJSON(uuid.New())
		bad["notes"] = "nul\x00"
		status, body := a.do("POST", "/api/v1/inspections", []any{good, bad})
		var res struct {
			Results []struct {
				Status string
				Error  *struct{ Field string }
			}
		}
		json.Unmarshal(body, &res)
		if status != 200 || len(res.Results) != 2 || res.Results[0].Status != "created" || res.Results[1].Status != "invalid" ||
			res.Results[1].Error == nil || res.Results[1].Error.Field != "notes" {
			t.Fatalf("a batch with one NUL: %d %s", status, body)
		}
		if n := a.count(); n != 1 {
			t.Fatalf("stored %d inspections; want the good one", n)
		}
		// Tabs and line breaks are what notes are for.
		ok := inspectionJSON(uuid.New())
		ok["notes"] = "first line\r\n\tsecond line"
		if status, body := a.do("POST", "/api/v1/inspections", ok); status != 201 {
			t.Fatalf("notes with line breaks: %d %s", status, body)
		}
	})
}

// Oversized requests are refused, with what the limit is: a list beyond
// its stated maximum (20 officers, 50 seizures), one inspection naming
// 200,000 badges (once 28 s of CPU to refuse), a batch past MaxBatch, a
// batch of 1,000 maximal inspections past the body limit, and 8 MiB of
// empty items. How fast is
// BenchmarkRefusal's (docs/benchmarks.md).
func TestOversizedRequestsAreRefused(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		for _, c := range []struct {
			name          string
			body          any
			status        int
			field, saying string
		}{
			{"21 officers", oversized(1, 21, 1, 0), 400, "officers", "at most 20 officers' badges; this lists 21"},
			{"200,000 officers", oversized(1, 200_000, 1, 0), 400, "officers", "at most 20 officers' badges; this lists 200000"},
			{"51 seizures", oversized(1, 1, 51, 0), 400, "seizures", "at most 50 seizures; this lists 51"},
			{"notes of 4,001 characters", oversized(1, 1, 1, 4001), 400, "notes", "longer than 4000 characters"},
			{"1,001 inspections", oversized(1001, 1, 1, 0), 413, "", "at most 1000 items"},
			{"1,000 maximal inspections", oversized(1000, 20, 50, 4000), 413, "", "larger than 8388608 bytes"},
			{"2.8 million empty items", emptyItems(web.MaxBodyBytes), 413, "", "at most 1000 items; this one has 2796202"},
		} {
			status, body := a.do("POST", "/api/v1/inspections", c.body)
			code, field, msg := errorOf(t, body)
			if status != c.status || field != c.field || !strings.Contains(msg, c.saying) || code == outbound.EINTERNAL {
				t.Errorf("%s: %d %s; want %d naming %q and saying %q", c.name, status, body, c.status, c.field, c.saying)
			}
		}
		if n := a.count(); n != 0 {
			t.Fatalf("oversized requests stored %d inspections", n)
		}
	})
}

// emptyItems is the longest batch that fits in size bytes: "[{},{},...]",
// 2.8 million items in 8 MiB (once a gigabyte of memory to refuse).
func emptyItems(size int) []byte {
	return []byte("[" + strings.Repeat("{},", (size-4)/3) + "{}]")
}

// oversized is a body of n inspections (a lone object for 1), each with
// the officers, seizures and characters of notes given (notes in "é",
// two bytes each: the most bytes a maximal item takes without escapes).
func oversized(n, officers, seizures, notes int) []byte {
	items := make([]map[string]any, n)
	for i := range items {
		m := inspectionJSON(uuid.New())
		badges := make([]string, officers)
		for j := range badges {
			badges[j] = fmt.Sprintf("B%d", j)
		}
		var goods []map[string]any
		for range seizures {
			goods = append(goods, map[string]any{"category": "currency", "quantity": 48000, "unit": "USD", "value_usd": 48000})
		}
		m["officers"], m["seizures"], m["notes"] = badges, goods, strings.Repeat("é", notes)
		items[i] = m
	}
	var b []byte
	if n == 1 {
		b, _ = json.Marshal(items[0])
	} else {
		b, _ = json.Marshal(items)
	}
	return b
}

// A survey dated ahead of the crossing's today is refused, so that one
// typed 2099 cannot stay the crossing's latest for good; so are staffing,
// exit counts and funding dated so, or before 2000. Both databases
// answer the same.
func TestRecordsDatedOutsideTheWindowAreRefused(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		hq := a.as(mustToken(t, a.db, "hana", outbound.HQAnalyst))
		for _, kind := range []outbound.Kind{outbound.SurveyKind, outbound.StaffingKind, outbound.ExitKind, outbound.FundingKind, outbound.LaneKind} {
			c := a.as(mustToken(t, a.db, "node-"+kind.Name, outbound.Node, "2304"))
			if !kind.FromNodes {
				c = hq
			}
			for _, day := range []string{"2099-01-01", "1999-12-31", "2026-03-12"} { // the test clock is 2026-03-10 12:00 UTC
				m := sampleJSON(t, kind)
				m["day"] = day
				status, body := c.do("POST", kind.Path, m)
				if _, field, _ := errorOf(t, body); status != 400 || field != "day" {
					t.Errorf("POST %s dated %s: %d %s; want 400 naming day", kind.Path, day, status, body)
				}
			}
			m := sampleJSON(t, kind)
			m["day"] = "2026-03-11"
			if status, body := c.do("POST", kind.Path, m); status != 201 {
				t.Errorf("POST %s dated tomorrow: %d %s", kind.Path, status, body)
			}
		}
	})
}

// A field that holds a megabyte is refused at that field with an answer
// that repeats only the value's first characters: the whole value came
// back in the message before, 8 MB of it for a body at the limit. And an
// officer with a badge on their account is refused, at officers, an
// inspection that does not list it. Both databases answer the same.
func TestHugeFieldsAreRefusedWithoutEchoingThem(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		if _, err := a.db.AddUser(testdb.System, outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}, Badge: "B1234"}); err != nil {
			t.Fatal(err)
		}
		_, token, err := a.db.CreateToken(testdb.System, "olga", "test", nil, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		officer := a.as(token)
		huge := strings.Repeat("9", 1<<20)
		for _, c := range []struct {
			field  string
			set    func(m map[string]any)
			status int
		}{
			{"crossing", func(m map[string]any) { m["crossing"] = huge }, 403}, // outside the officer's scope, before it is read
			{"modality", func(m map[string]any) { m["modality"] = huge }, 400},
			{"trigger", func(m map[string]any) { m["trigger"] = huge }, 400},
			{"operation_id", func(m map[string]any) { m["operation_id"] = huge }, 400},
			{"outcome", func(m map[string]any) { m["outcome"] = huge }, 400},
			{"techniques[1]", func(m map[string]any) { m["techniques"] = []string{"interview", huge} }, 400},
			{"officers[1]", func(m map[string]any) { m["officers"] = []string{"B1234", huge} }, 400},
			{"seizures[0].category", func(m map[string]any) { m["seizures"].([]map[string]any)[0]["category"] = huge }, 400},
			{"officers", func(m map[string]any) { m["officers"] = []string{"B5678"} }, 403}, // not the officer's own badge
		} {
			m := inspectionJSON(uuid.New())
			c.set(m)
			status, body := officer.do("POST", "/api/v1/inspections", m)
			_, field, _ := errorOf(t, body)
			if status != c.status || field != c.field || len(body) > 1000 {
				t.Errorf("%s: %d naming %q in %d bytes (%.200s); want %d naming it in under 1000", c.field, status, field, len(body), body, c.status)
			}
		}
		key := strings.Repeat("k", 1<<20)
		m := inspectionJSON(uuid.New())
		m[key] = 1
		plain, _ := json.Marshal(m)
		twice := append(plain[:len(plain)-1:len(plain)-1], []byte(`,"`+key+`":2}`)...)
		m = inspectionJSON(uuid.New())
		m["started_at"] = huge
		for _, c := range []struct {
			what, method, path string
			body               any
		}{
			{"an unknown key of a megabyte", "POST", "/api/v1/inspections", plain},
			{"that key twice", "POST", "/api/v1/inspections", twice},
			{"a start time of a megabyte", "POST", "/api/v1/inspections", m},
			{"a query parameter's name of 60,000 bytes", "GET", "/api/v1/inspections?" + huge[:60000] + "=1", nil},
			{"a limit of 60,000 bytes", "GET", "/api/v1/inspections?limit=" + huge[:60000], nil},
			{"an id of 60,000 bytes", "GET", "/api/v1/inspections/" + huge[:60000], nil},
		} {
			status, body := officer.do(c.method, c.path, c.body)
			_, field, _ := errorOf(t, body)
			if status != 400 || len(body) > 1000 || (field == "" && c.method == "GET") {
				t.Errorf("%s: %d naming %q in %d bytes (%.200s); want 400 naming it in under 1000", c.what, status, field, len(body), body)
			}
		}
		if n := a.count(); n != 0 {
			t.Fatalf("refused requests stored %d inspections", n)
		}
	})
}

// The desk's pages, like the API, repeat only the start of a value they
// refuse.
func TestDeskRefusalsDoNotEchoHugeValues(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		huge := strings.Repeat("9", 4000)
		shift := url.Values{"crossing": {"2304"}, "day": {huge}, "shift": {"day"}, "hours_planned": {"16"}, "hours_worked": {"12"}, "hours_diverted": {"0"}}
		status, page, _ := a.post("/supervisor/staffing", shift)
		// Kept once, in its field, as typed; the message cuts it.
		if status != 400 || strings.Count(page, huge) != 1 || !strings.Contains(page, "(4000 bytes)") {
			t.Errorf("a day of 4,000 characters: %d, shown whole %d times", status, strings.Count(page, huge))
		}
		for _, path := range []string{"/supervisor?crossing=" + huge, "/inspections/" + huge} {
			if status, page := a.page(path); status < 400 || strings.Contains(page, huge) || !strings.Contains(page, "(4000 bytes)") {
				t.Errorf("%.40s…: %d, echoed whole %v", path, status, strings.Contains(page, huge))
			}
		}
	})
}
