package schedule

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/outbound-oss/outbound"
)

// Site is a crossing as the planner sees it; every number is an input a
// person can read and override.
type Site struct {
	Crossing    string  `json:"crossing"`
	Border      string  `json:"border"`
	FieldOffice string  `json:"field_office"`
	Exits       float64 `json:"exits_per_day"`              // people and vehicles leaving a day, counted or estimated
	SeizureRate float64 `json:"seizure_usd_per_1000_exits"` // outbound seizure value per 1,000 exits, last year
	Weight      float64 `json:"weight"`                     // intelligence weight: 1 is ordinary, 0 leaves the site out of the reckoning
	// Closed lists the shifts no team can work.
	Closed   []outbound.Shift `json:"closed,omitempty"`
	Minimums []Minimum        `json:"minimums,omitempty"`
}

// Minimum is a policy window: at least Shifts covered shifts at the
// crossing over local days Start..End.
type Minimum struct {
	Rule   string        `json:"rule"`
	Start  outbound.Date `json:"start"`
	End    outbound.Date `json:"end"`
	Shifts int           `json:"shifts"`
}

// Budget caps the covered shifts over the horizon, for a field office or,
// with FieldOffice "", for every site.
type Budget struct {
	FieldOffice string `json:"field_office"`
	Shifts      int    `json:"shifts"`
}

// Input is a planning problem as users state it.
type Input struct {
	From, To outbound.Date
	Sites    []Site
	Budgets  []Budget
	// ShiftShare is each shift's share of a day's exits; nil for
	// DefaultShiftShare.
	ShiftShare map[outbound.Shift]float64
	// CaughtLoss is what a caught smuggler loses, as a multiple of what
	// he would have gained: a cell's penalty is -CaughtLoss x its value.
	CaughtLoss float64
	// DailyPool, if above 0, caps the covered shifts of each day across
	// every site: teams from one pool. It cuts across the sites' windows
	// and budgets, so it makes the problem a bihierarchy.
	DailyPool int
}

// DefaultShiftShare spreads a day's exits over the shifts: most leave by
// day and in the evening.
var DefaultShiftShare = map[outbound.Shift]float64{outbound.DayShift: 0.45, outbound.SwingShift: 0.40, outbound.NightShift: 0.15}

// Build turns the input into cells and groups. A cell's value to the
// attacker is the exits of its shift (the flow he can hide in) times
// (1 + the site's seizure rate over the national one) times the site's
// weight. Each policy window becomes a group with its minimum; each
// budget a group with its maximum. Windows of one crossing must nest (days
// in weeks, say), or Solve refuses them.
func Build(in Input) (Problem, error) {
	var p Problem
	if in.To.Before(in.From) {
		return p, outbound.Errorf(outbound.EINVALID, "to", "the horizon ends before it starts")
	}
	share := in.ShiftShare
	if share == nil {
		share = DefaultShiftShare
	}
	var exits, seized float64
	for _, s := range in.Sites {
		exits += s.Exits
		seized += s.SeizureRate * s.Exits / 1000
	}
	national := 0.0 // seizure value per 1,000 exits, nationwide
	if exits > 0 {
		national = 1000 * seized / exits
	}
	cellsOf := map[string][]int{} // field office -> cells
	var all []int
	for _, s := range in.Sites {
		risk := 1.0
		if national > 0 {
			risk += s.SeizureRate / national
		}
		first := len(p.Cells)
		for d := in.From; !in.To.Before(d); d = d.AddDays(1) {
			for _, sh := range outbound.Shifts {
				v := s.Exits * share[sh] * risk * s.Weight
				c := Cell{Crossing: s.Crossing, Day: d, Shift: sh, Value: v, Penalty: -in.CaughtLoss * v, Capacity: 1}
				if slices.Contains(s.Closed, sh) {
					c.Capacity = 0
				}
				all = append(all, len(p.Cells))
				cellsOf[s.FieldOffice] = append(cellsOf[s.FieldOffice], len(p.Cells))
				p.Cells = append(p.Cells, c)
			}
		}
		for _, m := range s.Minimums {
			if m.Start.Before(in.From) || in.To.Before(m.End) || m.End.Before(m.Start) {
				return p, outbound.Errorf(outbound.EINVALID, "minimums", "%s at %s: window %s..%s is not inside the horizon", m.Rule, s.Crossing, m.Start, m.End)
			}
			var cells []int
			for i := first + 3*days(in.From, m.Start); i < first+3*(days(in.From, m.End)+1); i++ {
				cells = append(cells, i)
			}
			p.Groups = append(p.Groups, Group{Name: fmt.Sprintf("%s at %s, %s..%s", m.Rule, s.Crossing, m.Start, m.End), Cells: cells, Min: m.Shifts, Max: -1})
		}
	}
	if in.DailyPool > 0 {
		byDay := map[outbound.Date][]int{}
		for i, c := range p.Cells {
			byDay[c.Day] = append(byDay[c.Day], i)
		}
		for d := in.From; !in.To.Before(d); d = d.AddDays(1) {
			p.Pools = append(p.Pools, Group{Name: "daily pool on " + d.String(), Cells: byDay[d], Max: in.DailyPool})
		}
	}
	for _, b := range in.Budgets {
		cells := all
		name := "national budget"
		if b.FieldOffice != "" {
			cells, name = cellsOf[b.FieldOffice], "budget of field office "+b.FieldOffice
		}
		if len(cells) == 0 {
			return p, outbound.Errorf(outbound.EINVALID, "budgets", "no site in field office %q", b.FieldOffice)
		}
		p.Groups = append(p.Groups, Group{Name: name, Cells: cells, Max: b.Shifts})
	}
	return p, nil
}

