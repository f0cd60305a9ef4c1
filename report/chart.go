package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
)

// Bar is one crossing's value of the metric a report's chart shows.
type Bar struct {
	Crossing string
	Value    float64
}

// Ranked picks what a report's chart shows: the crossings with a value of
// its ChartMetric, largest first (ties in the report's order), at most n
// of them. It also returns how many crossings have a value, so that a
// chart of the top n can say of how many. The web page and the PDF both
// draw from it, so they show the same crossings.
func Ranked(rep outbound.Report, n int) (top []Bar, valued int) {
	metric := ChartMetric[rep.Report]
	if metric == "" {
		return nil, 0
	}
	for _, r := range rep.Rows {
		if v, ok := Number(r.Get(metric)); ok {
			top = append(top, Bar{fmt.Sprint(r.Get(outbound.CrossingKey)), v})
		}
	}
	slices.SortStableFunc(top, func(a, b Bar) int { return cmp.Compare(b.Value, a.Value) })
	return top[:min(len(top), n)], len(top)
}

// ChartTitle says what a ranked chart of rep shows, as its visible title:
// every crossing, or the top shown of how many and by what, and how many
// crossings have no value and are left out ("Top 20 of 167 crossings by
// inspections"); or that there is nothing to chart.
func ChartTitle(rep outbound.Report, shown, valued int) string {
	what := MetricName(ChartMetric[rep.Report])
	var s string
	switch {
	case valued == 0:
		return fmt.Sprintf("No crossing has a %s to chart", what)
	case shown < valued:
		s = fmt.Sprintf("Top %d of %d crossings by %s", shown, valued, what)
	case valued == 1:
		s = fmt.Sprintf("The one crossing by %s", what)
	default:
		s = fmt.Sprintf("All %d crossings by %s", valued, what)
	}
	if none := len(rep.Rows) - valued; none > 0 {
		s += fmt.Sprintf(" (%d more without a value)", none)
	}
	return s
}

// MetricName writes a metric for people: value_usd as "value (USD)",
// inspections_per_1000_exits as "inspections per 1,000 exits".
func MetricName(m outbound.Metric) string {
	s := strings.ReplaceAll(string(m), "_1000_", "_1,000_")
	s = strings.TrimSuffix(s, "_usd")
	s = strings.ReplaceAll(s, "_", " ")
	if strings.HasSuffix(string(m), "_usd") {
		s += " (USD)"
	}
	return s
}
