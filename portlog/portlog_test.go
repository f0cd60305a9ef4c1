package portlog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/portlog"
)

var (
	now   = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	zones = map[string]*time.Location{"2304": mustZone("America/Chicago"), "3004": mustZone("America/Los_Angeles")}
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

const header = "id,crossing,started_at,ended_at,minutes,modality,techniques,trigger,officers,outcome,notes," +
	"seizure1_category,seizure1_quantity,seizure1_unit,seizure1_value_usd\n"

func open(t testing.TB, content string, m *portlog.Mapping) (*portlog.Log, error) {
	r := strings.NewReader(content)
	return portlog.Open("log.csv", r, int64(len(content)), m, "", zones, now)
}

// FuzzParseRow reads any one row after the template's header: it never
// panics, and a row it takes is a valid inspection of a known crossing
// with an id.
func FuzzParseRow(f *testing.F) {
	for _, row := range []string{
		",2304,2012-03-01 14:05,,12,personal_vehicle,interview;k9,routine,B1;B2,seizure,,currency,\"48,000\",USD,$48000",
		",3004,2014-01-02T10:00:00-08:00,2014-01-02T10:05:00-08:00,,truck,visual,routine,C7,no_finding,,,,,",
		"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11,2304,1989-12-31 23:59,,5,bus,physical,routine,B1,no_finding,,,,,",
		",2304,2012-03-01 14:05,,-1,POV,,routine,,arrest,\"a\nb\",firearms,1,each,0",
	} {
		f.Add(row)
	}
	f.Fuzz(func(t *testing.T, row string) {
		l, err := open(t, header+row+"\n", &portlog.Mapping{Values: map[string]map[string]string{"modality": {"POV": "personal_vehicle"}}})
		if err != nil {
			t.Fatalf("the template's header was refused: %v", err)
		}
		defer l.Close()
		for r, err := range l.Rows() {
			if err != nil || r.Err != nil {
				if outbound.ErrorCode(errOf(err, r.Err)) != outbound.EINVALID {
					t.Fatalf("a bad row is not invalid input: %v %v", err, r.Err)
				}
				continue
			}
			in := r.Inspection
			if _, ok := zones[in.Crossing]; !ok || in.ValidateHistory(now) != nil || in.ID.String() == "00000000-0000-0000-0000-000000000000" {
				t.Fatalf("took a row that is no valid inspection: %+v", in)
			}
		}
	})
}

func errOf(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// The same row has the same id whatever order it lists its officers and
// techniques in, and read from another file.
func TestDerivedIDsDependOnContentOnly(t *testing.T) {
	a := ",2304,2012-03-01 14:05,,12,personal_vehicle,interview;k9,routine,B1;B2,no_finding,,,,,\n"
	b := ",2304,2012-03-01 14:05,,12,personal_vehicle,k9;interview,routine,B2;B1,no_finding,,,,,\n"
	c := ",2304,2012-03-01 14:05,,13,personal_vehicle,k9;interview,routine,B2;B1,no_finding,,,,,\n"
	var ids []string
	for _, content := range []string{header + a, header + b, header + c} {
		l, err := open(t, content, nil)
		if err != nil {
			t.Fatal(err)
		}
		for r := range l.Rows() {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			ids = append(ids, r.Inspection.ID.String())
		}
		l.Close()
	}
	if ids[0] != ids[1] || ids[0] == ids[2] {
		t.Fatalf("ids %v: want the first two equal and the third other", ids)
	}
}

func TestMappingRefusesWhatItDoesNotKnow(t *testing.T) {
	for src, want := range map[string]string{
		"colums: {crossing: Port}\n":              "unknown field",
		"columns: {port: Port}\n":                 `"port" is not a template column`,
		"values: {modality: {POV: car}}\n":        `"POV" maps to "car", which is not personal_vehicle`,
		"values: {officers: {X: y}}\n":            `"officers" has no vocabulary`,
		"columns: {crossing: A, started_at: a}\n": "both name header",
		"separator: ab\n":                         "separator is one character",
	} {
		if _, err := portlog.ParseMapping([]byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", src, err, want)
		}
	}
}
