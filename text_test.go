package outbound_test

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// serverSet are the string fields the server sets, which a client's
// value never reaches.
var serverSet = map[string]bool{"recorded_by": true}

// stringFields calls fn with the JSON path and the address of every
// string the record holds, through pointers, slices and nested structs.
func stringFields(v reflect.Value, path string, fn func(path string, s reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			stringFields(v.Elem(), path, fn)
		}
	case reflect.String:
		fn(path, v)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			stringFields(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Struct:
		t := v.Type()
		if t.PkgPath() != "github.com/outbound-oss/outbound" { // times, UUIDs
			return
		}
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" || serverSet[name] {
				continue
			}
			if path != "" {
				name = path + "." + name
			}
			stringFields(v.Field(i), name, fn)
		}
	}
}

// full returns a sample of kind with every optional string present, so
// that each can be spoiled.
func full(t *testing.T, kind outbound.Kind) outbound.Record {
	r := testdb.Sample(t, kind, "2304", now)
	switch r := r.(type) {
	case *outbound.Inspection:
		op, reason := "op-1", "a typo"
		r.OperationID, r.Notes, r.Reason = &op, "notes", reason
		prev := uuid.New()
		r.Replaces = &prev
	case *outbound.Survey:
		r.Hazards, r.Notes = []string{"no lighting at lane 2"}, "notes"
	case *outbound.ExitCount:
		r.Method = "sensor"
	}
	if err := r.Validate(now); err != nil {
		t.Fatalf("the full %s sample is invalid: %v", kind.Name, err)
	}
	return r
}

// Every string of every kind of record a client makes refuses a NUL, any
// other control character and invalid UTF-8, naming the field: PostgreSQL
// refuses NUL and invalid UTF-8, so a record SQLite took at a port node
// could otherwise never reach headquarters. The fields come from the
// types, so a string field added to a kind without a check fails here.
func TestEveryStringRefusesControlCharacters(t *testing.T) {
	for _, kind := range outbound.Kinds {
		var paths []string
		stringFields(reflect.ValueOf(full(t, kind)), "", func(path string, _ reflect.Value) { paths = append(paths, path) })
		if len(paths) == 0 {
			t.Fatalf("%s: no string fields found", kind.Name)
		}
		for _, path := range paths {
			for _, bad := range []string{"a\x00b", "a\x1bb", "a\x7fb", "a\u0085b", "a\xffb", "\xc3"} {
				r := full(t, kind)
				stringFields(reflect.ValueOf(r), "", func(p string, s reflect.Value) {
					if p == path {
						s.SetString(bad)
					}
				})
				err := r.Validate(now)
				if outbound.ErrorCode(err) != outbound.EINVALID || outbound.ErrorField(err) != path {
					t.Errorf("%s with %s = %q: %v; want invalid naming %s", kind.Name, path, bad, err, path)
				}
			}
		}
	}
}

// Notes and other free text of several lines keep their tabs and line
// breaks (a browser sends a textarea's lines as CRLF); one-line fields
// refuse them.
func TestLineBreaksOnlyInFreeText(t *testing.T) {
	in := full(t, outbound.InspectionKind).(*outbound.Inspection)
	in.Notes, in.Reason = "line one\r\n\tline two\n", "badge\ttypo\n"
	if err := in.Validate(now); err != nil {
		t.Fatalf("notes with tabs and line breaks: %v", err)
	}
	in.Seizures[0].Unit = "US\nD"
	if err := in.Validate(now); outbound.ErrorField(err) != "seizures[0].unit" || !strings.Contains(err.Error(), "U+000A") {
		t.Fatalf("a unit with a line break: %v", err)
	}
	s := full(t, outbound.SurveyKind).(*outbound.Survey)
	s.Hazards[0] = "wet\tfloor"
	if err := s.Validate(now); outbound.ErrorField(err) != "hazards[0]" {
		t.Fatalf("a hazard with a tab: %v", err)
	}
	e := full(t, outbound.ExitKind).(*outbound.ExitCount)
	e.Method = "a\nb"
	if err := e.Validate(now); outbound.ErrorField(err) != "method" {
		t.Fatalf("a method with a line break: %v", err)
	}
}

