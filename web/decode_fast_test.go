package web

import (
	"bytes"
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
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
		`{"started_at":"2026-03-01T14:05:00+24:00"}`, `{"started_at":"2026-03-01T14:05:00\u005a"}`, `{"ended_at":"2026\u002d03-01T14:05:00Z"}`,
		`{"decided_at":"2026-03-01T14:05:00\u002B01:00"}`, `{"import":{"at":"2026-03-01T00:00:00\u005A"}}`, `{"started_at":"2026-03-01 14:05:00Z"}`, `{"started_at":"0000-01-01T00:00:00Z"}`,
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
	if decodeFast(body, &one) {
		sameDecoding(t, body, &one, new(T))
	}
	if batch, ok := decodeFastBatch[T](body); ok {
		sameDecoding(t, body, &batch, new([]T))
	}
}

// sameDecoding checks that decodeStrict takes the body that the fast
// decoder took as fast, and reads the same values into strict (compared
// as encoding/json writes them, offsets and fractions of seconds
// included, or as Go values where it cannot write them).
func sameDecoding(t *testing.T, body []byte, fast, strict any) {
	if e := decodeStrict(body, strict); e != nil {
		t.Fatalf("the fast decoder took %q as %T; decodeStrict refuses it: %v", body, fast, e)
	}
	a, errA := json.Marshal(fast)
	b, errB := json.Marshal(strict)
	if errA != nil || errB != nil {
		// A time both take but encoding/json cannot write back (an
		// offset of 24 hours).
		if !reflect.DeepEqual(fast, strict) {
			t.Fatalf("%q as %T:\nfast   %+v\nstrict %+v", body, fast, fast, strict)
		}
		return
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("%q as %T:\nfast   %s\nstrict %s", body, fast, a, b)
	}
}

// A batch's length is known before its items take memory: 8 MiB of "{},"
// (2.8 million empty items, a gigabyte once decoded) is refused as too
// many, whether the array is clean, has a bracket too many after it or
// garbage within, for little more memory than the body's.
func TestLongBatchesAreRefusedBeforeDecoding(t *testing.T) {
	body := "[" + strings.Repeat("{},", (MaxBodyBytes-4)/3) + "{}]" // as TestOversizedRequestsAreRefused sends
	for _, b := range []string{body, body + "}", strings.Replace(body, "{},", "oops,", 1)} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, _, _, err := decodeBatch[outbound.Inspection]([]byte(b))
		runtime.ReadMemStats(&after)
		if outbound.ErrorCode(err) != outbound.ETOOLARGE || !strings.Contains(outbound.ErrorMessage(err), "at most 1000 items; this one has 2796202") {
			t.Errorf("%.20s...%s: %v; want too large, counting 2796202 items", b, b[len(b)-8:], err)
		}
		if used := after.TotalAlloc - before.TotalAlloc; used > 32<<20 {
			t.Errorf("%.20s...%s: refusing it allocated %d MB", b, b[len(b)-8:], used>>20)
		}
	}
}
