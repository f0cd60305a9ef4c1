package outbound_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func valid() outbound.Inspection {
	start := time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC)
	return outbound.Inspection{
		ID: uuid.New(), Crossing: "2304", StartedAt: start, EndedAt: start.Add(12 * time.Minute),
		Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview},
		Trigger: outbound.Routine, Officers: []string{"B1234"}, Outcome: outbound.NoFinding,
	}
}

func TestInspectionValidateNamesTheField(t *testing.T) {
	other := uuid.New()
	cases := []struct {
		field  string
		change func(*outbound.Inspection)
	}{
		{"id", func(in *outbound.Inspection) { in.ID = uuid.Nil }},
		{"crossing", func(in *outbound.Inspection) { in.Crossing = "" }},
		{"crossing", func(in *outbound.Inspection) { in.Crossing = "a b" }},
		{"started_at", func(in *outbound.Inspection) { in.StartedAt = time.Time{} }},
		{"started_at", func(in *outbound.Inspection) { in.StartedAt = now.Add(48 * time.Hour); in.EndedAt = in.StartedAt }},
		{"started_at", func(in *outbound.Inspection) { in.StartedAt = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"ended_at", func(in *outbound.Inspection) { in.EndedAt = in.StartedAt.Add(-time.Minute) }},
		{"ended_at", func(in *outbound.Inspection) { in.EndedAt = in.StartedAt.Add(25 * time.Hour) }},
		{"modality", func(in *outbound.Inspection) { in.Modality = "boat" }},
		{"techniques", func(in *outbound.Inspection) { in.Techniques = nil }},
		{"techniques[1]", func(in *outbound.Inspection) { in.Techniques = append(in.Techniques, "xray") }},
		{"techniques[1]", func(in *outbound.Inspection) { in.Techniques = append(in.Techniques, outbound.Interview) }},
		{"trigger", func(in *outbound.Inspection) { in.Trigger = "" }},
		{"officers", func(in *outbound.Inspection) { in.Officers = nil }},
		{"officers[0]", func(in *outbound.Inspection) { in.Officers = []string{"has space"} }},
		{"officers[1]", func(in *outbound.Inspection) { in.Officers = []string{"B1", "B1"} }},
		{"outcome", func(in *outbound.Inspection) { in.Outcome = "found" }},
		{"seizures", func(in *outbound.Inspection) { in.Outcome = outbound.Seized }},
		{"seizures", func(in *outbound.Inspection) {
			in.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 1, Unit: "USD", ValueUSD: 1}}
		}},
		{"seizures[0].category", func(in *outbound.Inspection) {
			in.Outcome, in.Seizures = outbound.Seized, []outbound.Seizure{{Category: "gold", Quantity: 1, Unit: "kg"}}
		}},
		{"seizures[0].unit", func(in *outbound.Inspection) {
			in.Outcome, in.Seizures = outbound.Seized, []outbound.Seizure{{Category: outbound.Other, Quantity: 1}}
		}},
		{"seizures[0].value_usd", func(in *outbound.Inspection) {
			in.Outcome, in.Seizures = outbound.Seized, []outbound.Seizure{{Category: outbound.Other, Quantity: 1, Unit: "each", ValueUSD: -1}}
		}},
		{"notes", func(in *outbound.Inspection) { in.Notes = strings.Repeat("x", 4001) }},
		{"reason", func(in *outbound.Inspection) { in.Replaces = &other }},
		{"reason", func(in *outbound.Inspection) { in.Reason = "why not" }},
		{"voided", func(in *outbound.Inspection) { in.Voided = true }},
		{"replaces", func(in *outbound.Inspection) { in.Replaces, in.Reason = &in.ID, "self" }},
		{"operation_id", func(in *outbound.Inspection) { op := "no spaces allowed"; in.OperationID = &op }},
	}
	for _, c := range cases {
		in := valid()
		c.change(&in)
		err := in.Validate(now)
		if outbound.ErrorCode(err) != outbound.EINVALID || outbound.ErrorField(err) != c.field {
			t.Errorf("want invalid %s, got %v (field %q)", c.field, err, outbound.ErrorField(err))
		}
	}
	in := valid()
	if err := in.Validate(now); err != nil {
		t.Fatalf("a valid inspection: %v", err)
	}
}