// Every list, string, quantity and date has a stated bound, refused with
// the field named and the bound said.
func TestBoundsAreStated(t *testing.T) {
	badges := func(n int) []string {
		b := make([]string, n)
		for i := range b {
			b[i] = fmt.Sprintf("B%d", i)
		}
		return b
	}
	type edit[T any] func(*T)
	insp := func(f edit[outbound.Inspection]) outbound.Record {
		r := full(t, outbound.InspectionKind).(*outbound.Inspection)
		f(r)
		return r
	}
	seizure := func(q, v float64) edit[outbound.Inspection] {
		return func(in *outbound.Inspection) { in.Seizures[0].Quantity, in.Seizures[0].ValueUSD = q, v }
	}
	today := outbound.DateOf(now)
	cases := []struct {
		name         string
		r            outbound.Record
		field, words string // words: part of the message
	}{
		{"21 officers", insp(func(in *outbound.Inspection) { in.Officers = badges(21) }), "officers", "at most 20"},
		{"200,000 officers", insp(func(in *outbound.Inspection) { in.Officers = badges(200_000) }), "officers", "at most 20"},
		{"a badge twice", insp(func(in *outbound.Inspection) { in.Officers = []string{"B1", "B2", "B1"} }), "officers[2]", "listed twice"},
		{"51 seizures", insp(func(in *outbound.Inspection) {
			for len(in.Seizures) <= outbound.MaxSeizures {
				in.Seizures = append(in.Seizures, in.Seizures[0])
			}
		}), "seizures", "at most 50"},
		{"7 techniques", insp(func(in *outbound.Inspection) {
			in.Techniques = append(outbound.Techniques[:len(outbound.Techniques):len(outbound.Techniques)], outbound.Interview)
		}), "techniques", "at most 6"},
		{"notes of 4,001 characters", insp(func(in *outbound.Inspection) { in.Notes = strings.Repeat("é", 4001) }), "notes", "longer than 4000"},
		{"notes of 8 MB", insp(func(in *outbound.Inspection) { in.Notes = strings.Repeat("x", 8<<20) }), "notes", "longer than 4000"},
		{"a unit of 17 characters", insp(func(in *outbound.Inspection) { in.Seizures[0].Unit = strings.Repeat("k", 17) }), "seizures[0].unit", "longer than 16"},
		{"quantity 0", insp(seizure(0, 10)), "seizures[0].quantity", "more than 0"},
		{"quantity NaN", insp(seizure(math.NaN(), 10)), "seizures[0].quantity", "more than 0"},
		{"quantity above the ceiling", insp(seizure(1e9+1, 10)), "seizures[0].quantity", "at most 1e+09"},
		{"value 0", insp(seizure(1, 0)), "seizures[0].value_usd", "more than 0"},
		{"value above the ceiling", insp(seizure(1, 1e9+1)), "seizures[0].value_usd", "at most 1e+09"},
		{"value infinite", insp(seizure(1, math.Inf(1))), "seizures[0].value_usd", "at most 1e+09"},
		{"a day of exits beyond any crossing", func() outbound.Record {
			e := full(t, outbound.ExitKind).(*outbound.ExitCount)
			e.Count = outbound.MaxDailyExits + 1
			return e
		}(), "count", "0 to 1000000"},
		{"staffing hours beyond a shift", func() outbound.Record {
			s := full(t, outbound.StaffingKind).(*outbound.Staffing)
			s.HoursWorked = 801
			return s
		}(), "hours_worked", "0 to 800"},
		{"51 hazards", func() outbound.Record {
			s := full(t, outbound.SurveyKind).(*outbound.Survey)
			s.Hazards = badges(51)
			return s
		}(), "hazards", "at most 50"},
		{"a hazard of 201 characters", func() outbound.Record {
			s := full(t, outbound.SurveyKind).(*outbound.Survey)
			s.Hazards = []string{strings.Repeat("h", 201)}
			return s
		}(), "hazards[0]", "longer than 200"},
		{"7 kinds of equipment", func() outbound.Record {
			s := full(t, outbound.SurveyKind).(*outbound.Survey)
			for len(s.Equipment) <= len(outbound.EquipmentTypes) {
				s.Equipment = append(s.Equipment, s.Equipment[0])
			}
			return s
		}(), "equipment", "at most 6"},
		{"a lane decision's rule of 201 characters", func() outbound.Record {
			d := full(t, outbound.LaneKind).(*outbound.LaneDecision)
			d.Rule = strings.Repeat("r", 201)
			return d
		}(), "rule", "longer than 200"},
		{"training expiring after 2100", func() outbound.Record {
			tr := full(t, outbound.TrainingKind).(*outbound.TrainingRecord)
			tr.ExpiresOn = outbound.Date{Year: 2101, Month: 1, Day: 1}
			return tr
		}(), "expires_on", "after 2100"},
	}
	// Every dated kind: not before 2000, not more than a day after today.
	for _, kind := range outbound.Kinds {
		if kind == outbound.InspectionKind {
			continue // started_at, an instant: inspection_test.go
		}
		field := "day"
		if kind == outbound.TrainingKind {
			field = "completed_on"
		}
		for _, d := range []struct {
			day   outbound.Date
			words string
		}{{outbound.Date{Year: 1999, Month: 12, Day: 31}, "before 2000"}, {today.AddDays(2), "more than a day after today"},
			{outbound.Date{Year: 2099, Month: 1, Day: 1}, "more than a day after today"}, {outbound.Date{}, "required"}} {
			r := full(t, kind)
			setDay(r, d.day)
			cases = append(cases, struct {
				name         string
				r            outbound.Record
				field, words string
			}{fmt.Sprintf("%s dated %q", kind.Name, d.day), r, field, d.words})
		}
	}
	for _, c := range cases {
		err := c.r.Validate(now)
		if outbound.ErrorCode(err) != outbound.EINVALID || outbound.ErrorField(err) != c.field || !strings.Contains(err.Error(), c.words) {
			t.Errorf("%s: %v; want invalid naming %s and saying %q", c.name, err, c.field, c.words)
		}
	}
	// Up to the bounds is fine: a day after today, 20 officers, 50
	// seizures, the ceilings themselves.
	for _, kind := range outbound.Kinds {
		if kind == outbound.InspectionKind {
			continue
		}
		r := full(t, kind)
		setDay(r, today.AddDays(1))
		if err := r.Validate(now); err != nil {
			t.Errorf("%s dated tomorrow: %v", kind.Name, err)
		}
		setDay(r, outbound.Date{Year: 2000, Month: 1, Day: 1})
		if err := r.Validate(now); err != nil {
			t.Errorf("%s dated 2000-01-01: %v", kind.Name, err)
		}
	}
	in := insp(func(in *outbound.Inspection) {
		in.Officers = badges(outbound.MaxOfficers)
		for len(in.Seizures) < outbound.MaxSeizures {
			in.Seizures = append(in.Seizures, in.Seizures[0])
		}
		in.Seizures[0].Quantity, in.Seizures[0].ValueUSD = outbound.MaxSeizureQuantity, outbound.MaxSeizureValueUSD
		in.Notes = strings.Repeat("ü", 4000)
	})
	if err := in.Validate(now); err != nil {
		t.Errorf("an inspection at every bound: %v", err)
	}
}

