package policy

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/outbound-oss/outbound"
)

// InForce returns the documents in force at a crossing on a local day: the
// latest national version, and for each local target the latest version
// that covers the crossing.
func InForce(docs []Document, c Crossing, day outbound.Date) []*Document {
	latest := map[string]*Document{}
	for i := range docs {
		d := &docs[i]
		if day.Before(d.effective) || !covers(d, c) {
			continue
		}
		t := target(d)
		if cur, ok := latest[t]; !ok || cur.effective.Before(d.effective) {
			latest[t] = d
		}
	}
	out := make([]*Document, 0, len(latest))
	for _, d := range latest {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// covers reports whether a document applies at a crossing.
func covers(d *Document, c Crossing) bool {
	return d.Kind == National || slices.Contains(d.Crossings, c.Code) || (d.FieldOffice != "" && d.FieldOffice == c.FieldOffice)
}

// atCrossing reports whether a rule's scope includes the crossing.
func (r *Rule) atCrossing(c Crossing) bool {
	s := &r.Scope
	return (s.Border == "" || s.Border == c.Border) && (s.FieldOffice == "" || s.FieldOffice == c.FieldOffice) &&
		(!s.set["crossings"] && len(s.Crossings) == 0 || slices.Contains(s.Crossings, c.Code))
}

// coversInspection reports whether the rule's scope includes an
// inspection that started at local time t.
func (r *Rule) coversInspection(in *outbound.Inspection, t time.Time) bool {
	s := &r.Scope
	if !inList(s, "modalities", s.Modalities, string(in.Modality)) || !inList(s, "triggers", s.Triggers, string(in.Trigger)) ||
		!inList(s, "days", s.Days, days[(int(t.Weekday())+6)%7]) {
		return false
	}
	if !r.usesTechnique(in.Techniques) {
		return false
	}
	if from, to, ok := parseHours(s.Hours); s.Hours != "" && ok && !inWindow(t.Hour()*60+t.Minute(), from, to) {
		return false
	}
	return true
}

// usesTechnique reports whether the rule's scope includes an inspection
// with those techniques: any, or one of those it names.
func (r *Rule) usesTechnique(techniques []outbound.Technique) bool {
	s := &r.Scope
	if !s.set["techniques"] && len(s.Techniques) == 0 {
		return true
	}
	return slices.ContainsFunc(techniques, func(x outbound.Technique) bool { return slices.Contains(s.Techniques, string(x)) })
}

// MinOfficers returns the most officers a rule in force at the crossing
// on day requires for an inspection of the modality with those
// techniques, whatever its trigger, weekday or hour (a plan does not know
// them); 0 when no rule says.
func MinOfficers(docs []Document, c Crossing, day outbound.Date, modality string, techniques []outbound.Technique) int {
	n := 0
	for _, d := range InForce(docs, c, day) {
		for i := range d.Rules {
			r := &d.Rules[i]
			if r.Officers != nil && r.Officers.Min != nil && r.atCrossing(c) &&
				inList(&r.Scope, "modalities", r.Scope.Modalities, modality) && r.usesTechnique(techniques) {
				n = max(n, *r.Officers.Min)
			}
		}
	}
	return n
}

func inList(s *Scope, key string, list []string, v string) bool {
	if !s.set[key] && len(list) == 0 {
		return true
	}
	return slices.Contains(list, v)
}

// Violation is one way an inspection broke the policy in force.
type Violation struct {
	Rule    string `json:"rule"` // document-id/rule-id
	Message string `json:"message"`
}

// InspectionCheck is one inspection that broke the policy in force.
type InspectionCheck struct {
	ID         string      `json:"id"`
	Crossing   string      `json:"crossing"`
	StartedAt  time.Time   `json:"started_at"`
	Violations []Violation `json:"violations"`
}

// Trained says whether an officer had completed a course by a day; known
// is false when there is no training record to tell.
type Trained func(badge, course string, day outbound.Date) (done, known bool)

// CheckInspection checks an inspection against the policy in force at its
// crossing on its local day: officers per inspection, required and allowed
// techniques, and the training of the officers named (when trained is
// given).
func CheckInspection(docs []Document, c Crossing, in *outbound.Inspection, trained Trained) []Violation {
	loc := outbound.ZoneOrUTC(c.TimeZone)
	t := in.StartedAt.In(loc)
	day := outbound.DateOf(t)
	var out []Violation
	for _, d := range InForce(docs, c, day) {
		for i := range d.Rules {
			r := &d.Rules[i]
			if !r.atCrossing(c) || !r.coversInspection(in, t) {
				continue
			}
			id := d.ID + "/" + r.ID
			n := len(in.Officers)
			if o := r.Officers; o != nil {
				if o.Min != nil && n < *o.Min {
					out = append(out, Violation{id, fmt.Sprintf("%s; at least %d required", officers(n), *o.Min)})
				}
				if o.Max != nil && n > *o.Max {
					out = append(out, Violation{id, fmt.Sprintf("%s; at most %d allowed", officers(n), *o.Max)})
				}
			}
			if tr := r.Techniques; tr != nil {
				for _, x := range tr.Required {
					if !slices.Contains(in.Techniques, outbound.Technique(x)) {
						out = append(out, Violation{id, "technique " + x + " is required"})
					}
				}
				for _, x := range in.Techniques {
					if len(tr.Allowed) > 0 && !slices.Contains(tr.Allowed, string(x)) {
						out = append(out, Violation{id, "technique " + string(x) + " is not allowed"})
					}
				}
			}
			if trained != nil {
				for _, course := range r.Training {
					for _, b := range in.Officers {
						if done, known := trained(b, course, day); known && !done {
							out = append(out, Violation{id, fmt.Sprintf("officer %s has not completed %s", b, course)})
						}
					}
				}
			}
		}
	}
	return out
}

// Window is one period a minimum frequency applies to at a crossing.
type Window struct {
	Rule     string        `json:"rule"`
	Per      string        `json:"per"`
	Start    outbound.Date `json:"start"`
	End      outbound.Date `json:"end"` // inclusive
	Required int           `json:"required"`
	Recorded int           `json:"recorded"`
	Met      bool          `json:"met"`
}

// Compliance is a crossing's minimum-frequency compliance over a period.
type Compliance struct {
	Crossing        string   `json:"crossing"`
	Border          string   `json:"border"`
	FieldOffice     string   `json:"field_office"`
	WindowsRequired int      `json:"windows_required"`
	WindowsMet      int      `json:"windows_met"`
	ComplianceRate  *float64 `json:"compliance_rate"` // nil when no window was required
	Windows         []Window `json:"windows"`
}

// windowOf returns the day, week (Monday to Sunday) or calendar month
// that contains day.
func windowOf(per string, day outbound.Date) (outbound.Date, outbound.Date) {
	switch per {
	case "week":
		start := day.AddDays(-outbound.MondayIndex(day))
		return start, start.AddDays(6)
	case "month":
		start := outbound.Date{Year: day.Year, Month: day.Month, Day: 1}
		return start, outbound.DateOf(start.Time(time.UTC).AddDate(0, 1, -1))
	default:
		return day, day
	}
}

// FrequencyCompliance computes minimum-frequency compliance at a crossing
// over the local days from..to. Only windows wholly inside the period
// count, each judged by the rules in force on its first day; an inspection
// counts in the window of its local day at the crossing (daylight saving
// included) when the rule's scope covers it. Voided inspections must not
// be passed.
func FrequencyCompliance(docs []Document, c Crossing, from, to outbound.Date, inspections []outbound.Inspection) Compliance {
	loc := outbound.ZoneOrUTC(c.TimeZone)
	return frequency(docs, c, from, to, true, func(r *Rule, start, end outbound.Date) (int, bool) {
		n := 0
		for i := range inspections {
			in := &inspections[i]
			t := in.StartedAt.In(loc)
			day := outbound.DateOf(t)
			if !day.Before(start) && !end.Before(day) && r.coversInspection(in, t) {
				n++
			}
		}
		return n, n >= r.MinInspections.Count
	})
}

// CountableByDay reports whether a rule's scope can be counted from daily
// totals per modality: it asks nothing of techniques, triggers, hours or
// days of the week.
func (r *Rule) CountableByDay() bool {
	s := &r.Scope
	for _, k := range []string{"techniques", "triggers", "hours", "days"} {
		if s.set[k] {
			return false
		}
	}
	return len(s.Techniques) == 0 && len(s.Triggers) == 0 && s.Hours == "" && len(s.Days) == 0
}

// Modalities lists the modalities a rule counts, nil for all.
func (r *Rule) Modalities() []string {
	if !r.Scope.set["modalities"] && len(r.Scope.Modalities) == 0 {
		return nil
	}
	return r.Scope.Modalities
}

// FrequencyFromDaily is FrequencyCompliance from daily counts: count(day,
// modalities) returns the inspections of a local day, of those modalities
// (nil: all). Every minimum-frequency rule at the crossing must be
// CountableByDay.
func FrequencyFromDaily(docs []Document, c Crossing, from, to outbound.Date, count func(day outbound.Date, modalities []string) int) Compliance {
	return frequency(docs, c, from, to, true, func(r *Rule, start, end outbound.Date) (int, bool) {
		n := 0
		for d := start; !end.Before(d); d = d.AddDays(1) {
			n += count(d, r.Modalities())
		}
		return n, n >= r.MinInspections.Count
	})
}

// FrequencyMet is FrequencyCompliance for reports, which need only how
// many windows were required and met: met(r, start, end) says whether
// rule r's minimum was met over local days start..end, which lets the
// caller answer from coarser sums than one count per window. Windows is
// left empty.
func FrequencyMet(docs []Document, c Crossing, from, to outbound.Date, met func(r *Rule, start, end outbound.Date) bool) Compliance {
	return frequency(docs, c, from, to, false, func(r *Rule, start, end outbound.Date) (int, bool) {
		return 0, met(r, start, end)
	})
}

// Windows lists the minimum-frequency windows at a crossing wholly inside
// local days from..to, each with the rule in force on its first day and
// nothing recorded: what a plan must meet.
func Windows(docs []Document, c Crossing, from, to outbound.Date) []Window {
	return frequency(docs, c, from, to, true, func(*Rule, outbound.Date, outbound.Date) (int, bool) { return 0, false }).Windows
}

// frequency lays out the windows and judges each: how many inspections it
// recorded, and whether that met the rule. With detail it keeps each
// window in Windows.
func frequency(docs []Document, c Crossing, from, to outbound.Date, detail bool, judge func(r *Rule, start, end outbound.Date) (int, bool)) Compliance {
	comp := Compliance{Crossing: c.Code, Border: c.Border, FieldOffice: c.FieldOffice, Windows: []Window{}}
	// The documents in force change only on effective dates.
	changes := map[outbound.Date]bool{}
	for i := range docs {
		changes[docs[i].effective] = true
	}
	var inForce []*Document
	for day := from; !to.Before(day); day = day.AddDays(1) {
		if day == from || changes[day] {
			inForce = InForce(docs, c, day)
		}
		for _, d := range inForce {
			for i := range d.Rules {
				r := &d.Rules[i]
				f := r.MinInspections
				if f == nil || !r.atCrossing(c) {
					continue
				}
				start, end := windowOf(f.Per, day)
				if start != day || to.Before(end) {
					continue // the window starts before the period, or ends after it (each day is visited once)
				}
				w := Window{Rule: d.ID + "/" + r.ID, Per: f.Per, Start: start, End: end, Required: f.Count}
				w.Recorded, w.Met = judge(r, start, end)
				if detail {
					comp.Windows = append(comp.Windows, w)
				}
				comp.WindowsRequired++
				if w.Met {
					comp.WindowsMet++
				}
			}
		}
	}
	if comp.WindowsRequired > 0 {
		rate := float64(comp.WindowsMet) / float64(comp.WindowsRequired)
		comp.ComplianceRate = &rate
	}
	return comp
}

// LaneRule returns the lane selection in force at a crossing on a local
// day for a modality, and the rule's name: a local procedure's over the
// national policy's, and among rules of the same kind of document the
// highest rate. ok is false when no rule sets one.
func LaneRule(docs []Document, c Crossing, day outbound.Date, modality string) (sel LaneSelection, rule string, ok bool) {
	bestLocal := false
	for _, d := range InForce(docs, c, day) {
		for i := range d.Rules {
			r := &d.Rules[i]
			if r.LaneSelection == nil || !r.atCrossing(c) || !inList(&r.Scope, "modalities", r.Scope.Modalities, modality) {
				continue
			}
			local := d.Kind != National
			if !ok || local && !bestLocal || local == bestLocal && r.LaneSelection.Rate > sel.Rate {
				sel, rule, ok, bestLocal = *r.LaneSelection, d.ID+"/"+r.ID, true, local
			}
		}
	}
	return sel, rule, ok
}

// ByModality reports whether any minimum-frequency rule counts only some
// modalities: counting then needs totals by modality, not only overall.
func ByModality(docs []Document) bool {
	for i := range docs {
		for j := range docs[i].Rules {
			if r := &docs[i].Rules[j]; r.MinInspections != nil && r.Modalities() != nil {
				return true
			}
		}
	}
	return false
}

// Countable reports whether every minimum-frequency rule that can apply at
// the crossing is CountableByDay.
func Countable(docs []Document, c Crossing) bool {
	for i := range docs {
		for j := range docs[i].Rules {
			r := &docs[i].Rules[j]
			if r.MinInspections != nil && covers(&docs[i], c) && r.atCrossing(c) && !r.CountableByDay() {
				return false
			}
		}
	}
	return true
}

// RollupRow sums compliance over a group of crossings.
type RollupRow struct {
	Level           string   `json:"level"` // field_office, border or nation
	Name            string   `json:"name"`
	Crossings       int      `json:"crossings"`
	CrossingsMetAll int      `json:"crossings_met_all"` // crossings that met every window
	WindowsRequired int      `json:"windows_required"`
	WindowsMet      int      `json:"windows_met"`
	ComplianceRate  *float64 `json:"compliance_rate"`
}

// Rollup sums crossings' compliance by field office, border and nation.
func Rollup(list []Compliance) []RollupRow {
	rows := map[[2]string]*RollupRow{}
	var order [][2]string
	add := func(level, name string, c Compliance) {
		k := [2]string{level, name}
		r, ok := rows[k]
		if !ok {
			r = &RollupRow{Level: level, Name: name}
			rows[k] = r
			order = append(order, k)
		}
		r.Crossings++
		if c.WindowsMet == c.WindowsRequired {
			r.CrossingsMetAll++
		}
		r.WindowsRequired += c.WindowsRequired
		r.WindowsMet += c.WindowsMet
	}
	for _, c := range list {
		if c.FieldOffice != "" {
			add("field_office", c.FieldOffice, c)
		}
		add("border", c.Border, c)
		add("nation", "all", c)
	}
	sort.SliceStable(order, func(i, j int) bool {
		rank := map[string]int{"field_office": 0, "border": 1, "nation": 2}
		if order[i][0] != order[j][0] {
			return rank[order[i][0]] < rank[order[j][0]]
		}
		return order[i][1] < order[j][1]
	})
	out := make([]RollupRow, 0, len(order))
	for _, k := range order {
		r := rows[k]
		if r.WindowsRequired > 0 {
			rate := float64(r.WindowsMet) / float64(r.WindowsRequired)
			r.ComplianceRate = &rate
		}
		out = append(out, *r)
	}
	return out
}
