// Package demo makes realistic, clearly labelled demo data: crossings along
// the real southwest and northern borders (or real ports from BTS data) and
// years of outbound inspections, seizures, staffing and exit estimates whose
// patterns follow the 2023 audit: most southwest crossings inspect on most
// days, most northern ones rarely; seizures are rare and skewed; diversion
// of outbound hours to inbound work is common.
//
// Every crossing-day is drawn from its own seeded generator, so the same
// seed always gives the same records for a day, with the same ids: running
// the demo again replays instead of duplicating.
package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// Config says what to make.
type Config struct {
	Seed uint64
	From outbound.Date // first day, inclusive
	To   outbound.Date // last day, inclusive
}

// Day is everything made for one crossing on one local day.
type Day struct {
	Inspections []outbound.Inspection
	Staffing    []outbound.Staffing
	Exits       []outbound.ExitCount
}

// profile is how one crossing behaves, drawn once from the seed.
type profile struct {
	port     outbound.Port
	loc      *time.Location
	pDay     float64 // chance of any outbound inspection on a day
	perDay   float64 // mean inspections on such a day
	pSeizure float64
	size     float64 // traffic scale: exits and staffing
	officers []string
	surges   bool // whether pulse-and-surge operations come here
	surge    int  // one starts every surge days, roughly
}

