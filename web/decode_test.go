package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	// Keys given twice, at the top, in a seizure, by case and by escape.
	f.Add([]byte(`{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","notes":"a","notes":"b"}`))
	f.Add([]byte(`[{"seizures":[{"category":"currency","quantity":1,"quantity":2}]}]`))
	f.Add([]byte(`{"notes":"","Notes":"x","\u006eotes":"y"}`))
	// Techniques and officers in another order than the first seed.
	f.Add([]byte(`{"id":"0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11","crossing":"2304","started_at":"2026-03-01T14:05:00-06:00",` +
		`"ended_at":"2026-03-01T14:17:00-06:00","modality":"personal_vehicle","techniques":["physical","interview"],` +
		`"trigger":"random_selection","operation_id":null,"officers":["B5678","B1234"],"outcome":"seizure",` +
		`"seizures":[{"category":"currency","quantity":48000,"unit":"USD","value_usd":48000}],"notes":""}`))
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
			// Reordering the sets of what decoded keeps its content.
			other := items[i]
			other.Techniques, other.Officers = slices.Clone(other.Techniques), slices.Clone(other.Officers)
			slices.Reverse(other.Techniques)
			slices.Reverse(other.Officers)
			if !outbound.SameContent(&items[i], &other) {
				t.Fatalf("item %d with its techniques and officers reversed is not the same content", i)
			}
		}
		// What decoded cleanly has no key twice.
		if bad == nil && json.Valid(body) && hasDuplicateKey(body) {
			t.Fatalf("a body with a key given twice decoded: %s", body)
		}
	})
}

// FuzzDuplicateKey holds the one-pass scan to a plain reference, walking
// encoding/json's tokens, on every valid JSON text; on any other text it
// must not panic.
func FuzzDuplicateKey(f *testing.F) {
	for _, s := range []string{`{"a":1,"a":2}`, `{"a":{"b":1,"b":2}}`, `[{"a":1},{"a":1}]`, `{"a":"\"a\":","b":1}`,
		`{"A":1,"a":2}`, `{"\u0061":1,"a":2}`, `{"x":[[{"y":1,"y":1}]]}`, `{"k":1,"K":2}`, `{"a":1,"b":`, `"{\"a\":1,\"a\":1}"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := duplicateKey(body) != nil
		if json.Valid(body) && got != hasDuplicateKey(body) {
			t.Fatalf("duplicateKey(%s) = %v; the reference says %v", body, got, !got)
		}
	})
}

// hasDuplicateKey is the reference: any object with two keys equal after
// unescaping, without regard to case (strings.EqualFold, as encoding/json
// matches fields).
func hasDuplicateKey(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	type level struct {
		object bool
		keys   []string
		key    bool // the next string token is a key
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			top := &stack[n-1]
			if s, ok := tok.(string); ok && top.key {
				for _, k := range top.keys {
					if strings.EqualFold(k, s) {
						return true
					}
				}
				top.keys = append(top.keys, s)
				top.key = false
				continue
			}
			if d, ok := tok.(json.Delim); !ok || d != '}' {
				top.key = true // a value (or the start of one): a key comes after it
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, level{object: true, key: true})
		case json.Delim('['):
			stack = append(stack, level{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
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

// FuzzKnownQuery sends raw query strings to a list route's check: it
// passes only what parses and names the route's parameters alone, and
// refuses anything else with 400 naming a parameter it does not read.
func FuzzKnownQuery(f *testing.F) {
	for _, q := range []string{"crossing=2304&from=2026-03-01", "border=northern", "crossing=2304&modality=truck", "Crossing=2304",
		"from=2026-03-01&from=2026-03-02", "limit=10&cursor=abc", "%zz", "a;b", "=1", "crossing", "zz_unknown=1&crossing=2304"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s := &Server{}
		ran := false
		h := s.knownQuery(route{"GET /api/v1/staffing", func(http.ResponseWriter, *http.Request) { ran = true }, listQuery})
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/api/v1/staffing", nil)
		r.URL.RawQuery = raw
		s.Logger = slog.New(slog.DiscardHandler)
		h(w, r)
		q, err := url.ParseQuery(raw)
		known := err == nil
		for name := range q {
			known = known && slices.Contains(listQuery, name)
		}
		switch {
		case known != ran:
			t.Fatalf("query %q: handler ran = %v; want %v", raw, ran, known)
		case !ran && w.Code != http.StatusBadRequest:
			t.Fatalf("query %q refused with %d; want 400", raw, w.Code)
		case !ran && err == nil:
			var e struct{ Error struct{ Field string } }
			if json.Unmarshal(w.Body.Bytes(), &e) != nil {
				t.Fatalf("query %q refused with %s", raw, w.Body)
			}
			named := false // the name as JSON carries it (invalid UTF-8 replaced)
			for name := range q {
				var carried string
				j, _ := json.Marshal(name)
				json.Unmarshal(j, &carried)
				named = named || !slices.Contains(listQuery, name) && carried == e.Error.Field
			}
			if !named {
				t.Fatalf("query %q refused naming %q; want a parameter it holds and the route does not read", raw, e.Error.Field)
			}
		}
	})
}
