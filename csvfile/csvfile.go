// Package csvfile reads the CSV templates for staffing, exit counts,
// training and surveys (docs/import.md). Columns are found by header name; an "id" column is
// optional: without it each row's id is derived from its natural key, so
// importing the same file twice stores each row once.
package csvfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// StaffingColumns, ExitColumns and TrainingColumns are the templates'
// columns; id is optional everywhere, notes, diversion_reason, estimated,
// method and expires_on may be empty.
var (
	StaffingColumns = []string{"crossing", "day", "shift", "hours_planned", "hours_worked", "hours_diverted", "diversion_reason", "notes"}
	ExitColumns     = []string{"crossing", "day", "modality", "count", "estimated", "method"}
	TrainingColumns = []string{"badge", "course", "completed_on", "expires_on"}
	CourseColumns   = []string{"course", "applies_to", "title"}
	FundingColumns  = []string{"fiscal_year", "crossing", "category", "kind", "day", "amount_usd", "note"}
	SurveyColumns   = []string{"crossing", "day", "outbound_lanes", "secondary_bays", "canopy", "lighting", "barriers", "safe_pull_off",
		"equipment", "wifi", "cellular", "mbps", "power", "hazards", "notes"}
)

// keySpace namespaces the ids derived from natural keys.
var keySpace = uuid.MustParse("6f0a3c2e-5d1b-4b8e-9a77-0c1d2e3f4a5b")

// Row is one parsed row and its line in the file.
type Row[T any] struct {
	Line   int
	Record T
}

// ReadStaffing yields the rows of a staffing CSV; it stops at the first
// row that does not parse, with an error naming its line and column.
func ReadStaffing(r io.Reader) iter.Seq2[Row[outbound.Staffing], error] {
	return read(r, StaffingColumns, func(f fields) (outbound.Staffing, error) {
		s := outbound.Staffing{Crossing: f.get("crossing"), Shift: outbound.Shift(f.get("shift")),
			DiversionReason: outbound.DiversionReason(f.get("diversion_reason")), Notes: f.get("notes")}
		var err error
		if s.Day, err = f.date("day"); err != nil {
			return s, err
		}
		for col, dst := range map[string]*float64{"hours_planned": &s.HoursPlanned, "hours_worked": &s.HoursWorked, "hours_diverted": &s.HoursDiverted} {
			if *dst, err = f.number(col); err != nil {
				return s, err
			}
		}
		s.ID, err = f.id("staffing", s.Crossing, s.Day.String(), string(s.Shift))
		return s, err
	})
}

// ReadExits yields the rows of an exit-count CSV, as ReadStaffing does.
func ReadExits(r io.Reader) iter.Seq2[Row[outbound.ExitCount], error] {
	return read(r, ExitColumns, func(f fields) (outbound.ExitCount, error) {
		e := outbound.ExitCount{Crossing: f.get("crossing"), Modality: outbound.Modality(f.get("modality")), Method: f.get("method")}
		var err error
		if e.Day, err = f.date("day"); err != nil {
			return e, err
		}
		n, err := f.number("count")
		if err != nil || n != float64(int64(n)) {
			return e, f.fail("count", "%q is not a whole number", f.get("count"))
		}
		e.Count = int64(n)
		if v := f.get("estimated"); v != "" {
			if e.Estimated, err = strconv.ParseBool(v); err != nil {
				return e, f.fail("estimated", "%q is not true or false", v)
			}
		}
		e.ID, err = f.id("exit", e.Crossing, e.Day.String(), string(e.Modality))
		return e, err
	})
}

// ReadTraining yields the rows of a training CSV, as ReadStaffing does.
func ReadTraining(r io.Reader) iter.Seq2[Row[outbound.TrainingRecord], error] {
	return read(r, TrainingColumns, func(f fields) (outbound.TrainingRecord, error) {
		t := outbound.TrainingRecord{Badge: f.get("badge"), Course: f.get("course")}
		var err error
		if t.CompletedOn, err = f.date("completed_on"); err != nil {
			return t, err
		}
		if f.get("expires_on") != "" {
			if t.ExpiresOn, err = f.date("expires_on"); err != nil {
				return t, err
			}
		}
		t.ID, err = f.id("training", t.Badge, t.Course, t.CompletedOn.String())
		return t, err
	})
}

