package policy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
	"github.com/outbound-oss/outbound/policy"
)

// registry is the crossings the test policies name.
var registry = policy.Registry{
	"2304": {Code: "2304", Border: "southwest", FieldOffice: "Laredo", TimeZone: "America/Chicago"},
	"2402": {Code: "2402", Border: "southwest", FieldOffice: "El Paso", TimeZone: "America/Denver"},
	"3004": {Code: "3004", Border: "northern", FieldOffice: "Seattle", TimeZone: "America/Los_Angeles"},
}

func parseAll(t *testing.T, files ...string) []policy.Document {
	t.Helper()
	var docs []policy.Document
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := policy.Parse(f, r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, ds...)
	}
	return docs
}

func TestCheckFindsEveryKind(t *testing.T) {
	docs := parseAll(t, "testdata/policies/national.yaml", "testdata/policies/locals.yaml", "testdata/policies/problems.yaml")
	rep := policy.Check(docs, registry)
	var out bytes.Buffer
	policy.Render(&out, rep)
	golden.Check(t, "check.golden", out.Bytes(), true)
	kinds := map[string]bool{}
	for _, f := range rep.Findings {
		kinds[f.Kind] = true
	}
	for _, k := range []string{policy.Unknown, policy.NeverApplies, policy.Unsatisfiable, policy.Weaker, policy.Inconsistent, policy.Ambiguous} {
		if !kinds[k] {
			t.Errorf("no %s finding", k)
		}
	}
	if !strings.Contains(out.String(), "at least 3 officers and at most 2 officers") {
		t.Error("the two-versus-three-officers case was not found")
	}
}

func TestTheNationalPolicyAloneIsClean(t *testing.T) {
	rep := policy.Check(parseAll(t, "testdata/policies/national.yaml"), registry)
	if len(rep.Findings) != 0 {
		t.Fatalf("findings in the clean national policy: %v", rep.Findings)
	}
}

func TestParseErrorsNameLineAndColumn(t *testing.T) {
	cases := map[string]string{
		"kind: national\nid: n\neffective: 2026-01-01\nrules:\n  - id: a\n    officerz: {min: 2}\n":   `x.yaml:6:5: unknown field "officerz"`,
		"kind: national\nid: n\neffective: 2026-01-01\nrules:\n  - id: a\n    officers: {min: two}\n": `x.yaml:6:21: `,
		"kind: national\nid: n\nrules: [\n":                                     `x.yaml:3:`,
		"kind: regional\nid: n\neffective: 2026-01-01\n":                        `x.yaml:1: kind "regional" must be national or local`,
		"kind: national\nid: n\neffective: January\n":                           `effective "January" must be a date`,
		"kind: national\nid: n\neffective: 2026-01-01\ncrossings: [\"2304\"]\n": `crossings and field_office are for local procedures`,
		"# nothing\n": `no policy document`,
	}
	for src, want := range cases {
		_, err := policy.Parse("x.yaml", strings.NewReader(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v; want an error containing %q", src, err, want)
		}
	}
}

// FuzzParse checks that no input panics the parser or the checker, and
// that errors name the file.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"national.yaml", "locals.yaml", "problems.yaml"} {
		b, _ := os.ReadFile(filepath.Join("testdata/policies", name))
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		docs, err := policy.Parse("f.yaml", bytes.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(outbound.ErrorMessage(err), "f.yaml:") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		policy.Check(docs, registry)
	})
}
