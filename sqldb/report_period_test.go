package sqldb_test

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// A report of any period counts what the daily rollups of its days hold,
// however it reads them: months, days, or months less some days.
func TestReportsOfAnyPeriodAgreeWithTheDays(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		r := rand.New(rand.NewPCG(3, 4))
		mustRecord(t, db, randomInspections(r, 600, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), 120, func(in *outbound.Inspection) {
			if r.IntN(5) == 0 {
				in.Outcome = outbound.Seized
				in.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 0.1 * float64(1+r.IntN(30)), Unit: "kg", ValueUSD: 0.01 * float64(r.IntN(100000))}}
			}
		})...)
		days, err := db.Rollups(testdb.System, false)
		if err != nil {
			t.Fatal(err)
		}
		compared := 0 // periods and crossings with seizures
		for round := range 40 {
			from := outbound.DateOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(110)))
			to := from.AddDays(r.IntN(70))
			want := map[string][3]float64{} // crossing -> inspections, value, kilograms
			for _, d := range days {
				day, _ := outbound.ParseDate(d.Day)
				if !day.Before(from) && !to.Before(day) {
					w := want[d.Crossing]
					switch d.Dim {
					case "all":
						w[0] += float64(d.Inspections)
						w[1] += d.ValueUSD
					case "category_unit":
						w[2] += d.Quantity
					}
					want[d.Crossing] = w
				}
			}
			rep, err := db.Report(testdb.System, "seizures", outbound.ReportFilter{From: from, To: to})
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rep.Rows {
				b, _ := json.Marshal(row)
				var got struct {
					Crossing    string  `json:"crossing"`
					Inspections float64 `json:"inspections"`
					ValueUSD    float64 `json:"value_usd"`
					ByCategory  map[string]struct {
						Quantity string `json:"quantity"`
					} `json:"by_category"`
				}
				json.Unmarshal(b, &got)
				w := want[got.Crossing]
				kg := ""
				if w[2] != 0 {
					kg = strconv.FormatFloat(math.Round(w[2]*1e6)/1e6, 'f', -1, 64) + " kg"
				}
				if got.Inspections != w[0] || math.Abs(got.ValueUSD-w[1]) > 0.005 || got.ByCategory["currency"].Quantity != kg {
					t.Fatalf("round %d, %s to %s, crossing %s: %v inspections, $%v, %q; the days hold %v, $%v, %q", round, from, to, got.Crossing,
						got.Inspections, got.ValueUSD, got.ByCategory["currency"].Quantity, w[0], w[1], kg)
				}
				if v := strconv.FormatFloat(got.ValueUSD, 'f', -1, 64); strings.Contains(v, ".") && len(v)-strings.Index(v, ".") > 3 {
					t.Fatalf("round %d, %s to %s, crossing %s: $%v is not in cents (every seizure was)", round, from, to, got.Crossing, got.ValueUSD)
				}
				if w[1] != 0 {
					compared++
				}
			}
		}
		if compared < 20 {
			t.Fatalf("only %d periods and crossings had seizures", compared)
		}
	})
}

// A summary (a report's web page) is the full report less its
// breakdowns: the same crossings, figures and totals, read from fewer
// dimensions, whatever the filter, the actor, the source (with history
// imported) and the order in which one request reads both.
func TestReportSummaryIsTheReportLessItsBreakdowns(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		r := rand.New(rand.NewPCG(5, 6))
		vary := func(in *outbound.Inspection) {
			in.Trigger = outbound.Triggers[r.IntN(len(outbound.Triggers))]
			in.Techniques = []outbound.Technique{outbound.Techniques[r.IntN(len(outbound.Techniques))]}
			if r.IntN(4) == 0 {
				in.Outcome = outbound.Seized
				in.Seizures = []outbound.Seizure{{Category: outbound.Categories[r.IntN(len(outbound.Categories))], Quantity: 1.1, Unit: "kg", ValueUSD: float64(r.IntN(5000))}}
			}
		}
		mustRecord(t, db, randomInspections(r, 200, time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), 60, vary)...)
		history := randomInspections(r, 100, time.Date(2025, 12, 1, 12, 0, 0, 0, time.UTC), 60, vary) // before the test clock, 10 March
		if _, err := db.ImportHistory(testdb.System, logSource, historyRows(history...), sqldb.HistoryOptions{}); err != nil {
			t.Fatal(err)
		}
		supervisor := mustUser(t, db, "sam", outbound.Supervisor, "2304")
		compared := 0
		for _, actor := range []context.Context{testdb.System, supervisor} {
			for _, period := range [][2]outbound.Date{{{Year: 2025, Month: 12, Day: 15}, {Year: 2026, Month: 2, Day: 20}}, {{Year: 2026, Month: 1, Day: 1}, {Year: 2026, Month: 1, Day: 31}}} {
				for _, f := range []outbound.ReportFilter{{}, {Border: "northern"}, {Crossing: "2304"}, {FieldOffice: "Nowhere"}, {Source: outbound.SourceImported}, {Source: outbound.SourceRecorded}} {
					f.From, f.To = period[0], period[1]
					for _, name := range outbound.ReportNames {
						for _, summaryFirst := range []bool{false, true} {
							ctx := db.WithRequestCache(actor) // one request reads both: its cache must not mix them
							sf := f
							sf.Summary = true
							var full, summary outbound.Report
							var fullErr, summaryErr error
							if summaryFirst {
								summary, summaryErr = db.Report(ctx, name, sf)
							}
							full, fullErr = db.Report(ctx, name, f)
							if !summaryFirst {
								summary, summaryErr = db.Report(ctx, name, sf)
							}
							if outbound.ErrorCode(fullErr) != outbound.ErrorCode(summaryErr) {
								t.Fatalf("%s %+v: the report %v, its summary %v", name, f, fullErr, summaryErr)
							}
							if fullErr != nil {
								continue
							}
							want := full
							want.Rows = nil
							for _, row := range full.Rows {
								want.Rows = append(want.Rows, row.WithoutBreakdowns())
							}
							want.Totals = full.Totals.WithoutBreakdowns()
							got, _ := json.Marshal(summary)
							if w, _ := json.Marshal(want); string(got) != string(w) {
								t.Fatalf("%s %+v summary:\n%s\nthe report less its breakdowns:\n%s", name, f, got, w)
							}
							if name == "activity" && f.Border == "" && f.Crossing == "" && f.FieldOffice == "" && f.Source == "" && actor == testdb.System &&
								!strings.Contains(string(got), `"pulse_surge_share":0.`) {
								t.Fatalf("activity summary without a pulse-and-surge share: %s", got)
							}
							compared++
						}
					}
				}
			}
		}
		if compared < 300 {
			t.Fatalf("only %d reports compared", compared)
		}
	})
}

// randomInspections makes n inspections at random hours of the days from
// start, half at Laredo and half at Blaine, of random modalities, each
// changed further by vary.
func randomInspections(r *rand.Rand, n int, start time.Time, days int, vary func(*outbound.Inspection)) []outbound.Inspection {
	batch := make([]outbound.Inspection, n)
	for i := range batch {
		in := inspection(start.Add(time.Duration(r.IntN(days*24)) * time.Hour))
		in.ID = uuid.New()
		if r.IntN(2) == 0 {
			in.Crossing = "3004"
		}
		in.Modality = outbound.Modalities[r.IntN(len(outbound.Modalities))]
		vary(&in)
		batch[i] = in
	}
	return batch
}