// ReadFunding yields the rows of a funding-line CSV. Without an id column
// each row's id comes from its whole content, so a file imported twice is
// stored once, and two equal entries need ids of their own.
func ReadFunding(r io.Reader) iter.Seq2[Row[outbound.FundingEntry], error] {
	return read(r, FundingColumns, func(f fields) (outbound.FundingEntry, error) {
		e := outbound.FundingEntry{Crossing: f.get("crossing"), Category: f.get("category"), Kind: f.get("kind"), Note: f.get("note")}
		year, err := f.number("fiscal_year")
		if err != nil || year != float64(int(year)) {
			return e, f.fail("fiscal_year", "%q is not a year", f.get("fiscal_year"))
		}
		e.FiscalYear = int(year)
		if e.Day, err = f.date("day"); err != nil {
			return e, err
		}
		if e.AmountUSD, err = f.number("amount_usd"); err != nil {
			return e, err
		}
		e.ID, err = f.id("funding", f.get("fiscal_year"), e.Crossing, e.Category, e.Kind, e.Day.String(), f.get("amount_usd"), e.Note)
		return e, err
	})
}

// Course is a line of the training catalogue: a course and the modality
// (or the technique: nii_xray, k9) it trains for.
type Course struct {
	Course    string `json:"course"`
	AppliesTo string `json:"applies_to"`
	Title     string `json:"title"`
}

// ReadCourses yields the rows of a training catalogue CSV.
func ReadCourses(r io.Reader) iter.Seq2[Row[Course], error] {
	return read(r, CourseColumns, func(f fields) (Course, error) {
		c := Course{Course: f.get("course"), AppliesTo: f.get("applies_to"), Title: f.get("title")}
		switch to := c.AppliesTo; {
		case !outbound.ValidCourse(c.Course):
			return c, f.fail("course", "%q must be 1 to 40 lower-case letters, digits, dots, dashes or underscores", c.Course)
		case !outbound.Modality(to).Valid() && to != string(outbound.NIIXray) && to != string(outbound.K9):
			return c, f.fail("applies_to", "%q is a modality (%v), nii_xray or k9", to, outbound.Modalities)
		}
		return c, nil
	})
}

// ReadSurveys yields the rows of a survey CSV, as ReadStaffing does, each
// validated against the clock now so that a fault names its column.
// equipment is "type:count:condition" items separated by ";" (empty for
// none); hazards are separated by ";". A survey with other answers for
// the same crossing and day needs its own id column value.
func ReadSurveys(r io.Reader, now time.Time) iter.Seq2[Row[outbound.Survey], error] {
	return read(r, SurveyColumns, func(f fields) (outbound.Survey, error) {
		s := outbound.Survey{Crossing: f.get("crossing"), WiFi: outbound.Signal(f.get("wifi")), Cellular: outbound.Signal(f.get("cellular")),
			Power: outbound.Power(f.get("power")), Notes: f.get("notes"), Equipment: []outbound.Equipment{}, Hazards: []string{}}
		var err error
		if s.Day, err = f.date("day"); err != nil {
			return s, err
		}
		for col, dst := range map[string]*int{"outbound_lanes": &s.OutboundLanes, "secondary_bays": &s.SecondaryBays} {
			n, err := f.number(col)
			if err != nil || n != float64(int(n)) {
				return s, f.fail(col, "%q is not a whole number", f.get(col))
			}
			*dst = int(n)
		}
		for col, dst := range map[string]*bool{"canopy": &s.Canopy, "lighting": &s.Lighting, "barriers": &s.Barriers, "safe_pull_off": &s.SafePullOff} {
			if *dst, err = strconv.ParseBool(f.get(col)); err != nil {
				return s, f.fail(col, "%q is not true or false", f.get(col))
			}
		}
		if s.Mbps, err = f.number("mbps"); err != nil {
			return s, err
		}
		for _, item := range strings.Split(f.get("equipment"), ";") {
			if item = strings.TrimSpace(item); item == "" {
				continue
			}
			parts := strings.Split(item, ":")
			n, err := strconv.Atoi(strings.TrimSpace(parts[min(1, len(parts)-1)]))
			if len(parts) != 3 || err != nil {
				return s, f.fail("equipment", "%q is not type:count:condition", item)
			}
			s.Equipment = append(s.Equipment, outbound.Equipment{Type: outbound.EquipmentType(strings.TrimSpace(parts[0])), Count: n,
				Condition: outbound.Condition(strings.TrimSpace(parts[2]))})
		}
		for _, h := range strings.Split(f.get("hazards"), ";") {
			if h = strings.TrimSpace(h); h != "" {
				s.Hazards = append(s.Hazards, h)
			}
		}
		if s.ID, err = f.id("survey", s.Crossing, s.Day.String()); err != nil {
			return s, err
		}
		if err := s.Validate(now); err != nil { // name the column: the survey's field is its column
			e := err.(*outbound.Error)
			column, _, _ := strings.Cut(e.Field, "[")
			return s, f.fail(column, "%s", e.Message)
		}
		return s, nil
	})
}

