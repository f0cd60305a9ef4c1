package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

func TestDuplicateKeyNamesThePath(t *testing.T) {
	for body, want := range map[string]string{
		`{"a":1,"b":2}`:                         "",
		`{"a":1,"a":2}`:                         "a",
		`{"a":{"b":1},"c":{"b":2}}`:             "",
		`{"s":[{"q":1},{"q":1,"u":"x","q":2}]}`: "s[1].q",
		`[{"id":1},{"id":2},{"id":3,"id":3}]`:   "[2].id",
		`{"a":"\"a\":1,","b":"{\"a\":1}"}`:      "",
		`{"notes":"","\u006eotes":"x"}`:         "notes",
		`{"notes":"","Notes":"x"}`:              "Notes",
		`{"s":1,"ſ":2}`:                         "ſ",
		`{"k":1,"\u212a":2}`:                    "\u212a", // the Kelvin sign
		`{"x":[[1,2],[3]],"y":{"x":1},"x":0}`:   "x",
		`{"a":1,"b":`:                           "",
		`}}]]"`:                                 "",
		`{"a":"unterminated`:                    "",
	} {
		e := duplicateKey([]byte(body))
		switch {
		case want == "" && e != nil:
			t.Errorf("%s: %v; want no duplicate", body, e)
		case want != "" && (e == nil || e.Field != want || !strings.Contains(e.Message, "twice")):
			t.Errorf("%s: %v; want a duplicate at %s", body, e, want)
		}
	}
}

// Many keys in one object go to a map: 100,000 distinct keys pass, and a
// repeat among them is still found.
func TestDuplicateKeyAmongMany(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("{")
	for i := range 100_000 {
		if i > 0 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(strings.Repeat("k", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i))
		b.Write(k)
		b.WriteString(":1")
	}
	if e := duplicateKey(append(b.Bytes(), '}')); e != nil {
		t.Fatalf("distinct keys: %v", e)
	}
	b.WriteString(`,"a0":2}`)
	if e := duplicateKey(b.Bytes()); e == nil || e.Field != "a0" {
		t.Fatalf("a repeat among many keys: %v", e)
	}
}

// BenchmarkDecodeBatch decodes a batch of 1,000 inspections (as a lane
// sends them, one seizure in ten) four ways: "encoding-json" is the
// standard decoder alone; "strict" is decodeStrict, the same with the
// check for keys given twice (what the API ran before, and runs still on
// a body the fast decoder refuses); "batch" is decodeBatch, as the API
// runs it; "check-only" is the check for keys given twice alone.
// docs/benchmarks.md keeps the ratios.
func BenchmarkDecodeBatch(b *testing.B) {
	var batch []outbound.Inspection
	start := time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC)
	for i := range 1000 {
		in := outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: start, EndedAt: start.Add(12 * time.Minute),
			Modality: outbound.PersonalVehicle, Techniques: []outbound.Technique{outbound.Interview, outbound.Physical},
			Trigger: outbound.RandomSelection, Officers: []string{"B1234", "B5678"}, Outcome: outbound.NoFinding,
			Notes: "stopped at lane " + strconv.Itoa(i%6)}
		if i%10 == 0 {
			in.Outcome = outbound.Seized
			in.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 48000, Unit: "USD", ValueUSD: 48000}}
		}
		batch = append(batch, in)
	}
	body, _ := json.Marshal(batch)
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var items []outbound.Inspection
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&items); err != nil || len(items) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("strict", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var items []outbound.Inspection
			if err := decodeStrict(body, &items); err != nil || len(items) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("batch", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			items, bad, _, err := decodeBatch[outbound.Inspection](body)
			if err != nil || len(bad) != 0 || len(items) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("check-only", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if e := duplicateKey(body); e != nil {
				b.Fatal(e)
			}
		}
	})
}
