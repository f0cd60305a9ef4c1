package tally

import (
	"math"
	"time"

	"github.com/outbound-oss/outbound"
)

// ExitCounts are a crossing's exits over a period as recorded: counted,
// and estimated by the crossing itself.
type ExitCounts struct{ Counted, Estimated int64 }

// Volume is a port's BTS inbound crossings over some months of data.
type Volume struct {
	Total  int64
	Months int
}

// BTSMeasures are the BTS inbound measures that stand for people and
// vehicles crossing, used to estimate exits where none were counted.
var BTSMeasures = []string{"Personal Vehicles", "Trucks", "Buses", "Pedestrians", "Trains"}

// BaselineMonths are the first days of the first and last month of BTS
// data that estimate exits of a period ending on to: the twelve months up
// to its month.
func BaselineMonths(to outbound.Date) (first, last outbound.Date) {
	last = outbound.Date{Year: to.Year, Month: to.Month, Day: 1}
	return outbound.DateOf(last.Time(time.UTC).AddDate(-1, 1, 0)), last
}

// Baseline estimates each port's exits over local days from..to as its
// inbound crossings: the average day of its months of BTS data, times the
// period's days. Outbound traffic roughly mirrors inbound at land ports;
// the exits report labels the estimate as such.
func Baseline(volumes map[string]Volume, from, to outbound.Date) map[string]float64 {
	days := Days(from, to)
	out := map[string]float64{}
	for port, v := range volumes {
		// Each month of data is about 30.44 days.
		out[port] = float64(v.Total) / (30.44 * float64(v.Months)) * float64(days)
	}
	return out
}

// Exits is the exits report: inspections per 1,000 exits, from each
// crossing's counts where it has any (estimates it recorded included),
// else from its own estimates, else from the BTS baseline of its port;
// exits_source says which.
func Exits(cs []outbound.Crossing, sums map[string]map[Key]Sums, counts map[string]*ExitCounts, baseline map[string]float64) ([]outbound.Row, outbound.Row) {
	var rows []outbound.Row
	var inspections, exits int64
	for _, c := range cs {
		n := sums[c.Code][allKey].Inspections
		var x int64
		source := "none"
		switch k := counts[c.Code]; {
		case k != nil && k.Counted > 0:
			x, source = k.Counted+k.Estimated, "counted"
			if k.Estimated > 0 {
				source = "counted and estimated"
			}
		case k != nil && k.Estimated > 0:
			x, source = k.Estimated, "estimated"
		case baseline[c.PortCode] > 0:
			x, source = int64(math.Round(baseline[c.PortCode])), "estimated from BTS inbound"
		}
		inspections += n
		exits += x
		rows = append(rows, append(head(c), outbound.Cell{Key: outbound.Inspections, Value: n}, outbound.Cell{Key: outbound.Exits, Value: x},
			outbound.Cell{Key: outbound.ExitsSource, Value: source},
			outbound.Cell{Key: outbound.InspectionsPer1000Exits, Value: rate(1000*float64(n), float64(x))}))
	}
	return rows, outbound.Row{{Key: outbound.Crossings, Value: len(cs)}, {Key: outbound.Inspections, Value: inspections}, {Key: outbound.Exits, Value: exits},
		{Key: outbound.InspectionsPer1000Exits, Value: rate(1000*float64(inspections), float64(exits))}}
}