type fields struct {
	rec  []string
	col  map[string]int
	line int
}

func (f fields) get(name string) string {
	if i, ok := f.col[name]; ok {
		return strings.TrimSpace(f.rec[i])
	}
	return ""
}

func (f fields) fail(column, format string, args ...any) error {
	return outbound.Errorf(outbound.EINVALID, column, "line %d, column %s: %s", f.line, column, fmt.Sprintf(format, args...))
}

func (f fields) date(name string) (outbound.Date, error) {
	d, err := outbound.ParseDate(f.get(name))
	if err != nil {
		return d, f.fail(name, "%q is not a date (YYYY-MM-DD)", f.get(name))
	}
	return d, nil
}

func (f fields) number(name string) (float64, error) {
	v, err := strconv.ParseFloat(f.get(name), 64)
	if err != nil {
		return 0, f.fail(name, "%q is not a number", f.get(name))
	}
	return v, nil
}

// id reads the id column, or derives one from the natural key.
func (f fields) id(kind string, key ...string) (uuid.UUID, error) {
	if v := f.get("id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return id, f.fail("id", "%q is not a UUID", v)
		}
		return id, nil
	}
	return uuid.NewSHA1(keySpace, []byte(kind+"|"+strings.Join(key, "|"))), nil
}

func read[T any](r io.Reader, columns []string, parse func(fields) (T, error)) iter.Seq2[Row[T], error] {
	return func(yield func(Row[T], error) bool) {
		cr := csv.NewReader(r)
		header, err := cr.Read()
		if err != nil {
			yield(Row[T]{}, outbound.Errorf(outbound.EINVALID, "", "line 1: cannot read the header: %v", err))
			return
		}
		col := map[string]int{}
		for i, h := range header {
			col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
		}
		for _, c := range columns {
			if _, ok := col[c]; !ok {
				yield(Row[T]{}, outbound.Errorf(outbound.EINVALID, c, "line 1: the header has no %q column; the template is %s[,id]", c, strings.Join(columns, ",")))
				return
			}
		}
		cr.FieldsPerRecord = len(header)
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *csv.ParseError
				line := 0
				if errors.As(err, &pe) {
					line, err = pe.Line, pe.Err
				}
				yield(Row[T]{}, outbound.Errorf(outbound.EINVALID, "", "line %d: %v", line, err))
				return
			}
			line, _ := cr.FieldPos(0)
			v, err := parse(fields{rec: rec, col: col, line: line})
			if !yield(Row[T]{Line: line, Record: v}, err) || err != nil {
				return
			}
		}
	}
}
