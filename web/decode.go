package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

// readBody reads a request body up to MaxBodyBytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, outbound.Errorf(outbound.ETOOLARGE, "", "the request body is larger than %d bytes; send smaller batches", MaxBodyBytes)
	}
	if err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "", "cannot read the request body: %v", err)
	}
	// encoding/json would turn invalid UTF-8 into U+FFFD and store text
	// other than what was sent: refuse it instead.
	if !utf8.Valid(body) {
		return nil, outbound.Errorf(outbound.EINVALID, "", "the request body is not valid UTF-8")
	}
	return body, nil
}

// decodeBatch reads one JSON object or an array of them. An array item
// that does not decode is reported at its index and the rest still count;
// single is true for a lone object.
func decodeBatch[T any](body []byte) (items []T, bad map[int]*outbound.Error, single bool, err error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, nil, false, outbound.Errorf(outbound.EINVALID, "", "the request body is empty; send a JSON object or an array of them")
	case trimmed[0] == '{':
		var v T
		if !decodeFast(trimmed, &v) {
			v = *new(T)
			if err := decodeStrict(trimmed, &v); err != nil {
				return nil, nil, true, err
			}
		}
		return []T{v}, nil, true, nil
	case trimmed[0] != '[':
		return nil, nil, false, outbound.Errorf(outbound.EINVALID, "", "the request body must be a JSON object or an array of them")
	}
	// Most batches are clean: the fast decoder takes them. The slow way
	// decodes the whole array again, then item by item only when
	// something is wrong, to say which items.
	if items, ok := decodeFastBatch[T](trimmed); ok {
		return items, nil, false, nil
	}
	// Counted before the slow way decodes anything: an 8 MiB body of
	// "{}," holds 2.8 million items, a gigabyte once decoded.
	if n := arrayLength(trimmed); n > MaxBatch {
		return nil, nil, false, outbound.Errorf(outbound.ETOOLARGE, "", "a batch holds at most %d items; this one has %d", MaxBatch, n)
	}
	if err := decodeStrict(trimmed, &items); err == nil {
		return items, nil, false, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(trimmed, &raws); err != nil {
		return nil, nil, false, outbound.Errorf(outbound.EINVALID, "", "the body is not a JSON array: %s", jsonProblem(err))
	}
	items = make([]T, len(raws))
	bad = map[int]*outbound.Error{}
	for i, raw := range raws {
		if err := decodeStrict(raw, &items[i]); err != nil {
			bad[i] = err
		}
	}
	return items, bad, false, nil
}

// decodeFast decodes b into v, which must hold its zero value, and
// reports whether it took b. It is encoding/json/v2's decoder, set to be
// stricter than decodeStrict: names match fields exactly (not without
// regard to case), and unknown or repeated names, invalid UTF-8 and
// trailing data are refused. What it takes, decodeStrict takes alike
// (FuzzDecodeFast); what it refuses goes through decodeStrict, which
// says why in the API's words. v holds garbage when it answers false.
func decodeFast(b []byte, v any) bool {
	return jsonv2.Unmarshal(b, v, fastOptions) == nil
}

// decodeFastBatch decodes a JSON array of at most MaxBatch items as
// decodeFast does, 2.7 times as fast as decodeStrict on a batch of 1,000
// inspections (BenchmarkDecodeBatch), and reports whether it took b: it
// stops at the item past the limit, so that a long array never takes
// more memory than a full batch.
func decodeFastBatch[T any](b []byte) ([]T, bool) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(b))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
		return nil, false
	}
	// An item takes at least three bytes ("{}" and a comma): room for
	// that many, up to a full batch, spares growing the slice ten times.
	items := make([]T, 0, min(MaxBatch, len(b)/3))
	for dec.PeekKind() != ']' {
		if len(items) == MaxBatch {
			return nil, false
		}
		items = append(items, *new(T))
		if jsonv2.UnmarshalDecode(dec, &items[len(items)-1], fastOptions) != nil {
			return nil, false
		}
	}
	if _, err := dec.ReadToken(); err != nil { // the closing bracket
		return nil, false
	}
	if _, err := dec.ReadToken(); err != io.EOF { // and nothing after it
		return nil, false
	}
	return items, true
}

// fastOptions are decodeFast's: unknown names refused, and times read by
// time.Time's own UnmarshalJSON, as encoding/json reads them (v2's own
// reading of times would take escapes within the text, such as
// "2026-03-01T14:05:00\u005a", which decodeStrict refuses).
var fastOptions = jsonv2.JoinOptions(jsonv2.RejectUnknownMembers(true),
	jsonv2.WithUnmarshalers(jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, t *time.Time) error {
		v, err := dec.ReadValue()
		if err != nil {
			return err
		}
		return t.UnmarshalJSON(v)
	})))

// arrayLength counts the items of the JSON array b opens with, in one
// pass over the bytes and without decoding them; in text that is not
// JSON it counts what looks like items.
func arrayLength(b []byte) int {
	n, depth, expect := 0, 0, false // expect: an item may start here
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case ',':
			expect = depth == 1
			continue
		case ']', '}':
			if depth--; depth == 0 {
				return n
			}
			continue
		}
		if depth == 1 && expect {
			n, expect = n+1, false
		}
		switch c {
		case '[', '{':
			if depth++; depth == 1 {
				expect = true
			}
		case '"':
			if i = stringEnd(b, i); i < 0 {
				return n
			}
		}
	}
	return n
}