// days counts the days from a to b.
func days(a, b outbound.Date) int {
	return int(math.Round(b.Time(time.UTC).Sub(a.Time(time.UTC)).Hours() / 24))
}

// Need returns the fewest covered shifts that meet every minimum of the
// input (budgets aside), and how many shifts can be covered at all.
func Need(in Input) (need, open int, err error) {
	in.Budgets = nil
	p, err := Build(in)
	if err != nil {
		return 0, 0, err
	}
	nodes, err := p.tree()
	if err != nil {
		return 0, 0, err
	}
	b := newBounds(&p, nodes)
	if n := b.check(&p, math.Inf(1)); n != feasible {
		return 0, 0, b.infeasible(&p, n)
	}
	return int((b.lo[0] + unit - 1) / unit), int(b.hi[0] / unit), nil
}

// PickSites draws count of the sites for a pulse-and-surge operation:
// each site is worth its exits, raised by its seizure rate and weight as
// for cells, and the draw is the defender's optimal coverage with exactly
// count sites covered, sampled so that exactly count are chosen and a
// smuggler who knows the odds finds no site better than the rest.
func PickSites(sites []Site, count int, r *rand.Rand) ([]string, error) {
	if count < 1 || count > len(sites) {
		return nil, outbound.Errorf(outbound.EINVALID, "count", "an operation draws 1 to %d crossings, not %d", len(sites), count)
	}
	in := Input{Sites: sites, ShiftShare: map[outbound.Shift]float64{outbound.DayShift: 1}, CaughtLoss: 1}
	in.From, in.To = outbound.Date{Year: 2000, Month: 1, Day: 1}, outbound.Date{Year: 2000, Month: 1, Day: 1}
	for i := range in.Sites {
		in.Sites[i].Minimums, in.Sites[i].Closed = nil, nil
	}
	p, err := Build(in)
	if err != nil {
		return nil, err
	}
	// One day, so each site's day shift stands for the site; the others
	// are worth nothing and closed.
	var open []int
	for i := range p.Cells {
		if p.Cells[i].Shift != outbound.DayShift {
			p.Cells[i].Capacity, p.Cells[i].Value, p.Cells[i].Penalty = 0, 0, 0
			continue
		}
		open = append(open, i)
	}
	p.Groups = []Group{{Name: "operation", Cells: open, Min: count, Max: count}}
	s, err := Solve(p)
	if err != nil {
		return nil, err
	}
	var out []string
	for i, c := range s.Sample(r) {
		if c {
			out = append(out, p.Cells[i].Crossing)
		}
	}
	return out, nil
}
