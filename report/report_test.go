package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"slices"

	"github.com/google/uuid"
	"github.com/ledongthuc/pdf"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/report"
	"github.com/outbound-oss/outbound/sqldb"
	"github.com/xuri/excelize/v2"
)

func id(n int) uuid.UUID { return uuid.MustParse(fmt.Sprintf("00000000-0000-4000-8000-%012d", n)) }

// fixture records a week at Laredo and Blaine: inspections with seizures,
// an edit (counted once, as its latest version), a void (counted nowhere),
// staffing with diversions, and the national policy.
func fixture(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db := testdb.Open(t, dsn, testdb.Laredo, testdb.Blaine)
	db.Now = func() time.Time { return testdb.Clock }
	ctx := testdb.System
	src, err := os.ReadFile("../policy/testdata/policies/frequency.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.PublishPolicy(ctx, "frequency.yaml", src); err != nil {
		t.Fatal(err)
	}
	n := 0
	in := func(crossing string, day int, hour int, m outbound.Modality, tr outbound.Trigger, ts ...outbound.Technique) outbound.Inspection {
		n++
		start := time.Date(2026, 3, day, hour, 0, 0, 0, time.UTC)
		return outbound.Inspection{ID: id(n), Crossing: crossing, StartedAt: start, EndedAt: start.Add(20 * time.Minute),
			Modality: m, Techniques: ts, Trigger: tr, Officers: []string{"B1", "B2"}, Outcome: outbound.NoFinding}
	}
	var batch []outbound.Inspection
	for day := 2; day <= 8; day++ {
		if day == 5 {
			continue // a day without inspections at Laredo
		}
		batch = append(batch, in("2304", day, 15, outbound.PersonalVehicle, outbound.RandomSelection, outbound.Interview))
	}
	truck := in("2304", 3, 18, outbound.Truck, outbound.Routine, outbound.Interview, outbound.NIIXray)
	truck.Outcome = outbound.Seized
	truck.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 48000, Unit: "USD", ValueUSD: 48000},
		{Category: outbound.Ammunition, Quantity: 500, Unit: "rounds", ValueUSD: 300}}
	blaine := in("3004", 4, 20, outbound.PersonalVehicle, outbound.Intelligence, outbound.Physical)
	blaine.Outcome = outbound.Seized
	blaine.Seizures = []outbound.Seizure{{Category: outbound.Firearms, Quantity: 2, Unit: "each", ValueUSD: 1700}}
	mistake := in("3004", 6, 20, outbound.Bus, outbound.Routine, outbound.Visual)
	batch = append(batch, truck, blaine, mistake)
	if _, err := db.RecordInspections(ctx, batch); err != nil {
		t.Fatal(err)
	}
	edit := truck // the truck was a bus
	edit.ID, edit.Replaces, edit.Reason, edit.Modality = id(100), &truck.ID, "it was a bus", outbound.Bus
	void := mistake
	void.ID, void.Replaces, void.Reason, void.Voided = id(101), &mistake.ID, "entered twice", true
	if _, err := db.RecordInspections(ctx, []outbound.Inspection{edit, void}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) outbound.Date { return outbound.Date{Year: 2026, Month: 3, Day: d} }
	_, err = db.RecordStaffing(ctx, []outbound.Staffing{
		{ID: id(200), Crossing: "2304", Day: day(2), Shift: outbound.DayShift, HoursPlanned: 32, HoursWorked: 24, HoursDiverted: 8, DiversionReason: outbound.DivertedInboundTraffic},
		{ID: id(201), Crossing: "2304", Day: day(3), Shift: outbound.DayShift, HoursPlanned: 32, HoursWorked: 32},
		{ID: id(202), Crossing: "3004", Day: day(4), Shift: outbound.SwingShift, HoursPlanned: 8, HoursWorked: 0, HoursDiverted: 8, DiversionReason: outbound.DivertedStaffShortage},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Laredo counts its exits; Blaine has only the BTS inbound baseline:
	// 3,044 crossings a month, 100 a day.
	_, err = db.RecordExits(ctx, []outbound.ExitCount{
		{ID: id(300), Crossing: "2304", Day: day(2), Modality: outbound.PersonalVehicle, Count: 4000, Method: "lane counter"},
		{ID: id(301), Crossing: "2304", Day: day(3), Modality: outbound.PersonalVehicle, Count: 3000, Method: "lane counter"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.ImportVolumes(ctx, func(yield func(outbound.VolumeRow, error) bool) {
		for m := range 12 {
			month := outbound.DateOf(time.Date(2025, time.April+time.Month(m), 1, 0, 0, 0, 0, time.UTC))
			if !yield(outbound.VolumeRow{Port: testdb.Blaine, Volume: outbound.MonthlyVolume{PortCode: "3004", Month: month,
				Measure: "Personal Vehicles", Value: 3044}}, nil) {
				return
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// Every report, as JSON and CSV, from SQLite and PostgreSQL alike.
func TestReportsGolden(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		db := fixture(t, dsn)
		f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}}
		for _, name := range outbound.ReportNames {
			rep, err := db.Report(testdb.System, name, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{"json", "csv"} {
				var b bytes.Buffer
				if err := report.Write(&b, rep, format); err != nil {
					t.Fatal(err)
				}
				golden.Check(t, name+"."+format, b.Bytes(), db.Dialect() == sqldb.SQLite)
			}
		}
	})
}

func TestReportFiltersAndErrors(t *testing.T) {
	db := fixture(t, testdb.SQLite(t))
	f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}, Border: "northern"}
	rep, err := db.Report(testdb.System, "activity", f)
	if err != nil || len(rep.Rows) != 1 || rep.Rows[0].Get("crossing") != "3004" || rep.Rows[0].Get("inspections") != int64(1) {
		t.Fatalf("northern activity: %+v, %v; want Blaine's one inspection (the voided one counts nowhere)", rep.Rows, err)
	}
	if _, err := db.Report(testdb.System, "weather", f); outbound.ErrorCode(err) != outbound.ENOTFOUND {
		t.Fatalf("an unknown report: %v", err)
	}
	f.To = outbound.Date{Year: 2026, Month: 3, Day: 1}
	if _, err := db.Report(testdb.System, "coverage", f); outbound.ErrorField(err) != "to" {
		t.Fatalf("a period that ends before it starts: %v", err)
	}
	var b bytes.Buffer
	f.To = outbound.Date{Year: 2026, Month: 3, Day: 8}
	f.Border = ""
	rep, _ = db.Report(testdb.System, "coverage", f)
	report.Write(&b, rep, "table")
	if !bytes.Contains(b.Bytes(), []byte("TOTAL")) || !bytes.Contains(b.Bytes(), []byte("coverage report, 2026-03-02 to 2026-03-08, 2 crossings")) {
		t.Fatalf("table:\n%s", b.String())
	}
}

// The workbook opens back with real numbers in its cells, a sheet per
// breakdown, and the totals.
func TestXLSXOpensBack(t *testing.T) {
	b := week(t, "seizures", "xlsx")
	x, err := excelize.OpenReader(b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"seizures", "by_category", "filters"}) {
		t.Fatalf("sheets = %v", got)
	}
	rows, _ := x.GetRows("seizures")
	if len(rows) != 4 || rows[0][4] != "value_usd" || rows[1][0] != "2304" || rows[3][0] != "TOTAL" {
		t.Fatalf("seizures sheet = %v", rows)
	}
	if typ, _ := x.GetCellType("seizures", "E2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Fatalf("value_usd is stored as %v; want a number", typ)
	}
	if v, _ := x.GetCellValue("seizures", "E2"); v != "48300" {
		t.Fatalf("Laredo's value = %q; want 48300", v)
	}
	cat, _ := x.GetRows("by_category")
	if cat[0][2] != "currency.count" || cat[1][3] != "48000 USD" || cat[1][4] != "48000" {
		t.Fatalf("by_category sheet = %v", cat)
	}
}

// The PDF opens back and reads: title, period, definition, chart and table.
func TestPDFReadsBack(t *testing.T) {
	b := week(t, "coverage", "pdf")
	r, err := pdf.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	text, err := r.GetPlainText()
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	all.ReadFrom(text)
	for _, want := range []string{"coverage report", "2026-03-02 to 2026-03-08", "Definition:", "All 2 crossings by coverage rate", "2304", "3004", "TOTAL"} {
		if !bytes.Contains(all.Bytes(), []byte(want)) {
			t.Errorf("the PDF lacks %q:\n%s", want, all.String())
		}
	}
}

// week writes one report of the fixture's week in a format.
func week(t *testing.T, name, format string) *bytes.Buffer {
	t.Helper()
	db := fixture(t, testdb.SQLite(t))
	f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}}
	rep, err := db.Report(testdb.System, name, f)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.Write(&b, rep, format); err != nil {
		t.Fatal(err)
	}
	return &b
}

// A period of whole months and edge days (read from the monthly rollups and
// the daily ones) gives the same sums as the week the data lies in.
func TestMonthsAndDaysAgree(t *testing.T) {
	db := fixture(t, testdb.SQLite(t))
	weekF := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}}
	wideF := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 2, Day: 15}, To: outbound.Date{Year: 2026, Month: 4, Day: 10}}
	for _, name := range []string{"activity", "seizures", "yield", "coverage"} {
		week, err1 := db.Report(testdb.System, name, weekF)
		wide, err2 := db.Report(testdb.System, name, wideF)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		a, _ := json.Marshal(week.Totals)
		b, _ := json.Marshal(wide.Totals)
		if name == "coverage" { // the wider period has more days; the inspected ones are the same
			a, _ = json.Marshal([]any{week.Totals.Get("days_inspected"), week.Rows[0].Get("days_inspected_by_shift")})
			b, _ = json.Marshal([]any{wide.Totals.Get("days_inspected"), wide.Rows[0].Get("days_inspected_by_shift")})
		}
		if string(a) != string(b) {
			t.Errorf("%s: the week's totals %s differ from the wider period's %s", name, a, b)
		}
	}
}

