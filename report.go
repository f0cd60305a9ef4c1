package outbound

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// Reports, by name (DESIGN section 5 keeps their metric names).
var ReportNames = []string{"coverage", "compliance", "activity", "seizures", "yield", "staffing", "exits"}

// ParseRates reads hourly rates as "95" (everywhere) or
// "southwest=102.5,northern=91" (by border), or both: "95,northern=91".
func ParseRates(s string) (float64, map[string]float64, error) {
	var all float64
	by := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		key, value, byBorder := strings.Cut(part, "=")
		if !byBorder {
			value = key
		}
		rate, err := strconv.ParseFloat(value, 64)
		if err != nil || rate < 0 || rate > 10000 {
			return 0, nil, Errorf(EINVALID, "hourly_rate", "hourly rate %s must be USD from 0 to 10000, as 95 or southwest=102.5,northern=91", Shown(part))
		}
		switch {
		case !byBorder:
			all = rate
		case Border(key).Valid():
			by[key] = rate
		default:
			return 0, nil, Errorf(EINVALID, "hourly_rate", "%s is not a border (southwest or northern)", Shown(key))
		}
	}
	return all, by, nil
}

// DefaultHourlyRate is the loaded cost of an officer hour, in USD, that
// cost metrics use unless a report is given another: an assumption, stated
// in every report that uses it.
const DefaultHourlyRate = 95.0

// Cell is one named value of a report row.
type Cell struct {
	Key   Metric
	Value any // a number, a string, or a Row of a breakdown
}

// Row is a report row: named values in a fixed order, so that JSON keys,
// CSV columns and table columns all come out the same way.
type Row []Cell

// WithoutBreakdowns returns the row without its breakdowns: the cells
// whose value is a Row.
func (r Row) WithoutBreakdowns() Row {
	return slices.DeleteFunc(slices.Clone(r), func(c Cell) bool {
		_, nested := c.Value.(Row)
		return nested
	})
}

// MarshalJSON writes the row as an object with its keys in order.
func (r Row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Key)
		v, err := json.Marshal(c.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Get returns the value of key, or nil.
func (r Row) Get(key Metric) any {
	for _, c := range r {
		if c.Key == key {
			return c.Value
		}
	}
	return nil
}

// Report is one report for a period: a row per crossing and the totals.
type Report struct {
	Report  string            `json:"report"`
	From    Date              `json:"from"`
	To      Date              `json:"to"`
	Filters map[string]string `json:"filters"`
	Rows    []Row             `json:"rows"`
	Totals  Row               `json:"totals"`
}

// ReportFilter selects what a report covers: inclusive local days, and
// optionally a border or a crossing.
type ReportFilter struct {
	From, To    Date
	Border      string
	FieldOffice string
	Crossing    string
	HourlyRate  float64 // USD per officer hour; 0 means DefaultHourlyRate
	// BorderRates override HourlyRate on a border ("southwest": 102.5).
	BorderRates map[string]float64
	// MinCoverage is the share of days, in percent, a crossing must inspect
	// on to count in the compliance report's share_inspecting_min_days
	// (the audit's figure); 0 means 100.
	MinCoverage float64
	// Source is which inspections count: SourceAll (or ""), only those
	// recorded, or only history imported from the ports' own logs.
	Source string
	// Summary leaves the breakdowns out (the metrics whose value is a
	// Row, such as by_modality), and with them the reading that only they
	// need: a report's web page shows the other metrics only. The API and
	// the downloads never set it.
	Summary bool
}

// ReportService makes reports.
type ReportService interface {
	Report(ctx context.Context, name string, f ReportFilter) (Report, error)
}

// TrendPoint is one day's, week's or month's inspections and seizures.
type TrendPoint struct {
	Start       Date    `json:"start"` // the day, the Monday of the week, or the first day of the month
	Inspections int64   `json:"inspections"`
	Seizures    int64   `json:"seizures"`
	ValueUSD    float64 `json:"value_usd"`
}

// Trend periods.
const (
	PerDay   = "day"
	PerWeek  = "week"
	PerMonth = "month"
)

// TrendService sums inspections and seizures over time, for the
// dashboard's charts.
type TrendService interface {
	// Trend sums the inspections and seizures of the crossings the actor
	// may see that the filter keeps, per PerDay, PerWeek (Monday to
	// Sunday) or PerMonth: every one of the period in order, empty ones
	// too.
	Trend(ctx context.Context, f ReportFilter, per string) ([]TrendPoint, error)
}
