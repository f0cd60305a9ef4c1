package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

// A report page's chart of more crossings than it draws says that it
// shows the top of them, how many of how many, and by what.
func TestReportChartSaysItShowsTheTop(t *testing.T) {
	rep := outbound.Report{Report: "activity"}
	for i := range 30 {
		rep.Rows = append(rep.Rows, outbound.Row{{Key: outbound.CrossingKey, Value: fmt.Sprint(9000 + i)}, {Key: outbound.Inspections, Value: int64(i)}})
	}
	rep.Rows = append(rep.Rows, outbound.Row{{Key: outbound.CrossingKey, Value: "9999"}}) // no value: counted apart
	html := string(reportChart(rep, outbound.ReportFilter{}))
	if !strings.Contains(html, `<figcaption id="chart-title">Top 20 of 30 crossings by inspections (1 more without a value)</figcaption>`) {
		t.Fatalf("the chart's title: %s", html)
	}
	if n := strings.Count(html, `class="bar"`); n != 20 {
		t.Fatalf("%d bars; want the top 20", n)
	}
	if first, last := strings.Index(html, ">9029<"), strings.Index(html, ">9010<"); first < 0 || last < first || strings.Contains(html, ">9009<") {
		t.Fatalf("want 9029 first to 9010 last, and not 9009: %s", html)
	}
}
