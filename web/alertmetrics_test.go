package web_test

import (
	"context"
	"maps"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/alert"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/web"
)

// scrape reads the server's /metrics as Prometheus would.
func scrape(t *testing.T, url string) []alert.Sample {
	t.Helper()
	samples, err := alert.Scrape(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

// sampleOf returns the value of the sample with exactly that name and
// those labels.
func sampleOf(samples []alert.Sample, name string, labels map[string]string) (float64, bool) {
	for _, s := range samples {
		if s.Name == name && maps.Equal(s.Labels, labels) {
			return s.Value, true
		}
	}
	return 0, false
}

// wantSample fails the test unless the sample is there with the value.
func wantSample(t *testing.T, samples []alert.Sample, name string, labels map[string]string, want float64) {
	t.Helper()
	if got, ok := sampleOf(samples, name, labels); !ok || got != want {
		t.Errorf("%s%v = %v (present: %t); want %v", name, labels, got, ok, want)
	}
}

// The metrics the alert rules read, after the real events: records
// refused at ingest (invalid, a conflict, a failing database), and the
// current window of each minimum-frequency rule at each crossing, in the
// crossing's own time zone across a change to daylight saving time.
func TestMetricsTheAlertsRead(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		src, _ := os.ReadFile("../policy/testdata/policies/frequency.yaml")
		if _, _, err := a.db.PublishPolicy(testdb.System, "frequency.yaml", src); err != nil {
			t.Fatal(err)
		}
		if err := a.db.SavePorts(testdb.System, []outbound.Port{testdb.Blaine}); err != nil {
			t.Fatal(err)
		}
		// The server's clock is 12:00 UTC on 2026-03-10: 07:00 at Laredo.
		today := inspectionJSON(uuid.New())
		today["started_at"], today["ended_at"] = "2026-03-10T06:30:00-05:00", "2026-03-10T06:40:00-05:00"
		if status, body := a.do("POST", "/api/v1/inspections", today); status != 201 {
			t.Fatalf("today's inspection: %d %s", status, body)
		}
		bad := inspectionJSON(uuid.New())
		bad["modality"] = "hovercraft"
		if status, body := a.do("POST", "/api/v1/inspections", bad); status != 400 {
			t.Fatalf("an invalid inspection: %d %s", status, body)
		}
		undecodable := inspectionJSON(uuid.New())
		undecodable["started_at"] = "yesterday"
		if status, body := a.do("POST", "/api/v1/inspections", []any{undecodable, inspectionJSON(uuid.New())}); status != 200 {
			t.Fatalf("a batch with one undecodable item: %d %s", status, body)
		}
		today["notes"] = "other content, same id"
		if status, body := a.do("POST", "/api/v1/inspections", today); status != 409 {
			t.Fatalf("a conflict: %d %s", status, body)
		}

		got := scrape(t, a.url) // the database's samples are read at most once a minute: this once
		wantSample(t, got, web.MetricRecordsRejected, map[string]string{"kind": "inspection", "reason": web.RejectedInvalid}, 2)
		wantSample(t, got, web.MetricRecordsRejected, map[string]string{"kind": "inspection", "reason": web.RejectedConflict}, 1)
		wantSample(t, got, web.MetricRecordsRejected, map[string]string{"kind": "inspection", "reason": web.RejectedError}, 0)
		wantSample(t, got, web.MetricRecordsRejected, map[string]string{"kind": "staffing", "reason": web.RejectedError}, 0) // every series exists from the start
		wantSample(t, got, "outbound_records_ingested_total", map[string]string{"kind": "inspection"}, 2)

		// Laredo's day (CDT since 2026-03-08) and Blaine's week (Monday
		// 2026-03-09 to Sunday, PDT), from local midnight to local midnight.
		laredo := map[string]string{"crossing": "2304", "border": "southwest", "rule": "national-2026/sw-daily", "per": "day"}
		wantSample(t, got, web.MetricWindowInspections, laredo, 1)
		wantSample(t, got, web.MetricWindowRequired, laredo, 1)
		wantSample(t, got, web.MetricWindowStart, laredo, float64(time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC).Unix()))
		wantSample(t, got, web.MetricWindowEnd, laredo, float64(time.Date(2026, 3, 11, 5, 0, 0, 0, time.UTC).Unix()))
		blaine := map[string]string{"crossing": "3004", "border": "northern", "rule": "national-2026/north-weekly", "per": "week"}
		wantSample(t, got, web.MetricWindowInspections, blaine, 0)
		wantSample(t, got, web.MetricWindowRequired, blaine, 1)
		wantSample(t, got, web.MetricWindowStart, blaine, float64(time.Date(2026, 3, 9, 7, 0, 0, 0, time.UTC).Unix()))
		wantSample(t, got, web.MetricWindowEnd, blaine, float64(time.Date(2026, 3, 16, 7, 0, 0, 0, time.UTC).Unix()))
		windows := 0
		for _, s := range got {
			if s.Name == web.MetricWindowRequired {
				windows++
			}
		}
		if windows != 2 {
			t.Errorf("%d current windows; want Laredo's day and Blaine's week only", windows)
		}

		// The database fails the write: the record is not stored, for the
		// server's fault.
		if _, err := a.db.SQL().Exec(`ALTER TABLE inspection_rollup RENAME TO inspection_rollup_gone`); err != nil {
			t.Fatal(err)
		}
		if status, body := a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 500 {
			t.Fatalf("a write the database fails: %d %s", status, body)
		}
		wantSample(t, scrape(t, a.url), web.MetricRecordsRejected, map[string]string{"kind": "inspection", "reason": web.RejectedError}, 1)
	})
}
