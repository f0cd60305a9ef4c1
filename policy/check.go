package policy

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
)

// Kinds of finding.
const (
	Unknown       = "unknown-value"        // a crossing, modality, technique, ... that does not exist
	NeverApplies  = "never-applies"        // an empty scope, or a rule that constrains nothing
	Unsatisfiable = "unsatisfiable"        // rules in force together that no inspection can meet
	Weaker        = "weaker-than-national" // a local rule below the national floor in force
	Inconsistent  = "inconsistent"         // the same scope required differently at different crossings, without a reason
	Ambiguous     = "ambiguous-precedence" // two versions of the same kind and scope from the same day
)

// Finding is one problem with a set of policy documents.
type Finding struct {
	Kind    string   `json:"kind"`
	File    string   `json:"file"`
	Line    int      `json:"line"`
	Rules   []string `json:"rules"` // document-id/rule-id
	Message string   `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s: %s: %s", f.File, f.Line, f.Kind, strings.Join(f.Rules, ", "), f.Message)
}

// Crossing is what checks need to know of a crossing.
type Crossing struct {
	Code, Border, FieldOffice, TimeZone string
}

// Registry is the crossings that exist, by code. With a nil registry,
// crossings are not checked and any crossing may be on any border.
type Registry map[string]Crossing

// HarmonisationRow is one local requirement in the harmonisation table:
// the same scope, required at different crossings.
type HarmonisationRow struct {
	Scope      string `json:"scope"`
	Constraint string `json:"constraint"`
	Crossings  string `json:"crossings"`
	Value      string `json:"value"`
	Reason     string `json:"reason"`
	Rule       string `json:"rule"`
}

// Report is what Check found.
type Report struct {
	Findings      []Finding          `json:"findings"`
	Harmonisation []HarmonisationRow `json:"harmonisation"`
}

var (
	periods = []string{"day", "week", "month"}
	days    = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
)

type checker struct {
	reg Registry
	rep Report
}

func (c *checker) add(kind string, d *Document, r *Rule, others []string, format string, args ...any) {
	line, rules := d.Line, []string{d.ID}
	if r != nil {
		line, rules = r.Line, []string{d.ID + "/" + r.ID}
	}
	c.rep.Findings = append(c.rep.Findings, Finding{Kind: kind, File: d.File, Line: line,
		Rules: append(rules, others...), Message: fmt.Sprintf(format, args...)})
}

// Check finds what is wrong with a set of documents checked together.
func Check(docs []Document, reg Registry) Report {
	c := &checker{reg: reg, rep: Report{Findings: []Finding{}, Harmonisation: []HarmonisationRow{}}}
	for i := range docs {
		c.document(&docs[i])
	}
	c.precedence(docs)
	c.weaker(docs)
	c.unsatisfiable(docs)
	c.harmonise(docs)
	sort.SliceStable(c.rep.Findings, func(i, j int) bool {
		a, b := c.rep.Findings[i], c.rep.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return c.rep
}

// document checks one document's own values.
func (c *checker) document(d *Document) {
	if d.Kind == Local {
		if len(d.Crossings) == 0 && d.FieldOffice == "" {
			c.add(NeverApplies, d, nil, nil, "a local procedure names no crossings and no field_office: it applies nowhere")
		}
		c.crossings(d, nil, d.Crossings)
		c.fieldOffice(d, nil, d.FieldOffice)
	}
	if len(d.Rules) == 0 {
		c.add(NeverApplies, d, nil, nil, "the document has no rules")
	}
	ids := map[string]bool{}
	for i := range d.Rules {
		r := &d.Rules[i]
		if r.ID == "" || ids[r.ID] {
			c.add(Unknown, d, r, nil, "every rule needs an id of its own; %q is missing or repeated", r.ID)
		}
		ids[r.ID] = true
		c.rule(d, r)
	}
}

func (c *checker) crossings(d *Document, r *Rule, codes []string) {
	if c.reg == nil {
		return
	}
	for _, code := range codes {
		if _, ok := c.reg[code]; !ok {
			c.add(Unknown, d, r, nil, "crossing %q does not exist", code)
		}
	}
}

func (c *checker) fieldOffice(d *Document, r *Rule, fo string) {
	if c.reg == nil || fo == "" {
		return
	}
	for _, x := range c.reg {
		if x.FieldOffice == fo {
			return
		}
	}
	c.add(Unknown, d, r, nil, "field office %q has no crossings", fo)
}

func (c *checker) rule(d *Document, r *Rule) {
	s := &r.Scope
	if s.Border != "" && !outbound.Border(s.Border).Valid() {
		c.add(Unknown, d, r, nil, "border %q is not southwest or northern", s.Border)
	}
	c.crossings(d, r, s.Crossings)
	c.fieldOffice(d, r, s.FieldOffice)
	vocab := []struct {
		key, one string
		values   []string
		valid    func(string) bool
	}{
		{"crossings", "crossing", s.Crossings, func(string) bool { return true }},
		{"modalities", "modality", s.Modalities, func(v string) bool { return outbound.Modality(v).Valid() }},
		{"techniques", "technique", s.Techniques, func(v string) bool { return outbound.Technique(v).Valid() }},
		{"triggers", "trigger", s.Triggers, func(v string) bool { return outbound.Trigger(v).Valid() }},
		{"days", "day", s.Days, func(v string) bool { return slices.Contains(days, v) }},
	}
	for _, v := range vocab {
		if s.set[v.key] && len(v.values) == 0 {
			c.add(NeverApplies, d, r, nil, "scope %s is an empty list: the rule matches nothing (leave the key out to mean any)", v.key)
		}
		for _, x := range v.values {
			if !v.valid(x) {
				c.add(Unknown, d, r, nil, "%s %q is not a known value", v.one, x)
			}
		}
	}
	if s.Hours != "" {
		if from, to, ok := parseHours(s.Hours); !ok {
			c.add(Unknown, d, r, nil, "hours %q must be \"HH:MM-HH:MM\"", s.Hours)
		} else if from == to {
			c.add(NeverApplies, d, r, nil, "hours %q is an empty window", s.Hours)
		}
	}
	constrains := false
	if f := r.MinInspections; f != nil {
		constrains = true
		if f.Count < 1 || !slices.Contains(periods, f.Per) {
			c.add(Unknown, d, r, nil, "min_inspections needs a count of at least 1 per day, week or month")
		}
	}
	if o := r.Officers; o != nil {
		constrains = true
		switch {
		case o.Min == nil && o.Max == nil:
			c.add(NeverApplies, d, r, nil, "officers sets neither min nor max")
		case (o.Min != nil && *o.Min < 1) || (o.Max != nil && *o.Max < 1):
			c.add(Unknown, d, r, nil, "officers min and max are at least 1")
		case o.Min != nil && o.Max != nil && *o.Min > *o.Max:
			c.add(Unsatisfiable, d, r, nil, "at least %d and at most %d officers", *o.Min, *o.Max)
		}
	}
	if t := r.Techniques; t != nil {
		constrains = true
		for _, x := range append(slices.Clone(t.Required), t.Allowed...) {
			if !outbound.Technique(x).Valid() {
				c.add(Unknown, d, r, nil, "technique %q is not a known value", x)
			}
		}
		for _, x := range t.Required {
			if len(t.Allowed) > 0 && !slices.Contains(t.Allowed, x) {
				c.add(Unsatisfiable, d, r, nil, "technique %s is required but not allowed", x)
			}
		}
	}
	if len(r.Training) > 0 {
		constrains = true
	}
	if m := r.MaxDiversion; m != nil {
		constrains = true
		if m.Share < 0 || m.Share > 1 || !slices.Contains(periods, m.Per) {
			c.add(Unknown, d, r, nil, "max_diversion needs a share from 0 to 1 per day, week or month")
		}
	}
	if l := r.LaneSelection; l != nil {
		constrains = true
		if !(l.Rate > 0 && l.Rate <= 1 && l.MinRandom >= 0 && l.MinRandom <= l.Rate) {
			c.add(Unknown, d, r, nil, "lane_selection needs 0 < rate <= 1 and 0 <= min_random <= rate")
		}
		for _, k := range []string{"techniques", "triggers", "hours", "days"} {
			if r.Scope.set[k] {
				c.add(NeverApplies, d, r, nil, "lane_selection is decided before any inspection: scope %s does not apply to it", k)
			}
		}
	}
	if !constrains {
		c.add(NeverApplies, d, r, nil, "the rule constrains nothing: give min_inspections, officers, techniques, training, max_diversion or lane_selection")
	}
}

// parseHours reads "HH:MM-HH:MM" as minutes of the day.
func parseHours(s string) (int, int, bool) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, false
	}
	from, ok1 := minutes(a)
	to, ok2 := minutes(b)
	return from, to, ok1 && ok2
}

func minutes(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || len(m) != 2 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// target names what a local document applies to: versions of the same
// target supersede each other.
func target(d *Document) string {
	if d.Kind == National {
		return National
	}
	cs := slices.Clone(d.Crossings)
	sort.Strings(cs)
	return "crossings " + strings.Join(cs, ",") + " field_office " + d.FieldOffice
}

// precedence finds versions of the same kind and target from the same day.
func (c *checker) precedence(docs []Document) {
	seen := map[string]*Document{}
	for i := range docs {
		d := &docs[i]
		key := target(d) + "@" + d.effective.String()
		if other, ok := seen[key]; ok {
			c.add(Ambiguous, d, nil, []string{other.ID}, "%s and %s are both in force from %s for the same scope: which one holds is unclear",
				d.ID, other.ID, d.Effective)
			continue
		}
		seen[key] = d
	}
}

// interval returns when a document is in force: from its effective date
// until the next version of the same target (To is zero when open).
func interval(docs []Document, d *Document) (from, to outbound.Date) {
	from = d.effective
	for i := range docs {
		o := &docs[i]
		if o != d && target(o) == target(d) && from.Before(o.effective) && (to.IsZero() || o.effective.Before(to)) {
			to = o.effective
		}
	}
	return from, to
}

func overlapsInTime(aFrom, aTo, bFrom, bTo outbound.Date) bool {
	return (aTo.IsZero() || bFrom.Before(aTo)) && (bTo.IsZero() || aFrom.Before(bTo))
}

// applies lists the crossings a rule can apply to: the local document's
// crossings (and field office's) narrowed by the rule's scope; nil means
// any crossing.
func (c *checker) applies(d *Document, r *Rule) []string {
	var cs []string
	if d.Kind == Local {
		cs = slices.Clone(d.Crossings)
		if d.FieldOffice != "" {
			for code, x := range c.reg {
				if x.FieldOffice == d.FieldOffice {
					cs = append(cs, code)
				}
			}
		}
		if r.Scope.set["crossings"] || len(r.Scope.Crossings) > 0 {
			cs = intersect(cs, r.Scope.Crossings)
		}
		if cs == nil {
			cs = []string{}
		}
	} else if r.Scope.set["crossings"] || len(r.Scope.Crossings) > 0 {
		cs = slices.Clone(r.Scope.Crossings)
	}
	sort.Strings(cs)
	return slices.Compact(cs)
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// onCrossing reports whether a rule's border and field office scope can
// hold at crossing code ("" for an unknown crossing).
func (c *checker) onCrossing(r *Rule, code string) bool {
	x, ok := c.reg[code]
	if !ok {
		// Unknown border and field office: only a rule that asks for
		// neither surely holds there. Saying less beats a false finding.
		return code == "" || (r.Scope.Border == "" && r.Scope.FieldOffice == "")
	}
	return (r.Scope.Border == "" || r.Scope.Border == x.Border) && (r.Scope.FieldOffice == "" || r.Scope.FieldOffice == x.FieldOffice)
}

// overlap reports whether some inspection at one of the crossings could be
// in the scopes of both rules, and names such a crossing ("" for any).
func (c *checker) overlap(da *Document, a *Rule, db *Document, b *Rule) (bool, string) {
	ca, cb := c.applies(da, a), c.applies(db, b)
	var candidates []string
	switch {
	case ca == nil && cb == nil:
		candidates = []string{""}
		if a.Scope.Border != "" && b.Scope.Border != "" && a.Scope.Border != b.Scope.Border {
			return false, ""
		}
	case ca == nil:
		candidates = cb
	case cb == nil:
		candidates = ca
	default:
		candidates = intersect(ca, cb)
	}
	at, found := "", false
	for _, code := range candidates {
		if c.onCrossing(a, code) && c.onCrossing(b, code) {
			at, found = code, true
			break
		}
	}
	if !found {
		return false, ""
	}
	sa, sb := &a.Scope, &b.Scope
	for _, pair := range [][2][]string{{sa.Modalities, sb.Modalities}, {sa.Triggers, sb.Triggers}, {sa.Days, sb.Days}} {
		if !listsMeet(pair[0], pair[1]) {
			return false, ""
		}
	}
	for _, key := range []string{"modalities", "triggers", "days", "techniques"} {
		if (sa.set[key] && len(field(sa, key)) == 0) || (sb.set[key] && len(field(sb, key)) == 0) {
			return false, ""
		}
	}
	if !hoursMeet(sa.Hours, sb.Hours) {
		return false, ""
	}
	// Techniques in a scope mean "inspections that use any of them": an
	// inspection can use several, so two technique scopes always meet.
	return true, at
}

func field(s *Scope, key string) []string {
	switch key {
	case "modalities":
		return s.Modalities
	case "triggers":
		return s.Triggers
	case "days":
		return s.Days
	default:
		return s.Techniques
	}
}

// listsMeet reports whether one value can be in both lists; an absent
// list means any value.
func listsMeet(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	return len(intersect(a, b)) > 0
}

func hoursMeet(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	af, at, ok1 := parseHours(a)
	bf, bt, ok2 := parseHours(b)
	if !ok1 || !ok2 {
		return true
	}
	for m := 0; m < 24*60; m++ {
		if inWindow(m, af, at) && inWindow(m, bf, bt) {
			return true
		}
	}
	return false
}

// inWindow reports whether minute m of the day is in [from, to), which may
// wrap midnight.
func inWindow(m, from, to int) bool {
	if from <= to {
		return m >= from && m < to
	}
	return m >= from || m < to
}

func where(code string) string {
	if code == "" {
		return ""
	}
	return " at crossing " + code
}

// weaker finds local rules below a national rule in force at the same
// time over an overlapping scope.
func (c *checker) weaker(docs []Document) {
	for i := range docs {
		l := &docs[i]
		if l.Kind != Local {
			continue
		}
		lf, lt := interval(docs, l)
		for j := range docs {
			n := &docs[j]
			if n.Kind != National {
				continue
			}
			nf, nt := interval(docs, n)
			if !overlapsInTime(lf, lt, nf, nt) {
				continue
			}
			for a := range l.Rules {
				for b := range n.Rules {
					lr, nr := &l.Rules[a], &n.Rules[b]
					if ok, at := c.overlap(l, lr, n, nr); ok {
						for _, why := range weakerThan(lr, nr) {
							c.add(Weaker, l, lr, []string{n.ID + "/" + nr.ID}, "%s%s", why, where(at))
						}
					}
				}
			}
		}
	}
}

// perDay turns a frequency into inspections per day, to compare periods.
func perDay(f *Frequency) float64 {
	return float64(f.Count) / map[string]float64{"day": 1, "week": 7, "month": 30.44}[f.Per]
}

// weakerThan says how local rule l asks for less than national rule n.
func weakerThan(l, n *Rule) []string {
	var out []string
	if l.MinInspections != nil && n.MinInspections != nil && perDay(l.MinInspections) < perDay(n.MinInspections) {
		out = append(out, fmt.Sprintf("at least %d per %s is below the national %d per %s",
			l.MinInspections.Count, l.MinInspections.Per, n.MinInspections.Count, n.MinInspections.Per))
	}
	if lo, no := l.Officers, n.Officers; lo != nil && no != nil {
		if lo.Min != nil && no.Min != nil && *lo.Min < *no.Min {
			out = append(out, fmt.Sprintf("at least %s is below the national minimum of %d", officers(*lo.Min), *no.Min))
		}
		if lo.Max != nil && no.Max != nil && *lo.Max > *no.Max {
			out = append(out, fmt.Sprintf("at most %s is above the national maximum of %d", officers(*lo.Max), *no.Max))
		}
	}
	if lt, nt := l.Techniques, n.Techniques; lt != nil && nt != nil {
		for _, x := range nt.Required {
			if !slices.Contains(lt.Required, x) {
				out = append(out, fmt.Sprintf("technique %s, required nationally, is not required", x))
			}
		}
		for _, x := range lt.Allowed {
			if len(nt.Allowed) > 0 && !slices.Contains(nt.Allowed, x) {
				out = append(out, fmt.Sprintf("technique %s is allowed but not nationally", x))
			}
		}
	}
	if len(l.Training) > 0 && len(n.Training) > 0 {
		for _, t := range n.Training {
			if !slices.Contains(l.Training, t) {
				out = append(out, fmt.Sprintf("training %s, required nationally, is not required", t))
			}
		}
	}
	if lm, nm := l.MaxDiversion, n.MaxDiversion; lm != nil && nm != nil && lm.Per == nm.Per && lm.Share > nm.Share {
		out = append(out, fmt.Sprintf("diverting up to %.0f%% of planned hours is above the national cap of %.0f%%", 100*lm.Share, 100*nm.Share))
	}
	return out
}

// unsatisfiable finds pairs of rules in force together, over scopes that
// meet, whose constraints no inspection can meet at once.
func (c *checker) unsatisfiable(docs []Document) {
	type ruleAt struct {
		d *Document
		r *Rule
	}
	var all []ruleAt
	for i := range docs {
		for j := range docs[i].Rules {
			all = append(all, ruleAt{&docs[i], &docs[i].Rules[j]})
		}
	}
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			a, b := all[i], all[j]
			af, at := interval(docs, a.d)
			bf, bt := interval(docs, b.d)
			if !overlapsInTime(af, at, bf, bt) {
				continue
			}
			ok, code := c.overlap(a.d, a.r, b.d, b.r)
			if !ok {
				continue
			}
			if why := conflicting(a.r, b.r); why != "" {
				c.add(Unsatisfiable, b.d, b.r, []string{a.d.ID + "/" + a.r.ID}, "%s%s", why, where(code))
			}
		}
	}
}

// conflicting says why two rules cannot both hold, or "".
func conflicting(a, b *Rule) string {
	if ao, bo := a.Officers, b.Officers; ao != nil && bo != nil {
		if ao.Min != nil && bo.Max != nil && *ao.Min > *bo.Max {
			return fmt.Sprintf("at least %d officers and at most %d officers for the same inspections", *ao.Min, *bo.Max)
		}
		if bo.Min != nil && ao.Max != nil && *bo.Min > *ao.Max {
			return fmt.Sprintf("at least %d officers and at most %d officers for the same inspections", *bo.Min, *ao.Max)
		}
	}
	if at, bt := a.Techniques, b.Techniques; at != nil && bt != nil {
		for _, pair := range [][2]*TechniqueRule{{at, bt}, {bt, at}} {
			for _, x := range pair[0].Required {
				if len(pair[1].Allowed) > 0 && !slices.Contains(pair[1].Allowed, x) {
					return fmt.Sprintf("technique %s is required by one rule and not allowed by the other", x)
				}
			}
		}
	}
	return ""
}

// harmonise compares local rules over the same scope at different
// crossings: a different requirement needs a stated reason.
func (c *checker) harmonise(docs []Document) {
	type entry struct {
		d          *Document
		r          *Rule
		constraint string
		value      string
	}
	groups := map[string][]entry{}
	var keys []string
	for i := range docs {
		d := &docs[i]
		if d.Kind != Local {
			continue
		}
		for j := range d.Rules {
			r := &d.Rules[j]
			for _, cv := range constraints(r) {
				key := describeScope(r.Scope) + "|" + cv[0]
				if _, ok := groups[key]; !ok {
					keys = append(keys, key)
				}
				groups[key] = append(groups[key], entry{d, r, cv[0], cv[1]})
			}
		}
	}
	for _, key := range keys {
		es := groups[key]
		values := map[string]bool{}
		for _, e := range es {
			values[e.value] = true
		}
		if len(es) < 2 || len(values) < 2 {
			continue
		}
		for _, e := range es {
			c.rep.Harmonisation = append(c.rep.Harmonisation, HarmonisationRow{Scope: describeScope(e.r.Scope),
				Constraint: e.constraint, Crossings: strings.Join(c.applies(e.d, e.r), ","), Value: e.value,
				Reason: e.r.Reason, Rule: e.d.ID + "/" + e.r.ID})
		}
		for _, e := range es {
			if strings.TrimSpace(e.r.Reason) != "" {
				continue
			}
			var others []string
			for _, o := range es {
				if o.value != e.value {
					others = append(others, fmt.Sprintf("%s/%s (%s)", o.d.ID, o.r.ID, o.value))
				}
			}
			c.add(Inconsistent, e.d, e.r, nil, "%s for %s differs from %s, with no reason given",
				e.value, describeScope(e.r.Scope), strings.Join(others, ", "))
		}
	}
}

func officers(n int) string {
	if n == 1 {
		return "1 officer"
	}
	return strconv.Itoa(n) + " officers"
}

// constraints lists a rule's constraints as (kind, value) for comparison.
func constraints(r *Rule) [][2]string {
	var out [][2]string
	if o := r.Officers; o != nil {
		v := ""
		if o.Min != nil {
			v += "at least " + officers(*o.Min)
		}
		if o.Max != nil {
			v = strings.TrimSpace(v + " at most " + officers(*o.Max))
		}
		out = append(out, [2]string{"officers", v})
	}
	if f := r.MinInspections; f != nil {
		out = append(out, [2]string{"min_inspections", fmt.Sprintf("at least %d per %s", f.Count, f.Per)})
	}
	if t := r.Techniques; t != nil {
		out = append(out, [2]string{"techniques", "required " + strings.Join(t.Required, "+") + " allowed " + strings.Join(t.Allowed, "+")})
	}
	if m := r.MaxDiversion; m != nil {
		out = append(out, [2]string{"max_diversion", fmt.Sprintf("at most %.0f%% per %s", 100*m.Share, m.Per)})
	}
	return out
}

// describeScope names a scope without its crossings, for grouping.
func describeScope(s Scope) string {
	var parts []string
	add := func(k string, vs []string) {
		if len(vs) > 0 {
			parts = append(parts, k+"="+strings.Join(vs, "+"))
		}
	}
	if s.Border != "" {
		parts = append(parts, "border="+s.Border)
	}
	add("modalities", s.Modalities)
	add("techniques", s.Techniques)
	add("triggers", s.Triggers)
	add("days", s.Days)
	if s.Hours != "" {
		parts = append(parts, "hours="+s.Hours)
	}
	if len(parts) == 0 {
		return "all inspections"
	}
	return strings.Join(parts, " ")
}
