package gaps_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/gaps"
	"github.com/outbound-oss/outbound/internal/golden"
)

// The example standard scores four crossings: one busy and one quiet on
// the southwest border, one northern crossing lacking everything, one
// never surveyed. The golden file is the national ranking.
func TestGapScoringAndRanking(t *testing.T) {
	f, err := os.Open("testdata/standard.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := gaps.Parse("standard.yaml", f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/surveys.json")
	if err != nil {
		t.Fatal(err)
	}
	var fixtures []struct {
		Crossing, Border string
		Exits            float64
		Survey           *outbound.Survey
	}
	if err := json.Unmarshal(raw, &fixtures); err != nil {
		t.Fatal(err)
	}
	var sites []gaps.Site
	for _, x := range fixtures {
		if x.Survey != nil {
			if err := x.Survey.Validate(time.Now()); err != nil {
				t.Fatalf("fixture %s: %v", x.Crossing, err)
			}
		}
		sites = append(sites, gaps.Site{Crossing: x.Crossing, Border: x.Border, Exits: x.Exits, Survey: x.Survey})
	}
	var out bytes.Buffer
	ranking := gaps.Rank(st, sites)
	gaps.Render(&out, ranking)
	golden.Check(t, "ranking.golden", out.Bytes(), true)

	// What closing the gaps costs, line by line.
	cf, err := os.Open("testdata/catalogue.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	cat, err := gaps.ParseCatalogue("catalogue.yaml", cf)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	gaps.RenderCosts(&out, gaps.Costs(ranking, cat))
	golden.Check(t, "costs.golden", out.Bytes(), true)
}

func TestACatalogueThatCannotBeReadSaysWhere(t *testing.T) {
	for src, want := range map[string]string{
		"items:\n  - {item: xray, unit_cost: 1, life_years: 5}\n":                                      `item "xray"`,
		"items:\n  - {item: canopy, unit_cost: -1, life_years: 5}\n":                                   "must not be negative",
		"items:\n  - {item: canopy, unit_cost: 1, life_years: 0}\n":                                    "life_years must be 1 to 100",
		"items:\n  - {item: canopy, unit_cost: 1, life_years: 5}\n  - {item: canopy, life_years: 5}\n": "priced twice",
		"items:\n  - {item: canopy, price: 1}\n":                                                       "c.yaml:2:",
	} {
		if _, err := gaps.ParseCatalogue("c.yaml", strings.NewReader(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", src, err, want)
		}
	}
}

func TestAStandardThatCannotBeReadSaysWhere(t *testing.T) {
	for src, want := range map[string]string{
		"classes:\n  - id: a\n    needs:\n      - {item: xray, severity: high}\n":                  "item \"xray\" is not equipment",
		"classes:\n  - id: a\n    needs:\n      - {item: canopy, severity: urgent}\n":              "severity \"urgent\"",
		"classes:\n  - id: a\n    border: eastern\n":                                               "border \"eastern\"",
		"classes:\n  - id: a\n    needs:\n      - {item: cellular, level: great, severity: low}\n": "level \"great\" is not a signal",
		"classes:\n  - id: a\n    neds: []\n":                                                      "s.yaml:3:",
		"classes: []\n":                                                                            "at least one class",
		"classes:\n  - id: a\n  - id: a\n":                                                         "an id of its own",
	} {
		if _, err := gaps.Parse("s.yaml", strings.NewReader(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want an error saying %q", src, err, want)
		}
	}
}

func TestSurveysAreCheckedFieldByField(t *testing.T) {
	valid := func() outbound.Survey {
		var s outbound.Survey
		json.Unmarshal([]byte(`{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","crossing":"2304","day":"2026-03-02","outbound_lanes":2,
			"equipment":[{"type":"k9","count":1,"condition":"good"}],"wifi":"fair","cellular":"good","mbps":3,"power":"grid","hazards":[]}`), &s)
		return s
	}
	if s := valid(); s.Validate(time.Now()) != nil {
		t.Fatalf("a valid survey: %v", s.Validate(time.Now()))
	}
	for field, change := range map[string]func(*outbound.Survey){
		"outbound_lanes": func(s *outbound.Survey) { s.OutboundLanes = -1 },
		"wifi":           func(s *outbound.Survey) { s.WiFi = "excellent" },
		"mbps":           func(s *outbound.Survey) { s.Mbps = -2 },
		"power":          func(s *outbound.Survey) { s.Power = "solar" },
		"equipment[1].type": func(s *outbound.Survey) {
			s.Equipment = append(s.Equipment, outbound.Equipment{Type: "k9", Count: 1, Condition: "good"})
		},
		"equipment[0].condition": func(s *outbound.Survey) { s.Equipment[0].Condition = "broken" },
		"equipment[0].count":     func(s *outbound.Survey) { s.Equipment[0].Count = 0 },
		"hazards[0]":             func(s *outbound.Survey) { s.Hazards = []string{" "} },
		"day":                    func(s *outbound.Survey) { s.Day = outbound.Date{} },
	} {
		s := valid()
		change(&s)
		var e *outbound.Error
		if err := s.Validate(time.Now()); !errors.As(err, &e) || e.Field != field {
			t.Errorf("%s: %v; want an error on that field", field, err)
		}
	}
}