func TestContentHashIgnoresServerFieldsAndZones(t *testing.T) {
	a := valid()
	b := a
	b.StartedAt, b.EndedAt = a.StartedAt.In(time.FixedZone("CST", -6*3600)), a.EndedAt.In(time.FixedZone("CST", -6*3600))
	b.ReceivedAt, b.Version, b.OfficerCount = now, 3, 1
	if a.ContentHash() != b.ContentHash() {
		t.Fatal("server fields or the zone of a time changed the content hash")
	}
	b.Notes = "x"
	if a.ContentHash() == b.ContentHash() {
		t.Fatal("notes did not change the content hash")
	}
}

func TestNormalizePortCode(t *testing.T) {
	for in, want := range map[string]string{"708": "0708", "0708": "0708", " 2304 ": "2304", "1": "0001"} {
		if got, err := outbound.NormalizePortCode(in); err != nil || got != want {
			t.Errorf("NormalizePortCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12345", "23a4", "-12", "0", "00000"} {
		if _, err := outbound.NormalizePortCode(bad); err == nil {
			t.Errorf("NormalizePortCode(%q) accepted a bad code", bad)
		}
	}
}

func TestTimeZones(t *testing.T) {
	for _, c := range []struct{ code, state, want string }{
		{"2304", "Texas", "America/Chicago"}, {"2402", "Texas", "America/Denver"},
		{"2604", "Arizona", "America/Phoenix"}, {"3004", "Washington", "America/Los_Angeles"},
		{"0115", "Maine", "America/New_York"}, {"9999", "Kansas", ""},
	} {
		if got := outbound.TimeZoneFor(c.code, c.state); got != c.want {
			t.Errorf("TimeZoneFor(%s, %s) = %q; want %q", c.code, c.state, got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	d, err := outbound.ParseDate("2024-02-28")
	if err != nil || d.AddDays(1).String() != "2024-02-29" || d.AddDays(2).String() != "2024-03-01" {
		t.Fatalf("date arithmetic: %v %v", d, err)
	}
	if _, err := outbound.ParseDate("2024-02-30"); err == nil {
		t.Fatal("accepted February 30")
	}
	// AddDays and Before agree with the calendar of package time, day by
	// day over four years with a leap day, and at every distance to 400.
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 4 * 366 {
		a := start.AddDate(0, 0, i)
		for _, n := range []int{-400, -31, -29, -28, -1, 0, 1, 27, 28, 29, 31, 365, 400} {
			b := a.AddDate(0, 0, n)
			if got, want := outbound.DateOf(a).AddDays(n), outbound.DateOf(b); got != want {
				t.Fatalf("%s + %d days = %s; want %s", outbound.DateOf(a), n, got, want)
			}
			if got := outbound.DateOf(a).Before(outbound.DateOf(b)); got != a.Before(b) {
				t.Fatalf("%s before %s: %v", outbound.DateOf(a), outbound.DateOf(b), got)
			}
		}
	}
}

func TestJSONRoundTripOfAnUnstoredInspection(t *testing.T) {
	in := valid()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back outbound.Inspection
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("an inspection's own JSON does not decode: %v\n%s", err, b)
	}
	if back.ContentHash() != in.ContentHash() {
		t.Fatal("the JSON round trip changed the content")
	}
}

// Every field a client sets changes the content hash: a field added to
// Inspection without being hashed fails here.
func TestContentHashCoversEveryClientField(t *testing.T) {
	server := map[string]bool{"OriginalID": true, "Version": true, "ReceivedAt": true, "LocalDay": true, "OfficerCount": true, "Import": true}
	base := valid()
	base.Outcome = outbound.Seized
	base.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 1, Unit: "USD", ValueUSD: 1}}
	other := uuid.New()
	op := "op-1"
	changes := map[string]func(*outbound.Inspection){
		"ID":          func(in *outbound.Inspection) { in.ID = uuid.New() },
		"Crossing":    func(in *outbound.Inspection) { in.Crossing = "3004" },
		"StartedAt":   func(in *outbound.Inspection) { in.StartedAt = in.StartedAt.Add(time.Second) },
		"EndedAt":     func(in *outbound.Inspection) { in.EndedAt = in.EndedAt.Add(time.Second) },
		"Modality":    func(in *outbound.Inspection) { in.Modality = outbound.Truck },
		"Techniques":  func(in *outbound.Inspection) { in.Techniques = []outbound.Technique{outbound.K9} },
		"Trigger":     func(in *outbound.Inspection) { in.Trigger = outbound.Intelligence },
		"OperationID": func(in *outbound.Inspection) { in.OperationID = &op },
		"Officers":    func(in *outbound.Inspection) { in.Officers = []string{"Z9"} },
		"Outcome":     func(in *outbound.Inspection) { in.Outcome = outbound.Arrest },
		"Seizures": func(in *outbound.Inspection) {
			in.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 2, Unit: "USD", ValueUSD: 1}}
		},
		"Notes":    func(in *outbound.Inspection) { in.Notes = "x" },
		"Replaces": func(in *outbound.Inspection) { in.Replaces = &other },
		"Reason":   func(in *outbound.Inspection) { in.Reason = "x" },
		"Voided":   func(in *outbound.Inspection) { in.Voided = true },
	}
	typ := reflect.TypeOf(outbound.Inspection{})
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		if server[name] {
			continue
		}
		change, ok := changes[name]
		if !ok {
			t.Errorf("field %s is new: hash it in ContentHash and add it here", name)
			continue
		}
		in := base
		change(&in)
		if in.ContentHash() == base.ContentHash() {
			t.Errorf("changing %s does not change the content hash", name)
		}
	}
}