// A record's day is judged by today at its crossing: callers pass the
// server's clock in the crossing's time zone. At 03:00 UTC it is still
// the evening before in Laredo, so the day after tomorrow in UTC is two
// days ahead there.
func TestDayIsJudgedAtTheCrossing(t *testing.T) {
	at := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)
	laredo, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Skip("no time zone database")
	}
	r := full(t, outbound.StaffingKind)
	setDay(r, outbound.Date{Year: 2026, Month: 3, Day: 11})
	if err := r.Validate(at); err != nil {
		t.Fatalf("tomorrow in UTC: %v", err)
	}
	if err := r.Validate(at.In(laredo)); outbound.ErrorField(err) != "day" || !strings.Contains(err.Error(), "today (2026-03-09 at the crossing)") {
		t.Fatalf("two days ahead at Laredo: %v", err)
	}
}

// setDay sets the record's own day.
func setDay(r outbound.Record, d outbound.Date) {
	switch r := r.(type) {
	case *outbound.Staffing:
		r.Day = d
	case *outbound.ExitCount:
		r.Day = d
	case *outbound.Survey:
		r.Day = d
	case *outbound.LaneDecision:
		r.Day = d
	case *outbound.FundingEntry:
		r.Day = d
	case *outbound.TrainingRecord:
		r.CompletedOn = d
	}
}

// An error message repeats at most 40 characters of a value a client
// sent, whole characters, and says how long the value was.
func TestErrorsShowTheStartOfAValue(t *testing.T) {
	in := valid()
	in.Modality = outbound.Modality(strings.Repeat("é", 1<<20))
	msg := outbound.ErrorMessage(in.Validate(now))
	want := fmt.Sprintf(`modality "%s"… (%d bytes) is not `, strings.Repeat("é", 40), 2<<20)
	if !strings.HasPrefix(msg, want) {
		t.Errorf("a modality of a million characters: %.200q; want it to start %q", msg, want)
	}
	in.Modality = "lorry"
	if msg := outbound.ErrorMessage(in.Validate(now)); !strings.HasPrefix(msg, `modality "lorry" is not `) {
		t.Errorf("a short modality: %q; want it whole", msg)
	}
}
