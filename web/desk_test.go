package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// staffingVersions counts every stored staffing version, latest or not.
func (a *api) staffingVersions(t *testing.T) int {
	t.Helper()
	var n int
	if err := a.db.SQL().QueryRow(`SELECT count(*) FROM staffing`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A shift recorded twice shows the record there (its hours, who recorded
// it and when) with a form to change it to what was typed; the change is
// a new version with a reason, counted once; a change of a version
// changed meanwhile is refused (409) and the form then edits the latest,
// keeping what was typed. Hostile changes (a huge reason, absurd hours,
// another crossing's record, a version that is not the latest, no number
// at all) are refused with the field named and store nothing.
func TestDeskStaffingDuplicateAndChange(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		shift := url.Values{"crossing": {"2304"}, "day": {"2026-03-09"}, "shift": {"day"}, "hours_planned": {"16"}, "hours_worked": {"12"},
			"hours_diverted": {"4"}, "diversion_reason": {"inbound_traffic"}}
		if status, _, _ := a.post("/supervisor/staffing", shift); status != 303 {
			t.Fatalf("record a shift: %d", status)
		}
		list, _, _ := a.db.FindStaffing(testdb.System, outbound.Filter{Limit: 10})
		first := list[0]
		again := url.Values{"crossing": {"2304"}, "day": {"2026-03-09"}, "shift": {"day"}, "hours_planned": {"16"}, "hours_worked": {"14"}, "hours_diverted": {"0"}}
		status, page, _ := a.post("/supervisor/staffing", again)
		for _, want := range []string{
			`id="existing">Recorded already: 2026-03-09, day shift: 16 h planned, 12 worked, 4 diverted (Inbound traffic), recorded by sam on 2026-03-10 07:00 CDT.`,
			`The day shift of 2026-03-09 is already recorded. Change it below, saying why, or record another shift.`,
			`<input type="hidden" name="replaces" value="` + first.ID.String() + `">`,
			`id="e-hours_worked" name="hours_worked" type="number" min="0" max="800" step="0.25" inputmode="decimal" value="14"`,
		} {
			if status != 409 || !strings.Contains(page, want) {
				t.Fatalf("the shift recorded again: %d; want %q in\n%s", status, want, page)
			}
		}
		if a.staffingVersions(t) != 1 {
			t.Fatal("the second record of the shift was stored")
		}
		change := url.Values{"crossing": {"2304"}, "replaces": {first.ID.String()}, "day": {"2026-03-09"}, "shift": {"day"}, "hours_planned": {"16"},
			"hours_worked": {"14"}, "hours_diverted": {"0"}, "reason": {"the night lead's count"}}
		hostile := map[string]struct {
			edit  func(url.Values)
			field string
		}{
			"a huge reason":   {func(v url.Values) { v.Set("reason", strings.Repeat("why ", 20_000)) }, `id="e-why-error"`},
			"no reason":       {func(v url.Values) { v.Set("reason", " ") }, `id="e-why-error"`},
			"absurd hours":    {func(v url.Values) { v.Set("hours_worked", "1e9") }, `id="e-hours_worked-error"`},
			"hours no number": {func(v url.Values) { v.Set("hours_planned", "lots") }, `id="e-hours_planned-error"`},
			"diverted > plan": {func(v url.Values) { v.Set("hours_diverted", "20") }, `id="e-hours_diverted-error"`},
			"no such version": {func(v url.Values) { v.Set("replaces", uuid.NewString()) }, `id="edit-error">Crossing 2304 has no staffing record`},
			"no version":      {func(v url.Values) { v.Set("replaces", "x") }, `The form names no version to edit`},
			"another day":     {func(v url.Values) { v.Set("day", "2026-03-08") }, `An edit keeps the day of the record it edits (2026-03-09)`},
		}
		for name, h := range hostile {
			bad := url.Values{}
			for k, v := range change {
				bad[k] = v
			}
			h.edit(bad)
			status, page, _ := a.post("/supervisor/staffing/edit", bad)
			if status != 400 || !strings.Contains(page, h.field) || a.staffingVersions(t) != 1 {
				t.Errorf("%s: %d, %d stored; want 400 with %q\n%.3000s", name, status, a.staffingVersions(t), h.field, page)
			}
		}
		// Another crossing's record: not this supervisor's, under either crossing.
		if err := a.db.SavePorts(testdb.System, []outbound.Port{testdb.Blaine}); err != nil {
			t.Fatal(err)
		}
		blaine := outbound.Staffing{ID: uuid.New(), Crossing: "3004", Day: first.Day, Shift: outbound.DayShift, HoursPlanned: 8, HoursWorked: 8}
		if res, err := a.db.RecordStaffing(testdb.System, []outbound.Staffing{blaine}); err != nil || res[0].Err != nil {
			t.Fatalf("Blaine's shift: %v %v", err, res[0].Err)
		}
		theirs := url.Values{}
		for k, v := range change {
			theirs[k] = v
		}
		theirs.Set("replaces", blaine.ID.String())
		if status, page, _ := a.post("/supervisor/staffing/edit", theirs); status != 400 || !strings.Contains(page, "Crossing 2304 has no staffing record "+blaine.ID.String()) {
			t.Errorf("Blaine's record under Laredo: %d\n%.2000s", status, page)
		}
		theirs.Set("crossing", "3004")
		if status, _, _ := a.post("/supervisor/staffing/edit", theirs); status != 403 {
			t.Errorf("Blaine's record under Blaine: %d; want 403", status)
		}
		if a.staffingVersions(t) != 2 {
			t.Fatalf("%d versions after the refused changes; want Laredo's and Blaine's", a.staffingVersions(t))
		}

		status, _, to := a.post("/supervisor/staffing/edit", change)
		if status != 303 || !strings.Contains(to, "corrected") {
			t.Fatalf("the change: %d -> %q", status, to)
		}
		list, _, _ = a.db.FindStaffing(testdb.System, outbound.Filter{Crossing: "2304", Limit: 10})
		if len(list) != 1 || list[0].HoursWorked != 14 || list[0].DiversionReason != "" || list[0].Reason != "the night lead's count" || list[0].RecordedBy != "sam" || *list[0].Replaces != first.ID {
			t.Fatalf("after the change: %+v", list)
		}
		rep, err := a.db.Report(testdb.System, "staffing", outbound.ReportFilter{From: first.Day, To: first.Day, Crossing: "2304"})
		if err != nil || rep.Rows[0].Get(outbound.HoursWorked) != 14.0 {
			t.Fatalf("the report counts %+v, %v; want the shift once, as changed", rep.Rows, err)
		}
		// The same form again: version 1 is no longer the latest.
		change.Set("hours_worked", "15")
		status, page, _ = a.post("/supervisor/staffing/edit", change)
		if status != 409 || !strings.Contains(page, "Sam changed this shift meanwhile") || !strings.Contains(page, `name="replaces" value="`+list[0].ID.String()+`"`) ||
			!strings.Contains(page, `id="e-hours_worked" name="hours_worked" type="number" min="0" max="800" step="0.25" inputmode="decimal" value="15"`) {
			t.Fatalf("a stale change: %d\n%s", status, page)
		}
		// The desk lists the shift once, with who changed it and why, and a link to change it.
		_, page = a.page("/supervisor")
		if strings.Count(page, `data-label="Day">2026-03-09<`) != 1 || !strings.Contains(page, "sam (changed: the night lead&#39;s count)") ||
			!strings.Contains(page, "edit="+list[0].ID.String()) {
			t.Fatalf("the desk's list: %s", page)
		}
		if status, page := a.page("/supervisor?edit=" + list[0].ID.String()); status != 200 || !strings.Contains(page, "Change the day shift of 2026-03-09") {
			t.Fatalf("the change form: %d %s", status, page)
		}
	})
}

// An inspection's start, the minutes it took and its seizures are
// corrected from its page as a new version; a refused correction shows
// the form as typed with why at the field; a void is final.
func TestCorrectStartDurationAndSeizures(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		v1 := inspectionJSON(uuid.New())
		if status, body := a.do("POST", "/api/v1/inspections", v1); status != 201 {
			t.Fatalf("setup: %d %s", status, body)
		}
		id := v1["id"].(string)
		status, page := a.page("/inspections/" + id)
		if status != 200 || !strings.Contains(page, `name="started_at" type="datetime-local" value="2026-03-01T14:05"`) || !strings.Contains(page, `name="duration" type="number" min="0" max="720" step="1" inputmode="numeric" value="12"`) {
			t.Fatalf("the correction form: %d %s", status, page)
		}
		fix := url.Values{"version": {id}, "action": {"edit"}, "modality": {"personal_vehicle"}, "techniques": {"interview"}, "trigger": {"random_selection"},
			"outcome": {"seizure"}, "officers": {"B1234"}, "notes": {""}, "reason": {"times from the lane log"},
			"started_at": {"2026-03-01T13:50"}, "duration": {"40"},
			"seizure_category_0": {"currency"}, "seizure_quantity_0": {"48000"}, "seizure_unit_0": {"USD"}, "seizure_value_0": {"48000"},
			"seizure_category_1": {"firearms"}, "seizure_quantity_1": {"2"}, "seizure_unit_1": {"each"}, "seizure_value_1": {""}}
		status, page, _ = a.post("/inspections/"+id+"/edit", fix)
		if status != 400 || !strings.Contains(page, `id="e-seizures-error" role="alert">Seizure 2: Value in USD must be more than 0`) ||
			!strings.Contains(page, `name="seizure_category_1"><option value="">(none)</option><option value="currency">Currency</option><option value="firearms" selected>`) ||
			!strings.Contains(page, `value="2026-03-01T13:50"`) || !strings.Contains(page, `value="times from the lane log"`) {
			t.Fatalf("a seizure without a value: %d\n%s", status, page)
		}
		fix.Set("seizure_value_1", "1700")
		status, _, to := a.post("/inspections/"+id+"/edit", fix)
		if status != 303 {
			t.Fatalf("the correction: %d", status)
		}
		history, err := a.db.InspectionHistory(testdb.System, uuid.MustParse(id))
		v2 := history[len(history)-1]
		if err != nil || len(history) != 2 || v2.StartedAt.Format("15:04Z07:00") != "19:50Z" || v2.EndedAt.Sub(v2.StartedAt).Minutes() != 40 ||
			len(v2.Seizures) != 2 || v2.Seizures[1].ValueUSD != 1700 || v2.Reason != "times from the lane log" {
			t.Fatalf("corrected: %+v %v", v2, err)
		}
		// A seizure emptied is taken out; the time left as shown stays.
		fix = url.Values{"version": {v2.ID.String()}, "action": {"edit"}, "modality": {"personal_vehicle"}, "techniques": {"interview"}, "trigger": {"random_selection"},
			"outcome": {"seizure"}, "officers": {"B1234"}, "reason": {"the guns were the other car's"}, "started_at": {"2026-03-01T13:50"}, "duration": {"40"},
			"seizure_category_0": {"currency"}, "seizure_quantity_0": {"48000"}, "seizure_unit_0": {"USD"}, "seizure_value_0": {"48000"},
			"seizure_category_1": {""}, "seizure_quantity_1": {""}, "seizure_unit_1": {""}, "seizure_value_1": {""}}
		if status, _, to = a.post(to+"/edit", fix); status != 303 {
			t.Fatalf("taking a seizure out: %d", status)
		}
		v3, _ := a.db.FindInspection(testdb.System, uuid.MustParse(strings.TrimPrefix(to, "/inspections/")))
		if len(v3.Seizures) != 1 || !v3.StartedAt.Equal(v2.StartedAt) || !v3.EndedAt.Equal(v2.EndedAt) {
			t.Fatalf("v3: %+v", v3)
		}
		for field, value := range map[string]string{"started_at": "yesterday", "duration": "-5"} {
			bad := url.Values{}
			for k, v := range fix {
				bad[k] = v
			}
			bad.Set("version", v3.ID.String())
			bad.Set(field, value)
			status, page, _ := a.post(to+"/edit", bad)
			if status != 400 || !strings.Contains(page, `aria-invalid="true" aria-describedby="e-`+map[string]string{"started_at": "start", "duration": "duration"}[field]+`-error"`) {
				t.Errorf("%s %q: %d\n%.2000s", field, value, status, page)
			}
		}
		// An edit of a version that is not the latest, and of a void.
		fix.Set("version", v2.ID.String())
		if status, page, _ := a.post(to+"/edit", fix); status != 409 || !strings.Contains(page, "was already replaced by") {
			t.Errorf("an edit of version 2: %d\n%.2000s", status, page)
		}
		status, _, to = a.post(to+"/edit", url.Values{"version": {v3.ID.String()}, "action": {"void"}, "reason": {"entered twice"}})
		if status != 303 {
			t.Fatalf("void: %d", status)
		}
		void := strings.TrimPrefix(to, "/inspections/")
		fix.Set("version", void)
		if status, page, _ := a.post(to+"/edit", fix); status != 409 || !strings.Contains(page, "This inspection was voided (entered twice): a void is final") {
			t.Errorf("an edit of a void: %d\n%.2000s", status, page)
		}
		if history, _ := a.db.InspectionHistory(testdb.System, uuid.MustParse(id)); len(history) != 4 {
			t.Fatalf("%d versions; want the record, two corrections and the void", len(history))
		}
	})
}

