package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
)

// conflictView is a sync conflict as the desk shows it: headquarters'
// record and the node's side by side, field by field, the fields that
// differ marked.
type conflictView struct {
	outbound.SyncConflict
	// HQ says whether headquarters holds a record for the same inspection
	// or slot (a shift, a day's exits), shown in Fields beside the node's.
	HQ     bool
	Fields []fieldPair
}

// fieldPair is one field of a conflict's two records, in people's words.
type fieldPair struct {
	Name, HQ, Node string
	Differs        bool
}

// serverFields are what each server sets of a record: they differ between
// any two servers, so they say nothing about the conflict.
var serverFields = map[string]bool{"received_at": true, "recorded_by": true, "original_id": true, "version": true,
	"local_day": true, "officer_count": true}

// conflictViews reads the crossing's conflicts with headquarters' record
// for each.
func (s *Server) conflictViews(ctx context.Context, crossing string) ([]conflictView, error) {
	list, err := s.Sync.FindConflicts(ctx, crossing)
	if err != nil {
		return nil, err
	}
	c, err := s.Crossings.FindCrossing(ctx, crossing)
	if err != nil {
		return nil, err
	}
	out := make([]conflictView, len(list))
	for i, sc := range list {
		out[i].SyncConflict = sc
		if sc.Resolution != "" {
			continue
		}
		hq, err := s.headquartersRecord(ctx, sc)
		if err != nil {
			return nil, err
		}
		out[i].HQ = hq != nil
		var mine []byte
		if hq != nil {
			if mine, err = json.Marshal(hq); err != nil {
				return nil, err
			}
		}
		out[i].Fields = pairFields(mine, sc.Record, c.Location())
	}
	return out, nil
}

// headquartersRecord is what headquarters holds that the node's record
// collided with: the same inspection's latest version, the shift's latest
// staffing version, the day's exit count of the modality; nil for none.
func (s *Server) headquartersRecord(ctx context.Context, sc outbound.SyncConflict) (any, error) {
	switch sc.Kind {
	case outbound.InspectionKind.Name:
		var node outbound.Inspection
		if json.Unmarshal(sc.Record, &node) != nil {
			return nil, nil
		}
		id := node.ID
		if node.Replaces != nil {
			id = *node.Replaces
		}
		history, err := s.Inspections.InspectionHistory(ctx, id)
		if outbound.ErrorCode(err) == outbound.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return history[len(history)-1], nil
	case outbound.StaffingKind.Name:
		var node outbound.Staffing
		if json.Unmarshal(sc.Record, &node) != nil {
			return nil, nil
		}
		list, _, err := s.Staffing.FindStaffing(ctx, outbound.Filter{Crossing: sc.Crossing, From: node.Day, To: node.Day, Limit: 10})
		return sameSlot(list, err, func(st *outbound.Staffing) bool { return st.Shift == node.Shift })
	case outbound.ExitKind.Name:
		var node outbound.ExitCount
		if json.Unmarshal(sc.Record, &node) != nil {
			return nil, nil
		}
		list, _, err := s.Exits.FindExits(ctx, outbound.Filter{Crossing: sc.Crossing, From: node.Day, To: node.Day, Limit: 10})
		return sameSlot(list, err, func(e *outbound.ExitCount) bool { return e.Modality == node.Modality })
	}
	return nil, nil
}

// sameSlot is the record of a day's list that holds the node's slot, nil
// for none.
func sameSlot[T any](list []T, err error, same func(*T) bool) (any, error) {
	for i := range list {
		if same(&list[i]) {
			return list[i], err
		}
	}
	return nil, err
}

// pairFields sets two records' fields side by side, headquarters' order
// first, each in people's words; either may be empty.
func pairFields(hq, node []byte, zone *time.Location) []fieldPair {
	a, b := flatten(hq, zone), flatten(node, zone)
	at := map[string]int{}
	var out []fieldPair
	for _, f := range a {
		at[f.name] = len(out)
		out = append(out, fieldPair{Name: f.label, HQ: f.value, Node: "–"})
	}
	for _, f := range b {
		i, ok := at[f.name]
		if !ok {
			i = len(out)
			out = append(out, fieldPair{Name: f.label, HQ: "–"})
		}
		out[i].Node = f.value
	}
	for i := range out {
		out[i].Differs = out[i].HQ != out[i].Node
	}
	return out
}

type flatField struct{ name, label, value string }

// flatten lists a JSON record's fields in order, a list of values as one
// field and a list of objects (seizures) as a field per object's field,
// numbered; what a server sets is left out.
func flatten(raw []byte, zone *time.Location) []flatField {
	if len(raw) == 0 {
		return nil
	}
	var out []flatField
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	walk(dec, "", "", zone, &out)
	return out
}

// walk reads one JSON value at name into out.
func walk(dec *json.Decoder, name, lbl string, zone *time.Location, out *[]flatField) {
	tok, err := dec.Token()
	if err != nil {
		return
	}
	add := func(v string) { *out = append(*out, flatField{name, lbl, v}) }
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			for dec.More() {
				k, err := dec.Token()
				key, _ := k.(string)
				if err != nil {
					return
				}
				sub, subLabel := key, fieldLabel(key)
				if name != "" {
					sub, subLabel = name+"."+key, lbl+", "+strings.ToLower(fieldLabel(key))
				}
				if name == "" && serverFields[key] {
					var skip json.RawMessage
					dec.Decode(&skip)
					continue
				}
				walk(dec, sub, subLabel, zone, out)
			}
			dec.Token() // }
		case '[':
			var values []string
			n := 0
			for dec.More() {
				n++
				var item []flatField
				sub := name + "." + strconv.Itoa(n)
				walk(dec, sub, singular(lbl)+" "+strconv.Itoa(n), zone, &item)
				if len(item) == 1 && item[0].name == sub {
					values = append(values, item[0].value)
				} else {
					*out = append(*out, item...)
				}
			}
			dec.Token() // ]
			if n == 0 {
				add("none")
			} else if len(values) > 0 {
				add(strings.Join(values, ", "))
			}
		}
	case nil:
		add("none")
	case bool:
		add(map[bool]string{true: "yes", false: "no"}[t])
	case json.Number:
		add(t.String())
	case string:
		if l, ok := vocabulary[t]; ok {
			add(l)
		} else if at, err := time.Parse(time.RFC3339Nano, t); err == nil && strings.Contains(t, "T") {
			add(localTime(at, zone))
		} else if t == "" {
			add("none")
		} else {
			add(t)
		}
	default:
		add(fmt.Sprint(t))
	}
}

// fieldLabel names a field for people.
func fieldLabel(key string) string {
	if w, ok := fieldWords[key]; ok {
		return title(w)
	}
	return title(words(key))
}

// singular names one of a list: "Seizures" "Seizure".
func singular(s string) string { return strings.TrimSuffix(s, "s") }
