package web

import (
	"encoding/json"
	"maps"
	"net/http"

	"github.com/outbound-oss/outbound"
)

// outboxView is the outbox page: the records this device keeps for the
// signed-in user (its script reads them from the browser's storage) and
// the form to correct one the server refused, with the record form's
// choices (its rules come from static/rules.json, as the record form's do).
type outboxView struct {
	captureView
	// Words is a JSON object of the API's names the server's refusals
	// use, in the words people read: started_at is "start time".
	Words string
}

// fieldWords names an inspection's fields in plain words.
var fieldWords = map[string]string{"id": "record number", "started_at": "start time", "ended_at": "end time",
	"trigger": "reason for the inspection", "operation_id": "operation", "officers": "officers' badges",
	"value_usd": "value in USD", "replaces": "version it corrects", "reason": "reason for the change"}

// plainWords is outboxView.Words: the fields, and every vocabulary value
// as the form labels it.
var plainWords = func() string {
	m := maps.Clone(fieldWords)
	add := func(vs ...string) {
		for _, v := range vs {
			m[v] = label(v)
		}
	}
	add(strs(outbound.Modalities)...)
	add(strs(outbound.Techniques)...)
	add(strs(outbound.Triggers)...)
	add(strs(outbound.Outcomes)...)
	add(strs(outbound.Categories)...)
	b, _ := json.Marshal(m)
	return string(b)
}()

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// outbox serves the outbox page to those who record inspections.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteInspection)
	if !ok {
		return
	}
	v := outboxView{Words: plainWords}
	v.Badge = a.Badge // a correction keeps it: the server takes nothing else from its officer
	v.Crossings, v.Modalities, v.Techniques, v.Triggers, v.Outcomes, v.Categories = a.Crossings, outbound.Modalities,
		outbound.Techniques, outbound.Triggers, outbound.Outcomes, outbound.Categories
	s.render(w, r, http.StatusOK, "outbox", "Outbox", v)
}
