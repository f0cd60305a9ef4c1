package web

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// FuzzDecodeRecords decodes a body as the collection of one kind of
// record (the byte picks it) and checks what a stored record may hold:
// nothing that decodes and validates carries a control character other
// than tabs and line breaks, or text that is not UTF-8, so that both
// databases take whatever one took. Its corpus (testdata/fuzz) holds
// the refusals of issue #15: NUL and escape characters, lists past their
// bounds, quantities past their ceilings, days ahead of today.
func FuzzDecodeRecords(f *testing.F) {
	f.Add([]byte(`{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","crossing":"2304","day":"2026-03-09","shift":"day",`+
		`"hours_planned":8,"hours_worked":8,"hours_diverted":0,"diversion_reason":"","notes":"a\u0000b"}`), byte(1))
	f.Add([]byte(`{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","crossing":"2304","day":"2099-01-01","outbound_lanes":1,`+
		`"wifi":"poor","cellular":"poor","mbps":1,"power":"grid","equipment":[],"hazards":["wet\u001bfloor"],"notes":""}`), byte(3))
	f.Fuzz(func(t *testing.T, body []byte, kind byte) {
		// Six kinds, as when the corpus was made: its seeds keep their kinds.
		recordKinds[int(kind)%6].checkDecoded(t, body)
	})
}

// recordKinds are the fuzzers' checks instantiated for each kind of
// record the API takes in batches; a fuzz input's byte picks one.
var recordKinds = []struct {
	checkDecoded, sameAsStrict func(*testing.T, []byte)
}{
	{checkDecoded[outbound.Inspection], sameAsStrict[outbound.Inspection]},
	{checkDecoded[outbound.Staffing], sameAsStrict[outbound.Staffing]},
	{checkDecoded[outbound.ExitCount], sameAsStrict[outbound.ExitCount]},
	{checkDecoded[outbound.Survey], sameAsStrict[outbound.Survey]},
	{checkDecoded[outbound.LaneDecision], sameAsStrict[outbound.LaneDecision]},
	{checkDecoded[outbound.FundingEntry], sameAsStrict[outbound.FundingEntry]},
	{checkDecoded[outbound.TrainingRecord], sameAsStrict[outbound.TrainingRecord]},
}

func checkDecoded[T any, P outbound.RecordOf[T]](t *testing.T, body []byte) {
	items, bad, _, err := decodeBatch[T](body)
	if err != nil {
		if c := outbound.ErrorCode(err); c != outbound.EINVALID && c != outbound.ETOOLARGE {
			t.Fatalf("decode error %v has code %s", err, c)
		}
		return
	}
	for i := range items {
		if bad[i] != nil {
			continue
		}
		if err := P(&items[i]).Validate(testdb.Clock); err != nil {
			if outbound.ErrorCode(err) != outbound.EINVALID || outbound.ErrorField(err) == "" {
				t.Fatalf("validate: %v is not invalid naming a field", err)
			}
			continue
		}
		eachString(reflect.ValueOf(&items[i]), func(s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("a valid %T holds invalid UTF-8: %q", items[i], s)
			}
			for _, r := range s {
				if unicode.IsControl(r) && !strings.ContainsRune("\t\n\r", r) {
					t.Fatalf("a valid %T holds the control character %U: %q", items[i], r, s)
				}
			}
		})
	}
}

// eachString calls fn with every string v holds.
func eachString(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachString(v.Elem(), fn)
		}
	case reflect.String:
		fn(v.String())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			eachString(v.Index(i), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachString(v.Field(i), fn)
			}
		}
	}
}
