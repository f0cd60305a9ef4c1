package tally_test

import (
	"encoding/json"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/tally"
)

func TestTraining(t *testing.T) {
	courses := map[string][]string{"rail": {"rail-outbound"}, "nii_xray": {"nii-basic", "nii-advanced"}}
	officers := map[tally.Practice]map[string]bool{
		{Crossing: laredo.Code, AppliesTo: "nii_xray"}: {"B1": true, "B2": true, "B3": true, "B4": true},
		{Crossing: detroit.Code, AppliesTo: "rail"}:    {"B9": true},
	}
	to := day(t, "2026-03-31")
	rec := func(badge, course, completed, expires string) outbound.TrainingRecord {
		r := outbound.TrainingRecord{Badge: badge, Course: course, CompletedOn: day(t, completed)}
		if expires != "" {
			r.ExpiresOn = day(t, expires)
		}
		return r
	}
	records := map[string][]outbound.TrainingRecord{
		"B1": {rec("B1", "nii-basic", "2025-01-10", "")},                                                 // trained
		"B2": {rec("B2", "nii-advanced", "2025-06-01", "2026-04-15"), rec("B2", "k9", "2024-01-01", "")}, // trained, expiring
		"B3": {rec("B3", "nii-basic", "2024-01-01", "2026-03-31")},                                       // expired on the last day
		"B4": {rec("B4", "nii-basic", "2026-04-01", "")},                                                 // completed after the period
		"B9": {rec("B9", "rail-outbound", "2025-01-01", "2026-05-30")},                                   // trained, expiring after the window
	}
	coverage, expiring := tally.Training(officers, records, courses, to, 30)
	if len(coverage) != 2 || coverage[0].Crossing != laredo.Code || coverage[0].Trained != 2 || coverage[0].Officers != 4 ||
		coverage[0].Share != 0.5 || len(coverage[0].Untrained) != 2 || coverage[0].Untrained[0] != "B3" || coverage[0].Untrained[1] != "B4" {
		t.Errorf("coverage %+v, want Laredo first: 2 of 4 trained for nii_xray, B3 and B4 not", coverage)
	}
	if len(expiring) != 1 || expiring[0].Badge != "B2" {
		t.Errorf("expiring %+v, want B2's alone (B9's expires after 30 days)", expiring)
	}
	none, noneExpiring := tally.Training(nil, nil, courses, to, 30)
	if none != nil || noneExpiring != nil {
		t.Errorf("with no officers: %v, %v", none, noneExpiring)
	}
	b, err := json.MarshalIndent(map[string]any{"coverage": coverage, "expiring": expiring}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "training.json", append(b, '\n'), true)
}
