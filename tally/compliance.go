package tally

import (
	"sort"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/policy"
)

// Windows says whether minimum-frequency windows were met from the monthly
// rows: a month's sum settles a monthly window, and the month's mask of
// days with inspections settles any window that needs one inspection.
// Only a rule that needs more than one inspection in a window shorter
// than a month asks for daily counts, of its crossing alone, once. A
// national year is then about 167 x 12 x 6 monthly rows instead of
// 167 x 365 x 6 daily ones.
type Windows struct {
	from, to outbound.Date
	months   map[string]map[MonthKey]MonthSums
	read     func(code string) (map[outbound.Date]map[string]int64, error)
	daily    map[string]map[outbound.Date]map[string]int64 // crossing -> day -> modality ("" for all)
	err      error
}

// NewWindows judges windows inside local days from..to from the monthly
// rows of the dimension All (and Modality, when a rule counts only some
// modalities) of the months the period touches. daily reads a crossing's
// inspections per local day of the period and modality ("" for all).
func NewWindows(from, to outbound.Date, months map[string]map[MonthKey]MonthSums,
	daily func(code string) (map[outbound.Date]map[string]int64, error)) *Windows {
	return &Windows{from: from, to: to, months: months, read: daily, daily: map[string]map[outbound.Date]map[string]int64{}}
}

// Err is the first failure to read daily counts: windows judged after it
// counted none.
func (w *Windows) Err() error { return w.err }

// monthOf is the monthly row that counts a modality ("" for all) in a
// day's month.
func monthOf(d outbound.Date, modality string) MonthKey {
	if modality == "" {
		return MonthKey{d.Year, int(d.Month), All, ""}
	}
	return MonthKey{d.Year, int(d.Month), Modality, modality}
}

// Met says whether rule r's minimum was met at a crossing over local days
// start..end, a window inside the period: policy.FrequencyMet asks it.
func (w *Windows) Met(code string, r *policy.Rule, start, end outbound.Date) bool {
	need := r.MinInspections.Count
	values := r.Modalities()
	if values == nil {
		values = []string{""}
	}
	months := w.months[code]
	switch {
	case need <= 0:
		return true
	case r.MinInspections.Per == "month": // a calendar month
		n := int64(0)
		for _, v := range values {
			n += months[monthOf(start, v)].Inspections
		}
		return n >= int64(need)
	case need == 1:
		for d := start; !end.Before(d); d = d.AddDays(1) {
			for _, v := range values {
				if months[monthOf(d, v)].Days&(1<<(d.Day-1)) != 0 {
					return true
				}
			}
		}
		return false
	}
	counts, ok := w.daily[code]
	if !ok {
		var err error
		counts, err = w.read(code)
		if err != nil && w.err == nil {
			w.err = err
		}
		w.daily[code] = counts
	}
	n := int64(0)
	for d := start; !end.Before(d); d = d.AddDays(1) {
		for _, v := range values {
			n += counts[d][v]
		}
	}
	return n >= int64(need)
}

// DaysInspected counts the days of the period with any inspection at a
// crossing.
func (w *Windows) DaysInspected(code string) int {
	months := w.months[code]
	n := 0
	for d := w.from; !w.to.Before(d); d = d.AddDays(1) {
		if months[monthOf(d, "")].Days&(1<<(d.Day-1)) != 0 {
			n++
		}
	}
	return n
}

// Compliance is the compliance report from each crossing's windows
// required and met (list, judged by w; a crossing missing from it has no
// row) and its days inspected: per crossing and for the nation, each
// border and each field office, the windows, the share of crossings that
// met every window, and the share that inspected on at least minCoverage
// percent of the period's days (the audit's figure).
func Compliance(cs []outbound.Crossing, list []policy.Compliance, w *Windows, minCoverage float64) ([]outbound.Row, outbound.Row) {
	days := float64(Days(w.from, w.to))
	byCode := map[string]int{}
	for i, c := range list {
		byCode[c.Crossing] = i
	}
	type group struct{ crossings, required, met, all, often int }
	nation := &group{}
	borders, offices := map[string]*group{}, map[string]*group{}
	var officeNames []string
	var rows []outbound.Row
	for _, c := range cs {
		i, ok := byCode[c.Code]
		if !ok {
			continue
		}
		x := list[i]
		if offices[c.FieldOffice] == nil {
			offices[c.FieldOffice] = &group{}
			officeNames = append(officeNames, c.FieldOffice)
		}
		if borders[string(c.Border)] == nil {
			borders[string(c.Border)] = &group{}
		}
		inspected := w.DaysInspected(c.Code)
		coverage := rate(float64(inspected), days)
		for _, g := range []*group{nation, borders[string(c.Border)], offices[c.FieldOffice]} {
			g.crossings++
			g.required += x.WindowsRequired
			g.met += x.WindowsMet
			if x.WindowsMet == x.WindowsRequired {
				g.all++
			}
			// In floating point 100 x 29/100 is 28.999999999999996: the
			// tolerance keeps 29 days of 100 from missing a 29 percent minimum.
			if r, ok := coverage.(float64); ok && 100*r >= minCoverage-1e-9 {
				g.often++
			}
		}
		rows = append(rows, append(head(c), outbound.Cell{Key: outbound.FieldOfficeKey, Value: c.FieldOffice},
			outbound.Cell{Key: outbound.WindowsRequired, Value: x.WindowsRequired},
			outbound.Cell{Key: outbound.WindowsMet, Value: x.WindowsMet},
			outbound.Cell{Key: outbound.ComplianceRate, Value: rate(float64(x.WindowsMet), float64(x.WindowsRequired))},
			outbound.Cell{Key: outbound.DaysInspected, Value: inspected},
			outbound.Cell{Key: outbound.CoverageRate, Value: coverage}))
	}
	cells := func(g *group) outbound.Row {
		return outbound.Row{{Key: outbound.Crossings, Value: g.crossings}, {Key: outbound.WindowsRequired, Value: g.required},
			{Key: outbound.WindowsMet, Value: g.met}, {Key: outbound.ComplianceRate, Value: rate(float64(g.met), float64(g.required))},
			{Key: outbound.CrossingsMetEveryWindow, Value: g.all}, {Key: outbound.ShareMetEveryWindow, Value: rate(float64(g.all), float64(g.crossings))},
			{Key: outbound.CrossingsInspectingMinDays, Value: g.often},
			{Key: outbound.ShareInspectingMinDays, Value: rate(float64(g.often), float64(g.crossings))}}
	}
	byBorder := outbound.Row{}
	for _, b := range outbound.Borders {
		g := borders[string(b)]
		if g == nil {
			g = &group{}
		}
		byBorder = append(byBorder, outbound.Cell{Key: outbound.Metric(b), Value: cells(g)})
	}
	sort.Strings(officeNames)
	byOffice := outbound.Row{}
	for _, name := range officeNames {
		byOffice = append(byOffice, outbound.Cell{Key: outbound.Metric(name), Value: cells(offices[name])})
	}
	totals := append(cells(nation), outbound.Cell{Key: outbound.ByBorder, Value: byBorder}, outbound.Cell{Key: outbound.ByFieldOffice, Value: byOffice})
	return rows, totals
}