func TestXLSXHasTheTotalsBreakdowns(t *testing.T) {
	x, err := excelize.OpenReader(week(t, "compliance", "xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("by_border")
	if !slices.Contains(x.GetSheetList(), "by_field_office") || len(rows) != 3 || rows[1][0] != "southwest" || rows[1][2] != "7" {
		t.Fatalf("sheets %v, by_border %v", x.GetSheetList(), rows)
	}
}

func TestHourlyRatesByBorder(t *testing.T) {
	db := fixture(t, testdb.SQLite(t))
	all, by, err := outbound.ParseRates("100,northern=50")
	if err != nil {
		t.Fatal(err)
	}
	f := outbound.ReportFilter{From: outbound.Date{Year: 2026, Month: 3, Day: 2}, To: outbound.Date{Year: 2026, Month: 3, Day: 8}, HourlyRate: all, BorderRates: by}
	rep, err := db.Report(testdb.System, "staffing", f)
	if err != nil {
		t.Fatal(err)
	}
	// Laredo worked 56 hours at 100, Blaine none.
	if rep.Rows[0].Get("cost_usd") != 5600.0 || rep.Totals.Get("cost_usd") != 5600.0 || rep.Filters["hourly_rate_northern"] != "50" {
		t.Fatalf("costs: %v / %v, filters %v", rep.Rows[0].Get("cost_usd"), rep.Totals.Get("cost_usd"), rep.Filters)
	}
	if _, _, err := outbound.ParseRates("eastern=3"); err == nil {
		t.Fatal("accepted a rate for a border that does not exist")
	}
}
