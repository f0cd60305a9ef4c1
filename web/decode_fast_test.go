package web

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecodeFast holds the fast decoder to the strict one: whatever body
// decodeFast takes, as one record or a batch of any kind, decodeStrict
// takes too and reads as the same records. What decodeFast refuses,
// decodeStrict answers alone, so that the API's answers are
// decodeStrict's.
func FuzzDecodeFast(f *testing.F) {
	inspection := `{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","crossing":"2304","started_at":"2026-03-01T14:05:00-06:00",` +
		`"ended_at":"2026-03-01T14:17:00.123456789Z","modality":"personal_vehicle","techniques":["interview","physical"],` +
		`"trigger":"random_selection","operation_id":null,"officers":["B1234","B5678"],"outcome":"seizure",` +
		`"seizures":[{"category":"currency","quantity":48000,"unit":"USD","value_usd":4.8e4}],"notes":"caf\u00e9 \ud83d\ude00",` +
		`"replaces":"0193A0C4-6F1E-7C51-9D43-2B8A1F6C0E12","version":1,"local_day":"2026-03-01","received_at":null}`
	for _, s := range []string{
		inspection, "[" + inspection + "," + inspection + "]", "[]", "null", "[null]", "{}",
		// Names by case, by escape, twice; numbers an integer field may
		// or may not take; floats past range; text and times at the edges.
		`{"Notes":"x"}`, `{"no\u0074es":"x"}`, `{"notes":"a","notes":"b"}`, `{"notes":"a","NOTES":"b"}`,
		`{"version":1e2}`, `{"version":1.0}`, `{"version":-0}`, `{"officer_count":9223372036854775808}`,
		`{"seizures":[{"quantity":1e400}]}`, `{"seizures":[{"quantity":-0.0,"value_usd":1E-400}]}`,
		`{"notes":"\ud800"}`, `{"notes":"\u0000"}`, `{"started_at":"2026-03-01t14:05:00z"}`,
		`{"started_at":"2026-03-01T14:05:00.1234567891Z"}`, `{"started_at":"2026-03-01T23:59:60Z"}`,
		`{"started_at":"2026-03-01T14:05:00+24:00"}`, `{"started_at":"2026-03-01 14:05:00Z"}`, `{"started_at":"0000-01-01T00:00:00Z"}`,
		`{"id":"{0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11}"}`, `{"id":"urn:uuid:0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11"}`,
		`{"id":"0193a0c46f1e7c519d432b8a1f6c0e11"}`, `{"local_day":null}`, `{"local_day":"2026-02-30"}`,
		`{"techniques":null,"officers":[],"seizures":null}`, `{"import":{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","at":"2026-03-01T00:00:00Z"}}`,
		`{"day":"2026-03-09","hours_planned":8,"shift":"day"}`, `{"count":12,"estimated":true}`, `{"count":1.5}`,
		`{"equipment":["x_ray"],"mbps":0.5}`, `{"inspect":true,"draw":0.25}`, `{"fiscal_year":2026,"amount_usd":-5}`,
		`{"completed_on":"2026-01-01","expires_on":null}`, `{"notes":"x"} `, `{"notes":"x"}{}`, "\ufeff{}",
	} {
		for kind := range byte(len(recordKinds)) {
			f.Add([]byte(s), kind)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, kind byte) {
		recordKinds[int(kind)%len(recordKinds)].sameAsStrict(t, body)
	})
}

// sameAsStrict checks one body as a T and as a batch of them.
func sameAsStrict[T any](t *testing.T, body []byte) {
	var one T
	sameDecoding(t, body, &one, new(T))
	var batch []T
	sameDecoding(t, body, &batch, new([]T))
}

// sameDecoding decodes body into fast with decodeFast and, if it took
// it, into strict with decodeStrict, which must take it too and read the
// same values (compared as encoding/json writes them, offsets and
// fractions of seconds included).
func sameDecoding(t *testing.T, body []byte, fast, strict any) {
	if !decodeFast(body, fast) {
		return
	}
	if e := decodeStrict(body, strict); e != nil {
		t.Fatalf("decodeFast took %q as %T; decodeStrict refuses it: %v", body, fast, e)
	}
	a, errA := json.Marshal(fast)
	b, errB := json.Marshal(strict)
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Fatalf("%q as %T:\ndecodeFast   %s (%v)\ndecodeStrict %s (%v)", body, fast, a, errA, b, errB)
	}
}
