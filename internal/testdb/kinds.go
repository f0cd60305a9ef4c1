package testdb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// Sample returns a new valid record of kind at crossing, on the local day
// before at. A kind with no sample fails the test: a kind added to
// outbound.Kinds must get one, and with it every test that walks the kinds.
func Sample(t testing.TB, kind outbound.Kind, crossing string, at time.Time) outbound.Record {
	t.Helper()
	at = at.Add(-24 * time.Hour).UTC().Truncate(time.Microsecond)
	day := outbound.DateOf(at)
	id := uuid.New()
	switch kind {
	case outbound.InspectionKind:
		return &outbound.Inspection{ID: id, Crossing: crossing, StartedAt: at, EndedAt: at.Add(10 * time.Minute),
			Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.Interview, outbound.NIIXray},
			Trigger: outbound.RandomSelection, Officers: []string{"B1", "B2"}, Outcome: outbound.Seized,
			Seizures: []outbound.Seizure{{Category: outbound.Currency, Quantity: 48000, Unit: "USD", ValueUSD: 48000}}}
	case outbound.StaffingKind:
		return &outbound.Staffing{ID: id, Crossing: crossing, Day: day, Shift: outbound.Shifts[0], HoursPlanned: 8, HoursWorked: 6,
			HoursDiverted: 2, DiversionReason: outbound.DiversionReasons[0], Notes: "sample"}
	case outbound.ExitKind:
		return &outbound.ExitCount{ID: id, Crossing: crossing, Day: day, Modality: outbound.PersonalVehicle, Count: 1200}
	case outbound.SurveyKind:
		return &outbound.Survey{ID: id, Crossing: crossing, Day: day, OutboundLanes: 3, WiFi: "poor", Cellular: "fair", Mbps: 2,
			Power: "grid", Equipment: []outbound.Equipment{{Type: "nii_xray", Count: 1, Condition: "good"}}, Hazards: []string{}}
	case outbound.LaneKind:
		return &outbound.LaneDecision{ID: id, Crossing: crossing, Lane: "L1", Modality: outbound.Truck, Score: 1, Day: day,
			Rule: "national/lanes", Probability: 0.25, Draw: 0.1, Inspect: true, DecidedAt: at, DecidedBy: "sample"}
	case outbound.FundingKind:
		return &outbound.FundingEntry{ID: id, FiscalYear: 2026, Crossing: crossing, Category: outbound.FundingCategories[0],
			Kind: outbound.FundingKinds[0], Day: day, AmountUSD: 125000, Note: "sample"}
	case outbound.TrainingKind:
		return &outbound.TrainingRecord{ID: id, Badge: "B1", Course: "rail-outbound", CompletedOn: day}
	}
	t.Fatalf("no sample %s record: add one to internal/testdb", kind.Name)
	return nil
}

// Recorder is what stores each kind of record: *sqldb.DB and *client.Client.
type Recorder interface {
	outbound.InspectionService
	outbound.StaffingService
	outbound.ExitService
	outbound.SurveyService
	outbound.FundingService
	RecordLaneDecisions(ctx context.Context, batch []outbound.LaneDecision) ([]outbound.RecordResult[outbound.LaneDecision], error)
}

// Record stores one record of any kind with s and returns its status, or
// the error of the call or of the item.
func Record(ctx context.Context, s Recorder, r outbound.Record) (outbound.Status, error) {
	switch r := r.(type) {
	case *outbound.Inspection:
		return one(s.RecordInspections(ctx, []outbound.Inspection{*r}))
	case *outbound.Staffing:
		return one(s.RecordStaffing(ctx, []outbound.Staffing{*r}))
	case *outbound.ExitCount:
		return one(s.RecordExits(ctx, []outbound.ExitCount{*r}))
	case *outbound.Survey:
		return one(s.RecordSurveys(ctx, []outbound.Survey{*r}))
	case *outbound.LaneDecision:
		return one(s.RecordLaneDecisions(ctx, []outbound.LaneDecision{*r}))
	case *outbound.FundingEntry:
		return one(s.RecordFunding(ctx, []outbound.FundingEntry{*r}))
	case *outbound.TrainingRecord:
		if t, ok := s.(interface {
			RecordTraining(context.Context, []outbound.TrainingRecord) ([]outbound.RecordResult[outbound.TrainingRecord], error)
		}); ok {
			return one(t.RecordTraining(ctx, []outbound.TrainingRecord{*r}))
		}
	}
	return "", fmt.Errorf("%T cannot record %T: add it to testdb.Record", s, r)
}

// one answers the only result of a batch of one.
func one[T any](res []outbound.RecordResult[T], err error) (outbound.Status, error) {
	switch {
	case err != nil:
		return "", err
	case len(res) != 1:
		return "", fmt.Errorf("%d results for one record", len(res))
	case res[0].Err != nil:
		return res[0].Status, res[0].Err
	}
	return res[0].Status, nil
}
