package web

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

// FuzzDecodeInspections checks that no body panics the decoder, that every
// failure is a user error (never internal), and that what decodes validates
// without panicking.
func FuzzDecodeInspections(f *testing.F) {
	f.Add([]byte(`{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","crossing":"2304","started_at":"2026-03-01T14:05:00-06:00",` +
		`"ended_at":"2026-03-01T14:17:00-06:00","modality":"personal_vehicle","techniques":["interview","physical"],` +
		`"trigger":"random_selection","operation_id":null,"officers":["B1234","B5678"],"outcome":"seizure",` +
		`"seizures":[{"category":"currency","quantity":48000,"unit":"USD","value_usd":48000}],"notes":""}`))
	f.Add([]byte(`[{"id":"x"},{"crossing":1},{}]`))
	f.Add([]byte(`{"started_at":"yesterday"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, bad, single, err := decodeBatch[outbound.Inspection](body)
		if err != nil {
			if c := outbound.ErrorCode(err); c != outbound.EINVALID && c != outbound.ETOOLARGE {
				t.Fatalf("decode error %v has code %s", err, c)
			}
			return
		}
		if single && len(items) != 1 {
			t.Fatalf("a single object decoded to %d items", len(items))
		}
		for i := range items {
			if e := bad[i]; e != nil {
				if e.Code != outbound.EINVALID {
					t.Fatalf("item error %v has code %s", e, e.Code)
				}
				continue
			}
			items[i].Validate(items[i].StartedAt)
		}
	})
}

// The query parameters openapi.json documents for each API route are the
// ones the route table accepts: the contract and the check say one thing.
func TestRouteQueriesMatchOpenAPI(t *testing.T) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, rt := range (&Server{}).routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			continue // a page, or a route the document does not describe (the API tests catch those)
		}
		var documented []string
		for _, p := range op.Parameters {
			if p.In == "query" {
				documented = append(documented, p.Name)
			}
		}
		slices.Sort(documented)
		accepted := slices.Sorted(slices.Values(rt.query))
		if !slices.Equal(documented, accepted) {
			t.Errorf("%s: openapi.json documents %v; the route table accepts %v", rt.pattern, documented, accepted)
		}
	}
}
