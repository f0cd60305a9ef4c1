package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
)

// What people read instead of the API's names: every page's labels of
// vocabulary values, and the words its messages use for fields and
// values. The desk's templates (title, words), its refusals (plain) and
// the outbox's script (plainWords) all read them from here.

// words writes a vocabulary value for people: personal_vehicle as
// "personal vehicle".
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// labels are the vocabulary's names where capitalising the words is not
// enough.
var labels = map[string]string{"nii_xray": "NII / X-ray", "nii_anomaly": "NII anomaly", "k9": "K9", "pulse_surge": "Pulse and surge",
	"personal_vehicle": "Personal vehicle", "radiation_portal": "Radiation portal monitor", "handheld_radiation": "Handheld radiation detector",
	"plate_reader": "License-plate reader", "out_of_service": "Out of service", "grid_backup": "Grid with backup"}

// label names a vocabulary value for people.
func label(s string) string {
	if l, ok := labels[s]; ok {
		return l
	}
	return title(words(s))
}

// fieldWords names the API's fields in plain words, as the forms call them.
var fieldWords = map[string]string{"id": "record number", "started_at": "start time", "ended_at": "end time",
	"trigger": "reason for the inspection", "operation_id": "operation", "officers": "officers' badges",
	"value_usd": "value in USD", "replaces": "version it corrects", "reason": "reason for the change",
	"hours_planned": "hours planned", "hours_worked": "hours worked", "hours_diverted": "hours diverted",
	"diversion_reason": "reason for the diversion", "corrected_by": "correcting record", "note": "reason"}

// vocabulary is every vocabulary value the desk and the form show, as
// their labels show it.
var vocabulary = func() map[string]string {
	m := map[string]string{}
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
	add(strs(outbound.DiversionReasons)...)
	add(strs(outbound.Shifts)...)
	return m
}()

// plainWords is the outbox's table of words for its script: the fields,
// and every vocabulary value as the form labels it.
var plainWords = func() string {
	m := maps.Clone(fieldWords)
	maps.Copy(m, vocabulary)
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

// apiWord is a name as the API writes it: a field or a value, lower case
// with underscores.
var apiWord = regexp.MustCompile(`\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b|\b(id|officers|trigger|replaces|reason|note)\b`)

// vocabRun is a list of values, "a, b or c", or one value in quotes: the
// places where a one-word value ("training") is a value, not a word.
var vocabRun = regexp.MustCompile(`\b[a-z][a-z0-9_]*(, [a-z][a-z0-9_]*)*,? or [a-z][a-z0-9_]*\b|"[a-z][a-z0-9_]*"`)

// plain writes a refusal's message in people's words: a field as the form
// names it, a value as the form labels it ("inbound_traffic" as "Inbound
// traffic"), as one sentence.
func plain(msg string) string {
	msg = vocabRun.ReplaceAllStringFunc(msg, func(run string) string {
		items := strings.FieldsFunc(strings.ReplaceAll(strings.Trim(run, `"`), " or ", ","), func(r rune) bool { return r == ',' || r == ' ' })
		for _, it := range items {
			if _, ok := vocabulary[it]; !ok {
				return run
			}
		}
		for _, it := range items {
			run = regexp.MustCompile(`\b`+it+`\b`).ReplaceAllString(run, vocabulary[it])
		}
		return run
	})
	msg = apiWord.ReplaceAllStringFunc(msg, func(w string) string {
		if f, ok := fieldWords[w]; ok {
			return f
		}
		if v, ok := vocabulary[w]; ok {
			return v
		}
		return words(w)
	})
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return "Refused."
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return title(msg)
}

// refusal is a page's form the server refused, as the page shows it
// again: with what was typed, and why at the field at fault. The zero
// value is no refusal.
type refusal struct {
	Form   string     // which form: the path it was posted to, and "#" and the record's id for a form per record
	Values url.Values // what was typed
	Field  string     // the form's field at fault; "" when none of its fields is
	Error  string     // why, in plain words
}

// refused makes the refusal of the form posted to r by err: the API's
// field as the form's (a badge in a list, a seizure's value: the list;
// the end time: the duration the form asks).
func refused(form string, values url.Values, err error) refusal {
	field, msg := outbound.ErrorField(err), plain(outbound.ErrorMessage(err))
	if m := listItem.FindStringSubmatch(field); m != nil { // which one, in the list the form shows
		n, _ := strconv.Atoi(m[2])
		msg = fmt.Sprintf("%s %d: %s", itemWords[m[1]], n+1, msg)
	}
	if i := strings.IndexAny(field, "[."); i >= 0 {
		field = field[:i]
	}
	if field == "ended_at" {
		field = "duration"
	}
	return refusal{Form: form, Values: values, Field: field, Error: msg}
}

// listItem is the field of one item of a list: seizures[1].value_usd.
var listItem = regexp.MustCompile(`^(seizures|officers|techniques)\[(\d+)\]`)

// itemWords names one item of each list.
var itemWords = map[string]string{"seizures": "Seizure", "officers": "Badge", "techniques": "Technique"}

// Of reports whether form is the refused one.
func (f refusal) Of(form string) bool { return f.Form != "" && f.Form == form }

// Value is what was typed in a field of form when form was refused, else
// def: what the page shows there otherwise.
func (f refusal) Value(form, field, def string) string {
	if f.Of(form) {
		return f.Values.Get(field)
	}
	return def
}

// Has reports whether value was among those typed or chosen in a field of
// form when form was refused, else def.
func (f refusal) Has(form, field, value string, def bool) bool {
	if f.Of(form) {
		for _, v := range f.Values[field] {
			if v == value {
				return true
			}
		}
		return false
	}
	return def
}

// At reports whether a field of form is the one at fault.
func (f refusal) At(form, field string) bool { return f.Of(form) && f.Field == field }

// Top is the message a refused form shows above its fields: when the
// fault is at none of them (fields lists those the form has).
func (f refusal) Top(form string, fields ...string) string {
	if !f.Of(form) {
		return ""
	}
	for _, x := range fields {
		if x == f.Field {
			return ""
		}
	}
	return f.Error
}
