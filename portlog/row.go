package portlog

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/xuri/excelize/v2"
)

// idSpace namespaces the ids derived from a row's content.
var idSpace = uuid.MustParse("0c6f4d2a-8e1b-5b7a-9c3d-4f5e6a7b8c9d")

// localLayouts are the template's local times: the crossing's wall clock.
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// zonedLayouts are times that carry their offset.
var zonedLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02 15:04Z07:00", "2006-01-02 15:04:05Z07:00"}

// Parser turns a log's rows into inspections, given its header.
type Parser struct {
	m       *Mapping
	col     map[string]int // template column -> index in the row
	groups  []int          // seizure group numbers
	zones   map[string]*time.Location
	now     time.Time
	serials bool // numbers in time columns are spreadsheet date serials (XLSX)
}

// UnknownWord is a word a vocabulary column does not know, and the
// mapping does not translate: a dry run lists every one with its lines.
type UnknownWord struct {
	Column, Word string
	err          *outbound.Error
}

func (u *UnknownWord) Error() string { return u.err.Error() }

// Unwrap gives the error its code and field.
func (u *UnknownWord) Unwrap() error { return u.err }

// NewParser reads the header (the file's first row) through the mapping
// and checks that it has every required column. zones are the registered
// crossings' time zones; now is the clock against which no record may lie
// in the future.
func NewParser(header []string, m *Mapping, zones map[string]*time.Location, now time.Time) (*Parser, error) {
	if m == nil {
		m = &Mapping{}
	}
	p := &Parser{m: m, col: map[string]int{}, zones: zones, now: now}
	rename := map[string]string{} // the file's header, normalized -> template column
	for col, h := range m.Columns {
		rename[normal(h)] = col
	}
	for i, h := range header {
		name := normal(h)
		if col, ok := rename[name]; ok {
			name = col
		} else if _, taken := m.Columns[name]; taken {
			continue // a template name the mapping gave to another header
		}
		if !templateColumn(name) {
			continue // extra columns are ignored, as in every template
		}
		if j, dup := p.col[name]; dup {
			return nil, outbound.Errorf(outbound.EINVALID, name, "columns %d and %d are both %s", j+1, i+1, name)
		}
		p.col[name] = i
	}
	for _, c := range Required {
		if _, ok := p.col[c]; !ok {
			return nil, outbound.Errorf(outbound.EINVALID, c, "the header has no %s column%s; the template's columns are %s (docs/import.md)",
				c, p.mapped(c), strings.Join(Required, ", "))
		}
	}
	_, end := p.col["ended_at"]
	_, minutes := p.col["minutes"]
	if !end && !minutes {
		return nil, outbound.Errorf(outbound.EINVALID, "ended_at", "the header has neither ended_at nor minutes: one says when each inspection ended")
	}
	var err error
	p.groups, err = seizureGroups(p.col)
	return p, err
}

// mapped says which header the mapping named for a missing column.
func (p *Parser) mapped(col string) string {
	if h, ok := p.m.Columns[col]; ok {
		return fmt.Sprintf(" (the mapping names it %q)", h)
	}
	return ""
}

func (p *Parser) get(rec []string, col string) string {
	if i, ok := p.col[col]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// Parse turns one row into a valid inspection: vocabulary, times, lists
// and seizures, then the domain's own ValidateHistory. An error names the
// column (in Field and in the message).
func (p *Parser) Parse(rec []string) (outbound.Inspection, error) {
	in := outbound.Inspection{Crossing: p.get(rec, "crossing"), Notes: p.get(rec, "notes"), Seizures: []outbound.Seizure{}}
	loc, known := p.zones[in.Crossing]
	if !known {
		return in, outbound.Errorf(outbound.EINVALID, "crossing", "column crossing: %q is not a crossing in the registry", in.Crossing)
	}
	var err error
	if in.StartedAt, err = p.time(rec, "started_at", loc); err != nil {
		return in, err
	}
	switch end, minutes := p.get(rec, "ended_at"), p.get(rec, "minutes"); {
	case end != "":
		if in.EndedAt, err = p.time(rec, "ended_at", loc); err != nil {
			return in, err
		}
	case minutes != "":
		n, err := strconv.ParseFloat(minutes, 64)
		if err != nil || !(n >= 0) || n > outbound.MaxInspectionLength.Minutes() {
			return in, fail("minutes", "%q is not a number of minutes from 0 to %g", minutes, outbound.MaxInspectionLength.Minutes())
		}
		in.EndedAt = in.StartedAt.Add(time.Duration(n * float64(time.Minute)))
	default:
		return in, fail("ended_at", "ended_at (or minutes) is required")
	}
	modality, err := p.word(rec, "modality", "modality")
	if err != nil {
		return in, err
	}
	in.Modality = outbound.Modality(modality)
	for _, t := range p.list(p.get(rec, "techniques")) {
		w, err := p.translate("techniques", "techniques", t)
		if err != nil {
			return in, err
		}
		in.Techniques = append(in.Techniques, outbound.Technique(w))
	}
	trigger, err := p.word(rec, "trigger", "trigger")
	if err != nil {
		return in, err
	}
	in.Trigger = outbound.Trigger(trigger)
	in.Officers = p.list(p.get(rec, "officers"))
	outcome, err := p.word(rec, "outcome", "outcome")
	if err != nil {
		return in, err
	}
	in.Outcome = outbound.Outcome(outcome)
	if op := p.get(rec, "operation_id"); op != "" {
		in.OperationID = &op
	}
	var groups []int // of each seizure
	for _, n := range p.groups {
		s, present, err := p.seizure(rec, n)
		if err != nil {
			return in, err
		}
		if present {
			in.Seizures, groups = append(in.Seizures, s), append(groups, n)
		}
	}
	if in.ID, err = p.id(rec, &in); err != nil {
		return in, err
	}
	if err := in.ValidateHistory(p.now.In(loc)); err != nil {
		return in, column(err, groups)
	}
	return in, nil
}

// seizure reads group n; a group left empty is no seizure.
func (p *Parser) seizure(rec []string, n int) (outbound.Seizure, bool, error) {
	col := func(f string) string { return fmt.Sprintf("seizure%d_%s", n, f) }
	var s outbound.Seizure
	empty := true
	for _, f := range SeizureFields {
		empty = empty && p.get(rec, col(f)) == ""
	}
	if empty {
		return s, false, nil
	}
	category, err := p.translate("seizure_category", col("category"), p.get(rec, col("category")))
	if err != nil {
		return s, false, err
	}
	s.Category, s.Unit = outbound.Category(category), p.get(rec, col("unit"))
	for f, dst := range map[string]*float64{"quantity": &s.Quantity, "value_usd": &s.ValueUSD} {
		v := strings.ReplaceAll(strings.TrimPrefix(p.get(rec, col(f)), "$"), ",", "")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return s, false, fail(col(f), "%q is not a number", p.get(rec, col(f)))
		}
		*dst = x
	}
	return s, true, nil
}