func newRand(seed uint64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// newID draws a version 4 UUID from r: deterministic for the seed.
func newID(r *rand.Rand) uuid.UUID {
	var id uuid.UUID
	for i := range 2 {
		v := r.Uint64()
		for j := range 8 {
			id[i*8+j] = byte(v >> (8 * j))
		}
	}
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

func profileOf(seed uint64, p outbound.Port) profile {
	r := newRand(seed, "profile", p.Code)
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	pr := profile{port: p, loc: loc, size: math.Exp(r.NormFloat64()*0.9 + 0.5), surge: 90 + r.IntN(180)}
	pr.surges = r.Float64() < 0.5
	u := r.Float64()
	if p.Border == outbound.Southwest {
		// Less than half inspect daily; the rest on most days.
		switch {
		case u < 0.45:
			pr.pDay, pr.perDay = 0.985, 2+2*pr.size
		default:
			pr.pDay, pr.perDay = 0.55+0.35*r.Float64(), 1+pr.size
		}
		pr.pSeizure = 0.012
	} else {
		// 15% daily; most less than once a month.
		switch {
		case u < 0.15:
			pr.pDay, pr.perDay = 0.9, 1+pr.size
		case u < 0.35:
			pr.pDay, pr.perDay = 0.12, 1.2
		default:
			pr.pDay, pr.perDay = 0.01, 1
		}
		pr.pSeizure = 0.006
	}
	letter := "S"
	if p.Border == outbound.Northern {
		letter = "N"
	}
	for i := range 8 + int(6*pr.size) {
		pr.officers = append(pr.officers, fmt.Sprintf("%s%s%02d", letter, p.Code, i+1))
	}
	return pr
}

// Generate calls emit for every crossing (one per port) and day of the
// period, in order of port then day; it stops at emit's first error.
func Generate(cfg Config, ports []outbound.Port, emit func(Day) error) error {
	if cfg.To.Before(cfg.From) {
		return outbound.Errorf(outbound.EINVALID, "to", "the demo period ends before it starts")
	}
	for _, p := range ports {
		pr := profileOf(cfg.Seed, p)
		for d := cfg.From; !cfg.To.Before(d); d = d.AddDays(1) {
			if err := emit(pr.day(cfg.Seed, d)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Days counts the days of the period, for progress.
func Days(cfg Config) int {
	return int(cfg.To.Time(time.UTC).Sub(cfg.From.Time(time.UTC)).Hours()/24) + 1
}

func (pr profile) day(seed uint64, d outbound.Date) Day {
	r := newRand(seed, "day", pr.port.Code, d.String())
	var out Day
	midnight := d.Time(pr.loc)
	dayNo := int(midnight.Unix() / 86400)
	surge := pr.surges && dayNo%pr.surge < 3 && r.Float64() < 0.6
	operation := fmt.Sprintf("ops-%s-%d", pr.port.Code, dayNo/pr.surge)

	n := 0
	if r.Float64() < pr.pDay {
		n = 1 + poisson(r, pr.perDay-1)
	}
	if surge {
		n += 6 + r.IntN(10)
	}
	for i := range n {
		out.Inspections = append(out.Inspections, pr.inspection(r, midnight, surge && i%2 == 0, operation))
	}
	out.Staffing = pr.staffing(r, d, len(out.Inspections))
	out.Exits = pr.exits(r, d)
	return out
}

func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// pick draws one of vs with the given weights.
func pick[T any](r *rand.Rand, vs []T, weights []float64) T {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	u := r.Float64() * total
	for i, w := range weights {
		if u < w {
			return vs[i]
		}
		u -= w
	}
	return vs[len(vs)-1]
}

func (pr profile) inspection(r *rand.Rand, midnight time.Time, surge bool, operation string) outbound.Inspection {
	modality := pick(r, outbound.Modalities, []float64{65, 18, 4, 12, 1})
	trigger := pick(r, outbound.Triggers, []float64{45, 25, 0, 5, 20, 0})
	if surge {
		trigger = outbound.PulseSurge
	}
	techniques := []outbound.Technique{outbound.Interview}
	if r.Float64() < 0.7 {
		techniques = append(techniques, outbound.Visual)
	}
	if r.Float64() < 0.3 {
		techniques = append(techniques, outbound.Physical)
	}
	if (modality == outbound.Truck || modality == outbound.Rail) && r.Float64() < 0.5 {
		techniques = append(techniques, outbound.NIIXray)
		if r.Float64() < 0.1 {
			trigger = outbound.NIIAnomaly
		}
	}
	if r.Float64() < 0.05 {
		techniques = append(techniques, outbound.K9)
	}
	// Peak hours are busier; nights are quiet.
	hour := pick(r, []int{0, 3, 6, 7, 8, 9, 11, 13, 15, 16, 17, 18, 19, 21}, []float64{1, 1, 3, 6, 6, 4, 4, 4, 4, 6, 7, 7, 5, 2})
	if trigger == outbound.PeakTraffic {
		hour = pick(r, []int{7, 8, 16, 17, 18}, []float64{1, 1, 1, 1, 1})
	}
	start := midnight.Add(time.Duration(hour)*time.Hour + time.Duration(r.IntN(3600))*time.Second)
	minutes := 4 + r.IntN(12) + 15*len(techniques[1:])
	officers := 2
	if r.Float64() < 0.2 {
		officers = 3
	}
	if r.Float64() < 0.1 {
		officers = 1
	}
	in := outbound.Inspection{
		ID: newID(r), Crossing: pr.port.Code, StartedAt: start, EndedAt: start.Add(time.Duration(minutes) * time.Minute),
		Modality: modality, Techniques: techniques, Trigger: trigger, Outcome: outbound.NoFinding,
		Seizures: []outbound.Seizure{},
	}
	for _, i := range r.Perm(len(pr.officers))[:officers] {
		in.Officers = append(in.Officers, pr.officers[i])
	}
	if trigger == outbound.PulseSurge {
		in.OperationID = &operation
	}
	switch u := r.Float64(); {
	case u < pr.pSeizure:
		in.Outcome = outbound.Seized
		in.Seizures = append(in.Seizures, pr.seizure(r))
		if r.Float64() < 0.15 {
			in.Seizures = append(in.Seizures, pr.seizure(r))
		}
		if r.Float64() < 0.2 {
			in.Outcome = outbound.Arrest
		}
	case u < pr.pSeizure+0.01:
		in.Outcome = outbound.Referral
	}
	return in
}

// seizure draws goods with a heavy-tailed value: most seizures are small, a
// few are very large.
func (pr profile) seizure(r *rand.Rand) outbound.Seizure {
	weights := []float64{40, 15, 25, 1, 10, 9} // southwest: currency and weapons going south
	if pr.port.Border == outbound.Northern {
		weights = []float64{30, 10, 10, 1, 25, 24}
	}
	c := pick(r, outbound.Categories, weights)
	tail := math.Exp(r.NormFloat64() * 1.2)
	s := outbound.Seizure{Category: c}
	switch c {
	case outbound.Currency:
		s.Quantity = math.Round(12000 * tail)
		s.Unit, s.ValueUSD = "USD", s.Quantity
	case outbound.Firearms:
		s.Quantity = float64(1 + int(3*tail))
		s.Unit, s.ValueUSD = "each", s.Quantity*850
	case outbound.Ammunition:
		s.Quantity = math.Round(400 * tail)
		s.Unit, s.ValueUSD = "rounds", math.Round(s.Quantity*0.6)
	case outbound.Explosives:
		s.Quantity = float64(1 + int(2*tail))
		s.Unit, s.ValueUSD = "each", s.Quantity*300
	case outbound.Narcotics:
		s.Quantity = math.Round(2*tail*100) / 100
		s.Unit, s.ValueUSD = "kg", math.Round(s.Quantity*18000)
	default:
		s.Quantity = 1
		s.Unit, s.ValueUSD = "each", math.Round(2500*tail)
	}
	if s.Quantity <= 0 {
		s.Quantity = 1
	}
	return s
}

func (pr profile) staffing(r *rand.Rand, d outbound.Date, inspections int) []outbound.Staffing {
	var out []outbound.Staffing
	for i, shift := range outbound.Shifts {
		planned := math.Round(8 * (pr.size*2*pr.pDay + 0.5*float64(inspections)/3) * []float64{1, 1, 0.5}[i])
		if planned == 0 {
			continue
		}
		s := outbound.Staffing{ID: newID(r), Crossing: pr.port.Code, Day: d, Shift: shift, HoursPlanned: planned}
		if r.Float64() < 0.35 { // diversions to inbound are common
			s.HoursDiverted = math.Min(planned, math.Round(planned*(0.25+0.75*r.Float64())))
			s.DiversionReason = pick(r, outbound.DiversionReasons, []float64{60, 20, 8, 4, 5, 3})
			if s.DiversionReason == outbound.DivertedOther {
				s.Notes = "demo: other duty"
			}
		}
		s.HoursWorked = planned - s.HoursDiverted
		out = append(out, s)
	}
	return out
}

func (pr profile) exits(r *rand.Rand, d outbound.Date) []outbound.ExitCount {
	base := map[outbound.Modality]float64{outbound.PersonalVehicle: 4000, outbound.Truck: 600, outbound.Pedestrian: 1500}
	if pr.port.Border == outbound.Northern {
		base = map[outbound.Modality]float64{outbound.PersonalVehicle: 900, outbound.Truck: 250, outbound.Pedestrian: 20}
	}
	var out []outbound.ExitCount
	for _, m := range []outbound.Modality{outbound.PersonalVehicle, outbound.Truck, outbound.Pedestrian} {
		out = append(out, outbound.ExitCount{ID: newID(r), Crossing: pr.port.Code, Day: d, Modality: m,
			Count: int64(base[m] * pr.size * (0.8 + 0.4*r.Float64())), Estimated: true,
			Method: "demo: synthetic estimate, not a measurement"})
	}
	return out
}