// An edit is a new version naming the one it replaces; a void is one that
// keeps every field; neither changes the version it is made from, and the
// server's fields are left for storage to set.
func TestEditAndVoidVersions(t *testing.T) {
	cur := valid()
	op := "op-1"
	cur.OperationID, cur.Officers = &op, []string{"B1234", "B5678"}
	cur.Seizures, cur.Outcome = []outbound.Seizure{{Category: outbound.Currency, Quantity: 100, Unit: "USD", ValueUSD: 100}}, outbound.Seized
	cur.OriginalID, cur.Version, cur.OfficerCount, cur.ReceivedAt = uuid.New(), 3, 2, now
	before := cur.ContentHash()

	edit := cur.NextVersion(uuid.New(), "wrong modality")
	edit.Modality, edit.Officers[0], *edit.OperationID, edit.Seizures[0].Quantity = outbound.Truck, "B9999", "op-2", 7
	if cur.ContentHash() != before || cur.Officers[0] != "B1234" || *cur.OperationID != "op-1" || cur.Seizures[0].Quantity != 100 {
		t.Fatalf("changing the edit changed the version it was made from: %+v", cur)
	}
	if edit.ID == cur.ID || edit.Replaces == nil || *edit.Replaces != cur.ID || edit.Reason != "wrong modality" || edit.Voided {
		t.Fatalf("edit = id %s replaces %v reason %q voided %v", edit.ID, edit.Replaces, edit.Reason, edit.Voided)
	}
	if edit.OriginalID != uuid.Nil || edit.Version != 0 || edit.OfficerCount != 0 || !edit.ReceivedAt.IsZero() {
		t.Fatalf("the edit carries server fields: %+v", edit)
	}
	if err := edit.Validate(now); err != nil {
		t.Fatalf("the edit is not valid: %v", err)
	}

	void := edit.Void(uuid.New(), "recorded twice")
	if !void.Voided || *void.Replaces != edit.ID || void.Reason != "recorded twice" || void.Modality != outbound.Truck ||
		!reflect.DeepEqual(void.Officers, edit.Officers) || !reflect.DeepEqual(void.Seizures, edit.Seizures) {
		t.Fatalf("void = %+v; want edit's record, voided, replacing it", void)
	}
	if err := void.Validate(now); err != nil {
		t.Fatalf("the void is not valid: %v", err)
	}
	// An edit made from a voided version is an edit, not a void.
	if again := void.NextVersion(uuid.New(), "not a duplicate after all"); again.Voided {
		t.Fatal("an edit of a void is still voided")
	}

	// A node's version applied after another version keeps what it says,
	// a void too.
	prev := uuid.New()
	applied := void.VersionAfter(prev, uuid.New(), "node 2304's version applied")
	if !applied.Voided || *applied.Replaces != prev || applied.Reason != "node 2304's version applied" || applied.Modality != outbound.Truck {
		t.Fatalf("applied = %+v", applied)
	}
}
