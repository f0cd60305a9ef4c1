package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
)

func TestParseSelectionNamesTheField(t *testing.T) {
	march := outbound.Period{From: outbound.Date{Year: 2026, Month: 3, Day: 1}, To: outbound.Date{Year: 2026, Month: 3, Day: 31}}
	for _, c := range []struct {
		query string
		field string // "" when the query is good
		want  selection
	}{
		{"", "", selection{}},
		{"from=2026-03-01&to=2026-03-31", "", selection{Period: march}},
		{"from=2026-03-01", "", selection{Period: outbound.Period{From: march.From}}}, // lists leave to open
		{"from=2026-03-01&to=2026-03-31&border=northern&field_office=Seattle&crossing=3004&modality=truck&outcome=seizure&limit=5&cursor=abc", "",
			selection{Period: march, Border: outbound.Northern, FieldOffice: "Seattle", Crossing: "3004", Modality: outbound.Truck, Outcome: outbound.Seized, Limit: 5, Cursor: "abc"}},
		{"from=March", "from", selection{}},
		{"to=2026-02-30", "to", selection{}},
		{"from=2026-03-05&to=2026-03-01", "to", selection{}},
		{"border=eastern", "border", selection{}},
		{"modality=car", "modality", selection{}},
		{"outcome=found", "outcome", selection{}},
		{"limit=0", "limit", selection{}},
		{"limit=1001", "limit", selection{}},
		{"limit=ten", "limit", selection{}},
	} {
		q, _ := url.ParseQuery(c.query)
		sel, err := parseSelection(q, outbound.Period{})
		if outbound.ErrorField(err) != c.field || (err == nil && sel != c.want) {
			t.Errorf("parseSelection(%q) = %+v, %v; want %+v, field %q", c.query, sel, err, c.want, c.field)
		}
	}
}

func TestPeriodAndPageFilterRules(t *testing.T) {
	for query, field := range map[string]string{"": "from", "from=2026-03-01": "to", "to=2026-03-01": "from", "from=2026-03-01&to=2026-03-01": ""} {
		q, _ := url.ParseQuery(query)
		sel, err := parseSelection(q, outbound.Period{})
		if err == nil {
			err = sel.Validate(outbound.AnyLength)
		}
		if outbound.ErrorField(err) != field {
			t.Errorf("the API's required period from %q: %v; want field %q", query, err, field)
		}
	}
	// Pages default to the last 90 days to yesterday, end by end.
	s := &Server{Now: func() time.Time { return time.Date(2026, 3, 10, 23, 0, 0, 0, time.UTC) }}
	for query, want := range map[string]string{
		"":                "2025-12-10 2026-03-09",
		"from=2026-03-01": "2026-03-01 2026-03-09",
		"to=2026-01-31":   "2025-12-10 2026-01-31",
	} {
		r, _ := url.Parse("/dashboard?" + query)
		f, err := s.pageFilter(r.Query())
		if err != nil || f.From.String()+" "+f.To.String() != want {
			t.Errorf("page period from %q: %v %v; want %s", query, f.Period(), err, want)
		}
	}
}