// id reads the id column, or derives the id from the row's content: the
// inspection with its lists in order, so that the same inspection typed
// with its officers in another order is the same row.
func (p *Parser) id(rec []string, in *outbound.Inspection) (uuid.UUID, error) {
	if v := p.get(rec, "id"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			return id, fail("id", "%q is not a UUID", v)
		}
		return id, nil
	}
	c := *in
	c.ID = uuid.Nil
	c.Techniques, c.Officers = slices.Clone(in.Techniques), slices.Clone(in.Officers)
	slices.Sort(c.Techniques)
	slices.Sort(c.Officers)
	return uuid.NewSHA1(idSpace, []byte(c.ContentHash())), nil
}

// word reads a vocabulary column's one word.
func (p *Parser) word(rec []string, vocab, col string) (string, error) {
	return p.translate(vocab, col, p.get(rec, col))
}

func (p *Parser) translate(vocab, col, word string) (string, error) {
	w := p.m.translate(vocab, word)
	if !slices.Contains(vocabularies[vocab], w) {
		e := fail(col, "%q is not %s; a mapping file's values.%s can name it", word, strings.Join(vocabularies[vocab], ", "), vocab)
		return "", &UnknownWord{Column: col, Word: word, err: e.(*outbound.Error)}
	}
	return w, nil
}

func (p *Parser) list(s string) []string {
	sep := p.m.Separator
	if sep == "" {
		sep = ";"
	}
	var out []string
	for _, item := range strings.Split(s, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// time reads a time column: with its offset, or the crossing's local time
// in the mapping's layout or the template's; in an XLSX, a date cell.
func (p *Parser) time(rec []string, col string, loc *time.Location) (time.Time, error) {
	v := p.get(rec, col)
	if v == "" {
		return time.Time{}, fail(col, "%s is required", col)
	}
	if p.serials {
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			t, err := excelize.ExcelDateToTime(x, false)
			if err != nil || x < 1 {
				return time.Time{}, fail(col, "%q is not a date and time", v)
			}
			// The serial is a wall clock: the crossing's.
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc), nil
		}
	}
	// Local times first: they are what logs hold, and no local layout
	// reads a time with an offset.
	layouts := localLayouts
	if p.m.TimeLayout != "" {
		layouts = []string{p.m.TimeLayout}
	}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			return t, nil
		}
	}
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, nil
		}
	}
	want := "YYYY-MM-DD HH:MM at the crossing, or RFC 3339 with its offset (2019-03-01T14:05:00-06:00)"
	if p.m.TimeLayout != "" {
		want = fmt.Sprintf("the mapping's time_layout %q, or RFC 3339 with its offset", p.m.TimeLayout)
	}
	return time.Time{}, fail(col, "%q is not a time: %s", v, want)
}

// column renames a validation error's field to the column it came from;
// groups are the seizure groups of the row's seizures.
func column(err error, groups []int) error {
	var e *outbound.Error
	if !errors.As(err, &e) {
		return err
	}
	field := e.Field
	col, _, _ := strings.Cut(field, "[")
	if strings.HasPrefix(field, "seizures[") {
		var i int
		var f string
		if _, err := fmt.Sscanf(strings.ReplaceAll(field, "].", "] "), "seizures[%d] %s", &i, &f); err == nil && i < len(groups) {
			col = fmt.Sprintf("seizure%d_%s", groups[i], f)
		}
	}
	return &outbound.Error{Code: e.Code, Field: col, Message: "column " + col + ": " + e.Message}
}

func fail(col, format string, args ...any) error {
	return outbound.Errorf(outbound.EINVALID, col, "column %s: %s", col, fmt.Sprintf(format, args...))
}