// decodeStrict decodes one object, rejecting unknown fields, keys given
// twice and trailing data. Every JSON body the API takes comes through
// here, but a batch that decodeFast took.
func decodeStrict(b []byte, v any) *outbound.Error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		e := decodeError(err)
		if e.Field == "" {
			e.Field = fieldHolding(b, v)
		}
		return e
	}
	if dec.More() {
		return outbound.Errorf(outbound.EINVALID, "", "unexpected data after the JSON value")
	}
	// Only a body the decoder took is checked for keys given twice: one
	// it refuses (too deep, unknown fields) costs no second pass, and one
	// it took has no more keys than what it decoded.
	return duplicateKey(b)
}

// decodeError names the field a JSON error is about, when it can.
func decodeError(err error) *outbound.Error {
	var typeErr *json.UnmarshalTypeError
	var domain *outbound.Error
	switch {
	case errors.As(err, &domain):
		return domain
	case errors.As(err, &typeErr):
		return outbound.Errorf(outbound.EINVALID, typeErr.Field, "%s must be a JSON %s", orValue(typeErr.Field), typeErr.Type.Kind())
	case strings.HasPrefix(err.Error(), "json: unknown field "): // no error type for it
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return outbound.Errorf(outbound.EINVALID, outbound.Clip(field), "unknown field %s", outbound.Shown(field))
	}
	var timeErr *time.ParseError
	if errors.As(err, &timeErr) {
		return outbound.Errorf(outbound.EINVALID, "", "time %s is not RFC 3339, such as 2026-03-01T14:05:00-06:00", outbound.Shown(timeErr.Value))
	}
	if strings.Contains(err.Error(), "invalid UUID") { // google/uuid has no error type
		return outbound.Errorf(outbound.EINVALID, "", "an id is not a UUID: %v", err)
	}
	return outbound.Errorf(outbound.EINVALID, "", "the body is not valid JSON: %s", jsonProblem(err))
}

// fieldHolding names the first top-level field (by name) that does not
// decode on its own: encoding/json does not say which field a custom
// decoder (a time, a UUID, a date) refused.
func fieldHolding(b []byte, v any) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(b, &fields) != nil {
		return ""
	}
	t := reflect.TypeOf(v).Elem()
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		one, _ := json.Marshal(map[string]json.RawMessage{name: fields[name]})
		if json.Unmarshal(one, reflect.New(t).Interface()) != nil {
			return name
		}
	}
	return ""
}

func orValue(field string) string {
	if field == "" {
		return "the value"
	}
	return field
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("%v at byte %d", syn, syn.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "it ends too early"
	}
	return err.Error()
}

// batchResult is one item of a batch answer.
type batchResult struct {
	ID     *uuid.UUID `json:"id"`
	Status string     `json:"status"`
	Error  *apiError  `json:"error,omitempty"`
}

// recordBatch decodes a body of T, records the decodable items with record and
// answers as DESIGN section 5 says: for one object 201 created, 200
// replayed, 409 conflict or 400 invalid, with the stored record or the
// error; for an array 200 with one result per item, in order.
func recordBatch[T any, P outbound.RecordOf[T]](s *Server, w http.ResponseWriter, r *http.Request,
	record func(context.Context, []T) ([]outbound.RecordResult[T], error)) {
	kind := P(new(T)).RecordKind().Name
	body, err := readBody(w, r)
	if err != nil {
		s.metrics.reject(kind, 1, err)
		s.fail(w, r, err)
		return
	}
	items, bad, single, err := decodeBatch[T](body)
	if err != nil {
		s.metrics.reject(kind, 1, err)
		s.fail(w, r, err)
		return
	}
	s.metrics.count(kind, len(bad), RejectedInvalid)
	good := make([]T, 0, len(items))
	for i := range items {
		if bad[i] == nil {
			good = append(good, items[i])
		}
	}
	res, err := record(r.Context(), good)
	if err != nil {
		s.metrics.reject(kind, len(good), err)
		s.fail(w, r, err)
		return
	}
	created := 0
	for _, x := range res {
		switch {
		case x.Status == outbound.Created:
			created++
		case x.Status == outbound.Conflict:
			s.metrics.count(kind, 1, RejectedConflict)
		case x.Status == outbound.Invalid:
			s.metrics.count(kind, 1, RejectedInvalid)
		}
	}
	s.metrics.ingested.WithLabelValues(kind).Add(float64(created))
	if single {
		one := res[0]
		switch one.Status {
		case outbound.Created:
			writeJSON(w, http.StatusCreated, one.Record)
		case outbound.Replayed:
			writeJSON(w, http.StatusOK, one.Record)
		default:
			s.fail(w, r, one.Err)
		}
		return
	}
	out := make([]batchResult, len(items))
	next := 0
	for i := range items {
		if e := bad[i]; e != nil {
			out[i] = batchResult{Status: string(outbound.Invalid), Error: &apiError{e.Code, e.Message, e.Field}}
			if id := P(&items[i]).RecordID(); id != uuid.Nil {
				out[i].ID = &id
			}
			continue
		}
		rr := res[next]
		next++
		id := rr.ID
		out[i] = batchResult{ID: &id, Status: string(rr.Status)}
		if rr.Err != nil {
			out[i].Error = &apiError{rr.Err.Code, rr.Err.Message, rr.Err.Field}
		}
	}
	writeJSON(w, http.StatusOK, map[string][]batchResult{"results": out})
}