// A staffing record a node sends for a shift headquarters holds is shown
// beside headquarters' record, field by field, the differing fields
// marked, in words, not as JSON.
func TestConflictsSideBySide(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		ours := url.Values{"crossing": {"2304"}, "day": {"2026-03-09"}, "shift": {"night"}, "hours_planned": {"16"}, "hours_worked": {"12"},
			"hours_diverted": {"4"}, "diversion_reason": {"staff_shortage"}}
		if status, _, _ := a.post("/supervisor/staffing", ours); status != 303 {
			t.Fatalf("record: %d", status)
		}
		node := a.as(mustToken(t, a.db, "node-2304", outbound.Node, "2304"))
		theirs := map[string]any{"id": uuid.NewString(), "crossing": "2304", "day": "2026-03-09", "shift": "night", "hours_planned": 16, "hours_worked": 9,
			"hours_diverted": 7, "diversion_reason": "inbound_traffic", "notes": ""}
		if status, body := node.do("POST", "/api/v1/staffing", []any{theirs}); status != 200 || !strings.Contains(string(body), `"conflict"`) {
			t.Fatalf("node push: %d %s", status, body)
		}
		_, page := a.page("/supervisor")
		for _, want := range []string{
			`<tr class="differs"><th scope="row">Hours worked <span class="tag">differs</span></th><td data-label="Headquarters">12</td><td data-label="Node">9</td></tr>`,
			`<tr class="differs"><th scope="row">Reason for the diversion <span class="tag">differs</span></th><td data-label="Headquarters">Staff shortage</td><td data-label="Node">Inbound traffic</td></tr>`,
			`<tr><th scope="row">Hours planned</th><td data-label="Headquarters">16</td><td data-label="Node">16</td></tr>`,
			`<tr><th scope="row">Shift</th><td data-label="Headquarters">Night</td>`,
		} {
			if !strings.Contains(page, want) {
				t.Fatalf("the desk lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, `&#34;hours_worked&#34;`) || strings.Contains(page, `"hours_worked":`) || strings.Contains(page, "Received at") {
			t.Fatal("the conflict shows JSON or the servers' own fields")
		}
	})
}
